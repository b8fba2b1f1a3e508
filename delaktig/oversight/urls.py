from django.urls import path

from . import report_views, views

urlpatterns = [
    path("planering/", views.scheduler_inbox, name="scheduler_inbox"),
    path("kvalitet/", report_views.quality_report, name="quality_report"),
    path(
        "kvalitet/export.<str:fmt>",
        report_views.quality_report_export,
        name="quality_report_export",
    ),
    path("planering/export.csv", views.scheduler_csv, name="scheduler_csv"),
    path("planering/<int:notice_id>/klar/", views.scheduler_handled, name="scheduler_handled"),
    path("planering/<int:notice_id>/schema.ics", views.scheduler_ical, name="scheduler_ical"),
]
