from django.urls import path

from . import editor, followup_views, views

urlpatterns = [
    path("arende/<uuid:case_uuid>/ny-plan/", views.plan_start_view, name="plan_start"),
    path("plan/<uuid:plan_uuid>/", views.plan_detail, name="plan_detail"),
    path("plan/<uuid:plan_uuid>/redigera/", editor.edit_draft, name="plan_edit"),
    path("plan/<uuid:plan_uuid>/redigera/autospara/", editor.autosave, name="plan_autosave"),
    path("plan/<uuid:plan_uuid>/redigera/skicka/", editor.send_confirm, name="plan_send_confirm"),
    path("plan/<uuid:plan_uuid>/signering/", views.plan_signing, name="plan_signing"),
    path(
        "plan/<uuid:plan_uuid>/signering/overlamnande/",
        views.handover_create,
        name="plan_handover",
    ),
    path(
        "plan/<uuid:plan_uuid>/signering/godkannande/",
        views.approval_create,
        name="plan_approve_changes",
    ),
    path(
        "plan/<uuid:plan_uuid>/signering/den-enskilde/",
        views.person_signature_create,
        name="plan_sign_person",
    ),
    path(
        "plan/<uuid:plan_uuid>/signering/signera/",
        views.role_signature_create,
        name="plan_sign_role",
    ),
    path(
        "plan/<uuid:plan_uuid>/signering/faststall/",
        views.plan_establish_view,
        name="plan_establish",
    ),
    path(
        "plan/<uuid:plan_uuid>/signering/registrera-i-efterhand/",
        views.plan_register_afterwards_view,
        name="plan_register_afterwards",
    ),
    path("plan/<uuid:plan_uuid>/ny-version/", views.plan_new_version_view, name="plan_new_version"),
    path(
        "plan/<uuid:plan_uuid>/version/<int:number>/", views.version_detail, name="version_detail"
    ),
    path(
        "plan/<uuid:plan_uuid>/version/<int:number>/jamfor/",
        views.version_diff,
        name="version_diff",
    ),
    path("plan/<uuid:plan_uuid>/version/<int:number>/pdf/", views.version_pdf, name="version_pdf"),
    path(
        "plan/<uuid:plan_uuid>/version/<int:number>/ratta-datum/",
        views.date_correct_view,
        name="date_correct",
    ),
    path(
        "plan/<uuid:plan_uuid>/uppfoljning/",
        followup_views.follow_up_create,
        name="follow_up_create",
    ),
    path("att-signera/", views.sign_list, name="sign_list"),
]
