"""Admin: the municipalities' disposal settings (audited) and the disposal records (read only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .forms import RetentionPolicyForm
from .models import DisposalRecord, RetentionPolicy
from .services import retention_policy_changed


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin[RetentionPolicy]):
    form = RetentionPolicyForm
    list_display = ["municipality", "retention_years", "keep_research_sample", "keep_all"]
    filter_horizontal = ["keep_intervention_types"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: RetentionPolicy, form: Any, change: bool
    ) -> None:
        request._retention_before = (  # type: ignore[attr-defined]
            RetentionPolicy.objects.get(pk=obj.pk).snapshot() if change and obj.pk else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        retention_policy_changed(
            policy=form.instance,
            before=getattr(request, "_retention_before", None),
            by=request.user,  # type: ignore[arg-type]
        )


@admin.register(DisposalRecord)
class DisposalRecordAdmin(admin.ModelAdmin[DisposalRecord]):
    """Disposal records are read, never written here (append-only)."""

    list_display = ["executed_at", "municipality", "person_files", "period_from", "period_to"]
    list_filter = ["municipality"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
