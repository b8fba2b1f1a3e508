"""Every label the UI shows for a plan: one wording per concept (issue 8).

The editor, the read-only plan page, the diff, the PDF, the follow-up form, the
scheduler's export and the archive description all read their words from here,
so a plain-language review or a later translation has one seam: every string
goes through ``gettext_lazy``.

Where the editor legitimately asks a question and the read-only page shows a
heading for the same thing, the two are one :class:`Field` with a ``question``
and a ``heading``, defined side by side. Everything else has one wording.

This module imports no app (only ``django.utils.translation``), so every layer
can use it. The labels are lazy: anything that needs a real ``str`` — content
stored in the database, hashing, sorting, dict keys, JSON or XML written into
an archive package — must ``str()`` them.

Keys are the stored values (``rules.StatementSource``, ``rules.SipStatus`` …);
``tests/services/test_labels.py`` checks that they match the enums.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# A label: a lazy string (``str()`` it where a real ``str`` is needed).
Label: TypeAlias = "str | _StrPromise"


@dataclass(frozen=True)
class Field:
    """One field: the editor's label (often a question) and the read-only heading.

    ``negative`` is the read-only sentence for a flag that is not set, where the
    page says so.
    """

    question: Label
    heading: Label
    negative: Label = ""


def same(label: Label) -> Field:
    """A field whose editor label and read-only heading are the same words."""
    return Field(question=label, heading=label)


@dataclass(frozen=True)
class Rows:
    """The legends of a list's rows: an existing row's ("{n}" is its number), the blank one's."""

    item: Label
    new: Label


@dataclass(frozen=True)
class Source:
    """Who said a statement (R-PLAN-4): the name, the editor's group heading, the easy PDF's."""

    name: Label
    said: Label
    said_to_person: Label


# Who takes part: in the planning, in a follow-up, as the source of a statement.
PARTIES = {
    "person": _("Den enskilde"),
    "staff": _("Personal"),
    "legal_representative": _("God man eller förvaltare"),
    "relative": _("Närstående"),
    "other": _("Annan"),
}

# rules.StatementSource → the statement's source, kept visibly apart (R-PLAN-4).
SOURCES = {
    "person": Source(PARTIES["person"], _("Det den enskilde själv har sagt"), _("Du har sagt")),
    "staff": Source(PARTIES["staff"], _("Det personalen har sagt"), _("Personalen har sagt")),
    "legal_representative": Source(
        PARTIES["legal_representative"],
        _("Det god man eller förvaltare har sagt"),
        _("Din gode man eller förvaltare har sagt"),
    ),
    "relative": Source(
        PARTIES["relative"], _("Det närstående har sagt"), _("Dina närstående har sagt")
    ),
}

# rules.ParticipantRole → who took part in a follow-up (R-FU-2).
PARTICIPANT_ROLES = {
    key: PARTIES[key] for key in ("person", "relative", "legal_representative", "staff", "other")
}

# rules.SipStatus → the answer about a coordinated individual plan.
SIP = {
    "unanswered": _("Inte besvarat"),
    "not_applicable": _("Inte aktuellt – den enskilde får ingen hälso- och sjukvård"),
    "needed": _("En SIP behövs"),
    "exists": _("Det finns en SIP"),
    "not_needed": _("En SIP behövs inte"),
    "person_objects": _("Den enskilde vill inte ha en SIP"),
}

# ISO weekday codes, in order; lower case, as inside a sentence ("tisdag, kl. 09:00").
WEEKDAYS = {
    "MO": _("måndag"),
    "TU": _("tisdag"),
    "WE": _("onsdag"),
    "TH": _("torsdag"),
    "FR": _("fredag"),
    "SA": _("lördag"),
    "SU": _("söndag"),
}

# rules.GoalOutcome → how a goal went, at a follow-up (R-FU-4).
OUTCOMES = {
    "achieved": _("Uppnått"),
    "partly": _("Delvis uppnått"),
    "not_achieved": _("Inte uppnått"),
    "no_longer_relevant": _("Inte längre aktuellt"),
}

# organisation.Role → the staff groups a disclosure list can name (R-PLAN-9). These
# words are also *stored* in a version's ``disclosure`` list: changing one leaves
# older versions with the old words.
DISCLOSURE_ROLES = {
    "staff": _("Personalen i arbetslaget"),
    "scheduler": _("Planeraren"),
}

