from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "delaktig.people"
    label = "people"
    verbose_name = "Personer och ärenden"
