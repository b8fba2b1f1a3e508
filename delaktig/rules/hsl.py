"""Detector for health-care (HSL) text in a social-care plan (R-PLAN-11).

S0/S3: "Insatser som faller under ramen för Hälso- och sjukvårdslagen får inte
dokumenteras och blandas in i genomförandeplanen." Health-care measures belong
in the patient record (*patientjournalen*, HSL documentation). The detector
only *warns*: it names the words so the author can move the text.

Three ways a word is found, each hit saying which (:attr:`Hit.kind`):

1. **Lexicon forms** (``"word"``). The :data:`LEXICON` is a tuple of
   :class:`HslCategory`; each lists *forms*: regular-expression fragments that
   must match one whole word (or a short phrase). Matching is case-insensitive
   (except forms wrapped in ``(?-i:…)``, used for abbreviations such as ``KAD``
   that are ordinary words in lower case), and every form is anchored at word
   boundaries, so ``sår`` never matches inside ``sårbar`` and ``puls`` never
   inside ``impulsiv``. Forms must not contain capturing groups; use ``(?:…)``.
   Longer phrases win over shorter words at the same position. Drug names
   (:mod:`delaktig.rules.hsl_drugs`) are one more category.
2. **Compounds** (``"compound"``): a word of at least two more letters that
   ends in one of a category's *heads* (*ögon|salva*, *smärt|plåster*,
   *tryck|sår*), except the social-care words in :data:`COMPOUND_STOP`
   (*skottsalva*, *utsår*). All forms and heads are compiled into **one**
   regular expression.
3. **Near misses** (``"similar"``): a word none of the above found, folded
   (:func:`fold`: lower case, no diacritics, no doubled letters), that starts
   with a category's *similar* stem folded the same way — or, for a stem of at
   least seven folded letters, with one letter added, missing, wrong or two
   swapped (*Insullin*, *medecinerna*, *Blodsokret*, *lakemedlen*, *Levemier*).
   Words under five letters are never near misses.

Then the :data:`EXCEPTIONS` drop hits that everyday Swedish explains: an
errand at the pharmacy (*hämta ut mediciner på apoteket*), the verb *sår*
("sows"), *delegera* with no health-care profession in the sentence, and
accompanying to or booking at the health centre.

Deliberate choices (extend the lexicon rather than the code):

* ``\\w*medicin\\w*`` also flags *medicinsk* and compounds (*kvällsmedicinen*).
* *temperatur* is flagged only as a measurement (*mäta/ta temperaturen*,
  *tempa*, *temp 38,2*), not in *temperaturen i duschvattnet* or *mäta
  temperaturen i kylskåpet*.
* *sår* has explicit endings only (*såret, såren, sårvård, trycksår* …), so
  *sårbar* and *sårad* pass.
* *spruta* (also the verb "spray") is flagged only as *en spruta* and in the
  noun forms *sprutan, sprutor*.
* *demens* is social-care vocabulary (*demensboende, demensteam*) and is not
  flagged; *demensdiagnos* and named diagnoses (*Alzheimer*) are.
* *stödstrumpor*, *hudkräm*, *egenvård* and professions (*sjuksköterska*,
  named in cooperation text, R-PLAN-8) are not flagged: they are often part
  of social care. A prescribed measure is caught by *ordinerad/ordination*.
* *ordination/ordinera* is flagged, *ordinärt boende* is not; *pulsklockan*
  is not (a sports watch).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from .hsl_drugs import DRUG_NAMES, NO_FUZZY

__all__ = [
    "COMPOUND_STOP",
    "EXCEPTIONS",
    "LEXICON",
    "Hit",
    "HitKind",
    "HslCategory",
    "HslException",
    "find_health_care_text",
    "fold",
]

HitKind = Literal["word", "compound", "similar"]


@dataclass(frozen=True)
class HslCategory:
    """One category of health-care vocabulary.

    ``name`` is shown to the user (Swedish); ``description`` completes the
    sentence "”X” ser ut som …"; ``forms`` are regex fragments (see module doc);
    ``heads`` are regex fragments a compound may end in; ``similar`` are stems
    matched as near misses, written ``stem(rest)`` when the word shown to the
    user is longer than the stem (``blodsock(er)``).
    """

    name: str
    description: str
    forms: tuple[str, ...]
    heads: tuple[str, ...] = ()
    similar: tuple[str, ...] = ()


@dataclass(frozen=True)
class HslException:
    """Everyday Swedish that looks like health care.

    A hit of one of ``categories`` (all categories when empty) that lies
    inside a match of ``pattern`` (case-insensitive) is dropped.
    """

    description: str
    pattern: str
    categories: tuple[str, ...] = ()


_PROFESSION = r"(?:fysioterapeut|sjukgymnast|arbetsterapeut)"
_DRUG_NAMES_SHORT = "|".join(sorted((n for n in DRUG_NAMES if len(n) < 5), key=len, reverse=True))
_DRUG_NAMES_LONG = "|".join(sorted((n for n in DRUG_NAMES if len(n) >= 5), key=len, reverse=True))

#: The curated lexicon. Order does not matter; phrases are tried before words.
LEXICON: tuple[HslCategory, ...] = (
    HslCategory(
        "Läkemedel",
        "läkemedelshantering",
        (
            r"\w*läkemed(?:el|le[nt])\w*",  # läkemedel, läkemedlet, läkemedelslista
            r"\w*medicin\w*",  # medicin, mediciner, medicinering, medicinsk
            r"\w*tablett\w*",  # tablett, tabletter, tablettask, sömntablett
            r"\w*dos+et+\w*",  # dosett, dosetten (also dossetten)
            r"apodos\w*",
            r"dospås\w*",  # dospåse, dospåsar
            r"\w*piller|\w*pillret|\w*pillren",  # piller, stolpiller
            r"salv(?:a|an|or|orna)",  # salva (compounds: see heads)
            r"(?:ögon|öron|näs)dropp(?:ar|arna|e)",
            r"nässpray\w*",
            r"\w*inhal(?:ation|ator|er)\w*",  # inhalation, inhalator, inhalera
            r"smärtstillande|blodförtunnande|antibiotika\w*|morfin\w*",
            r"smärtlindring\w*|biverkning\w*|suppositori\w*|lavemang\w*|klyx\w*",
            # drug classes: vattendrivande, antidepressiva, sömnmedel, receptbelagd
            r"(?:vatten|vätske|urin)drivande|antidepressiv\w*|neuroleptik\w*|antipsykotisk\w*",
            r"(?:sömn|insomnings|laxer|avförings|smärt|lugnande |ångestdämpande )medel\w*",
            r"laxantia|ångestdämpande|antihistamin\w*|recept(?:belagd|förskriv)\w*",
            r"evondos\w*|pilly\w*|\w*läkemedelsrobot\w*|smärtpump\w*",
            r"(?:kortison|hydrokortison|svamp|bedövnings|hormon|östrogen|steroid)kräm\w*",
            r"dep(?:å|ot)(?:sprut|injektion|preparat|medicin|behandling)\w*",
            r"\d+(?:[.,]\d+)? ?(?:mg|mikrogram|µg|IE)",  # a dose: 500 mg, 10 IE
        ),
        heads=(
            r"salv(?:a|an|or|orna)",  # ögonsalva, hudsalva
            r"plåst(?:er|ret|ren|rena)",  # smärtplåster, nikotinplåstret
            r"dos(?:en|er|erna)?",  # kvällsdos, morgondosen
        ),
        similar=(
            "läkemedel",
            "medicin",
            "tabletter",
            "doset(t)",
            "apodos",
            "ögondroppar",
            "örondroppar",
            "inhalator",
            "antibiotika",
        ),
    ),
    HslCategory(
        "Läkemedelsnamn",
        "ett läkemedel (läkemedelshantering)",
        (
            rf"(?:{_DRUG_NAMES_LONG})\w*",  # Alvedon, Zyprexan, Norspanplåstret
            rf"(?:{_DRUG_NAMES_SHORT})(?:s|n|en|et)?",
        ),
        similar=tuple(name for name in DRUG_NAMES if len(name) >= 5),
    ),
    HslCategory(
        "Ordination",
        "en ordination från hälso- och sjukvården",
        (r"ordin(?:ation|er)\w*",),  # ordination, ordinerad; not ordinärt
        heads=(r"ordination(?:en|er|erna)?",),  # läkarordination; not koordination
        similar=("ordination",),
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
            r"subkutan\w*",
        ),
        similar=("insulin", "injektion", "injicera", "vaccination"),
    ),
    HslCategory(
        "Sårvård",
        "sårvård",
        (
            r"omläggning(?:en)? av (?:sår(?:et|en)?|förband(?:et|en)?)",
            r"sår(?:et|en|ets|ens)?",
            r"sår(?:vård|omläggning|läkning|behandling|kompress|förband|tvätt|bedömning"
            r"|infektion|salva|rengöring|plåster|dokumentation)\w*",
            r"\w+sårs\w+",  # trycksårsbedömning, bensårsbehandling
            # lägg om sårat (a typo): the word after "lägg om", whatever its ending
            r"(?:(?<=\blägg om )|(?<=\blägga om )|(?<=\blägger om ))\w*(?:sår|förband|bandage)\w*",
            r"tryckskad\w*|hudkostym\w*|\w*bandage\w*",
            r"förband(?:et|en)?",
        ),
        heads=(r"sår(?:et|en|ets|ens)?",),  # trycksår, bensår, fotsåret
        similar=("sårvård",),
    ),
    HslCategory(
        "Katetervård/stomi",
        "kateter- eller stomivård",
        (
            r"\w*kateter\w*",  # kateter, katetern, kateterisering, urinkateter
            r"\w*katetr\w*",  # katetrar
            r"(?-i:KAD|RIK)",  # kvarliggande kateter, ren intermittent kateterisering
            r"(?-i:CVK|PICC)(?:-line\w*)?",  # central venkateter
            r"picc-line\w*|port-a-cath\w*|\w*venport\w*",
            r"\w*stomi\w*",  # stomi, stomin, stomipåse, kolostomi
            r"urinpås\w*",
        ),
        similar=("kateter", "urinpåse"),
    ),
    HslCategory(
        "Vitalparametrar",
        "mätning av vitalparametrar",
        (
            r"(?:mät(?:a|er|te|s|t)|ta|tar|tog) (?:temperatur(?:en)?|tempen)(?! i )",
            r"\w*kroppstemperatur\w*|temperaturmätning\w*|tempa(?:r|de|t|s|des)?",
            r"temp(?:en)?(?= ?\d)",  # temp 38,2
            r"tempen(?! i )",  # not tempen i duschen
            r"\w*blodtryck\w*|(?-i:BT)",
            r"\w*blodsock(?:er|r)\w*",  # blodsocker, blodsockret, blodsockervärde
            r"(?-i:BS)(?= ?\d)",  # BS 12,4
            r"p-glukos\w*|\w*socker(?:värde|nivå|kurva)\w*",
            r"(?:mät|ta|tar|kontroller)\w* (?:\w+ )?sockret",
            r"puls(?:en|ens|mätning\w*|oximet\w*)?",  # not impuls, pulsa, pulsklocka
            r"syremättnad\w*|saturation\w*|satur",
            r"feber\w*|febrig\w*",
            r"vikt(?:en)? (?:kontrolleras|mäts|följs upp|registreras|noteras)",
            r"viktkontroll\w*|vägning\w*|viktuppföljning\w*|väg(?:s|as|des)",
            r"vätskeintag\w* (?:ska )?(?:registreras|mätas|dokumenteras|följas upp)",
            r"vätske(?:lista|listan|listor|mätning|balans|registrering|schema)\w*",
        ),
        similar=("blodtryck", "blodsock(er)", "syremättnad", "saturation"),
    ),
    HslCategory(
        "Provtagning",
        "provtagning",
        (
            r"(?:blod|urin|avförings|labb?)prov\w*",
            r"provtagning\w*|provsvar\w*",
            r"pk-(?:prov|värde)\w*",
            r"urinstick\w*",
        ),
        similar=("provtagning", "urinsticka"),
    ),
    HslCategory(
        "Diagnos",
        "en medicinsk diagnos",
        (
            r"diagnos\w*",
            r"demensdiagnos\w*",  # but not demens, demensboende, demensteam
            r"diabet\w*",
            r"(?-i:KOL|ADHD|UVI|HIV|PTSD|OCD)",  # only upper case: "kol" is coal
            r"epilep\w*",
            r"alzheimer\w*|parkinson\w*",
            r"hjärtsvikt\w*|astma\w*|stroke(?:n)?|cancer\w*",
            r"(?:hjärt|lung|njur|lever|reuma)\w*sjukdom\w*|hjärt(?:problem|fel|besvär)\w*",
            r"schizofren\w*|bipolär\w*|psykos\w*|psykotisk\w*|depression\w*",
            r"autism\w*|asperger\w*|\w*syndrom(?:et)?",
            r"\w*(?<!des)infektion\w*|\w*inflammation\w*|\w*infarkt\w*",
            r"(?:njur|lever)svikt\w*|förmaksflimmer\w*|angina\w*|hypertoni\w*",
            r"osteoporos\w*|artros\w*|reumati\w*|hepatit\w*|\w*ödem(?:et|en)?",
            r"abstinens\w*|andnöd\w*|kramp(?:er|erna|anfall\w*)?|njurfunktion\w*",
        ),
        similar=("diagnos", "diabetes", "epilepsi", "schizofreni", "alzheimer", "parkinson"),
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
            r"sond(?:matning|mat|näring)\w*|sond(?:en|er|erna)?",  # not sondera
            r"(?-i:PEG)",
            r"dropp(?:et)?|droppställning\w*|\w*infusion\w*",  # not droppen, droppar
        ),
        heads=(r"dropp(?:et)?", r"sond(?:en)?"),  # näringsdropp, magsond
        similar=("sondmatning",),
    ),
    HslCategory(
        "Syrgas/andningsstöd",
        "syrgas eller andningsstöd",
        (r"\w*syrgas\w*|oxygen\w*", r"(?-i:CPAP|BiPAP|BIPAP|PEP)(?:-\w+)?"),
        similar=("syrgas",),
    ),
    HslCategory(
        "Kompression/lymfödem",
        "kompressionsbehandling",
        (r"\w*lymfödem\w*", r"kompression\w*"),
        similar=("kompression",),
    ),
    HslCategory(
        "Riskbedömning/skattning",
        "en riskbedömning eller skattning inom hälso- och sjukvården",
        (
            r"senior ?alert\w*",
            r"(?:norton|downton)\w*|(?-i:MNA|ROAG|VAS|NRS|CIWA)",
            r"(?:fallrisk|nutritions|munhälso|smärt)bedömning\w*",
            r"(?:smärt|abstinens|symtom)skattning\w*|abbey pain\w*",
        ),
        similar=("smärtskattning",),
    ),
    HslCategory(
        "Rehabilitering",
        "rehabilitering enligt fysioterapeut eller arbetsterapeut",
        (
            rf"enligt \w*program\w* från {_PROFESSION}\w*",
            rf"enligt {_PROFESSION}\w* (?:\w+ )?(?:\w*program\w*|ordination\w*)",
            rf"\w*(?:träning|övning|gymnastik|stretching)\w*(?: \S+){{0,5}}? enligt "
            rf"{_PROFESSION}\w*(?: (?:\w*program\w*|instruktion\w*|ordination\w*|anvisning\w*))?",
            rf"(?:tränings|övnings|rehab)program\w* (?:från|av) {_PROFESSION}\w*",
            rf"{_PROFESSION}(?:ens|ernas) (?:tränings|övnings|rehab)?program\w*",
        ),
    ),
)

#: Whole words that end in a head but are social care (lower case).
COMPOUND_STOP: tuple[str, ...] = (
    "skottsalva", "applådsalva", "kanonsalva", "eldsalva", "gevärssalva", "kulsprutesalva",
    "skrattsalva", "hyllningssalva", "ordsalva", "utsår", "besår", "försår", "insår",
    "koordination", "koordinationen", "coordination", "subordination", "insubordination",
)  # fmt: skip

_HSL_PERSON = (
    r"(?:sjukskötersk|distriktssköt|läkar|fysioterapeut|sjukgymnast|arbetsterapeut"
    r"|hälso- och sjukvård|legitimerad|hsl\b|ssk\b)"
)
_SENTENCE = r"[^.!?\n]"
_ERRAND = r"(?:hämta|köp|handla|beställ|lös(?:a|er|te)? ut)\w*"
_MEDICINE = r"\w*(?:medicin|läkemed|tablett)\w*"

#: Everyday Swedish that looks like health care; see :class:`HslException`.
EXCEPTIONS: tuple[HslException, ...] = (
    HslException(
        "ett ärende på apoteket: hämta ut, köpa, beställa … på apoteket",
        rf"\b{_ERRAND}(?: ut)?\b{_SENTENCE}{{0,60}}?\bapotek\w*"
        rf"|\bapotek\w*{_SENTENCE}{{0,40}}?\b{_ERRAND}\b{_SENTENCE}{{0,40}}?{_MEDICINE}"
        rf"|\b{_MEDICINE}(?: \w+){{0,3}}? (?:hämta|köp|beställ|lös)\w*s(?: ut)?\b"
        rf"{_SENTENCE}{{0,40}}?\bapotek\w*"
        rf"|\bhämt\w* ut (?:\w+ ){{0,2}}?{_MEDICINE}",
        ("Läkemedel", "Läkemedelsnamn"),
    ),
    HslException(
        "verbet så: hon sår, sår frön",
        r"\b(?:jag|du|han|hon|hen|vi|ni|de|dom|man) sår\b"
        r"|\bsår (?:\w+ ){0,2}?(?:\w*frö(?:n|er|na)?|\w*plantor|blommor\w*|grönsaker|gräs\w*"
        r"|potatis|morötter|rädisor|sallad|örter|kryddor)\b",
        ("Sårvård",),
    ),
    HslException(
        "delegera i vardaglig mening: ingen hälso- och sjukvårdsprofession i meningen",
        rf"(?:^|(?<=[.!?\n]))(?!{_SENTENCE}*{_HSL_PERSON}){_SENTENCE}*?"
        r"\b(?:deleger(?:a|ar|as|at)\b|deleger(?:ad|ade)\b"
        r"(?! (?:insats|uppgift|arbetsuppgift|hälso|hsl|sjukvård|läkemedel|personal)\w*))",
        ("Delegerad hälso- och sjukvård",),
    ),
    HslException(
        "följa med till eller boka tid på vårdcentralen, tandläkaren …",
        r"\b(?:följ(?:a|er|de|s)|ledsag\w*) med (?:\w+ )?till (?:vårdcentral|tandläkar|sjukhus"
        rf"|läkar|mottagning|labb)\w*(?:{_SENTENCE}{{0,60}})?"
        rf"|\bboka\w* (?:en |ny )?tid\b{_SENTENCE}{{0,60}}",
    ),
)


@dataclass(frozen=True)
class Hit:
    """One flagged word: ``text[start:end] == term``.

    ``kind`` says how it was found; ``basis`` is the head of a compound
    (``"salva"`` for *ögonsalva*) or the word a near miss resembles
    (``"insulin"`` for *Insullin*), empty for a lexicon form.
    """

    start: int
    end: int
    term: str
    category: str
    explanation: str
    kind: HitKind = "word"
    basis: str = ""


@dataclass(frozen=True)
class _Group:
    category: HslCategory
    kind: HitKind
    head: str = ""


def _compound(head: str) -> str:
    """A word with at least two letters before ``head``, not a stop word."""
    stop = "|".join(word for word in COMPOUND_STOP if re.fullmatch(rf"\w+{head}", word))
    guard = rf"(?!(?:{stop})(?!\w))" if stop else ""
    return rf"{guard}\w{{2,}}?{head}"


def _compile(lexicon: tuple[HslCategory, ...]) -> tuple[re.Pattern[str], tuple[_Group, ...]]:
    """One regex with one capturing group per form and head; phrases first, heads last."""
    forms = [(form, _Group(category, "word")) for category in lexicon for form in category.forms]
    forms += [
        (_compound(head), _Group(category, "compound", head))
        for category in lexicon
        for head in category.heads
    ]
    for form, group in forms:
        if re.compile(form).groups:
            raise ValueError(f"Formen {form!r} i {group.category.name} har en fångande grupp.")
    # Stable: phrases first, then words, then compounds.
    forms.sort(key=lambda pair: (pair[1].kind == "compound", " " not in pair[0]))
    alternation = "|".join(f"({form})" for form, _ in forms)
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    return pattern, tuple(group for _, group in forms)


_PATTERN, _GROUPS = _compile(LEXICON)
_EXCEPTIONS = tuple(
    (re.compile(exception.pattern, re.IGNORECASE), exception) for exception in EXCEPTIONS
)


def fold(word: str) -> str:
    """``word`` in lower case, without diacritics and without doubled letters.

    >>> fold("Läkemedlet"), fold("Insullin"), fold("dossetten")
    ('lakemedlet', 'insulin', 'doseten')
    """
    lower = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", word).lower())
    plain = "".join(char for char in lower if not unicodedata.combining(char))
    return re.sub(r"(.)\1+", r"\1", plain, flags=re.DOTALL)


def _within_one_edit(a: str, b: str) -> bool:
    """At most one letter added, missing, changed, or two neighbours swapped."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if i == len(a):  # a is b, or b with one more letter at the end
        return len(b) - len(a) <= 1
    if len(a) < len(b):
        return len(b) - len(a) == 1 and a[i:] == b[i + 1 :]
    swapped = i + 1 < len(a) and a[i] == b[i + 1] and a[i + 1] == b[i]
    return a[i + 1 :] == b[i + 1 :] or (swapped and a[i + 2 :] == b[i + 2 :])


