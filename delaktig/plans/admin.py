from __future__ import annotations

from django.contrib import admin

from .models import PlanTemplate


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin[PlanTemplate]):
    """Plan templates (R-PLAN-13): headings, help texts and examples per section.

    ``sections`` is JSON: ``{"interventions": {"heading": "…", "help": "…",
    "example": "…"}, …}``; keys not given keep the built-in text. Plans themselves
    are not edited here: every read of a plan is logged in the staff pages.
    """

    list_display = ["name", "code", "municipality"]
    list_filter = ["municipality"]
