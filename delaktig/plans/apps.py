from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "delaktig.plans"
    label = "plans"
    verbose_name = "Genomförandeplaner"
