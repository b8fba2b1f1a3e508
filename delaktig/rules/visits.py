"""An intervention's visits against its free-text "när" (R-LIFE-7, S1).

A home-care intervention is carried out in *visits* (``Visit``: weekdays, a
time of day, minutes). The plan also says in its own words when the
intervention is carried out (``InterventionPart.when``). :func:`when_mismatches`
reads that text for clear statements only and lists where it contradicts the
visits, so the writer is advised before the scheduler gets conflicting orders.

Conservative on purpose — only clear contradictions are reported:

* A weekday named on its own (``"på tisdagar"``) that no visit has. Checked
  only when every visit has its weekdays: a visit "3 gånger i veckan" on no
  fixed day could be any day.
* A weekday range (``"måndag–fredag"``, ``"måndag till fredag"``) on which no
  visit falls at all (fewer visits than days is not a contradiction).
* A weekday the text excludes right after a negation (``"inte på söndagar"``,
  ``"utom lördag"``) on which a visit is.
* A clock time the text gives with ``kl.``/``klockan`` or as ``tt:mm`` that no
  visit starts within half an hour of, or covers. ``kl. 8`` may mean 08 or 20
  (spoken Swedish); a range ``kl. 7–9`` is met by a visit that starts in it.
  Checked only when every visit has its time.

Other words (``"morgon"``, ``"helger"``, ``"vid behov"``) are not read.

>>> monday_morning = Visit(weekdays=("MO",), time_of_day="08:00", duration_minutes=30)
>>> when_mismatches("Måndagar kl. 8.", [monday_morning])
()
>>> [m.text for m in when_mismatches("Tisdagar kl. 18, inte måndag.", [monday_morning])]
['tisdag', 'inte måndag', 'kl. 18']
>>> when_mismatches("Tisdagar.", [])
()
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["WEEKDAY_CODES", "Mismatch", "MismatchKind", "Visit", "when_mismatches"]

#: ISO order, as iCalendar's BYDAY codes.
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_STEMS = ("mån", "tis", "ons", "tors", "fre", "lör", "sön")
_DAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_DAY = r"(?P<{g}>" + "|".join(_DAY_STEMS) + r")dag(?:ar(?:na)?|en|s)?"
_NEGATION = r"(?:inte|ej|aldrig|utom|förutom)(?:\s+(?:på|under|om|heller))?\s+"
_RANGE = re.compile(
    rf"\b{_DAY.format(g='a')}\s*(?:–|-|till|t\.o\.m\.|tom)\s*{_DAY.format(g='b')}\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(rf"\b{_NEGATION}{_DAY.format(g='a')}\b", re.IGNORECASE)
_SINGLE = re.compile(rf"\b{_DAY.format(g='a')}\b", re.IGNORECASE)
_NEGATION_WORD = re.compile(r"\b(?:inte|ej|aldrig|utom|förutom)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"[.;!?\n]+")
_KL = r"(?:kl\.?|klockan)\s*"
_HOUR = r"(?P<{g}h>2[0-3]|[01]?\d)(?!\d)(?:[:.](?P<{g}m>[0-5]\d))?"
_TIME_RANGE = re.compile(
    rf"\b{_KL}{_HOUR.format(g='a')}\s*(?:–|-|till)\s*(?:{_KL})?{_HOUR.format(g='b')}(?!\d)",
    re.IGNORECASE,
)
_TIME_KL = re.compile(rf"\b{_KL}{_HOUR.format(g='a')}(?![\d:.]\d)", re.IGNORECASE)
_TIME_COLON = re.compile(r"(?<![\d:.])(?P<ah>2[0-3]|[01]?\d):(?P<am>[0-5]\d)(?![\d:])")
_SLACK = 30  # minutes either side of a visit's start that still match a time in the text
_DAY_MINUTES = 24 * 60


class MismatchKind(StrEnum):
    NO_VISIT = "no_visit"  # the text names a day or time no visit has
    EXCLUDED = "excluded"  # a visit is on a day the text excludes


@dataclass(frozen=True)
class Visit:
    """One visit of an intervention: weekday codes (``"MO"``…), ``"tt:mm"``, minutes."""

    weekdays: tuple[str, ...] = ()
    time_of_day: str = ""
    duration_minutes: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekdays", tuple(self.weekdays))

    @property
    def start(self) -> int | None:
        """Minutes after midnight, or ``None`` when the time is blank or unreadable."""
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", self.time_of_day.strip())
        return int(match[1]) * 60 + int(match[2]) if match else None


@dataclass(frozen=True)
class Mismatch:
    """One contradiction; ``text`` names it in Swedish (``"tisdag"``, ``"kl. 18"``)."""

    kind: MismatchKind
    text: str


def _day(stem: str) -> int:
    return _DAY_STEMS.index(stem.lower())


def _minutes(hour: str, minute: str | None) -> int:
    return int(hour) * 60 + int(minute or 0)


def _clock(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"kl. {hours}" if rest == 0 else f"kl. {hours:02d}:{rest:02d}"


def _near(visit_start: int, duration: int, wanted: int) -> bool:
    """The visit starts within the slack of ``wanted``, or is going on at ``wanted``."""
    gap = (wanted - visit_start) % _DAY_MINUTES
    return min(gap, _DAY_MINUTES - gap) <= _SLACK or gap <= duration


def _day_mismatches(when: str, visits: Sequence[Visit]) -> list[Mismatch]:
    days = {WEEKDAY_CODES.index(d) for v in visits for d in v.weekdays if d in WEEKDAY_CODES}
    every_visit_has_days = all(any(d in WEEKDAY_CODES for d in v.weekdays) for v in visits)
    found: list[tuple[int, Mismatch]] = []
    offset = 0
    for clause in _CLAUSE.split(when):
        taken: list[tuple[int, int]] = []
        for match in _NEGATED.finditer(clause):
            taken.append(match.span())
            day = _day(match["a"])
            if day in days:
                text = f"inte {_DAY_NAMES[day]}"
                found.append((offset + match.start(), Mismatch(MismatchKind.EXCLUDED, text)))
        # Days after a negation are not read: "inte måndag och tisdag" is ambiguous.
        negation = _NEGATION_WORD.search(clause)
        read_until = negation.start() if negation else len(clause)
        for match in _RANGE.finditer(clause):
            taken.append(match.span())
            first, last = _day(match["a"]), _day(match["b"])
            span = {(first + i) % 7 for i in range((last - first) % 7 + 1)}
            if every_visit_has_days and match.start() < read_until and not span & days:
                text = f"{_DAY_NAMES[first]}–{_DAY_NAMES[last]}"
                found.append((offset + match.start(), Mismatch(MismatchKind.NO_VISIT, text)))
        for match in _SINGLE.finditer(clause):
            day = _day(match["a"])
            if (
                not any(a <= match.start() < b for a, b in taken)
                and every_visit_has_days
                and match.start() < read_until
                and day not in days
            ):
                text = _DAY_NAMES[day]
                found.append((offset + match.start(), Mismatch(MismatchKind.NO_VISIT, text)))
        offset += len(clause) + 1
    return [mismatch for _, mismatch in sorted(found, key=lambda item: item[0])]


def _time_mismatches(when: str, visits: Sequence[Visit]) -> list[Mismatch]:
    spans = [(v.start, v.duration_minutes or 0) for v in visits if v.start is not None]
    found: list[Mismatch] = []
    taken: list[tuple[int, int]] = []
    for match in _TIME_RANGE.finditer(when):
        taken.append(match.span())
        low, high = _minutes(match["ah"], match["am"]), _minutes(match["bh"], match["bm"])
        candidates = [(low, high)]
        if low <= high < 12 * 60:
            candidates.append((low + 12 * 60, high + 12 * 60))
        if not any(
            (lo <= s <= hi) if lo <= hi else (s >= lo or s <= hi)
            for lo, hi in candidates
            for s, _ in spans
        ):
            found.append(Mismatch(MismatchKind.NO_VISIT, f"{_clock(low)}–{_clock(high)[4:]}"))
    for pattern in (_TIME_KL, _TIME_COLON):
        for match in pattern.finditer(when):
            if any(a <= match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            wanted = _minutes(match["ah"], match["am"])
            # "kl. 8" in speech may be 20:00; "kl. 08:00" and "kl. 14" are not ambiguous.
            options = [wanted]
            if pattern is _TIME_KL and match["am"] is None and 0 < wanted < 12 * 60:
                options.append(wanted + 12 * 60)
            if not any(_near(s, d, w) for s, d in spans for w in options):
                found.append(Mismatch(MismatchKind.NO_VISIT, _clock(wanted)))
    return found


def when_mismatches(when: str, visits: Sequence[Visit]) -> tuple[Mismatch, ...]:
    """Clear contradictions between the free text ``when`` and ``visits``.

    Days in text order first, then times. No visits: nothing to compare, no
    mismatches. Each contradiction is named once.
    """
    if not visits:
        return ()
    found = _day_mismatches(when, visits)
    if all(v.start is not None for v in visits):
        found += _time_mismatches(when, visits)
    return tuple(dict.fromkeys(found))
