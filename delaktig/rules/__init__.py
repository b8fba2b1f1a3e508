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
from .disposal import (
    PRIVATE_PROVIDER_RETENTION_YEARS,
    InvalidKommunkod,
    NeverDisposed,
    ResearchSample,
    disposal_date,
    hand_over_instead,
    in_research_sample,
    is_overdue,
    latest_disposal_date,
    overdue_if_earliest_before,
    parse_kommunkod,
    research_sample_scope,
)
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
from .search import (
    FOLDED_LETTERS,
    MAX_SEARCH_LENGTH,
    MIN_SEARCH_LENGTH,
    InvalidSearch,
    SearchKind,
    SearchQuery,
    fold_name,
    parse_search,
)

__all__ = [
    "FOLDED_LETTERS",
    "FOLLOW_UP_QUESTIONS",
    "LEXICON",
    "MAX_SEARCH_LENGTH",
    "MIN_SEARCH_LENGTH",
    "PRESETS",
    "PRIVATE_PROVIDER_RETENTION_YEARS",
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
    "InvalidKommunkod",
    "InvalidPersonnummer",
    "InvalidSearch",
    "NeedChange",
    "NeverDisposed",
    "NewIntervention",
    "OverrideMap",
    "Participant",
    "ParticipantRole",
    "Personnummer",
    "PlanContent",
    "ResearchSample",
    "RoutinePreset",
    "RoutineProfile",
    "Rule",
    "SearchKind",
    "SearchQuery",
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
    "fold_name",
    "follow_up_due",
    "generate_personnummer",
    "hand_over_instead",
    "in_research_sample",
    "is_establishable",
    "is_overdue",
    "latest_disposal_date",
    "new_intervention_deadline",
    "outcome_problem",
    "overdue_if_earliest_before",
    "parse_kommunkod",
    "parse_personnummer",
    "parse_search",
    "participation_problem",
    "plan_deadline",
    "reminder_due",
    "reminder_start",
    "research_sample_scope",
    "swedish_today",
    "valid_personnummer",
]
