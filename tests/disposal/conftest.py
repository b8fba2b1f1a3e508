"""Fixtures of the disposal tests: a municipality whose files closed at different times."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

from delaktig.core.types import User
from delaktig.organisation.models import Membership, Role
from tests.disposal.files import TODAY, File, close, open_file, pnr
from tests.world import World, make_user


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


@pytest.fixture
def files(world: World, today: date) -> Files:
    six = date(2019, 2, 4)
    due = open_file(world, personnummer=pnr(1940, 3, 21), first_name="Gunvor", start=six)
    close(due, date(2020, 2, 3))
    recent = open_file(
        world, personnummer=pnr(1941, 4, 22), first_name="Rut", start=date(2021, 2, 1)
    )
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
