"""Disposal, gallring (R-ARC-3; SoL 12 kap. 1–2 §§ as cited in S0/S3)."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig.rules import (
    InvalidPersonnummer,
    disposal_date,
    generate_personnummer,
    in_research_sample,
    parse_personnummer,
)

ORDINARY = generate_personnummer(date(1950, 3, 14), 123)  # born on the 14th
SAMPLE = generate_personnummer(date(1950, 3, 15), 123)  # born on the 15th
BROKEN = ORDINARY[:-1] + str((int(ORDINARY[-1]) + 1) % 10)  # wrong check digit
SAMORDNING_SAMPLE = generate_personnummer(date(1980, 7, 25), 456, samordning=True)

entries = st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31))
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))


def test_five_years_after_last_entry_by_default() -> None:
    """R-ARC-3: "gallring fem år efter det att sista anteckningen gjordes i akten"."""
    assert disposal_date(date(2024, 5, 17), ORDINARY) == date(2029, 5, 17)


def test_leap_day_moves_to_february_28() -> None:
    assert disposal_date(date(2024, 2, 29), ORDINARY) == date(2029, 2, 28)
    assert disposal_date(date(2024, 2, 29), ORDINARY, retention_years=4) == date(2028, 2, 29)


@pytest.mark.parametrize("day", [5, 15, 25])
def test_research_sample_is_never_disposed(day: int) -> None:
    """R-ARC-3, 12 kap. 2 § SoL: persons born on the 5th, 15th and 25th are kept."""
    number = generate_personnummer(date(1950, 3, day), 123)
    assert in_research_sample(number)
    assert disposal_date(date(2024, 5, 17), number) is None


def test_samordningsnummer_uses_the_real_day() -> None:
    """R-ARC-3: for a samordningsnummer the day of birth is the written day minus 60."""
    assert SAMORDNING_SAMPLE[6:8] == "85"
    assert disposal_date(date(2024, 1, 1), SAMORDNING_SAMPLE) is None
    ordinary_samordning = generate_personnummer(date(1980, 7, 6), 1, samordning=True)
    assert disposal_date(date(2024, 1, 1), ordinary_samordning) == date(2029, 1, 1)


def test_research_sample_can_be_switched_off() -> None:
    assert disposal_date(date(2024, 5, 17), SAMPLE, keep_research_sample=False) == date(2029, 5, 17)


def test_keep_all_never_disposes() -> None:
    """R-ARC-3: categories/municipalities that keep everything."""
    assert disposal_date(date(2024, 5, 17), ORDINARY, keep_all=True) is None


def test_accepts_a_parsed_personnummer() -> None:
    assert disposal_date(date(2024, 5, 17), parse_personnummer(SAMPLE)) is None
    assert in_research_sample(parse_personnummer(SAMPLE))
    assert not in_research_sample(ORDINARY)


@pytest.mark.parametrize("years", [0, -5, False])
def test_retention_must_be_at_least_one_year(years: int) -> None:
    with pytest.raises(ValueError, match="minst ett år"):
        disposal_date(date(2024, 5, 17), ORDINARY, retention_years=years)


@pytest.mark.parametrize("keep", [True, False])
def test_invalid_personnummer_is_always_rejected(keep: bool) -> None:
    with pytest.raises(InvalidPersonnummer):
        disposal_date(date(2024, 5, 17), BROKEN, keep_research_sample=keep)


@given(entries, birth_dates, st.integers(1, 999), st.integers(1, 50), st.booleans())
def test_disposal_property(
    last_entry: date, birth: date, serial: int, years: int, samordning: bool
) -> None:
    """R-ARC-3: None exactly for the research sample, otherwise same day `years` later."""
    number = generate_personnummer(birth, serial, samordning=samordning)
    result = disposal_date(last_entry, number, retention_years=years)
    if birth.day in (5, 15, 25):
        assert result is None
        return
    assert result is not None
    assert (result.year, result.month) == (last_entry.year + years, last_entry.month)
    leap_day_lost = last_entry.day == 29 and last_entry.month == 2
    expected_day = 28 if leap_day_lost and not calendar.isleap(result.year) else last_entry.day
    assert result.day == expected_day
    assert disposal_date(last_entry, number, retention_years=years, keep_research_sample=False) == (
        result
    )
