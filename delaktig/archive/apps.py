from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "delaktig.archive"
    label = "archive"
    verbose_name = "Arkivleveranser"
