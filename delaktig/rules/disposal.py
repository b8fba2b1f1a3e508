"""Disposal (*gallring*) of the person file and its plans (R-ARC-3).

Legal basis, as cited in the routine S0/S3: the plan belongs to the person
file (*personakt*, SOSFS 2006:12), so "de vanliga gallringsreglerna (12 kap.
1 § SoL)" apply: "gallring fem år efter det att sista anteckningen gjordes i
akten"; the exceptions are in 12 kap. 2 § SoL. The exception built in here is
the research sample: files about persons born on the 5th, 15th or 25th of any
month are kept. Other exceptions (categories or municipalities that keep
everything) are settings on the Django side; pass ``keep_all=True`` for them.

This function only *proposes* a date; proposing, approving, executing and
logging the disposal happens elsewhere (R-ARC-3).
"""

from __future__ import annotations

from datetime import date

from .dates import add_years
from .personnummer import Personnummer, parse_personnummer

__all__ = ["RESEARCH_SAMPLE_DAYS", "disposal_date", "in_research_sample"]

#: Days of birth whose files are kept for research (12 kap. 2 § SoL).
RESEARCH_SAMPLE_DAYS = frozenset({5, 15, 25})


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
) -> date | None:
    """Earliest disposal date for a person file, or ``None`` if it is never disposed.

    ``last_entry`` + ``retention_years`` (same month and day; February 29 →
    February 28). ``None`` when ``keep_all`` is set, or when
    ``keep_research_sample`` is set and the person belongs to the research
    sample. ``retention_years`` must be at least 1 (``ValueError``); the
    personnummer is always validated (``InvalidPersonnummer``).
    """
    if isinstance(retention_years, bool) or retention_years < 1:
        raise ValueError("Gallringsfristen måste vara minst ett år.")
    number = _as_personnummer(personnummer)
    if keep_all:
        return None
    if keep_research_sample and in_research_sample(number):
        return None
    return add_years(last_entry, retention_years)
