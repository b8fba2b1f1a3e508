"""Disposal (*gallring*) of the person file and its plans (R-ARC-3).

Legal basis (see the "Legal basis" table in ``docs/disposal.md``, which says
which citations are verified): the plan belongs to the person file
(*personakt*), so "de vanliga gallringsreglerna (12 kap. 1 § SoL)" apply, as
the routine S0/S3 cites them: "gallring fem år efter det att sista
anteckningen gjordes i akten". SoL here is socialtjänstlagen (2001:453), the
law the routines cite; it was replaced by socialtjänstlagen (2025:400) on
1 July 2025, whose paragraph numbers are *not verified* here.

What this module decides, without Django:

* the **earliest** disposal date (:func:`disposal_date`, the existing rule)
  and the **latest** (:func:`latest_disposal_date`): "gallringen ska vara
  avslutad senast kalenderåret efter det att gallringsskyldigheten inträdde"
  — 31 December of the year after the earliest date; a file not disposed by
  then is overdue (:func:`is_overdue`);
* the **research sample** (socialtjänstförordningen (2001:937) 7 kap. 2 §) by
  the municipality's four-digit kommunkod (:func:`research_sample_scope`): in
  Östergötlands (05), Gotlands (09) and Västernorrlands (22) län and in
  Göteborgs kommun (1480) everything is kept; elsewhere the files of persons
  born on the 5th, 15th and 25th;
* the **categories that are never disposed** (12 kap. 2 § SoL):
  :class:`NeverDisposed`;
* **private providers** (*enskild verksamhet*): two years
  (:data:`PRIVATE_PROVIDER_RETENTION_YEARS`, LSS 23 c §), and a child's LSS
  file is handed over to the deciding board instead (:func:`hand_over_instead`,
  LSS 23 d §).

These functions only *propose* dates; proposing, approving, executing and
logging the disposal happens elsewhere (R-ARC-3).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from .dates import add_years
from .personnummer import Personnummer, parse_personnummer

__all__ = [
    "KEEP_ALL_COUNTIES",
    "KEEP_ALL_MUNICIPALITIES",
    "PRIVATE_PROVIDER_RETENTION_YEARS",
    "RESEARCH_SAMPLE_DAYS",
    "InvalidKommunkod",
    "NeverDisposed",
    "ResearchSample",
    "disposal_date",
    "hand_over_instead",
    "in_research_sample",
    "is_overdue",
    "latest_disposal_date",
    "overdue_if_earliest_before",
    "parse_kommunkod",
    "research_sample_scope",
]

#: Days of birth whose files are kept for research (SoF 7 kap. 2 §).
RESEARCH_SAMPLE_DAYS = frozenset({5, 15, 25})

#: Län (the kommunkod's first two digits) where every file is kept (SoF 7 kap. 2 §):
#: Östergötland, Gotland, Västernorrland.
KEEP_ALL_COUNTIES = frozenset({"05", "09", "22"})

#: Municipalities where every file is kept (SoF 7 kap. 2 §): Göteborg.
KEEP_ALL_MUNICIPALITIES = frozenset({"1480"})

#: A private provider's person files: two years after the last entry (LSS 23 c §).
PRIVATE_PROVIDER_RETENTION_YEARS = 2

#: Under this age a person is a child (LSS 23 d §: a child's file is handed over).
ADULT_AGE = 18


class InvalidKommunkod(ValueError):
    """A kommunkod that is not four digits; the message is plain Swedish."""


class ResearchSample(StrEnum):
    """What the research sample keeps in a municipality."""

    ALL = "all"  # every file is kept
    BIRTH_DAYS = "birth_days"  # files of persons born on the 5th, 15th, 25th


class NeverDisposed(StrEnum):
    """Files that are never disposed of (12 kap. 2 § SoL (2001:453), as modelled here).

    The first five are what the task and the routine name; ``SUPPORTED_HOUSING``
    (*stödboende*) is added because placements of children there are placements
    "outside the own home" too. Each errs towards keeping a file.
    """

    PATERNITY = "paternity"  # faderskap eller föräldraskap
    ADOPTION = "adoption"
    CHILD_IN_HVB = "child_hvb"  # barn placerat i hem för vård eller boende
    CHILD_IN_FAMILY_HOME = "child_family_home"  # barn placerat i familjehem (jourhem)
    CHILD_IN_PRIVATE_HOME = "child_private_home"  # barn i ett annat enskilt hem
    SUPPORTED_HOUSING = "child_supported_housing"  # barn placerat i stödboende


def parse_kommunkod(value: str) -> str:
    """The kommunkod as four digits, or :class:`InvalidKommunkod`.

    >>> parse_kommunkod(" 0580 ")
    '0580'
    """
    code = value.strip() if isinstance(value, str) else ""
    if len(code) != 4 or not code.isascii() or not code.isdigit():
        raise InvalidKommunkod("Kommunkoden ska vara fyra siffror, till exempel 0180.")
    return code


def research_sample_scope(kommunkod: str) -> ResearchSample:
    """What the research sample keeps in the municipality with this kommunkod.

    >>> research_sample_scope("0580"), research_sample_scope("1480")
    (<ResearchSample.ALL: 'all'>, <ResearchSample.ALL: 'all'>)
    >>> research_sample_scope("0180")
    <ResearchSample.BIRTH_DAYS: 'birth_days'>
    """
    code = parse_kommunkod(kommunkod)
    if code[:2] in KEEP_ALL_COUNTIES or code in KEEP_ALL_MUNICIPALITIES:
        return ResearchSample.ALL
    return ResearchSample.BIRTH_DAYS


def in_research_sample(personnummer: str | Personnummer) -> bool:
    """True if the person is born on the 5th, 15th or 25th (samordningsnummer: day − 60).

    Raises :class:`~delaktig.rules.personnummer.InvalidPersonnummer` for an
    invalid number.
    """
    return _as_personnummer(personnummer).birth_day_of_month in RESEARCH_SAMPLE_DAYS


def _as_personnummer(value: str | Personnummer) -> Personnummer:
    return value if isinstance(value, Personnummer) else parse_personnummer(value)


def disposal_date(
    last_entry: date,
    personnummer: str | Personnummer,
    *,
    retention_years: int = 5,
    keep_research_sample: bool = True,
    keep_all: bool = False,
    never_disposed: frozenset[NeverDisposed] | set[NeverDisposed] = frozenset(),
) -> date | None:
    """Earliest disposal date for a person file, or ``None`` if it is never disposed.

    ``last_entry`` + ``retention_years`` (same month and day; February 29 →
    February 28). ``None`` when ``keep_all`` is set, when the file falls in
    one of the ``never_disposed`` categories, or when ``keep_research_sample``
    is set and the person belongs to the research sample. ``retention_years``
    must be at least 1 (``ValueError``); the personnummer is always validated
    (``InvalidPersonnummer``).
    """
    if isinstance(retention_years, bool) or retention_years < 1:
        raise ValueError("Gallringsfristen måste vara minst ett år.")
    number = _as_personnummer(personnummer)
    if keep_all or never_disposed:
        return None
    if keep_research_sample and in_research_sample(number):
        return None
    return add_years(last_entry, retention_years)


def latest_disposal_date(earliest: date) -> date:
    """31 December of the calendar year after ``earliest``: the disposal must be done by then.

    >>> latest_disposal_date(date(2025, 2, 3))
    datetime.date(2026, 12, 31)
    """
    return date(earliest.year + 1, 12, 31)


def is_overdue(earliest: date, on: date) -> bool:
    """True if a file that may go from ``earliest`` is still there after its latest date."""
    return on > latest_disposal_date(earliest)


def overdue_if_earliest_before(on: date) -> date:
    """On ``on``, a file is overdue exactly when its earliest date is before this date.

    >>> overdue_if_earliest_before(date(2027, 1, 1))
    datetime.date(2026, 1, 1)
    """
    return date(on.year - 1, 1, 1)


def hand_over_instead(
    personnummer: str | Personnummer, *, private_provider: bool, lss: bool, first_day: date
) -> bool:
    """True if the file goes to the deciding board instead of being disposed (LSS 23 d §).

    A private provider's LSS file about a child: the person was under 18 on
    ``first_day``, the day the file was opened (its first case). Raises
    ``InvalidPersonnummer`` for an invalid number.
    """
    birth = _as_personnummer(personnummer).birth_date
    if not (private_provider and lss):
        return False
    return add_years(birth, ADULT_AGE) > first_day
