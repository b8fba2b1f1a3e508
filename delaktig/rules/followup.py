"""Follow-up rules (R-FU-2..6): who must take part, outcomes per goal, need changes.

Pure; the Django side records follow-ups and calls these to check them.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .profile import ChangeApproval, FollowUpParticipation, RoutineProfile

__all__ = [
    "FOLLOW_UP_QUESTIONS",
    "Approver",
    "FollowUpOutcome",
    "GoalOutcome",
    "NeedChange",
    "ParticipantRole",
    "approval_problem",
    "outcome_problem",
    "participation_problem",
]

#: The five guiding questions of the national knowledge support (S2), R-FU-5.
FOLLOW_UP_QUESTIONS: tuple[str, ...] = (
    "Har det gått som vi planerat?",
    "Har du kommit närmare eller nått dina mål eller delmål?",
    "Har vi som personal respekterat dina önskemål om hur du vill ha stödet utfört?",
    "Har alla inblandade tagit sitt ansvar och genomfört överenskomna åtgärder?",
    "Har något förändrats i din situation?",
)


class ParticipantRole(StrEnum):
    """Who took part in a follow-up."""

    PERSON = "person"  # den enskilde
    RELATIVE = "relative"  # närstående/anhörig
    LEGAL_REPRESENTATIVE = "legal_representative"  # god man, förvaltare
    STAFF = "staff"  # personal, kontaktman
    OTHER = "other"


class GoalOutcome(StrEnum):
    """Per goal at follow-up (R-FU-4)."""

    ACHIEVED = "achieved"  # uppnått
    PARTLY = "partly"  # delvis uppnått
    NOT_ACHIEVED = "not_achieved"  # inte uppnått
    NO_LONGER_RELEVANT = "no_longer_relevant"  # inte längre aktuellt


class FollowUpOutcome(StrEnum):
    """No change → recorded on the existing plan; change → a new version (R-FU-3)."""

    NO_CHANGE = "no_change"
    CHANGE = "change"


class NeedChange(StrEnum):
    """Has the need of support changed? Increased or decreased: tell the case officer (R-FU-6)."""

    UNCHANGED = "unchanged"
    INCREASED = "increased"
    DECREASED = "decreased"

    @property
    def notify_case_officer(self) -> bool:
        return self is not NeedChange.UNCHANGED


def participation_problem(
    profile: RoutineProfile, roles: Iterable[ParticipantRole | str]
) -> str | None:
    """A Swedish message if the routine's participation rule (R-FU-2) is not met, else None.

    "Den enskilde och/eller anhörig" (S0/S3): the relative part is met by a
    relative (*anhörig, närstående*) only, not by a legal representative (god
    man, förvaltare) nor by staff: they take part in their own right.
    """
    present = {ParticipantRole(r) for r in roles}
    person = ParticipantRole.PERSON in present
    relative = ParticipantRole.RELATIVE in present
    rule = profile.follow_up_participation
    if rule is FollowUpParticipation.PERSON and not person:
        return "Enligt rutinen ska den enskilde delta i uppföljningen."
    if rule is FollowUpParticipation.PERSON_OR_RELATIVE and not (person or relative):
        return "Enligt rutinen ska den enskilde och/eller en anhörig delta i uppföljningen."
    if rule is FollowUpParticipation.PERSON_AND_RELATIVE and not (person and relative):
        return "Enligt rutinen ska både den enskilde och en anhörig delta i uppföljningen."
    return None


def outcome_problem(profile: RoutineProfile, outcome: FollowUpOutcome | str) -> str | None:
    """A Swedish message if the routine demands a new version at every follow-up (S4)."""
    if profile.new_version_at_follow_up and FollowUpOutcome(outcome) is FollowUpOutcome.NO_CHANGE:
        return (
            "Enligt rutinen upprättas en ny genomförandeplan vid varje uppföljning (minst en "
            "gång per år): välj ”Förändring – ny version av planen”."
        )
    return None


class Approver(StrEnum):
    """Who approved the changes in a new plan version (S0/S3)."""

    PERSON = "person"  # den enskilde (a signature or a recorded approval)
    RELATIVE = "relative"  # anhörig/närstående — not a legal representative, not staff


def approval_problem(
    profile: RoutineProfile, *, is_change: bool, approvers: Iterable[Approver | str]
) -> str | None:
    """A Swedish message if a new version lacks the approval its routine requires (S0/S3).

    ``is_change`` is true for a version that replaces an established one: "den
    enskilde och/eller anhörig ska godkänna ändringar i genomförandeplanen". The
    first plan is approved by its signatures (R-LIFE-4), not here.
    """
    present = {Approver(a) for a in approvers}
    rule = profile.change_approval
    if not is_change or rule is ChangeApproval.NONE_REQUIRED:
        return None
    if rule is ChangeApproval.PERSON and Approver.PERSON not in present:
        return "Enligt rutinen ska den enskilde godkänna ändringarna i planen."
    if rule is ChangeApproval.PERSON_OR_RELATIVE and not present:
        return "Enligt rutinen ska den enskilde och/eller en anhörig godkänna ändringarna i planen."
    return None
