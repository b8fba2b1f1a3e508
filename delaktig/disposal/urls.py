from django.urls import path

from . import views

urlpatterns = [
    path("gallring/", views.proposal_list, name="disposal_proposals"),
    path("gallring/<int:proposal_id>/", views.proposal_detail, name="disposal_proposal_detail"),
    path(
        "gallring/<int:proposal_id>/beslut/",
        views.proposal_decision,
        name="disposal_proposal_decision",
    ),
    path(
        "gallring/<int:proposal_id>/overlamna/<int:item_id>/",
        views.item_hand_over_view,
        name="disposal_item_hand_over",
    ),
]
