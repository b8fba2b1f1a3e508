"""Swedish personal identity numbers, *personnummer* and *samordningsnummer* (R-CASE-1).

Accepted forms (surrounding whitespace is ignored):

* ``YYMMDD-NNNN`` and ``YYMMDDNNNN`` – the century is inferred: the most recent
  year that does not put the birth date in the future;
* ``YYMMDD+NNNN`` – a person in or past the year they turn 100: the most recent
  year at least one hundred years before this year ("Det år en person fyller 100
  år byts bindestrecket … ut mot ett plustecken", folkbokföringslagen 18 § andra
  stycket, Skatteverkets rättsliga vägledning), so ``260501+1234`` read on
  2026-03-01 is born 1926-05-01;
* ``YYYYMMDDNNNN`` and ``YYYYMMDD-NNNN``.

Digits 7–9 of the ten-digit form, the birth number (*födelsenummer*), are 001–999,
for a samordningsnummer too. The last digit is a Luhn check digit over the
ten-digit form. In a *samordningsnummer* (coordination number) 60 is added to the
day of birth. Birth dates must exist and must not lie in the future.

A personnummer is sensitive (R-LIFE-8): :class:`Personnummer` hides it in its
``repr`` and error messages never repeat the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .dates import swedish_today

__all__ = [
    "InvalidPersonnummer",
    "Personnummer",
    "generate_personnummer",
    "luhn_check_digit",
    "parse_personnummer",
    "valid_personnummer",
]

SAMORDNING_OFFSET = 60

_ALLOWED = re.compile(r"[0-9+-]*")
_SHAPE = re.compile(r"(?P<date>\d{6}|\d{8})(?P<sep>[-+]?)(?P<serial>\d{4})")


class InvalidPersonnummer(ValueError):
    """Raised by :func:`parse_personnummer`; ``code`` says what is wrong.

    ``code`` is one of ``"characters"``, ``"length"``, ``"date"``, ``"future"``,
    ``"birth_number"`` or ``"checksum"``; the message (``str(error)``) is plain Swedish.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Personnummer:
    """A validated personnummer or samordningsnummer.

    ``birth_date`` is the real birth date (for a samordningsnummer the day
    minus 60); ``serial`` is the last four digits (birth number + check digit).
    """

    birth_date: date
    serial: str
    is_samordningsnummer: bool = False

    @property
    def birth_day_of_month(self) -> int:
        """The real day of birth (a samordningsnummer's day minus 60)."""
        return self.birth_date.day

    @property
    def canonical(self) -> str:
        """Twelve digits with a dash, ``YYYYMMDD-NNNN`` (day + 60 for samordningsnummer)."""
        day = self.birth_date.day + (SAMORDNING_OFFSET if self.is_samordningsnummer else 0)
        return f"{self.birth_date.year:04d}{self.birth_date.month:02d}{day:02d}-{self.serial}"

    def __str__(self) -> str:
        return self.canonical

    def __repr__(self) -> str:
        return "Personnummer(<dolt>)"


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn check digit for the first nine digits of the ten-digit form."""
    total = 0
    for position, char in enumerate(nine_digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _resolve_year(yy: int, month: int, day: int, plus: bool, today: date) -> int:
    """The year of a ten-digit number.

    With '+': the most recent year ending in ``yy`` that is at least 100 years before
    this year (the '+' is written from the start of the year one turns 100). With '-'
    or none: the most recent year that does not put the birth date in the future.
    """
    if plus:
        latest = today.year - 100
        return latest - (latest - yy) % 100
    year = today.year - (today.year - yy) % 100
    if year == today.year and (month, day) > (today.month, today.day):
        year -= 100
    return year


def parse_personnummer(value: str, *, today: date | None = None) -> Personnummer:
    """Parse and validate ``value``; raise :class:`InvalidPersonnummer` if it is wrong.

    ``today`` (default: today in Sweden) decides the century of ten-digit forms
    and which dates lie in the future.
    """
    today = swedish_today() if today is None else today
    text = value.strip()
    if not _ALLOWED.fullmatch(text):
        raise InvalidPersonnummer(
            "characters",
            "Personnumret får bara innehålla siffror och ett bindestreck eller plustecken "
            "före de fyra sista siffrorna.",
        )
    digits = text.replace("-", "").replace("+", "")
    if len(digits) not in (10, 12):
        raise InvalidPersonnummer(
            "length",
            f"Personnumret ska ha 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDD-NNNN), "
            f"men har {len(digits)}.",
        )
    shape = _SHAPE.fullmatch(text)
    if shape is None or (len(digits) == 12 and shape["sep"] == "+"):
        raise InvalidPersonnummer(
            "characters",
            "Bindestreck eller plustecken får bara stå före de fyra sista siffrorna, "
            "och plustecken bara i den tiosiffriga formen.",
        )
    date_part, serial = shape["date"], shape["serial"]
    month, written_day = int(date_part[-4:-2]), int(date_part[-2:])
    samordning = written_day > SAMORDNING_OFFSET
    day = written_day - SAMORDNING_OFFSET if samordning else written_day
    if len(date_part) == 8:
        year = int(date_part[:4])
    else:
        year = _resolve_year(int(date_part[:2]), month, day, shape["sep"] == "+", today)
    try:
        birth_date = date(year, month, day)
    except ValueError:
        raise InvalidPersonnummer(
            "date",
            "Datumdelen i personnumret är inte ett giltigt datum "
            "(månad 01–12 och en dag som finns i månaden, 61–91 för samordningsnummer).",
        ) from None
    if birth_date > today:
        raise InvalidPersonnummer("future", "Födelsedatumet i personnumret ligger i framtiden.")
    if digits[-4:-1] == "000":
        raise InvalidPersonnummer(
            "birth_number",
            "Födelsenumret (de tre siffrorna efter datumet) ska vara 001–999, inte 000.",
        )
    if luhn_check_digit(digits[-10:-1]) != int(digits[-1]):
        raise InvalidPersonnummer(
            "checksum",
            "Kontrollsiffran (sista siffran) stämmer inte – "
            "kontrollera att numret är rätt skrivet.",
        )
    return Personnummer(birth_date=birth_date, serial=serial, is_samordningsnummer=samordning)


def valid_personnummer(value: str, *, today: date | None = None) -> bool:
    """True if :func:`parse_personnummer` accepts ``value``."""
    try:
        parse_personnummer(value, today=today)
    except InvalidPersonnummer:
        return False
    return True


def generate_personnummer(birth_date: date, serial3: int, *, samordning: bool = False) -> str:
    """A valid number in canonical form ``YYYYMMDD-NNNN`` with a computed check digit.

    ``serial3`` is the three-digit birth number (1–999). Used by demo data and tests.
    """
    if isinstance(serial3, bool) or not 1 <= serial3 <= 999:
        raise ValueError("Födelsenumret måste vara ett heltal mellan 1 och 999.")
    day = birth_date.day + (SAMORDNING_OFFSET if samordning else 0)
    ten = f"{birth_date.year % 100:02d}{birth_date.month:02d}{day:02d}{serial3:03d}"
    check = luhn_check_digit(ten)
    return f"{birth_date.year:04d}{birth_date.month:02d}{day:02d}-{serial3:03d}{check}"
