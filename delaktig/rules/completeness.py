"""Completeness check of a draft plan (R-PLAN-15).

:func:`check_completeness` lists every item still missing, each as a
:class:`Finding` with the requirement, the source (regulation/seed) and a
plain Swedish message. A plan can be established only when no *mandatory*
finding remains (:func:`is_establishable`); the other findings are advice.

Choices:

* Whitespace-only text counts as missing. An entry the author added (a goal,
  sub-goal, statement, participant or disclosure row) must be filled in or
  removed.
* An intervention has a goal if it, or one of its activities, has a goal
  ("vilka mål som gäller för insatsen eller delar av den", S1).
* When the person declines the plan (R-PLAN-12) nothing is relaxed: S2 says
  "uppgifterna [behöver] ändå dokumenteras enligt föreskrifterna", so every
  rule still applies (``participation_how`` then describes the refusal), and
  in addition the explained purpose and the reason are required.
* When and how the plan is followed up (R-PLAN-7, S2) may be written once for
  the whole plan or for each intervention: rule ``"follow_up_how"`` is met
  when the plan's own text is filled in, or when there is at least one
  intervention and every intervention has its own. Otherwise there is one
  mandatory finding on the plan's field, however many interventions lack
  theirs. A plan without interventions needs the plan's text.
* Health-care text (R-PLAN-11) gives one *non-mandatory* finding per field,
  code ``"hsl"``, naming the words; the hits are attached for highlighting.
* Profile settings: ``activities_required`` (S4 "vem ska göra vad") makes an
  intervention without activities a mandatory finding (an activity's
  responsible is always mandatory); ``other_information_required`` (S1 "ska
  framgå") makes the other information mandatory, code
  ``"other_information.required"``.
* The free-text "när" of an intervention and its visits (R-LIFE-7) are
  compared by :func:`delaktig.rules.visits.when_mismatches`; a clear
  contradiction is advice, code ``"intervention.when_visits"``, naming what
  does not match.
* Findings come in a stable order: the checks in plan order, then the HSL
  warnings field by field.
"""

from __future__ import annotations

from collections.abc import Iterable

from .content import (
    Activity,
    Goal,
    InterventionPart,
    Participant,
    PlanContent,
    SipStatus,
    Statement,
    StatementSource,
    intervention_path,
)
from .findings import RULES, Finding, Rule
from .hsl import Hit, find_health_care_text
from .profile import RoutineProfile
from .visits import when_mismatches

__all__ = [
    "RULES",
    "Activity",
    "Finding",
    "Goal",
    "InterventionPart",
    "Participant",
    "PlanContent",
    "Rule",
    "SipStatus",
    "Statement",
    "StatementSource",
    "check_completeness",
    "is_establishable",
]


def _blank(text: str) -> bool:
    return not text.strip()


class _Findings:
    """Collects findings in order."""

    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, code: str, path: str, hits: tuple[Hit, ...] = (), **values: str) -> None:
        rule = RULES[code]
        message = rule.message.format(**values)
        self.items.append(
            Finding(code, path, rule.requirement, rule.source, message, rule.mandatory, hits)
        )


def _check_goals(out: _Findings, path: str, goals: tuple[Goal, ...]) -> None:
    for index, goal in enumerate(goals):
        goal_path = f"{path}.goals[{index}]"
        if _blank(goal.text):
            out.add("goal.text", f"{goal_path}.text")
        for sub_index, sub_goal in enumerate(goal.sub_goals):
            if _blank(sub_goal):
                out.add("goal.sub_goal", f"{goal_path}.sub_goals[{sub_index}]")


def _check_activity(out: _Findings, path: str, activity: Activity) -> None:
    if _blank(activity.description):
        out.add("activity.description", f"{path}.description")
    if _blank(activity.responsible):
        out.add("activity.responsible", f"{path}.responsible")
    if not activity.goals:
        out.add("activity.goals", f"{path}.goals")
    _check_goals(out, path, activity.goals)