@dataclass(frozen=True)
class _Similar:
    stem: str  # folded
    shown: str
    category: HslCategory
    fuzzy: bool


def _similar_stems(lexicon: tuple[HslCategory, ...]) -> dict[str, list[_Similar]]:
    """The folded stems, by every key a word within one edit shares with them."""
    index: dict[str, list[_Similar]] = {}
    for category in lexicon:
        for entry in category.similar:
            stem, _, rest = entry.partition("(")
            folded = fold(stem)
            fuzzy = len(folded) >= 7 and stem not in NO_FUZZY
            similar = _Similar(folded, stem + rest.rstrip(")"), category, fuzzy)
            keys = {folded}
            if fuzzy:
                keys |= {folded[:i] + folded[i + 1 :] for i in range(len(folded))}
            for key in keys:
                index.setdefault(key, []).append(similar)
    return index


_SIMILAR = _similar_stems(LEXICON)
_STEM_LENGTHS = sorted({similar.stem.__len__() for found in _SIMILAR.values() for similar in found})
_WORD = re.compile(r"[^\W\d_]{5,}")


@lru_cache(maxsize=4096)
def _resembles(word: str) -> _Similar | None:
    """The stem a word (not in the lexicon) starts with, give or take one edit."""
    folded = fold(word)
    for length in _STEM_LENGTHS:
        for size in (length, length - 1, length + 1):
            prefix = folded[:size]
            if len(prefix) != size:
                continue
            keys = {prefix, *(prefix[:i] + prefix[i + 1 :] for i in range(size))}
            for key in keys:
                for similar in _SIMILAR.get(key, ()):
                    exact = prefix == similar.stem
                    near = (
                        similar.fuzzy
                        and len(word) >= 7
                        and prefix[0] == similar.stem[0]  # a typo seldom hits the first letter
                        and _within_one_edit(prefix, similar.stem)
                    )
                    if exact or near:
                        return similar
    return None