# The plan's top-level fields (content keys).
FIELDS = {
    "decision_goals": same(_("Mål enligt beslutet")),
    "participation_how": Field(
        _("Hur har den enskilde varit med i planeringen?"),
        _("Så deltog den enskilde i planeringen"),
    ),
    "wishes_weight": Field(
        _("Hur har ni tagit hänsyn till den enskildes synpunkter och önskemål?"),
        _("Vilken vikt den enskildes synpunkter och önskemål fick"),
    ),
    "interests_how_found": Field(
        _("Hur har ni tagit reda på den enskildes intressen och mål?"),
        _("Så tog vi reda på den enskildes intressen och mål"),
    ),
    "statements": same(_("Synpunkter")),
    "participants": same(_("Deltagare i planeringen")),
    "other_information": Field(
        _("Vad mer behöver personalen veta?"), _("Annan viktig information")
    ),
    "cooperation": Field(_("Med vem samverkar ni, och hur?"), _("Samverkan")),
    "follow_up_how": Field(_("När och hur ska planen följas upp?"), _("Uppföljning")),
    "disclosure": Field(_("Vem får ta del av planen?"), _("Vem får ta del av planen")),
    "disclosure_roles": same(_("Grupper som får ta del av planen")),
    "disclosure_other": same(_("Andra som får ta del av planen")),
    "receives_health_care": same(_("Den enskilde får också hälso- och sjukvård")),
    "sip_status": same(_("Samordnad individuell plan (SIP)")),
    "declined": Field(
        _("Den enskilde vill inte ha en genomförandeplan"),
        _("Den enskilde har avböjt en genomförandeplan"),
    ),
    "declined_purpose_explained": Field(
        _("Vi har förklarat varför planen görs"),
        _("Syftet med en genomförandeplan har förklarats för den enskilde."),
        _(
            "Det är inte antecknat att syftet med en genomförandeplan har förklarats för den "
            "enskilde."
        ),
    ),
    "declined_reason": Field(
        _("Vad säger den enskilde om varför hen inte vill ha en plan?"), _("Skäl")
    ),
    "master_data_checked": same(
        _("Jag har kontrollerat att personens uppgifter och övrig information stämmer")
    ),
}
# One intervention's fields.
INTERVENTION = {
    "when": Field(_("När ska insatsen göras?"), _("När")),
    "where": Field(_("Var ska insatsen göras?"), _("Var")),
    "how": Field(_("Hur ska insatsen göras?"), _("Hur")),
    # R-PLAN-7: when and how this intervention is followed up (the plan's own is FIELDS').
    "follow_up_how": Field(_("När och hur ska insatsen följas upp?"), _("Uppföljning av insatsen")),
    "goals": Field(_("Mål för insatsen"), _("Mål")),
    "activities": same(_("Aktiviteter")),
    "schedule": same(_("Schema")),
}
GOAL = {
    "text": same(_("Mål")),
    "sub_goals": Field(_("Delmål – skriv ett delmål på varje rad"), _("Delmål")),
}
ACTIVITY = {
    "description": Field(_("Vad ska göras?"), _("Aktivitet")),
    "responsible": Field(_("Vem ansvarar?"), _("Vem ansvarar")),
    "when": Field(_("När?"), _("När")),
    "goals": same(_("Mål med aktiviteten")),
}
SCHEDULE = {
    "weekdays": same(_("Veckodagar")),
    "time_of_day": same(_("Klockslag")),
    "duration_minutes": same(_("Längd i minuter")),
    "times_per_week": same(_("Gånger per vecka")),
}
STATEMENT = {
    "text": same(_("Vad har sagts?")),
    "source": same(_("Vem har sagt det?")),
}
PARTICIPANT = {
    "name": same(_("Namn")),
    "role": same(_("Roll")),
}
DISCLOSURE_OTHER = {
    "text": same(_("Person eller roll")),
}
# The legends of the editor's list rows.
ROWS = {
    "goals": Rows(_("Mål {n}"), _("Nytt mål")),
    "activities": Rows(_("Aktivitet {n}"), _("Ny aktivitet")),
    "statements": Rows(_("Synpunkt {n}"), _("Ny synpunkt")),
    "participants": Rows(_("Deltagare {n}"), _("Ny deltagare")),
    "visits": Rows(_("Besök {n}"), _("Nytt besök")),
    "disclosure_other": Rows(_("Person eller roll {n}"), _("Annan person eller roll")),
}
# Headings of the editor's sections that are not one field (their defaults; a
# municipality's plan template may override them, R-PLAN-13).
SECTIONS = {
    "interventions": _("Insatserna"),
    "participation": _("Den enskildes delaktighet"),
    "interests_how_found": _("Om den enskilde inte har sagt vad hen vill"),
    "health_care": _("Hälso- och sjukvård och SIP"),
    "declined": _("Om den enskilde inte vill ha en plan"),
    "master_data": _("Kontroll av uppgifter"),
}

# Words inside the diff's "Rubrik: text" lines that are no heading of their own.
LINES = {
    "statement": _("Synpunkt"),
    "responsible": _("ansvarig"),
    "when": _("när"),
}

# The follow-up's assessment questions (R-FU-4), in the order of S2.
FOLLOW_UP = {
    "person_view": _(
        "Hur upplever den enskilde insatserna i förhållande till sina behov och önskemål?"
    ),
    "assessment_methods": _("Har standardiserade bedömningsmetoder använts? I så fall vilka?"),
    "carried_out_as_decided": _(
        "Har insatserna genomförts enligt beslutet och gällande författningar?"
    ),
    "situation": _("Bedömning av den enskildes situation"),
    "action_needs": _("Behov av åtgärder som uppföljningen visat"),
    "disclosure_reviewed": _(
        "Vi har gått igenom vem som får ta del av planen tillsammans med den enskilde"
    ),
}
