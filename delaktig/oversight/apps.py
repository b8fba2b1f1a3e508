from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "delaktig.oversight"
    label = "oversight"
    verbose_name = "Översikt"