def _check_intervention(out: _Findings, part: InterventionPart, profile: RoutineProfile) -> None:
    path = intervention_path(part.key)
    for attribute in ("when", "where", "how"):
        if _blank(getattr(part, attribute)):
            out.add(f"intervention.{attribute}", f"{path}.{attribute}", name=part.name)
    if profile.activities_required and not part.activities:
        out.add("intervention.activities", f"{path}.activities", name=part.name)
    goals = part.goals + tuple(goal for activity in part.activities for goal in activity.goals)
    if all(_blank(goal.text) for goal in goals):
        out.add("intervention.goals", f"{path}.goals", name=part.name)
    elif not any(goal.sub_goals for goal in goals):
        out.add("intervention.sub_goals", f"{path}.goals", name=part.name)
    _check_goals(out, path, part.goals)
    for index, activity in enumerate(part.activities):
        _check_activity(out, f"{path}.activities[{index}]", activity)
    if mismatches := when_mismatches(part.when, part.visits):
        details = ", ".join(m.text for m in mismatches)
        out.add("intervention.when_visits", f"{path}.when", name=part.name, details=details)


def _check_participation(out: _Findings, content: PlanContent) -> None:
    if _blank(content.participation_how):
        out.add("participation_how", "participation_how")
    if _blank(content.wishes_weight):
        out.add("wishes_weight", "wishes_weight")
    for index, statement in enumerate(content.statements):
        if _blank(statement.text):
            out.add("statement.text", f"statements[{index}].text")
    person_spoke = any(
        s.source is StatementSource.PERSON and not _blank(s.text) for s in content.statements
    )
    if not person_spoke and _blank(content.interests_how_found):
        out.add("interests_how_found", "interests_how_found")
    if not content.participants:
        out.add("participants.missing", "participants")
    for index, participant in enumerate(content.participants):
        if _blank(participant.name):
            out.add("participant.name", f"participants[{index}].name")
        if _blank(participant.role):
            out.add("participant.role", f"participants[{index}].role")


def _follow_up_described(content: PlanContent) -> bool:
    """The plan says when and how it is followed up: as a whole, or for each part (R-PLAN-7)."""
    if not _blank(content.follow_up_how):
        return True
    parts = content.interventions
    return bool(parts) and all(not _blank(part.follow_up_how) for part in parts)


def _check_plan(out: _Findings, content: PlanContent, profile: RoutineProfile) -> None:
    if _blank(content.cooperation):
        out.add("cooperation", "cooperation")
    if not _follow_up_described(content):
        out.add("follow_up_how", "follow_up_how")
    if not content.disclosure:
        out.add("disclosure.missing", "disclosure")
    for index, reader in enumerate(content.disclosure):
        if _blank(reader):
            out.add("disclosure.entry", f"disclosure[{index}]")
    unanswered = content.sip_status in (SipStatus.UNANSWERED, SipStatus.NOT_APPLICABLE)
    if content.receives_health_care and unanswered:
        out.add("sip_status", "sip_status")
    if content.declined and not content.declined_purpose_explained:
        out.add("declined.purpose_explained", "declined_purpose_explained")
    if content.declined and _blank(content.declined_reason):
        out.add("declined.reason", "declined_reason")
    if profile.master_data_check and not content.master_data_checked:
        out.add("master_data_checked", "master_data_checked")
    for path, text in content.texts():
        hits = tuple(find_health_care_text(text))
        if hits:
            words = ", ".join(dict.fromkeys(f"”{hit.term}”" for hit in hits))
            out.add("hsl", path, hits, words=words)


def check_completeness(content: PlanContent, profile: RoutineProfile) -> list[Finding]:
    """Every missing item of ``content`` under ``profile``, in a stable order (R-PLAN-15)."""
    out = _Findings()
    if not content.interventions:
        out.add("interventions.missing", "interventions")
    if _blank(content.decision_goals):
        out.add("decision_goals", "decision_goals")
    for part in content.interventions:
        _check_intervention(out, part, profile)
    if _blank(content.other_information):
        required = profile.other_information_required
        out.add(
            "other_information.required" if required else "other_information", "other_information"
        )
    _check_participation(out, content)
    _check_plan(out, content, profile)
    return out.items


def is_establishable(findings: Iterable[Finding]) -> bool:
    """True when no finding is mandatory (R-PLAN-15)."""
    return not any(finding.mandatory for finding in findings)
