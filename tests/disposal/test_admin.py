"""The retention settings are admin-edited and every change is audited (R-ARC-3)."""

from __future__ import annotations

import pytest
from django.test import Client

from delaktig.core.types import User
from delaktig.disposal.models import RetentionPolicy
from delaktig.organisation.models import Field
from delaktig.records.audit import verify_chain
from delaktig.records.models import AuditEvent
from tests.fixtures import client_for
from tests.views.helpers import page
from tests.world import PASSWORD, World

POLICIES = "/admin/disposal/retentionpolicy/"


@pytest.fixture
def root(world: World) -> Client:
    User.objects.create_superuser("root", "root@example.invalid", PASSWORD)
    return client_for("root")


def _form(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "municipality": world.municipality.pk,
        "retention_years": 5,
        "keep_research_sample": "on",
        "keep_fields": [],
        "keep_intervention_types": [],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_setting_is_created_and_changed_with_audit_events(world: World, root: Client) -> None:
    response = root.post(
        f"{POLICIES}add/",
        _form(world, retention_years=2, keep_fields=[Field.DISABILITY.value]),
    )
    assert response.status_code == 302, page(response)
    policy = RetentionPolicy.objects.get()
    assert (policy.retention_years, policy.keep_fields) == (2, [Field.DISABILITY.value])
    created = AuditEvent.objects.get(action="retention_policy.changed")
    assert created.data["before"] is None and created.data["after"]["retention_years"] == 2

    response = root.post(
        f"{POLICIES}{policy.pk}/change/",
        _form(
            world,
            retention_years=2,
            keep_research_sample=None,
            keep_fields=[Field.DISABILITY.value],
            keep_intervention_types=[world.types["korttidsvistelse"].pk],
        ),
    )
    assert response.status_code == 302, page(response)
    changed = AuditEvent.objects.filter(action="retention_policy.changed").order_by("-seq")[0]
    assert changed.data["before"]["keep_research_sample"] is True
    assert changed.data["after"]["keep_research_sample"] is False
    assert changed.data["after"]["keep_intervention_types"] == ["korttidsvistelse"]
    assert changed.actor_id == User.objects.get(username="root").pk
    assert verify_chain().ok


def test_the_years_must_be_at_least_one(world: World, root: Client) -> None:
    response = root.post(f"{POLICIES}add/", _form(world, retention_years=0))
    assert response.status_code == 200
    assert not RetentionPolicy.objects.exists()


def test_settings_cannot_be_deleted(world: World, root: Client) -> None:
    policy = RetentionPolicy.objects.create(municipality=world.municipality)
    assert root.get(f"{POLICIES}{policy.pk}/delete/").status_code in (302, 403)
    assert RetentionPolicy.objects.filter(pk=policy.pk).exists()


def test_disposal_records_are_read_only_in_the_admin(world: World, root: Client) -> None:
    assert root.get("/admin/disposal/disposalrecord/").status_code == 200
    assert root.get("/admin/disposal/disposalrecord/add/").status_code == 403


def test_a_local_research_sample_decision_needs_a_reason_and_is_audited(
    world: World, root: Client
) -> None:
    """R-ARC-3: overriding what the kommunkod gives is a local decision with a reason."""
    response = root.post(f"{POLICIES}add/", _form(world, research_sample_override="all"))
    assert response.status_code == 200
    assert "Skriv skälet för det lokala beslutet." in page(response)
    assert not RetentionPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action="retention_policy.changed").exists()

    response = root.post(
        f"{POLICIES}add/",
        _form(world, research_sample_override="all", research_sample_reason="KF 2026-11-30 § 12"),
    )
    assert response.status_code == 302, page(response)
    event = AuditEvent.objects.get(action="retention_policy.changed")
    assert event.data["after"]["research_sample"] == "all"
    assert event.data["after"]["research_sample_basis"] == "local_decision"
    assert event.data["after"]["research_sample_reason"] == "KF 2026-11-30 § 12"


def test_the_kommunkod_is_four_digits_and_its_change_is_audited(world: World, root: Client) -> None:
    """R-ARC-3: the kommunkod decides the research sample, so it is validated and audited."""
    url = f"/admin/organisation/municipality/{world.municipality.pk}/change/"
    data = {
        "name": world.municipality.name,
        "routine_profile": world.municipality.routine_profile_id,
    }
    response = root.post(url, {**data, "code": "14a"})
    assert response.status_code == 200
    assert "Kommunkoden ska vara fyra siffror" in page(response)
    world.municipality.refresh_from_db()
    assert world.municipality.code == "9990"
    assert not AuditEvent.objects.filter(action="municipality.changed").exists()

    response = root.post(url, {**data, "code": "1480"})
    assert response.status_code == 302, page(response)
    event = AuditEvent.objects.get(action="municipality.changed")
    assert (event.data["before"]["code"], event.data["after"]["code"]) == ("9990", "1480")
    assert verify_chain().ok


def test_a_units_provider_change_is_audited(world: World, root: Client) -> None:
    url = f"/admin/organisation/unit/{world.nursing_home.pk}/change/"
    response = root.post(
        url,
        {
            "administration": world.administration.pk,
            "name": world.nursing_home.name,
            "field": world.nursing_home.field,
            "provider": "private",
        },
    )
    assert response.status_code == 302, page(response)
    event = AuditEvent.objects.get(action="unit.changed")
    assert event.data["before"]["provider"] == "municipal"
    assert event.data["after"]["provider"] == "private"
