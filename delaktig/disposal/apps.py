from django.apps import AppConfig


class DisposalConfig(AppConfig):
    name = "delaktig.disposal"
    label = "disposal"
    verbose_name = "Gallring"
