"""Delaktig's rules engine: pure Python, standard library only, no Django.

Everything the seed routines disagree on is a setting of a
:class:`RoutineProfile` (R-ORG-3). See ``docs/rules.md`` for the documented
public API with examples.
"""

from __future__ import annotations

from .completeness import check_completeness, is_establishable
from .content import (
    Activity,
    Goal,
    InterventionPart,
    Participant,
    PlanContent,
    SipStatus,
    Statement,
    StatementSource,
)
from .dates import DateProblem, add_months, add_years, event_date_problem, swedish_today
from .deadlines import (
    DeadlineStatus,
    NewIntervention,
    deadline_status,
    follow_up_due,
    new_intervention_deadline,
    plan_deadline,
    reminder_due,
    reminder_start,
)
from .disposal import disposal_date, in_research_sample
from .findings import RULES, Finding, Rule
from .followup import (
    FOLLOW_UP_QUESTIONS,
    Approver,
    FollowUpOutcome,
    GoalOutcome,
    NeedChange,
    ParticipantRole,
    approval_problem,
    outcome_problem,
    participation_problem,
)
from .hsl import LEXICON, Hit, HslCategory, find_health_care_text
from .personnummer import (
    InvalidPersonnummer,
    Personnummer,
    generate_personnummer,
    parse_personnummer,
    valid_personnummer,
)
from .presets import PRESETS, RoutinePreset
from .profile import (
    ChangeApproval,
    FollowUpParticipation,
    InterventionOverride,
    OverrideMap,
    RoutineProfile,
    Signer,
)

__all__ = [
    "FOLLOW_UP_QUESTIONS",
    "LEXICON",
    "PRESETS",
    "RULES",
    "Activity",
    "Approver",
    "ChangeApproval",
    "DateProblem",
    "DeadlineStatus",
    "Finding",
    "FollowUpOutcome",
    "FollowUpParticipation",
    "Goal",
    "GoalOutcome",
    "Hit",
    "HslCategory",
    "InterventionOverride",
    "InterventionPart",
    "InvalidPersonnummer",
    "NeedChange",
    "NewIntervention",
    "OverrideMap",
    "Participant",
    "ParticipantRole",
    "Personnummer",
    "PlanContent",
    "RoutinePreset",
    "RoutineProfile",
    "Rule",
    "Signer",
    "SipStatus",
    "Statement",
    "StatementSource",
    "add_months",
    "add_years",
    "approval_problem",
    "check_completeness",
    "deadline_status",
    "disposal_date",
    "event_date_problem",
    "find_health_care_text",
    "follow_up_due",
    "generate_personnummer",
    "in_research_sample",
    "is_establishable",
    "new_intervention_deadline",
    "outcome_problem",
    "parse_personnummer",
    "participation_problem",
    "plan_deadline",
    "reminder_due",
    "reminder_start",
    "swedish_today",
    "valid_personnummer",
]
