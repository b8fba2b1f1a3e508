"""Delaktig's own user model (issue 8): the sign-on ids, unique when set, and its admin."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from delaktig.accounts.models import User
from tests.fixtures import client_for
from tests.views.helpers import page, text
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


def test_the_user_model_is_delaktigs_own_in_the_old_tables() -> None:
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model() is User
    assert User._meta.db_table == "auth_user"
    assert User.groups.through._meta.db_table == "auth_user_groups"
    assert User.user_permissions.through._meta.db_table == "auth_user_user_permissions"
    assert {f.column for f in User.groups.through._meta.fields} == {"id", "user_id", "group_id"}
    assert ContentType.objects.get_for_model(User).app_label == "accounts"


@pytest.mark.parametrize("field", ["external_subject", "hsa_id"])
def test_a_sign_on_id_is_unique_when_set(field: str) -> None:
    User.objects.create_user("first", **{field: "SE2321000016-A1B2"})

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("second", **{field: "SE2321000016-A1B2"})

    other = User(username="third", **{field: "SE2321000016-A1B2"})
    with pytest.raises(ValidationError) as raised:
        other.validate_constraints()
    assert "hör redan till en annan användare" in str(raised.value)


@pytest.mark.parametrize("field", ["external_subject", "hsa_id", "employee_number"])
def test_any_number_of_users_may_leave_a_sign_on_id_blank(field: str) -> None:
    for n in range(3):
        User.objects.create_user(f"user{n}", **{field: ""})

    assert User.objects.filter(**{field: ""}).count() == 3
    User(username="fourth").validate_constraints()  # no ValidationError


def test_employee_numbers_may_repeat() -> None:
    User.objects.create_user("first", employee_number="1234")
    User.objects.create_user("second", employee_number="1234")

    assert User.objects.filter(employee_number="1234").count() == 2


def test_the_new_fields_have_swedish_names() -> None:
    names = {f: str(User._meta.get_field(f).verbose_name) for f in ("external_subject", "hsa_id")}
    assert names == {"external_subject": "externt användar-id", "hsa_id": "HSA-id"}
    assert str(User._meta.get_field("employee_number").verbose_name) == "anställningsnummer"
    assert str(User._meta.verbose_name_plural) == "användare"


@pytest.fixture
def root(world: World) -> Client:
    User.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    return client_for("root")


def test_the_admin_lists_the_users(world: World, root: Client) -> None:
    response = root.get(USERS)

    assert response.status_code == 200
    html = page(response)

    assert world.alice.username in html
    assert "Välj användare att ändra" in text(html)


def test_the_admin_change_page_of_a_user_renders(world: World, root: Client) -> None:
    world.bob.hsa_id = "SE2321000016-B0B1"
    world.bob.save(update_fields=["hsa_id"])

    response = root.get(f"{USERS}{world.bob.pk}/change/")

    assert response.status_code == 200
    html = page(response)

    for heading in ("Personuppgifter", "Enkel inloggning och kataloger", "Behörigheter"):
        assert heading in html
    for label in ("Externt användar-id", "HSA-id", "Anställningsnummer"):
        assert label in html
    assert 'value="SE2321000016-B0B1"' in html
    assert 'name="external_subject"' in html and 'name="employee_number"' in html


def test_the_admin_refuses_an_hsa_id_that_another_user_has(world: World, root: Client) -> None:
    world.alice.hsa_id = "SE2321000016-A11C"
    world.alice.save(update_fields=["hsa_id"])
    bob = world.bob
    form = {
        "username": bob.username,
        "first_name": bob.first_name,
        "last_name": bob.last_name,
        "email": "",
        "external_subject": "",
        "hsa_id": "SE2321000016-A11C",
        "employee_number": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }

    response = root.post(f"{USERS}{bob.pk}/change/", form)

    assert response.status_code == 200
    assert "HSA-id:t hör redan till en annan användare." in response.content.decode()
    bob.refresh_from_db()
    assert bob.hsa_id == ""
