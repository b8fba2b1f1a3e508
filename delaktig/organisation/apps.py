from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "delaktig.organisation"
    label = "organisation"
    verbose_name = "Organisation"
