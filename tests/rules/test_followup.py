"""Follow-up rules: participation (R-FU-2), the five questions (R-FU-5), need changes (R-FU-6)."""

from __future__ import annotations

import pytest

from delaktig.rules import (
    FOLLOW_UP_QUESTIONS,
    FollowUpParticipation,
    NeedChange,
    ParticipantRole,
    RoutineProfile,
    participation_problem,
)
from delaktig.rules.presets import PRESETS

P, R, L, S = (
    ParticipantRole.PERSON,
    ParticipantRole.RELATIVE,
    ParticipantRole.LEGAL_REPRESENTATIVE,
    ParticipantRole.STAFF,
)


def _profile(rule: FollowUpParticipation) -> RoutineProfile:
    return RoutineProfile(follow_up_participation=rule)


@pytest.mark.parametrize(
    ("rule", "roles", "ok"),
    [
        (FollowUpParticipation.NONE_REQUIRED, [S], True),
        (FollowUpParticipation.PERSON, [P, S], True),
        (FollowUpParticipation.PERSON, [R, S], False),
        (FollowUpParticipation.PERSON_OR_RELATIVE, [P], True),
        (FollowUpParticipation.PERSON_OR_RELATIVE, [R], True),
        (FollowUpParticipation.PERSON_OR_RELATIVE, [L, S], True),
        (FollowUpParticipation.PERSON_OR_RELATIVE, [S], False),
        (FollowUpParticipation.PERSON_AND_RELATIVE, [P, R], True),
        (FollowUpParticipation.PERSON_AND_RELATIVE, [P], False),
        (FollowUpParticipation.PERSON_AND_RELATIVE, ["relative"], False),
    ],
)
def test_participation_follows_the_routine(
    rule: FollowUpParticipation, roles: list[ParticipantRole], ok: bool
) -> None:
    problem = participation_problem(_profile(rule), roles)
    assert (problem is None) is ok
    if problem:
        assert problem.startswith("Enligt rutinen")


def test_the_s0_s3_routine_wants_the_person_and_or_a_relative() -> None:
    """S0/S3: "Vid uppföljning ska den enskilde och/eller anhörig delta"."""
    profile = PRESETS["S0_S3"].profile
    assert participation_problem(profile, [S]) is not None
    assert participation_problem(profile, [R, S]) is None


def test_unknown_roles_are_refused() -> None:
    with pytest.raises(ValueError):
        participation_problem(_profile(FollowUpParticipation.PERSON), ["cat"])


def test_the_five_questions_of_s2() -> None:
    assert len(FOLLOW_UP_QUESTIONS) == 5
    assert FOLLOW_UP_QUESTIONS[0] == "Har det gått som vi planerat?"
    assert FOLLOW_UP_QUESTIONS[-1] == "Har något förändrats i din situation?"


def test_only_a_changed_need_goes_to_the_case_officer() -> None:
    assert NeedChange.INCREASED.notify_case_officer
    assert NeedChange.DECREASED.notify_case_officer
    assert not NeedChange.UNCHANGED.notify_case_officer
