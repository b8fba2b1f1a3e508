"""Delaktig's own user model, in the table Django's ``auth.User`` left behind.

The model took over ``auth_user`` and its two link tables under their old names, so
the switch moved no data: ids, passwords, group and permission links and every
foreign key (memberships, audit events, signatures, …) are the rows they were.
See docs/upgrading.md for how an existing database adopts it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A member of staff. The fields below are for single sign-on (issue 8)."""

    # Same tables and columns as auth.User's: only the db_table is spelled out.
    # (django-stubs types the base class's managers loosely, hence the ignores.)
    groups = models.ManyToManyField(  # type: ignore[assignment]
        Group,
        verbose_name="grupper",
        blank=True,
        help_text="Grupperna användaren tillhör. Användaren får alla behörigheter som "
        "ges till var och en av grupperna.",
        related_name="user_set",
        related_query_name="user",
        db_table="auth_user_groups",
    )
    user_permissions = models.ManyToManyField(  # type: ignore[assignment]
        Permission,
        verbose_name="användarbehörigheter",
        blank=True,
        help_text="Specifika behörigheter för den här användaren.",
        related_name="user_set",
        related_query_name="user",
        db_table="auth_user_user_permissions",
    )

    external_subject = models.CharField(
        "externt användar-id",
        max_length=255,
        blank=True,
        default="",
        help_text="Subjektet (sub/NameID) från inloggningstjänsten via OpenID Connect eller "
        "SAML. Tomt tills användaren loggar in med enkel inloggning.",
    )
    hsa_id = models.CharField(
        "HSA-id",
        max_length=64,
        blank=True,
        default="",
        help_text="Användarens id i HSA-katalogen, om hon eller han har ett.",
    )
    employee_number = models.CharField("anställningsnummer", max_length=32, blank=True, default="")

    class Meta:
        db_table = "auth_user"
        verbose_name = "användare"
        verbose_name_plural = "användare"
        constraints = [
            # Unique when set; any number of users may still have none.
            models.UniqueConstraint(
                fields=["external_subject"],
                condition=~Q(external_subject=""),
                name="accounts_user_external_subject_unique",
                violation_error_message="Det externa användar-id:t hör redan till en annan "
                "användare.",
            ),
            models.UniqueConstraint(
                fields=["hsa_id"],
                condition=~Q(hsa_id=""),
                name="accounts_user_hsa_id_unique",
                violation_error_message="HSA-id:t hör redan till en annan användare.",
            ),
        ]
