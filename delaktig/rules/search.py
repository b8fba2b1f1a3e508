"""What a staff member typed into the person search, read as a name or a number.

Pure Python. :func:`parse_search` turns the text into a :class:`SearchQuery`:

* a **personnummer** in any common form — ``19400321-9823``, ``194003219823``,
  ``400321-9823``, ``4003219823`` (``+`` for a person past 100 too), spaces allowed —
  checked like :func:`parse_personnummer` (date, birth number, check digit); a
  ten-digit form matches whatever the century (``YYMMDD-NNNN`` is the end of the
  stored ``YYYYMMDD-NNNN``);
* a **birth date**, ``ÅÅMMDD`` or ``ÅÅÅÅMMDD``;
* otherwise **name prefixes**: every word must begin a word of the first or last
  name, ignoring case and the common diacritics (``ost`` finds Öst, ``ostlund``
  and ``östlund`` find each other).

Bad input raises :class:`InvalidSearch` with a plain Swedish message that never
repeats what was typed (it may be a personnummer).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum

from .personnummer import InvalidPersonnummer, parse_personnummer

__all__ = [
    "FOLDED_LETTERS",
    "MAX_SEARCH_LENGTH",
    "MIN_SEARCH_LENGTH",
    "InvalidSearch",
    "SearchKind",
    "SearchQuery",
    "fold_name",
    "parse_search",
]

MIN_SEARCH_LENGTH = 2
MAX_SEARCH_LENGTH = 100
MAX_NAME_WORDS = 4

#: Letters folded to plain ASCII in the stored search name and in the query: the
#: Nordic letters and the accents common in Swedish names. The database folds with
#: the same table (``Person.search_name``; SQLite's ``lower()`` only knows A–Z, and
#: a longer table overflows SQLite's parser), so both sides agree.
FOLDED_LETTERS: tuple[tuple[str, str], ...] = (
    ("Å", "a"), ("å", "a"), ("Ä", "a"), ("ä", "a"), ("Ö", "o"), ("ö", "o"),
    ("É", "e"), ("é", "e"), ("È", "e"), ("è", "e"), ("Ü", "u"), ("ü", "u"),
    ("Æ", "ae"), ("æ", "ae"), ("Ø", "o"), ("ø", "o"), ("-", " "),
)  # fmt: skip
_FOLD = dict(FOLDED_LETTERS)

_NUMBER_CHARS = re.compile(r"[0-9+\- ]+")
_NAME_CHARS = re.compile(r"[^\W\d_]|[ '\-.]")


class SearchKind(Enum):
    NAME = "namn"
    PERSONNUMMER = "personnummer"
    BIRTH_DATE = "fodelsedatum"


@dataclass(frozen=True)
class SearchQuery:
    """What to look for. ``words``: folded name prefixes; ``number``: see ``kind``.

    For ``PERSONNUMMER``: ``YYYYMMDD-NNNN`` (12 digits typed, match exactly) or
    ``YYMMDD-NNNN`` (10 digits, match the end). For ``BIRTH_DATE``: ``YYYYMMDD`` (the
    start) or ``YYMMDD`` (characters 3–8).
    """

    kind: SearchKind
    words: tuple[str, ...] = ()
    number: str = ""

    def __repr__(self) -> str:
        return f"SearchQuery({self.kind.value}, <dolt>)"


class InvalidSearch(ValueError):
    """The text cannot be searched for; ``str(error)`` says why, in Swedish."""


def fold_name(text: str) -> str:
    """``Öst-Åberg`` → ``ost aberg``: the letters of :data:`FOLDED_LETTERS` folded, lower case.

    Exactly what the database does to the stored name (``Person.search_name``), so
    the two agree; other letters (``ç``, ``ñ``) are kept and match as typed.
    """
    return "".join(_FOLD.get(char, char) for char in text).lower()


def _number(text: str, today: date | None) -> SearchQuery:
    compact = text.replace(" ", "")
    digits = compact.replace("-", "").replace("+", "")
    if len(digits) in (6, 8) and digits == compact:
        month, day = int(digits[-4:-2]), int(digits[-2:])
        if not (1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91)):
            raise InvalidSearch(
                "Födelsedatumet är inte ett giltigt datum. Skriv ÅÅMMDD eller ÅÅÅÅMMDD."
            )
        return SearchQuery(SearchKind.BIRTH_DATE, number=digits)
    if len(digits) not in (10, 12):
        raise InvalidSearch(
            "Skriv hela personnumret (10 eller 12 siffror, med eller utan bindestreck) "
            "eller ett födelsedatum (ÅÅMMDD eller ÅÅÅÅMMDD)."
        )
    try:
        parsed = parse_personnummer(compact, today=today)
    except InvalidPersonnummer as error:
        raise InvalidSearch(str(error)) from None
    if len(digits) == 12:
        return SearchQuery(SearchKind.PERSONNUMMER, number=parsed.canonical)
    return SearchQuery(SearchKind.PERSONNUMMER, number=f"{digits[:6]}-{digits[6:]}")


def parse_search(text: str, *, today: date | None = None) -> SearchQuery:
    """Read ``text`` as a personnummer, a birth date or name prefixes; or raise."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        raise InvalidSearch("Skriv ett namn eller ett personnummer.")
    if len(text) > MAX_SEARCH_LENGTH:
        raise InvalidSearch(f"Sökningen får vara högst {MAX_SEARCH_LENGTH} tecken.")
    if any(char.isdigit() for char in text):
        if not _NUMBER_CHARS.fullmatch(text):
            raise InvalidSearch("Sök antingen på namn eller på personnummer, inte båda på en gång.")
        return _number(text, today)
    if not all(_NAME_CHARS.fullmatch(char) for char in text):
        raise InvalidSearch(
            "Namnet får bara innehålla bokstäver, mellanslag, bindestreck och apostrof."
        )
    words = tuple(w for w in re.split(r"[ .']+", fold_name(text)) if w)
    if sum(len(w) for w in words) < MIN_SEARCH_LENGTH:
        raise InvalidSearch(f"Skriv minst {MIN_SEARCH_LENGTH} bokstäver av namnet.")
    if len(words) > MAX_NAME_WORDS:
        raise InvalidSearch(f"Skriv högst {MAX_NAME_WORDS} ord av namnet.")
    return SearchQuery(SearchKind.NAME, words=words)
