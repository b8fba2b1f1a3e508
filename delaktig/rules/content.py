"""Plain data describing a plan's content, for the completeness check (R-PLAN-15).

The Django side converts its models to these frozen dataclasses; nothing here
knows about the database. Lists given for tuple fields are converted to
tuples and strings given for enum fields to the enum, so instances stay
hashable. Field paths such as ``interventions[hemtjanst-dusch].goals[0].text``
name a place in the plan; :meth:`PlanContent.texts` yields every free text
with its path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from .visits import Visit

__all__ = [
    "Activity",
    "Goal",
    "InterventionPart",
    "Participant",
    "PlanContent",
    "SipStatus",
    "Statement",
    "StatementSource",
    "intervention_path",
]


def _freeze(instance: object, *names: str) -> None:
    """Turn list-valued fields of a frozen dataclass into tuples."""
    for name in names:
        object.__setattr__(instance, name, tuple(getattr(instance, name)))


class StatementSource(StrEnum):
    """Who said it; statements are kept apart by source (R-PLAN-4, S2)."""

    PERSON = "person"  # den enskilde
    STAFF = "staff"  # personal
    LEGAL_REPRESENTATIVE = "legal_representative"  # god man, förvaltare
    RELATIVE = "relative"  # närstående


class SipStatus(StrEnum):
    """Coordinated individual plan, when the person also gets health care (R-PLAN-10)."""

    UNANSWERED = "unanswered"  # ej besvarat
    NOT_APPLICABLE = "not_applicable"  # ej aktuellt
    NEEDED = "needed"  # SIP behövs
    EXISTS = "exists"  # SIP finns
    NOT_NEEDED = "not_needed"  # SIP behövs inte
    PERSON_OBJECTS = "person_objects"  # den enskilde motsätter sig SIP


@dataclass(frozen=True)
class Goal:
    """A goal (*mål*) with optional sub-goals (*delmål*) (R-PLAN-2)."""

    text: str
    sub_goals: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "sub_goals")


@dataclass(frozen=True)
class Activity:
    """An activity (*aktivitet*) within an intervention; ``responsible`` is who does it."""

    description: str
    responsible: str
    when: str = ""
    goals: tuple[Goal, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "goals")


@dataclass(frozen=True)
class InterventionPart:
    """How one granted intervention (*insats*) is carried out (R-PLAN-1).

    ``key`` is a stable, unique, non-blank identifier used in field paths;
    ``name`` comes from the decision and is not part of the free text.
    ``follow_up_how`` says when and how this intervention is followed up
    (R-PLAN-7, S2); it may be left blank when the plan's own follow-up text
    covers every intervention.
    """

    key: str
    name: str
    when: str
    where: str
    how: str
    goals: tuple[Goal, ...] = ()
    activities: tuple[Activity, ...] = ()
    follow_up_how: str = ""  # R-PLAN-7
    visits: tuple[Visit, ...] = ()  # R-LIFE-7: home care's visits, checked against ``when``

    def __post_init__(self) -> None:
        _freeze(self, "goals", "activities", "visits")


@dataclass(frozen=True)
class Statement:
    """What someone said about the support, with its source (R-PLAN-4)."""

    source: StatementSource
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", StatementSource(self.source))


@dataclass(frozen=True)
class Participant:
    """Someone who took part in planning (R-PLAN-5)."""

    name: str
    role: str


def _goal_texts(path: str, goals: tuple[Goal, ...]) -> Iterator[tuple[str, str]]:
    for index, goal in enumerate(goals):
        yield f"{path}.goals[{index}].text", goal.text
        for sub_index, sub_goal in enumerate(goal.sub_goals):
            yield f"{path}.goals[{index}].sub_goals[{sub_index}]", sub_goal


@dataclass(frozen=True)
class PlanContent:
    """Everything the completeness check looks at (R-PLAN-1…14)."""

    interventions: tuple[InterventionPart, ...]
    decision_goals: str = ""  # R-PLAN-2
    other_information: str = ""  # R-PLAN-3
    participation_how: str = ""  # R-PLAN-4: how the person took part
    wishes_weight: str = ""  # R-PLAN-4: weight given to views and wishes
    interests_how_found: str = ""  # R-PLAN-4: needed without a PERSON statement
    statements: tuple[Statement, ...] = ()
    participants: tuple[Participant, ...] = ()  # R-PLAN-5
    cooperation: str = ""  # R-PLAN-8
    follow_up_how: str = ""  # R-PLAN-7
    disclosure: tuple[str, ...] = ()  # R-PLAN-9: who may read the plan
    receives_health_care: bool = False  # R-PLAN-10
    sip_status: SipStatus = SipStatus.UNANSWERED  # R-PLAN-10
    declined: bool = False  # R-PLAN-12
    declined_purpose_explained: bool = False
    declined_reason: str = ""
    master_data_checked: bool = False  # R-PLAN-14

    def __post_init__(self) -> None:
        _freeze(self, "interventions", "statements", "participants", "disclosure")
        object.__setattr__(self, "sip_status", SipStatus(self.sip_status))
        keys = [part.key for part in self.interventions]
        if any(not key.strip() for key in keys) or len(set(keys)) != len(keys):
            raise ValueError("Varje insats i planen måste ha en unik, icke-tom nyckel.")

    def texts(self) -> Iterator[tuple[str, str]]:
        """Yield ``(field_path, text)`` for every free text, in document order.

        Names from the decision, participants' names and roles, the disclosure
        list and keys are not free text and are not yielded.
        """
        yield "decision_goals", self.decision_goals
        for part in self.interventions:
            path = intervention_path(part.key)
            yield f"{path}.when", part.when
            yield f"{path}.where", part.where
            yield f"{path}.how", part.how
            yield from _goal_texts(path, part.goals)
            for index, activity in enumerate(part.activities):
                activity_path = f"{path}.activities[{index}]"
                yield f"{activity_path}.description", activity.description
                yield f"{activity_path}.responsible", activity.responsible
                yield f"{activity_path}.when", activity.when
                yield from _goal_texts(activity_path, activity.goals)
            yield f"{path}.follow_up_how", part.follow_up_how
        yield "other_information", self.other_information
        yield "participation_how", self.participation_how
        yield "wishes_weight", self.wishes_weight
        yield "interests_how_found", self.interests_how_found
        for index, statement in enumerate(self.statements):
            yield f"statements[{index}].text", statement.text
        yield "cooperation", self.cooperation
        yield "follow_up_how", self.follow_up_how
        yield "declined_reason", self.declined_reason


def intervention_path(key: str) -> str:
    """Field path of one intervention, e.g. ``interventions[hemtjanst-dusch]``."""
    return f"interventions[{key}]"
