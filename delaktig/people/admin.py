from __future__ import annotations

from django.contrib import admin

from .models import InterventionType


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin[InterventionType]):
    """The intervention catalogue. Persons and cases are handled in the staff pages,
    where every read is logged — not in the admin."""

    list_display = ["name", "code", "field"]
    list_filter = ["field"]
    search_fields = ["name", "code"]
