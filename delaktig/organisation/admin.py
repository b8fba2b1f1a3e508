"""Admin for the organisation, staff and routine profiles (Swedish via verbose names)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from delaktig.people.services import (
    membership_end,
    membership_save,
    routine_profile_version_publish,
)

from .models import (
    Administration,
    InterventionOverride,
    Membership,
    Municipality,
    RoutineProfile,
    RoutineProfileVersion,
    Unit,
)
from .services import organisation_changed, organisation_values


class AuditedChangeMixin:
    """Audits a change of the fields that decide disposal (``services.AUDITED_FIELDS``)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = None
        if change and obj.pk:
            before = organisation_values(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        organisation_changed(obj=obj, before=before, by=request.user)


@admin.register(Municipality)
class MunicipalityAdmin(AuditedChangeMixin, admin.ModelAdmin[Municipality]):
    list_display = ["name", "code", "routine_profile"]
    search_fields = ["name", "code"]


@admin.register(Administration)
class AdministrationAdmin(admin.ModelAdmin[Administration]):
    list_display = ["name", "municipality", "routine_profile"]
    list_filter = ["municipality"]


@admin.register(Unit)
class UnitAdmin(AuditedChangeMixin, admin.ModelAdmin[Unit]):
    list_display = ["name", "field", "provider", "administration", "routine_profile"]
    list_filter = ["field", "provider", "administration"]
    search_fields = ["name"]
    exclude = ["municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "unit", "administration"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]

    # Who may see whose data: every change goes through the services, which audit it.
    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        membership_save(membership=obj, by=request.user)  # type: ignore[arg-type]

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_end(membership=obj, by=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            membership_end(membership=membership, by=request.user)  # type: ignore[arg-type]


class OverrideInline(admin.TabularInline[InterventionOverride, RoutineProfileVersion]):
    model = InterventionOverride
    extra = 0


@admin.register(RoutineProfileVersion)
class RoutineProfileVersionAdmin(admin.ModelAdmin[RoutineProfileVersion]):
    """Versions are added, never edited: a decided routine is a record."""

    list_display = [
        "profile",
        "number",
        "valid_from",
        "establish_within_days",
        "follow_up_interval_months",
    ]
    list_filter = ["profile"]
    inlines = [OverrideInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        routine_profile_version_publish(version=form.instance, by=request.user)  # type: ignore[arg-type]


_VERSION_COLUMNS = (
    "number",
    "valid_from",
    "establish_within_days",
    "follow_up_interval_months",
    "decided_on",
)


class VersionInline(admin.TabularInline[RoutineProfileVersion, RoutineProfile]):
    model = RoutineProfileVersion
    extra = 0
    can_delete = False
    show_change_link = True
    fields = _VERSION_COLUMNS
    readonly_fields = _VERSION_COLUMNS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoutineProfile)
class RoutineProfileAdmin(admin.ModelAdmin[RoutineProfile]):
    list_display = ["name", "municipality", "preset_code"]
    inlines = [VersionInline]
