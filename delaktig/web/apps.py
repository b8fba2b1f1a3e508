from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "delaktig.web"
    label = "web"
    verbose_name = "Webb"
