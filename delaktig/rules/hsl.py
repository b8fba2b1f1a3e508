"""Detector for health-care (HSL) text in a social-care plan (R-PLAN-11).

S0/S3: "Insatser som faller under ramen för Hälso- och sjukvårdslagen får inte
dokumenteras och blandas in i genomförandeplanen." Health-care measures belong
in the patient record (*patientjournalen*, HSL documentation). The detector
only *warns*: it names the words so the author can move the text.

The :data:`LEXICON` is a tuple of :class:`HslCategory`; each category lists
*forms*: regular-expression fragments that must match one whole word (or a
short phrase). Matching is case-insensitive (except forms wrapped in
``(?-i:…)``, used for abbreviations such as ``KAD`` that are ordinary words in
lower case), and every form is anchored at word boundaries, so ``sår`` never
matches inside ``sårbar`` and ``puls`` never inside ``impulsiv``. Forms must
not contain capturing groups; use ``(?:…)``. Longer phrases win over shorter
words at the same position. All forms are compiled into **one** regular
expression.

Deliberate choices (extend the lexicon rather than the code):

* ``\\w*medicin\\w*`` also flags *medicinsk* and compounds (*kvällsmedicinen*).
* *temperatur* is flagged only as a measurement (*mäta/ta temperaturen*,
  *tempa*, *kroppstemperatur*), not in *temperaturen i duschvattnet* or
  *mäta temperaturen i kylskåpet*.
* *sår* has explicit endings only (*såret, såren, sårvård, trycksår* …), so
  *sårbar* and *sårad* pass; the verb *sår* ("sows") is an accepted false alarm.
* *spruta* (also the verb "spray") is flagged only as *en spruta* and in the
  noun forms *sprutan, sprutor*.
* *demens* is social-care vocabulary (*demensboende, demensteam*) and is not
  flagged; *demensdiagnos* and named diagnoses (*Alzheimer*) are.
* *stödstrumpor*, *hudkräm*, *egenvård* and professions (*sjuksköterska*,
  named in cooperation text, R-PLAN-8) are not flagged: they are often part
  of social care. A prescribed measure is caught by *ordinerad/ordination*.
* *ordination/ordinera* is flagged, *ordinärt boende* is not; *delegering/
  delegera* is flagged in every sense (an accepted false alarm).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

__all__ = ["LEXICON", "Hit", "HslCategory", "find_health_care_text"]


@dataclass(frozen=True)
class HslCategory:
    """One category of health-care vocabulary.

    ``name`` is shown to the user (Swedish); ``description`` completes the
    sentence "”X” ser ut som …"; ``forms`` are regex fragments (see module doc).
    """

    name: str
    description: str
    forms: tuple[str, ...]


#: The curated lexicon. Order does not matter; phrases are tried before words.
LEXICON: tuple[HslCategory, ...] = (
    HslCategory(
        "Läkemedel",
        "läkemedelshantering",
        (
            r"\w*läkemed(?:el|le[nt])\w*",  # läkemedel, läkemedlet, läkemedelslista
            r"\w*medicin\w*",  # medicin, mediciner, medicinering, medicinsk
            r"\w*tablett\w*",  # tablett, tabletter, tablettask, sömntablett
            r"\w*dosett\w*",  # dosett, dosetten
            r"apodos\w*",
            r"dospås\w*",  # dospåse, dospåsar
            r"piller|pillret|pillren",
            r"salv(?:a|an|or|orna)",  # salva (not the compounds skottsalva, applådsalva)
            r"(?:ögon|öron|näs)droppar(?:na)?",
            r"nässpray\w*",
            r"\w*inhal(?:ation|ator|er)\w*",  # inhalation, inhalator, inhalera
            r"smärtstillande|blodförtunnande|antibiotika\w*|morfin\w*",
        ),
    ),
    HslCategory(
        "Ordination",
        "en ordination från hälso- och sjukvården",
        (r"ordin(?:ation|er)\w*",),  # ordination, ordinerad; not ordinärt
    ),
    HslCategory(
        "Injektion/insulin",
        "en injektion eller insulinbehandling",
        (
            r"\w*insulin\w*",
            r"\w*injektion\w*",
            r"injicer\w*",
            r"(?<=\ben )spruta",  # "en spruta", not the verb "spruta vatten"
            r"sprut(?:an|ans|or|orna)",
            r"vaccin\w*",
        ),
    ),
    HslCategory(
        "Sårvård",
        "sårvård",
        (
            r"omläggning(?:en)? av (?:sår(?:et|en)?|förband(?:et|en)?)",
            r"sår(?:et|en|ets|ens)?",
            r"sår(?:vård|omläggning|läkning|behandling|kompress|förband|tvätt)\w*",
            r"(?:tryck|ligg|ben|fot|bränn|skav|bäcken|operations)sår(?:et|en|ets|ens)?",
            r"förband(?:et|en)?",
        ),
    ),
    HslCategory(
        "Katetervård/stomi",
        "kateter- eller stomivård",
        (
            r"\w*kateter\w*",  # kateter, katetern, kateterisering, urinkateter
            r"\w*katetr\w*",  # katetrar
            r"(?-i:KAD|RIK)",  # kvarliggande kateter, ren intermittent kateterisering
            r"\w*stomi\w*",  # stomi, stomin, stomipåse, kolostomi
            r"urinpås\w*",
        ),
    ),
    HslCategory(
        "Vitalparametrar",
        "mätning av vitalparametrar",
        (
            r"(?:mät(?:a|er|te|s|t)|ta|tar|tog) (?:temperatur(?:en)?|tempen)(?! i )",
            r"\w*kroppstemperatur\w*|temperaturmätning\w*|tempa(?:r|de|t)?",
            r"\w*blodtryck\w*",
            r"\w*blodsock(?:er|r)\w*",  # blodsocker, blodsockret, blodsockervärde
            r"puls(?:en|ens|mätning\w*|oximet\w*|klocka\w*)?",  # not impuls, pulsa
            r"syremättnad\w*|saturation\w*",
        ),
    ),
    HslCategory(
        "Provtagning",
        "provtagning",
        (
            r"(?:blod|urin|avförings|labb?)prov\w*",
            r"provtagning\w*|provsvar\w*",
            r"pk-(?:prov|värde)\w*",
        ),
    ),
    HslCategory(
        "Diagnos",
        "en medicinsk diagnos",
        (
            r"diagnos\w*",
            r"demensdiagnos\w*",  # but not demens, demensboende, demensteam
            r"diabet\w*",
            r"(?-i:KOL)",  # only upper case: "kol" is coal
            r"epilep\w*",
            r"alzheimer\w*|parkinson\w*",
            r"hjärtsvikt\w*|astma\w*|stroke(?:n)?|cancer\w*",
        ),
    ),
    HslCategory(
        "Delegerad hälso- och sjukvård",
        "en delegerad hälso- och sjukvårdsuppgift",
        (r"delegering\w*", r"delegera\w*"),  # delegerad, delegerade insatser
    ),
    HslCategory(
        "Sondmatning/dropp",
        "sondmatning eller dropp",
        (
            r"sond(?:matning|mat|näring)\w*|sonden",  # not sondera
            r"(?-i:PEG)",
            r"dropp(?:et)?|droppställning\w*|\w*infusion\w*",  # not droppen, droppar
        ),
    ),
)


@dataclass(frozen=True)
class Hit:
    """One flagged word: ``text[start:end] == term``."""

    start: int
    end: int
    term: str
    category: str
    explanation: str


def _compile(lexicon: tuple[HslCategory, ...]) -> tuple[re.Pattern[str], tuple[HslCategory, ...]]:
    """One regex with one capturing group per form; phrases (with a space) first."""
    forms = [(form, category) for category in lexicon for form in category.forms]
    for form, category in forms:
        if re.compile(form).groups:
            raise ValueError(f"Formen {form!r} i {category.name} har en fångande grupp.")
    forms.sort(key=lambda pair: " " not in pair[0])  # stable: phrases first
    alternation = "|".join(f"({form})" for form, _ in forms)
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    return pattern, tuple(category for _, category in forms)


_PATTERN, _GROUP_CATEGORY = _compile(LEXICON)


def _explanation(term: str, category: HslCategory) -> str:
    return (
        f"”{term}” ser ut som {category.description}, som hör till hälso- och sjukvården "
        "och ska dokumenteras enligt HSL i patientjournalen, inte i genomförandeplanen."
    )


def find_health_care_text(text: str) -> list[Hit]:
    """All health-care words in ``text``, sorted by start and non-overlapping."""
    hits = []
    for match in _PATTERN.finditer(text):
        # Exactly one group (the matching form) takes part in every match.
        category = _GROUP_CATEGORY[cast(int, match.lastindex) - 1]
        term = match.group()
        hits.append(
            Hit(match.start(), match.end(), term, category.name, _explanation(term, category))
        )
    return hits