def _explanation(term: str, category: HslCategory, kind: HitKind, basis: str) -> str:
    why = {
        "word": f"”{term}” ser ut som",
        "compound": f"”{term}” slutar på ”{basis}” och ser ut som",
        "similar": f"”{term}” liknar ”{basis}” och ser ut som",
    }[kind]
    return (
        f"{why} {category.description}, som hör till hälso- och sjukvården "
        "och ska dokumenteras enligt HSL i patientjournalen, inte i genomförandeplanen."
    )


def _hit(start: int, end: int, term: str, category: HslCategory, kind: HitKind, basis: str) -> Hit:
    explanation = _explanation(term, category, kind, basis)
    return Hit(start, end, term, category.name, explanation, kind, basis)


def _exception_spans(text: str) -> list[tuple[HslException, int, int]]:
    return [
        (exception, match.start(), match.end())
        for pattern, exception in _EXCEPTIONS
        for match in pattern.finditer(text)
    ]


def _excepted(hit: Hit, spans: list[tuple[HslException, int, int]]) -> bool:
    return any(
        (not exception.categories or hit.category in exception.categories)
        and start <= hit.start
        and hit.end <= end
        for exception, start, end in spans
    )


def find_health_care_text(text: str) -> list[Hit]:
    """All health-care words in ``text``, sorted by start and non-overlapping."""
    hits = []
    for match in _PATTERN.finditer(text):
        # Exactly one group (the matching form) takes part in every match.
        group = _GROUPS[cast(int, match.lastindex) - 1]
        term = match.group()
        basis = ""
        if group.kind == "compound":
            head = re.search(rf"(?:{group.head})$", term, re.IGNORECASE)
            basis = head.group().lower() if head else ""
        hits.append(_hit(match.start(), match.end(), term, group.category, group.kind, basis))
    exact = iter(hits.copy())  # sorted by start, non-overlapping
    nearest = next(exact, None)
    for match in _WORD.finditer(text):
        while nearest is not None and nearest.end <= match.start():
            nearest = next(exact, None)
        if nearest is not None and nearest.start < match.end():
            continue  # the word overlaps a hit already found
        similar = _resembles(match.group())
        if similar is not None:
            term = match.group()
            hits.append(
                _hit(match.start(), match.end(), term, similar.category, "similar", similar.shown)
            )
    hits.sort(key=lambda hit: hit.start)
    spans = _exception_spans(text) if hits else []
    return [hit for hit in hits if not _excepted(hit, spans)]
