"""Follow-up rules (R-FU-2..6): who must take part, outcomes per goal, need changes.

Pure; the Django side records follow-ups and calls these to check them.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .profile import FollowUpParticipation, RoutineProfile

__all__ = [
    "FOLLOW_UP_QUESTIONS",
    "FollowUpOutcome",
    "GoalOutcome",
    "NeedChange",
    "ParticipantRole",
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

    A legal representative counts as the person's side together with relatives
    for "den enskilde och/eller anhörig".
    """
    present = {ParticipantRole(r) for r in roles}
    person = ParticipantRole.PERSON in present
    relative = bool(present & {ParticipantRole.RELATIVE, ParticipantRole.LEGAL_REPRESENTATIVE})
    rule = profile.follow_up_participation
    if rule is FollowUpParticipation.PERSON and not person:
        return "Enligt rutinen ska den enskilde delta i uppföljningen."
    if rule is FollowUpParticipation.PERSON_OR_RELATIVE and not (person or relative):
        return "Enligt rutinen ska den enskilde och/eller en anhörig delta i uppföljningen."
    if rule is FollowUpParticipation.PERSON_AND_RELATIVE and not (person and relative):
        return "Enligt rutinen ska både den enskilde och en anhörig delta i uppföljningen."
    return None
