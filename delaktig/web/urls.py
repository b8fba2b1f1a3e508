from django.urls import path

from . import search_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("mina-personer/", views.my_persons, name="my_persons"),
    path("uppgifter/<int:task_id>/klar/", views.task_done, name="task_done"),
    path("enheter/", views.units_summary_view, name="units_summary"),
    path("enhet/<int:unit_id>/", views.unit_overview_view, name="unit_overview"),
    path("enhet/<int:unit_id>/personer/", search_views.unit_persons, name="unit_persons"),
    path("sok/", search_views.search, name="search"),
    path("enhet/<int:unit_id>/ny-person/", views.person_create_view, name="person_create"),
    path("person/<uuid:person_uuid>/", views.person_detail, name="person_detail"),
    path(
        "person/<uuid:person_uuid>/narstaende/",
        views.relative_add_view,
        name="relative_add",
    ),
    path(
        "arende/<uuid:case_uuid>/nytt-beslut/",
        views.decision_create_view,
        name="decision_create",
    ),
    path(
        "arende/<uuid:case_uuid>/kontaktman/",
        views.contact_person_assign_view,
        name="contact_person_assign",
    ),
]
