from django.urls import path

from . import views

urlpatterns = [
    path("enhet/<int:unit_id>/loggkontroll/", views.access_log_review, name="access_log_review"),
    path(
        "enhet/<int:unit_id>/loggkontroll/export.csv",
        views.access_log_export,
        name="access_log_export",
    ),
]
