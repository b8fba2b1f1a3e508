"""The plan as a printable, archival and accessible PDF (R-LIFE-5).

One version of a plan is drawn from HTML templates (``templates/plans/pdf/``)
with WeasyPrint. Two variants: the full plan for staff and archive, and an
easy-to-read, large-print plan for the person.

The PDF is PDF/A-2a: archival PDF/A part 2 at conformance level "a"
(accessible), which in WeasyPrint means the PDF/A-2 rules (embedded fonts,
sRGB output intent, XMP metadata, file identifier) *and* a tagged structure
tree (``/StructTreeRoot``, ``/MarkInfo /Marked true``, ``/Lang`` from
``<html lang="sv">``, the title from ``<title>`` with ``DisplayDocTitle``).
Part 2 rather than 3: PDF/A-3 only adds arbitrary embedded files, which the
plan has none of and which public archives are wary of accepting.

Every page carries the confidentiality marking, the person, the version and,
in the footer, the version's identity (number, state, first 12 characters of
the SHA-256 the signatures cover) and page numbers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from delaktig import labels, rules
from delaktig.labels import Label

from .access import DISCLOSURE_ROLES, disclosure_roles
from .content import content_hash
from .display import SIP_LABELS, visits_text
from .models import (
    Handover,
    PlanVersion,
    Signature,
    SignatureMethod,
    VersionState,
    newest_corrections,
)
from .services import required_roles

__all__ = ["PDF_OPTIONS", "PdfVariant", "render_plan_pdf"]


class PdfVariant(StrEnum):
    STANDARD = "standard"
    EASY = "lattlast"  # easy-to-read, large print: the person's own copy


# WeasyPrint 70 options. "pdf/a-2a" turns tagging on by itself (pdf_tags=True is
# said again so the choice survives a variant that does not) and sets PDF 1.7,
# the sRGB output intent and a file identifier.
PDF_OPTIONS: dict[str, Any] = {
    "pdf_variant": "pdf/a-2a",
    "pdf_tags": True,
}

CONFIDENTIALITY = "Sekretess enligt 26 kap. 1 § OSL"

# Statement groups: the standard plan's heading and the easy-read plan's (R-PLAN-4).
_SOURCE_HEADINGS = {
    source: (labels.SOURCES[source.value].name, labels.SOURCES[source.value].said_to_person)
    for source in rules.StatementSource
}


_WATERMARKS = {
    VersionState.DRAFT: "UTKAST – ej fastställd",
    VersionState.READY_FOR_SIGNING: "Ej fastställd – för signering",
    VersionState.SUPERSEDED: "ERSATT – gäller inte längre",
    VersionState.CLOSED: "AVSLUTAD – gäller inte längre",
}


@dataclass(frozen=True)
class GoalView:
    text: str
    sub_goals: list[str]


@dataclass(frozen=True)
class ActivityView:
    description: str
    responsible: str
    when: str
    goals: list[GoalView]


@dataclass(frozen=True)
class InterventionView:
    name: str
    when: str
    where: str
    how: str
    schedule: str
    goals: list[GoalView]
    activities: list[ActivityView]
    follow_up_how: str = ""  # R-PLAN-7: when and how this intervention is followed up


@dataclass(frozen=True)
class StatementGroup:
    source: str
    heading: Label
    easy_heading: Label
    texts: list[str]


@dataclass(frozen=True)
class SignatureRow:
    """One required role: signed, not signed with a reason, or a line to sign on paper."""

    role: str
    signed: bool = False
    declined: bool = False
    name: str = ""
    on: date | None = None
    method: str = ""
    reason: str = ""
    recorded_on: date | None = None  # when Delaktig learned of it, shown where it differs
    corrected_to: date | None = None  # the newest correction of a paper date (issue 9)
    corrected_reason: str = ""

    @property
    def recorded_later(self) -> bool:
        return self.recorded_on is not None and self.recorded_on != self.on

    @property
    def missing(self) -> bool:
        return not (self.signed or self.declined)


@dataclass
class PlanView:
    """Everything the templates draw, prepared and labelled in Swedish."""

    decision_goals: str
    interventions: list[InterventionView]
    participation_how: str
    wishes_weight: str
    interests_how_found: str
    statements: list[StatementGroup]
    participants: list[tuple[str, str]]
    other_information: str
    cooperation: str
    follow_up_how: str
    disclosure: list[Label]
    receives_health_care: bool
    sip: Label
    declined: bool
    declined_reason: str
    declined_purpose_explained: bool
    others_statements: list[StatementGroup] = field(default_factory=list)

    @property
    def has_participation(self) -> bool:
        return bool(self.participation_how or self.wishes_weight or self.interests_how_found)

    @property
    def has_goals(self) -> bool:
        return bool(self.decision_goals or any(p.goals for p in self.interventions))

    @property
    def has_activities(self) -> bool:
        return any(p.activities for p in self.interventions)

    @property
    def has_follow_up(self) -> bool:
        """The plan's own follow-up text, or an intervention's (R-PLAN-7)."""
        return bool(self.follow_up_how or any(p.follow_up_how for p in self.interventions))


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _goals(items: Any) -> list[GoalView]:
    goals = []
    for item in items or ():
        if not isinstance(item, dict):
            continue
        subs = [_str(s) for s in item.get("sub_goals") or () if _str(s)]
        if _str(item.get("text")) or subs:
            goals.append(GoalView(text=_str(item.get("text")), sub_goals=subs))
    return goals


def _plan_view(version: PlanVersion) -> PlanView:
    content = version.content if isinstance(version.content, dict) else {}
    interventions = [
        InterventionView(
            name=_str(part.get("name")) or "Insats",
            when=_str(part.get("when")),
            where=_str(part.get("where")),
            how=_str(part.get("how")),
            schedule=visits_text(part),
            goals=_goals(part.get("goals")),
            activities=[
                ActivityView(
                    description=_str(a.get("description")),
                    responsible=_str(a.get("responsible")),
                    when=_str(a.get("when")),
                    goals=_goals(a.get("goals")),
                )
                for a in part.get("activities") or ()
                if isinstance(a, dict)
            ],
            follow_up_how=_str(part.get("follow_up_how")),
        )
        for part in content.get("interventions") or ()
        if isinstance(part, dict)
    ]
    by_source: dict[str, list[str]] = {}
    for statement in content.get("statements") or ():
        if isinstance(statement, dict) and _str(statement.get("text")):
            by_source.setdefault(str(statement.get("source")), []).append(
                _str(statement.get("text"))
            )
    statements = [
        StatementGroup(source.value, heading, easy, by_source[source.value])
        for source, (heading, easy) in _SOURCE_HEADINGS.items()
        if by_source.get(source.value)
    ]
    disclosure: list[Label] = [_str(d) for d in content.get("disclosure") or () if _str(d)]
    roles = disclosure_roles(version)  # staff roles the plan is open to (plans.access)
    disclosure += [
        label
        for role, label in DISCLOSURE_ROLES.items()
        if role in roles and str(label) not in disclosure
    ]
    sip = SIP_LABELS.get(str(content.get("sip_status")), SIP_LABELS["unanswered"])
    return PlanView(
        decision_goals=_str(content.get("decision_goals")),
        interventions=interventions,
        participation_how=_str(content.get("participation_how")),
        wishes_weight=_str(content.get("wishes_weight")),
        interests_how_found=_str(content.get("interests_how_found")),
        statements=statements,
        others_statements=[g for g in statements if g.source != rules.StatementSource.PERSON],
        participants=[
            (_str(p.get("name")), _str(p.get("role")))
            for p in content.get("participants") or ()
            if isinstance(p, dict) and (_str(p.get("name")) or _str(p.get("role")))
        ],
        other_information=_str(content.get("other_information")),
        cooperation=_str(content.get("cooperation")),
        follow_up_how=_str(content.get("follow_up_how")),
        disclosure=disclosure,
        receives_health_care=bool(content.get("receives_health_care")),
        sip=sip,
        declined=bool(content.get("declined")),
        declined_reason=_str(content.get("declined_reason")),
        declined_purpose_explained=bool(content.get("declined_purpose_explained")),
    )


def _handovers(version: PlanVersion) -> list[Handover]:
    """The handovers, each with ``date_notes``: its corrected dates, in words."""
    latest = newest_corrections(version.corrections.all())
    handovers = list(version.handovers.all())
    for h in handovers:
        h.date_notes = [
            f"{c.get_field_display()} rättat till {c.new_value:%Y-%m-%d} ({c.reason})"
            for (record, _field), c in latest.items()
            if record == f"handover-{h.pk}"
        ]
    return handovers


def _signature_rows(version: PlanVersion, sha256: str, on: date) -> list[SignatureRow]:
    """One row per role the routine requires; a signature on other content counts as none."""
    valid: dict[str, Signature] = {
        s.role: s for s in version.signatures.all() if sha256 and s.content_sha256 == sha256
    }
    rows = []
    latest = newest_corrections(version.corrections.all())
    for role in required_roles(version, on):
        signature = valid.get(role.value)
        fix = latest.get((f"signature-{signature.pk}", "signed_on")) if signature else None
        corrected_to, corrected_reason = (fix.new_value, fix.reason) if fix else (None, "")
        if signature is None:
            rows.append(SignatureRow(role=role.label))
        elif not signature.signed:
            rows.append(
                SignatureRow(
                    role=role.label,
                    declined=True,
                    name=signature.signer_name,
                    on=signature.signed_on,
                    reason=signature.not_signed_reason,
                    recorded_on=timezone.localdate(signature.recorded_at),
                    corrected_to=corrected_to,
                    corrected_reason=corrected_reason,
                )
            )
        else:
            rows.append(
                SignatureRow(
                    role=role.label,
                    signed=True,
                    name=signature.signer_name,
                    on=signature.signed_on,
                    method=SignatureMethod(signature.method).label,
                    recorded_on=timezone.localdate(signature.recorded_at),
                    corrected_to=corrected_to,
                    corrected_reason=corrected_reason,
                )
            )
    return rows


def _load(version: PlanVersion) -> PlanVersion:
    """The version with everything the PDF reads, in a handful of queries."""
    return (
        PlanVersion.objects.select_related(
            "plan__case__person",
            "plan__unit__municipality",
            "plan__unit__administration__municipality",
        )
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.order_by("recorded_at", "pk")),
            Prefetch("handovers", queryset=Handover.objects.order_by("communicated_on", "pk")),
            "approvals",
            "corrections",
        )
        .get(pk=version.pk)
    )


def _context(version: PlanVersion, variant: PdfVariant, printed_by: str) -> dict[str, Any]:
    plan = version.plan
    person = plan.case.person
    unit = plan.unit
    established = version.state == VersionState.ESTABLISHED
    frozen_hash = version.content_sha256
    sha256 = frozen_hash or content_hash(version.content)
    today = timezone.localdate()
    on = version.established_on or today
    title = f"Genomförandeplan – {person.name} – version {version.number}"
    if variant == PdfVariant.EASY:
        title += " (lättläst)"
    return {
        "easy": variant == PdfVariant.EASY,
        "title": title,
        "labels": labels,
        "confidentiality": CONFIDENTIALITY,
        "version": version,
        "person": person,
        "unit": unit,
        "municipality": unit.municipality,
        "state": VersionState(version.state).label,
        "established": established,
        "established_on": version.established_on,
        # A plan established on paper earlier: the day Delaktig registered it (issue 9).
        "registered_afterwards_on": (
            timezone.localdate(version.established_at)
            if version.registered_afterwards and version.established_at
            else None
        ),
        "approvals": list(version.approvals.all()),
        "next_follow_up_on": (
            plan.next_follow_up_on if plan.established_version_id == version.pk else None
        ),
        "watermark": _WATERMARKS.get(VersionState(version.state), ""),
        "sha256": sha256,
        "sha256_short": sha256[:12],
        "sha256_frozen": bool(frozen_hash),
        "plan": _plan_view(version),
        "signatures": _signature_rows(version, frozen_hash, on),
        "handovers": _handovers(version),
        "printed_on": today,
        "printed_by": printed_by.strip(),
        "created": timezone.localtime().isoformat(timespec="seconds"),
    }


def render_plan_pdf(
    version: PlanVersion, *, variant: PdfVariant = PdfVariant.STANDARD, printed_by: str = ""
) -> bytes:
    """The version as a PDF/A-2a document, tagged for screen readers (R-LIFE-5)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    version = _load(version)
    context = _context(version, PdfVariant(variant), printed_by)
    template = "plans/pdf/easy.html" if context["easy"] else "plans/pdf/standard.html"
    html = render_to_string(template, context)
    # The same identifier for every print of one version (the first of the two IDs).
    identity = f"delaktig:{version.plan.uuid}:{version.number}".encode()
    # Nothing is fetched: the plan is self-contained, and user text never becomes a URL.
    no_fetching = URLFetcher(allowed_protocols=set())
    pdf: bytes = HTML(string=html, url_fetcher=no_fetching).write_pdf(
        **PDF_OPTIONS, pdf_identifier=hashlib.sha256(identity).hexdigest()[:32].encode()
    )
    return pdf
