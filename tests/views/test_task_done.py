"""Marking a task "Klar" (R-LIFE-2): only the task's own user, only by POST.

Another user's task is 404, as if it did not exist (R-LIFE-8).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from delaktig.oversight.models import Task
from tests.fixtures import client_for
from tests.views.helpers import assert_redirects_to_login, page, section
from tests.world import World


@pytest.fixture
def task(world: World, frozen_today: date) -> Task:
    """Bob's task to contact Astrid, who started at home care today."""
    world.add_person(world.home_care, start=date(2026, 3, 2), contact=world.bob)
    return Task.objects.get(user=world.bob)


def done_url(task: Task) -> str:
    return reverse("task_done", args=[task.pk])


def test_bob_marks_his_task_done_and_it_leaves_his_list(world: World, task: Task) -> None:
    bob = client_for("bob")
    assert "Astrid Lind" in section(page(bob.get(reverse("my_persons"))), "tasks-h")

    response = bob.post(done_url(task))

    task.refresh_from_db()
    assert task.done_at is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("my_persons")
    html = page(bob.get(response["Location"]))
    assert "Uppgiften är markerad som klar." in html
    assert 'id="tasks-h"' not in html
    assert "Astrid Lind" in html  # still Bob's person, just no longer a task


@pytest.mark.parametrize(
    "username",
    [
        "alice",  # the unit manager who appointed Bob
        "charlie",  # staff of another unit
    ],
)
def test_it_404s_for_another_user_and_leaves_the_task_open(
    world: World, task: Task, username: str
) -> None:
    response = client_for(username).post(done_url(task))

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_a_task_already_done_is_404(world: World, task: Task) -> None:
    bob = client_for("bob")
    bob.post(done_url(task))
    task.refresh_from_db()
    first_done_at = task.done_at

    assert bob.post(done_url(task)).status_code == 404
    task.refresh_from_db()
    assert task.done_at == first_done_at


def test_an_unknown_task_is_404(world: World, task: Task) -> None:
    response = client_for("bob").post(reverse("task_done", args=[task.pk + 1]))
    assert response.status_code == 404


def test_a_get_changes_nothing_and_leads_back_to_my_persons(world: World, task: Task) -> None:
    """A GET (e.g. the login redirect after an expired session) must not tick the task off."""
    response = client_for("bob").get(done_url(task))

    assert response.status_code == 302
    assert response["Location"] == "/mina-personer/"
    task.refresh_from_db()
    assert task.done_at is None


def test_an_anonymous_post_is_redirected_to_the_login_page(world: World, task: Task) -> None:
    assert_redirects_to_login(Client().post(done_url(task)), done_url(task))
    task.refresh_from_db()
    assert task.done_at is None
