"""Follow-up rules: participation (R-FU-2), the five questions (R-FU-5), need changes (R-FU-6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig.rules import (
    FOLLOW_UP_QUESTIONS,
    Approver,
    ChangeApproval,
    FollowUpOutcome,
    FollowUpParticipation,
    NeedChange,
    ParticipantRole,
    RoutineProfile,
    approval_problem,
    outcome_problem,
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
        # Issue 9: a legal representative or staff is not the relative part.
        (FollowUpParticipation.PERSON_OR_RELATIVE, [L, S], False),
        (FollowUpParticipation.PERSON_AND_RELATIVE, [P, L], False),
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


@given(
    st.sets(st.sampled_from(list(ParticipantRole))),
    st.sampled_from(list(FollowUpParticipation)),
)
def test_only_a_relative_is_the_relative_part(
    roles: set[ParticipantRole], rule: FollowUpParticipation
) -> None:
    """R-FU-2, S0/S3 "den enskilde och/eller anhörig": others never change the answer (issue 9)."""
    profile = _profile(rule)
    plain = roles & {P, R}
    assert (participation_problem(profile, roles) is None) == (
        participation_problem(profile, plain) is None
    )


@given(st.sampled_from(list(FollowUpOutcome)), st.booleans())
def test_a_routine_can_demand_a_new_version_at_every_follow_up(
    outcome: FollowUpOutcome, demanded: bool
) -> None:
    """R-FU-3, S4: "En ny genomförandeplanen upprättas alltid … minst en gång per år"."""
    problem = outcome_problem(RoutineProfile(new_version_at_follow_up=demanded), outcome.value)
    assert (problem is not None) == (demanded and outcome is FollowUpOutcome.NO_CHANGE)
    assert PRESETS["S4"].profile.new_version_at_follow_up
    assert not PRESETS["S1"].profile.new_version_at_follow_up


@given(
    st.sampled_from(list(ChangeApproval)),
    st.booleans(),
    st.sets(st.sampled_from(list(Approver))),
)
def test_approval_of_changes(
    rule: ChangeApproval, is_change: bool, approvers: set[Approver]
) -> None:
    """S0/S3: "den enskilde och/eller anhörig ska godkänna ändringar i genomförandeplanen"."""
    problem = approval_problem(
        RoutineProfile(change_approval=rule), is_change=is_change, approvers=approvers
    )
    needed = {
        ChangeApproval.NONE_REQUIRED: True,
        ChangeApproval.PERSON: Approver.PERSON in approvers,
        ChangeApproval.PERSON_OR_RELATIVE: bool(approvers),
    }[rule]
    assert (problem is None) == (not is_change or needed)
    if problem:
        assert problem.startswith("Enligt rutinen")


def test_the_s0_s3_routine_wants_changes_approved() -> None:
    profile = PRESETS["S0_S3"].profile
    assert profile.change_approval is ChangeApproval.PERSON_OR_RELATIVE
    assert approval_problem(profile, is_change=True, approvers=["relative"]) is None
    assert approval_problem(profile, is_change=True, approvers=[]) is not None
    with pytest.raises(ValueError):
        approval_problem(profile, is_change=True, approvers=["legal_representative"])
