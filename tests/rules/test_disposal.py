"""Disposal, gallring (R-ARC-3; SoL 12 kap. 1–2 §§ as cited in S0/S3)."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig.rules import (
    PRIVATE_PROVIDER_RETENTION_YEARS,
    InvalidKommunkod,
    InvalidPersonnummer,
    NeverDisposed,
    ResearchSample,
    disposal_date,
    generate_personnummer,
    hand_over_instead,
    in_research_sample,
    is_overdue,
    latest_disposal_date,
    overdue_if_earliest_before,
    parse_kommunkod,
    parse_personnummer,
    research_sample_scope,
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


# --- the latest date: "avslutad senast kalenderåret efter" (R-ARC-3) -----------------------


def test_the_latest_date_is_new_years_eve_of_the_next_year() -> None:
    """R-ARC-3: the disposal must be done by the end of the calendar year after the earliest."""
    assert latest_disposal_date(date(2025, 2, 3)) == date(2026, 12, 31)
    assert latest_disposal_date(date(2025, 12, 31)) == date(2026, 12, 31)
    assert latest_disposal_date(date(2026, 1, 1)) == date(2027, 12, 31)


def test_a_file_is_overdue_from_the_day_after_the_latest_date() -> None:
    earliest = date(2025, 2, 3)
    assert not is_overdue(earliest, date(2026, 12, 31))
    assert is_overdue(earliest, date(2027, 1, 1))
    assert not is_overdue(earliest, earliest)


@given(entries, entries)
def test_latest_and_overdue_property(earliest: date, on: date) -> None:
    """R-ARC-3: latest ≥ earliest, in the next calendar year; the SQL threshold agrees."""
    latest = latest_disposal_date(earliest)
    assert latest > earliest and latest.year == earliest.year + 1
    assert (latest.month, latest.day) == (12, 31)
    assert is_overdue(earliest, on) == (on > latest)
    assert is_overdue(earliest, on) == (earliest < overdue_if_earliest_before(on))


# --- the research sample by kommunkod (SoF 7 kap. 2 §) -------------------------------------


@pytest.mark.parametrize(
    ("code", "scope"),
    [
        ("0580", ResearchSample.ALL),  # Linköping, Östergötlands län
        ("0980", ResearchSample.ALL),  # Gotland
        ("2281", ResearchSample.ALL),  # Sundsvall, Västernorrlands län
        ("1480", ResearchSample.ALL),  # Göteborg
        ("1481", ResearchSample.BIRTH_DAYS),  # Mölndal, same län as Göteborg
        ("0180", ResearchSample.BIRTH_DAYS),  # Stockholm
        ("0480", ResearchSample.BIRTH_DAYS),  # Nyköping
        ("2380", ResearchSample.BIRTH_DAYS),  # Östersund
    ],
)
def test_the_research_sample_follows_the_kommunkod(code: str, scope: ResearchSample) -> None:
    """R-ARC-3, SoF 7 kap. 2 §: 05, 09, 22 and 1480 keep everything; elsewhere 5, 15, 25."""
    assert research_sample_scope(code) is scope


@pytest.mark.parametrize("code", ["", "148", "14800", "14a0", "١٤٨٠", None])
def test_a_kommunkod_is_four_digits(code: str) -> None:
    with pytest.raises(InvalidKommunkod, match="fyra siffror"):
        research_sample_scope(code)


@given(st.text(alphabet="0123456789", min_size=4, max_size=4))
def test_research_sample_property(code: str) -> None:
    """R-ARC-3: ALL exactly for the three counties and Göteborg."""
    keeps_all = code[:2] in {"05", "09", "22"} or code == "1480"
    assert (research_sample_scope(code) is ResearchSample.ALL) == keeps_all
    assert parse_kommunkod(f" {code}\n") == code


# --- never disposed (12 kap. 2 § SoL) ------------------------------------------------------


@pytest.mark.parametrize("category", list(NeverDisposed))
def test_a_never_disposed_category_keeps_the_file(category: NeverDisposed) -> None:
    """R-ARC-3: paternity, adoption and children placed outside the home are never disposed."""
    assert disposal_date(date(2010, 1, 1), ORDINARY, never_disposed={category}) is None
    assert disposal_date(date(2010, 1, 1), ORDINARY, never_disposed=set()) == date(2015, 1, 1)


# --- private providers (LSS 23 c–d §§) -----------------------------------------------------


def test_a_private_provider_keeps_two_years() -> None:
    assert PRIVATE_PROVIDER_RETENTION_YEARS == 2
    assert disposal_date(
        date(2024, 5, 17), ORDINARY, retention_years=PRIVATE_PROVIDER_RETENTION_YEARS
    ) == date(2026, 5, 17)


def test_a_childs_lss_file_at_a_private_provider_is_handed_over() -> None:
    """R-ARC-3, LSS 23 d §: handed over to the deciding board instead of disposed."""
    child = generate_personnummer(date(2010, 6, 1), 123)
    opened = date(2028, 5, 31)  # the day before the 18th birthday
    assert hand_over_instead(child, private_provider=True, lss=True, first_day=opened)
    assert not hand_over_instead(child, private_provider=True, lss=True, first_day=date(2028, 6, 1))
    assert not hand_over_instead(child, private_provider=False, lss=True, first_day=opened)
    assert not hand_over_instead(child, private_provider=True, lss=False, first_day=opened)
    with pytest.raises(InvalidPersonnummer):
        hand_over_instead(BROKEN, private_provider=False, lss=False, first_day=opened)


@given(birth_dates, entries, st.booleans(), st.booleans())
def test_hand_over_property(birth: date, first_day: date, private: bool, lss: bool) -> None:
    number = generate_personnummer(birth, 7)
    try:
        eighteenth = date(birth.year + 18, birth.month, birth.day)
    except ValueError:  # born on February 29
        eighteenth = date(birth.year + 18, 2, 28)
    child = first_day < eighteenth
    result = hand_over_instead(number, private_provider=private, lss=lss, first_day=first_day)
    assert result == (private and lss and child)
