"""Fixtures of the disposal tests: a municipality whose files closed at different times.

The cast (a world and six person files, each a year of work) takes a second or more
to write, and most disposal tests read it, dispose of it or write next to it. A module
that uses it says so with ``pytestmark = pytest.mark.usefixtures("cast_once")``: the
cast is then written once per module (and xdist worker) in a transaction that is rolled
back at the module's end (``tests/shared_db.py``), every test's own transaction is a
savepoint inside it, and ``world`` and ``files`` are the cast's. Each test gets its own
copies of the cast's Python objects, exactly as they were when it was written, so
nothing a test does to them in memory reaches the next test either. A module without
the mark gets a fresh ``world`` per test and no files.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine
from pytest_django import DjangoDbBlocker

from delaktig.core.types import User
from delaktig.organisation.models import Membership, Role
from tests.disposal.files import TODAY, File, close, open_file, pnr
from tests.shared_db import module_transaction
from tests.world import World, build_world, make_user


@dataclass
class Files:
    """The cast of files (dates relative to TODAY = 2026-03-02).

    - ``due``: closed 2020-02-03, six years ago → disposed (five-year rule);
    - ``recent``: closed 2022-02-07, four years ago → kept;
    - ``three``: closed 2023-02-06, three years ago → kept, but goes with a two-year rule;
    - ``research``: born on the 15th, closed six years ago → kept (research sample);
    - ``samordning``: samordningsnummer with day 75 (= the 15th) → kept;
    - ``open``: one case closed six years ago, another still open → never a candidate.
    """

    due: File
    recent: File
    three: File
    research: File
    samordning: File
    open: File

    def all(self) -> list[File]:
        return [self.due, self.recent, self.three, self.research, self.samordning, self.open]


@pytest.fixture
def archivist(world: World) -> User:
    user = make_user("erik", "Erik", "Arkivarie")
    Membership.objects.create(user=user, role=Role.ARCHIVIST, administration=world.administration)
    return user


@pytest.fixture
def today() -> Iterator[date]:
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@dataclass(frozen=True)
class Cast:
    world: World
    files: Files


def _approved(world: World, file: Any) -> None:
    """An approval of changes in the file, so every append-only table has a row.

    Written directly: the home-care routine (S1) asks for no approval, and the
    service's rules are tested in tests/services/test_routine_settings_applied.py.
    """
    from delaktig.plans.models import ChangeApproval, PlanVersion

    version = PlanVersion.objects.filter(plan__case=file.case).order_by("number").first()
    assert version is not None
    ChangeApproval.objects.create(
        version=version,
        municipality_id=version.municipality_id,
        approver="person",
        approver_name=file.person.name,
        approved_on=date(2019, 2, 4),
        how="Muntligt vid besöket",
        content_sha256=version.content_sha256,
        recorded_by=world.alice,
    )


def _write_files(world: World) -> Files:
    """The six files of ``Files``, written with the clock at TODAY (and moved back by each)."""
    six = date(2019, 2, 4)
    due = open_file(world, personnummer=pnr(1940, 3, 21), first_name="Gunvor", start=six)
    _approved(world, due)
    close(due, date(2020, 2, 3))
    recent = open_file(
        world, personnummer=pnr(1941, 4, 22), first_name="Rut", start=date(2021, 2, 1)
    )
    _approved(world, recent)  # two rows: the gate tests delete one, then refuse the rest
    close(recent, date(2022, 2, 7))
    three = open_file(
        world, personnummer=pnr(1945, 9, 24), first_name="Tage", start=date(2022, 1, 10)
    )
    close(three, date(2023, 2, 6))
    research = open_file(
        world, personnummer=pnr(1942, 6, 15), first_name="Sonja", start=six, full=False
    )
    close(research, date(2020, 2, 3))
    samordning = open_file(
        world,
        personnummer=pnr(1943, 7, 15, samordning=True),
        first_name="Amir",
        start=six,
        full=False,
    )
    close(samordning, date(2020, 2, 3))
    still_open = open_file(
        world, personnummer=pnr(1944, 8, 23), first_name="Olle", start=six, full=False
    )
    close(still_open, date(2020, 2, 3))
    with time_machine.travel(date(2024, 5, 6), tick=False):
        from delaktig.people.services import case_open

        case_open(
            person=still_open.person, unit=world.nursing_home, opened_on=date(2024, 5, 6), by=None
        )
    return Files(due, recent, three, research, samordning, still_open)


@pytest.fixture(scope="module")
def cast_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Cast]:
    """The world and its files, written once for the module (see the module docstring).

    The world is written at the real time and the files at TODAY, as the function-scoped
    ``world`` and ``files`` fixtures used to write them for every test.
    """
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_world()
            with time_machine.travel(TODAY, tick=False):
                files = _write_files(world)
            cast = Cast(world=world, files=files)
        yield cast


@pytest.fixture
def cast(request: pytest.FixtureRequest, db: None) -> Cast:
    """This test's copy of the module's cast (a deep copy: same rows, own instances)."""
    if "cast_once" not in request.fixturenames:
        pytest.fail(
            "the disposal cast is shared per module: mark the module with "
            'pytestmark = pytest.mark.usefixtures("cast_once")'
        )
    shared: Cast = request.getfixturevalue("cast_once")
    return copy.deepcopy(shared)


@pytest.fixture
def world(request: pytest.FixtureRequest, db: None) -> World:
    """The cast's world in a module that shares the cast; a fresh one everywhere else."""
    if "cast_once" in request.fixturenames:
        shared: Cast = request.getfixturevalue("cast")
        return shared.world
    return build_world()


@pytest.fixture
def files(cast: Cast, today: date) -> Files:
    return cast.files
