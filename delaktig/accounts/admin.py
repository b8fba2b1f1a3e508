"""The user in the admin: Django's UserAdmin with Swedish headings and the sign-on ids."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personuppgifter", {"fields": ("first_name", "last_name", "email")}),
        (
            "Enkel inloggning och kataloger",
            {"fields": ("external_subject", "hsa_id", "employee_number")},
        ),
        (
            "Behörigheter",
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        ("Viktiga datum", {"fields": ("last_login", "date_joined")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "hsa_id", "is_staff")
    search_fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "hsa_id",
        "employee_number",
        "external_subject",
    )
