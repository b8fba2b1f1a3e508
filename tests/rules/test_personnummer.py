"""Personnummer and samordningsnummer (R-CASE-1)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.se import personnummer as stdnum_pnr

from delaktig.rules import (
    InvalidPersonnummer,
    Personnummer,
    generate_personnummer,
    parse_personnummer,
    swedish_today,
    valid_personnummer,
)
from delaktig.rules.personnummer import luhn_check_digit

TODAY = date(2025, 6, 1)
birth_dates = st.dates(min_value=date(1890, 1, 1), max_value=TODAY)
serials = st.integers(1, 999)


@pytest.mark.parametrize(
    "value",
    [
        "811218-9876",
        "8112189876",
        "19811218-9876",
        "198112189876",
        "  811218-9876 ",
        "640823-3234",
        "121212+1212",  # 1912, over 100 years old
        "19121212-1212",
        "701063-2391",  # samordningsnummer, born 3 Oct 1970
    ],
)
def test_valid_forms(value: str) -> None:
    """R-CASE-1: all accepted forms."""
    assert valid_personnummer(value, today=TODAY)


def test_parse_fields() -> None:
    number = parse_personnummer("811218-9876", today=TODAY)
    assert number.birth_date == date(1981, 12, 18)
    assert number.serial == "9876"
    assert number.is_samordningsnummer is False
    assert number.canonical == "19811218-9876"
    assert number.birth_day_of_month == 18
    assert str(number) == "19811218-9876"


def test_samordningsnummer_fields() -> None:
    """R-CASE-1: samordningsnummer has the day of birth + 60."""
    number = parse_personnummer("701063-2391", today=TODAY)
    assert number.is_samordningsnummer
    assert number.birth_date == date(1970, 10, 3)
    assert number.birth_day_of_month == 3
    assert number.canonical == "19701063-2391"


def test_repr_hides_the_number() -> None:
    """R-LIFE-8: nothing sensitive in logs."""
    number = parse_personnummer("811218-9876", today=TODAY)
    assert "9876" not in repr(number)
    assert "1981" not in repr(number)


@pytest.mark.parametrize(
    ("value", "today", "year"),
    [
        ("121212-1212", date(2025, 1, 1), 2012),
        ("121212+1212", date(2025, 1, 1), 1912),
        ("251231-0010", date(2025, 12, 31), 2025),  # born today: not in the future
        ("250601-0010", date(2025, 5, 31), 1925),  # tomorrow in 2025 -> 1925
        ("000229-0010", date(2025, 1, 1), 2000),
        # '+' from the start of the year one turns 100 (folkbokföringslagen 18 §):
        ("260501+1234", date(2026, 3, 1), 1926),  # the example, not 1826
        ("260501+1234", date(2026, 5, 1), 1926),
        ("261231+1234", date(2026, 1, 1), 1926),
        ("270101+1234", date(2026, 12, 31), 1827),  # 1927 turns 100 only next year
        ("990101+1234", date(2026, 6, 1), 1899),
    ],
)
def test_century_is_most_recent_non_future_year(value: str, today: date, year: int) -> None:
    """R-CASE-1: '-' is the most recent year not in the future; '+' the most recent
    year at least 100 years before this year."""
    digits = value.replace("-", "").replace("+", "")
    check = luhn_check_digit(digits[:9])
    value = value[:-1] + str(check)
    assert parse_personnummer(value, today=today).birth_date.year == year


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("811218-987", "length", "10 eller 12 siffror"),
        ("81121898765", "length", "men har 11"),
        ("", "length", "men har 0"),
        ("811218 9876", "characters", "bara innehålla siffror"),
        ("81121A-9876", "characters", "bara innehålla siffror"),
        ("8112-189876", "characters", "fyra sista"),
        ("811218--9876", "characters", "fyra sista"),
        ("19811218+9876", "characters", "tiosiffriga"),
        ("811318-9876", "date", "giltigt datum"),  # month 13
        ("810230-9876", "date", "giltigt datum"),  # 30 February
        ("19000229-0000", "date", "giltigt datum"),  # 1900 was not a leap year
        ("000229+0000", "date", "giltigt datum"),  # '+' -> 1900
        ("811292-9876", "date", "giltigt datum"),  # day 92 - 60 = 32
        ("811260-9876", "date", "giltigt datum"),  # day 60 is neither
        ("811200-9876", "date", "giltigt datum"),
        ("20300101-0000", "future", "framtiden"),
        ("811218-9875", "checksum", "Kontrollsiffran"),
    ],
)
def test_invalid_numbers_name_the_problem(value: str, code: str, words: str) -> None:
    """R-CASE-1: a clear Swedish message naming what is wrong."""
    with pytest.raises(InvalidPersonnummer, match=words) as caught:
        parse_personnummer(value, today=TODAY)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert not valid_personnummer(value, today=TODAY)


def test_error_messages_do_not_repeat_the_number() -> None:
    """R-LIFE-8: the value never appears in the message (it may end up in logs)."""
    for value in ("811218-9875", "811318-9876", "20300101-0000"):
        with pytest.raises(InvalidPersonnummer) as caught:
            parse_personnummer(value, today=TODAY)
        assert "9875" not in str(caught.value)
        assert "811318" not in str(caught.value)
        assert "2030" not in str(caught.value)


def test_year_before_calendar_start_is_invalid() -> None:
    """Century inference may run off the calendar for a very early 'today'."""
    with pytest.raises(InvalidPersonnummer) as caught:
        parse_personnummer("900101+0000", today=date(50, 1, 1))
    assert caught.value.code == "date"


def test_default_today_is_today_in_sweden() -> None:
    assert valid_personnummer("811218-9876")
    assert valid_personnummer(generate_personnummer(swedish_today() - timedelta(days=2), 1))
    assert not valid_personnummer(generate_personnummer(swedish_today() + timedelta(days=2), 1))


def test_generate_examples() -> None:
    assert generate_personnummer(date(1981, 12, 18), 987) == "19811218-9876"
    assert generate_personnummer(date(1970, 10, 3), 239, samordning=True) == "19701063-2391"
    check = luhn_check_digit("010105001")
    assert generate_personnummer(date(2001, 1, 5), 1) == f"20010105-001{check}"


@pytest.mark.parametrize("serial", [-1, 0, 1000, True])
def test_generate_rejects_bad_serials(serial: int) -> None:
    with pytest.raises(ValueError, match="1 och 999"):
        generate_personnummer(date(1981, 12, 18), serial)


@given(birth_dates, serials, st.booleans())
def test_generate_parse_round_trip(birth: date, serial: int, samordning: bool) -> None:
    """R-CASE-1: generated numbers parse back to the same date, serial and kind."""
    value = generate_personnummer(birth, serial, samordning=samordning)
    number = parse_personnummer(value, today=TODAY)
    assert number.birth_date == birth
    assert number.is_samordningsnummer is samordning
    assert number.canonical == value
    assert number.serial[:3] == f"{serial:03d}"
    assert number.birth_day_of_month == birth.day


@given(birth_dates, serials)
def test_ten_digit_forms_infer_the_right_century(birth: date, serial: int) -> None:
    """R-CASE-1: YYMMDD-NNNN / YYMMDD+NNNN resolve to the real birth year."""
    canonical = generate_personnummer(birth, serial)
    age_100 = birth <= date(TODAY.year - 100, TODAY.month, TODAY.day)
    short = canonical[2:8] + ("+" if age_100 else "-") + canonical[9:]
    assert parse_personnummer(short, today=TODAY).birth_date == birth
    assert parse_personnummer(short.replace("-", ""), today=TODAY).birth_date == birth
    assert parse_personnummer(canonical.replace("-", ""), today=TODAY).birth_date == birth


@given(birth_dates, serials, st.integers(0, 9), st.integers(1, 9))
def test_any_single_digit_change_breaks_the_checksum_or_date(
    birth: date, serial: int, position: int, delta: int
) -> None:
    """R-CASE-1: the Luhn check detects every single-digit error in the ten-digit form."""
    value = generate_personnummer(birth, serial).replace("-", "")[2:]
    digits = list(value)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    assert luhn_check_digit(changed[:9]) != int(changed[9])
    assert not valid_personnummer(changed[:6] + "-" + changed[6:], today=TODAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), birth_dates, serials)
def test_future_birth_dates_are_rejected(today: date, birth: date, serial: int) -> None:
    """R-CASE-1: a birth date after today is invalid; on or before today is valid."""
    value = generate_personnummer(birth, serial)
    assert valid_personnummer(value, today=today) is (birth <= today)


@pytest.mark.parametrize("year", [1900, 1996, 2000, 2023, 2024])
def test_leap_day_only_in_leap_years(year: int) -> None:
    """R-CASE-1: February 29 exists only in leap years."""
    nine = f"{year % 100:02d}0229001"
    value = f"{year}0229-001{luhn_check_digit(nine)}"
    assert valid_personnummer(value, today=TODAY) is calendar.isleap(year)


def test_personnummer_is_a_value() -> None:
    first = Personnummer(date(1981, 12, 18), "9876")
    assert first == parse_personnummer("811218-9876", today=TODAY)
    assert hash(first) == hash(parse_personnummer("19811218-9876", today=TODAY))


def _with_check(nine: str) -> str:
    return nine + str(luhn_check_digit(nine))


@pytest.mark.parametrize("samordning", [False, True])
@pytest.mark.parametrize("form", ["long", "short", "plain"])
def test_birth_number_000_is_invalid(samordning: bool, form: str) -> None:
    """R-CASE-1: the birth number (digits 7–9) is 001–999, for samordningsnummer too."""
    day = 18 + (60 if samordning else 0)
    ten = _with_check(f"8112{day}000")
    value = {"long": f"19{ten[:6]}-{ten[6:]}", "short": f"{ten[:6]}-{ten[6:]}", "plain": ten}[form]
    with pytest.raises(InvalidPersonnummer, match="001–999") as caught:
        parse_personnummer(value, today=TODAY)
    assert caught.value.code == "birth_number"
    one = _with_check(f"8112{day}001")
    assert valid_personnummer(f"{one[:6]}-{one[6:]}", today=TODAY)


@given(
    st.dates(min_value=date(1800, 1, 1), max_value=date(2199, 12, 31)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
    serials,
)
def test_plus_means_this_year_or_earlier_one_turns_100(
    birth: date, today: date, serial: int
) -> None:
    """R-CASE-1: 'YYMMDD+NNNN' is the person of that day who turns 100 this year or
    turned 100 in the century before; 'YYMMDD-NNNN' anyone of that day born since,
    up to today."""
    canonical = generate_personnummer(birth, serial)
    plus = canonical[2:8] + "+" + canonical[9:]
    minus = canonical[2:8] + "-" + canonical[9:]
    if today.year - 200 < birth.year <= today.year - 100:
        assert parse_personnummer(plus, today=today).birth_date == birth
    if today.year - 100 < birth.year and birth <= today:
        assert parse_personnummer(minus, today=today).birth_date == birth


# --- a second opinion: python-stdnum (it has no samordningsnummer and no date bound) -----

# stdnum reckons the century from the machine's own date.
STDNUM_TODAY = date.today()  # noqa: DTZ011


@given(st.dates(min_value=date(1900, 1, 1), max_value=STDNUM_TODAY), serials)
def test_stdnum_agrees_on_valid_numbers_and_their_birth_dates(birth: date, serial: int) -> None:
    """R-CASE-1: for a personnummer (not a samordningsnummer) born on or before today,
    python-stdnum accepts what we make and reads the same birth date from every form,
    the ten-digit one with the separator the year rule gives."""
    today = STDNUM_TODAY
    canonical = generate_personnummer(birth, serial)
    separator = "+" if birth.year <= today.year - 100 else "-"
    short = canonical[2:8] + separator + canonical[9:]
    for value in (canonical, canonical.replace("-", ""), short):
        assert stdnum_pnr.is_valid(value), value
        assert stdnum_pnr.get_birth_date(value) == birth
        assert parse_personnummer(value, today=today).birth_date == birth


@given(st.from_regex(r"\A[0-9]{6}[-+][0-9]{4}\Z"))
def test_stdnum_agrees_on_any_ten_digit_number_where_it_applies(value: str) -> None:
    """R-CASE-1: on random ten-digit numbers, where stdnum's rules apply (no day over
    31, which it lacks for samordningsnummer; a past date; birth number not 000,
    which it does not check), it accepts exactly what we accept."""
    today = STDNUM_TODAY
    if int(value[4:6]) > 31 or value[7:10] == "000":
        return
    try:
        ours = parse_personnummer(value, today=today)
    except InvalidPersonnummer as error:
        if error.code == "future":
            return
        assert not stdnum_pnr.is_valid(value), (value, error.code)
    else:
        assert stdnum_pnr.is_valid(value), value
        assert stdnum_pnr.get_birth_date(value) == ours.birth_date
