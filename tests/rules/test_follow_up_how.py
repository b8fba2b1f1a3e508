"""When and how the plan is followed up: for the whole plan or per intervention (R-PLAN-7, S2).

S2 asks the plan to say "när och hur insatsen som helhet eller olika aktiviteter
som ingår i insatsen ska följas upp" and "när och hur planen ska följas upp".
Rule ``follow_up_how`` is met by the plan's own text, or by every intervention
having its own; otherwise there is exactly one mandatory finding.
"""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from delaktig.rules import RULES, PlanContent, check_completeness, is_establishable

from .test_completeness import COMPLETE, S1, SHOWER

BLANK = st.sampled_from(["", " ", "\n", " \t\r\n "])
FILLED = st.text(min_size=1, max_size=40).filter(lambda text: bool(text.strip()))
FOLLOW_UP_TEXT = st.one_of(BLANK, FILLED)


def _content(plan_text: str, part_texts: list[str]) -> PlanContent:
    parts = tuple(
        dataclasses.replace(SHOWER, key=f"insats-{index}", follow_up_how=text)
        for index, text in enumerate(part_texts)
    )
    return dataclasses.replace(COMPLETE, interventions=parts, follow_up_how=plan_text)


def _follow_up_findings(content: PlanContent) -> list[tuple[str, str, bool]]:
    findings = check_completeness(content, S1)
    return [(f.field, f.requirement, f.mandatory) for f in findings if f.code == "follow_up_how"]


@given(FOLLOW_UP_TEXT, st.lists(FOLLOW_UP_TEXT, max_size=5))
def test_met_by_the_plans_text_or_by_every_intervention(
    plan_text: str, part_texts: list[str]
) -> None:
    """R-PLAN-7: the plan's text, or each intervention's own; else one mandatory finding."""
    met = bool(plan_text.strip()) or (bool(part_texts) and all(text.strip() for text in part_texts))

    found = _follow_up_findings(_content(plan_text, part_texts))

    assert found == ([] if met else [("follow_up_how", "R-PLAN-7", True)])


@given(st.lists(FOLLOW_UP_TEXT, max_size=5), FILLED)
def test_the_plans_own_text_is_always_enough(part_texts: list[str], plan_text: str) -> None:
    """R-PLAN-7: with the plan's text filled in, no intervention needs its own."""
    assert _follow_up_findings(_content(plan_text, part_texts)) == []


@given(st.lists(FILLED, min_size=1, max_size=5), BLANK)
def test_every_intervention_with_its_own_text_is_enough(
    part_texts: list[str], plan_text: str
) -> None:
    """R-PLAN-7: the plan's text may stay blank when every intervention has its own."""
    content = _content(plan_text, part_texts)
    findings = [f for f in check_completeness(content, S1) if f.code != "hsl"]

    assert findings == []
    assert is_establishable(findings)


@given(st.lists(FILLED, max_size=4), BLANK, st.lists(FILLED, max_size=4), BLANK)
def test_one_intervention_without_its_own_text_needs_the_plans(
    before: list[str], gap: str, after: list[str], plan_text: str
) -> None:
    """R-PLAN-7: one finding on the plan's field, however many interventions lack theirs."""
    findings = check_completeness(_content(plan_text, [*before, gap, *after]), S1)
    follow_up = [f for f in findings if f.code == "follow_up_how"]

    assert [(f.field, f.mandatory) for f in follow_up] == [("follow_up_how", True)]
    assert follow_up[0].source == RULES["follow_up_how"].source == "Kunskapsstöd S2"
    assert "för varje insats" in follow_up[0].message
    assert not is_establishable(findings)


def test_a_plan_without_interventions_needs_the_plans_text() -> None:
    """R-PLAN-7: "every intervention" of none does not describe a follow-up."""
    content = PlanContent(interventions=(), follow_up_how=" ")
    assert "follow_up_how" in [f.code for f in check_completeness(content, S1)]


@given(st.lists(FOLLOW_UP_TEXT, min_size=1, max_size=5))
def test_each_interventions_text_is_free_text_with_its_path(part_texts: list[str]) -> None:
    """R-PLAN-7, R-PLAN-11: texts() yields each intervention's follow-up text, for the HSL check."""
    texts = dict(_content("", part_texts).texts())

    for index, text in enumerate(part_texts):
        assert texts[f"interventions[insats-{index}].follow_up_how"] == text


def test_health_care_words_in_an_interventions_follow_up_are_named() -> None:
    """R-PLAN-7, R-PLAN-11: the HSL check reads the intervention's follow-up text too."""
    content = _content("", ["Vi följer upp hur insulin ges."])

    hsl = [f for f in check_completeness(content, S1) if f.code == "hsl"]

    assert [f.field for f in hsl] == ["interventions[insats-0].follow_up_how"]
    assert "”insulin”" in hsl[0].message


def test_the_intervention_text_defaults_to_blank() -> None:
    """Old content without the key reads as blank (R-PLAN-7)."""
    assert SHOWER.follow_up_how == ""
