from django.urls import path

from . import views

urlpatterns = [
    path("arende/<uuid:case_uuid>/avsluta/", views.case_close_view, name="case_close"),
    path("arkiv/enhet/", views.unit_list, name="archive_unit_list"),
    path(
        "arkiv/enhet/<uuid:delivery_uuid>/nytt-paket/",
        views.rebuild_request_view,
        name="archive_rebuild_request",
    ),
    path("arkiv/", views.archivist_list, name="archive_list"),
    path("arkiv/<uuid:delivery_uuid>/", views.archivist_detail, name="archive_detail"),
    path(
        "arkiv/<uuid:delivery_uuid>/paket/<int:number>/",
        views.package_download,
        name="archive_download",
    ),
    path("arkiv/<uuid:delivery_uuid>/ta-emot/", views.receive_view, name="archive_receive"),
    path("arkiv/<uuid:delivery_uuid>/skicka-tillbaka/", views.return_view, name="archive_return"),
]
