from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "delaktig.records"
    label = "records"
    verbose_name = "Journal, logg och arkiv"
