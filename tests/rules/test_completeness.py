"""Completeness check of a draft plan (R-PLAN-1 … R-PLAN-15)."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig.rules import (
    PRESETS,
    RULES,
    Activity,
    Finding,
    Goal,
    InterventionPart,
    Participant,
    PlanContent,
    RoutineProfile,
    SipStatus,
    Statement,
    StatementSource,
    check_completeness,
    is_establishable,
)

PROFILE = RoutineProfile()
S1 = PRESETS["S1"].profile

GOAL = Goal("Duscha själv med stöd två gånger i veckan", ("Tvätta håret själv",))
SHOWER = InterventionPart(
    key="hemtjanst-dusch",
    name="Hemtjänst: dusch",
    when="Tisdagar och fredagar kl. 9",
    where="I badrummet hemma",
    how="Personalen tar fram handdukar och finns i närheten; Anna duschar själv.",
    goals=(GOAL,),
    activities=(
        Activity(
            "Ta fram handdukar och ren klädsel",
            "Kontaktman",
            "Före duschen",
            (Goal("Välja kläder själv"),),
        ),
    ),
)
COMPLETE = PlanContent(
    interventions=(SHOWER,),
    decision_goals="Att kunna bo kvar hemma och sköta sin hygien.",
    other_information="Anna vill att personalen ringer på och väntar.",
    participation_how="Anna berättade själv hur hon vill ha hjälpen, med stöd av sin dotter.",
    wishes_weight="Tiderna är valda efter Annas önskemål.",
    statements=(Statement(StatementSource.PERSON, "Jag vill duscha på morgonen."),),
    participants=(Participant("Anna Andersson", "den enskilde"), Participant("Eva", "kontaktman")),
    cooperation="Kontakt med handläggaren vid förändrade behov.",
    follow_up_how="Kontaktmannen och Anna går igenom planen om sex månader.",
    disclosure=("Anna", "Kontaktman", "Enhetschef"),
    master_data_checked=True,
)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def plan(**changes: Any) -> PlanContent:
    return dataclasses.replace(COMPLETE, **changes)


def replace_intervention(**changes: Any) -> PlanContent:
    return dataclasses.replace(COMPLETE, interventions=(dataclasses.replace(SHOWER, **changes),))


def test_complete_plan_has_no_findings() -> None:
    """R-PLAN-15: a complete plan gives no findings and may be established."""
    assert check_completeness(COMPLETE, S1) == []
    assert is_establishable([])


def test_empty_plan_lists_every_mandatory_item() -> None:
    """R-PLAN-15: an empty draft lists each missing item with its source."""
    findings = check_completeness(PlanContent(interventions=()), PROFILE)
    mandatory = [f.code for f in findings if f.mandatory]
    assert mandatory == [
        "interventions.missing",
        "participation_how",
        "wishes_weight",
        "interests_how_found",
        "participants.missing",
        "follow_up_how",
        "disclosure.missing",
    ]
    assert not is_establishable(findings)
    for finding in findings:
        rule = RULES[finding.code]
        assert (finding.requirement, finding.source, finding.mandatory) == (
            rule.requirement,
            rule.source,
            rule.mandatory,
        )
        assert finding.requirement.startswith("R-PLAN-")
        assert finding.message.strip()


SHOWER_PATH = "interventions[hemtjanst-dusch]"
RULE_CASES = [
    (replace_intervention(when=" "), "intervention.when", f"{SHOWER_PATH}.when", True),
    (replace_intervention(where=""), "intervention.where", f"{SHOWER_PATH}.where", True),
    (replace_intervention(how="\n"), "intervention.how", f"{SHOWER_PATH}.how", True),
    (
        replace_intervention(goals=(Goal("Klara sig själv"),)),
        "intervention.sub_goals",
        f"{SHOWER_PATH}.goals",
        False,
    ),
    (
        replace_intervention(goals=(Goal(" ", ("x",)),)),
        "goal.text",
        f"{SHOWER_PATH}.goals[0].text",
        True,
    ),
    (
        replace_intervention(goals=(Goal("Mål", ("",)),)),
        "goal.sub_goal",
        f"{SHOWER_PATH}.goals[0].sub_goals[0]",
        True,
    ),
    (
        replace_intervention(activities=(Activity("", "Kontaktman", goals=(GOAL,)),)),
        "activity.description",
        f"{SHOWER_PATH}.activities[0].description",
        True,
    ),
    (
        replace_intervention(activities=(Activity("Handla", " ", goals=(GOAL,)),)),
        "activity.responsible",
        f"{SHOWER_PATH}.activities[0].responsible",
        True,
    ),
    (
        replace_intervention(activities=(Activity("Handla", "Eva"),)),
        "activity.goals",
        f"{SHOWER_PATH}.activities[0].goals",
        False,
    ),
    (plan(decision_goals=""), "decision_goals", "decision_goals", False),
    (plan(other_information=" "), "other_information.required", "other_information", True),
    (plan(participation_how=""), "participation_how", "participation_how", True),
    (plan(wishes_weight=""), "wishes_weight", "wishes_weight", True),
    (
        plan(
            statements=(
                Statement(StatementSource.PERSON, "Jag vill"),
                Statement(StatementSource.STAFF, " "),
            )
        ),
        "statement.text",
        "statements[1].text",
        True,
    ),
    (plan(participants=()), "participants.missing", "participants", True),
    (
        plan(participants=(Participant(" ", "anhörig"),)),
        "participant.name",
        "participants[0].name",
        True,
    ),
    (
        plan(participants=(Participant("Eva", ""),)),
        "participant.role",
        "participants[0].role",
        True,
    ),
    (plan(cooperation=""), "cooperation", "cooperation", False),
    (plan(follow_up_how=""), "follow_up_how", "follow_up_how", True),
    (plan(disclosure=()), "disclosure.missing", "disclosure", True),
    (plan(disclosure=("Anna", " ")), "disclosure.entry", "disclosure[1]", True),
]


@pytest.mark.parametrize(("content", "code", "field", "mandatory"), RULE_CASES)
def test_each_rule(content: PlanContent, code: str, field: str, mandatory: bool) -> None:
    """R-PLAN-1/2/3/4/5/7/8/9: one change gives exactly the expected finding."""
    findings = check_completeness(content, S1)
    assert [(f.code, f.field, f.mandatory) for f in findings] == [(code, field, mandatory)]
    assert is_establishable(findings) is not mandatory


def test_intervention_messages_name_the_intervention() -> None:
    findings = check_completeness(replace_intervention(how=""), S1)
    assert findings[0].message == "Beskriv hur insatsen ”Hemtjänst: dusch” ska utföras."
    assert findings[0].source == "SOSFS 2014:5 6 kap. 2 § (allmänt råd); rutin S1; rutin S4"


def test_goal_on_an_activity_is_enough_for_the_intervention() -> None:
    """R-PLAN-2: "mål som gäller för insatsen eller delar av den" (S1)."""
    content = replace_intervention(goals=())
    findings = check_completeness(content, S1)
    assert codes(findings) == ["intervention.sub_goals"]  # advice only
    assert is_establishable(findings)
    without_any = replace_intervention(goals=(), activities=())
    assert codes(check_completeness(without_any, S1)) == ["intervention.goals"]
    blank_only = replace_intervention(goals=(Goal(" "),), activities=())
    assert codes(check_completeness(blank_only, S1)) == ["intervention.goals", "goal.text"]


def test_interests_how_found_needed_without_the_persons_own_statement() -> None:
    """R-PLAN-4, S2: if the person did not state wishes, say how staff found out."""
    staff_only = dataclasses.replace(
        COMPLETE, statements=(Statement(StatementSource.RELATIVE, "Hon tycker om att gå ut."),)
    )
    assert codes(check_completeness(staff_only, S1)) == ["interests_how_found"]
    answered = dataclasses.replace(staff_only, interests_how_found="Vi frågade hennes dotter.")
    assert check_completeness(answered, S1) == []


@pytest.mark.parametrize("status", [SipStatus.UNANSWERED, SipStatus.NOT_APPLICABLE])
def test_sip_must_be_answered_when_the_person_receives_health_care(status: SipStatus) -> None:
    """R-PLAN-10."""
    content = dataclasses.replace(COMPLETE, receives_health_care=True, sip_status=status)
    assert codes(check_completeness(content, S1)) == ["sip_status"]


@pytest.mark.parametrize(
    "status", [SipStatus.NEEDED, SipStatus.EXISTS, SipStatus.NOT_NEEDED, SipStatus.PERSON_OBJECTS]
)
def test_answered_sip_is_complete(status: SipStatus) -> None:
    content = dataclasses.replace(COMPLETE, receives_health_care=True, sip_status=status)
    assert check_completeness(content, S1) == []


def test_sip_not_asked_without_health_care() -> None:
    assert check_completeness(dataclasses.replace(COMPLETE, sip_status="unanswered"), S1) == []  # type: ignore[arg-type]


def test_declined_plan_needs_purpose_and_reason_and_keeps_other_rules() -> None:
    """R-PLAN-12, S2: purpose explained, reason recorded, and the rest still documented."""
    declined = dataclasses.replace(COMPLETE, declined=True, participation_how="")
    assert codes(check_completeness(declined, S1)) == [
        "participation_how",
        "declined.purpose_explained",
        "declined.reason",
    ]
    done = dataclasses.replace(
        declined,
        participation_how="Anna ville inte delta i planeringen.",
        declined_purpose_explained=True,
        declined_reason="Anna tycker att hon inte behöver någon plan.",
    )
    assert check_completeness(done, S1) == []


def test_master_data_check_only_when_the_profile_says_so() -> None:
    """R-PLAN-14: S1 has the checklist "Uppgifter och övrig information"."""
    unchecked = dataclasses.replace(COMPLETE, master_data_checked=False)
    assert codes(check_completeness(unchecked, S1)) == ["master_data_checked"]
    assert check_completeness(unchecked, PRESETS["S4"].profile) == []


def test_health_care_text_is_a_warning_naming_the_words() -> None:
    """R-PLAN-11: HSL text gives a non-mandatory finding per field, naming the words."""
    content = replace_intervention(how="Ge insulin och tabletter, sedan insulin igen.")
    findings = check_completeness(content, S1)
    assert codes(findings) == ["hsl"]
    finding = findings[0]
    assert finding.field == "interventions[hemtjanst-dusch].how"
    assert finding.mandatory is False
    assert finding.requirement == "R-PLAN-11"
    assert "”insulin”, ”tabletter”." in finding.message
    assert [hit.term for hit in finding.hits] == ["insulin", "tabletter", "insulin"]
    assert is_establishable(findings)


def test_texts_cover_every_free_text_field() -> None:
    """The HSL scan and the UI see the same free texts, with paths."""
    paths = dict(COMPLETE.texts())
    assert paths["interventions[hemtjanst-dusch].goals[0].sub_goals[0]"] == "Tvätta håret själv"
    assert paths["interventions[hemtjanst-dusch].activities[0].goals[0].text"] == (
        "Välja kläder själv"
    )
    assert paths["statements[0].text"] == "Jag vill duscha på morgonen."
    assert set(paths) >= {
        "decision_goals",
        "other_information",
        "participation_how",
        "wishes_weight",
        "interests_how_found",
        "cooperation",
        "follow_up_how",
        "declined_reason",
        "interventions[hemtjanst-dusch].when",
        "interventions[hemtjanst-dusch].activities[0].responsible",
    }
    assert "Hemtjänst: dusch" not in paths.values()  # the decision's name is not free text


def _fill(value: Any, text: str) -> Any:
    """Every string in ``value`` replaced by ``text``, except keys and enum values."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return text
    if isinstance(value, tuple):
        return tuple(_fill(item, text) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _fill(getattr(value, field.name), text)
            for field in dataclasses.fields(value)
            if field.name != "key"
        }
        return dataclasses.replace(value, **changes)
    return value


@given(st.sampled_from(["insulin", "Ge läkemedel", "lägg om såret", "mäta blodtrycket"]))
def test_hsl_scan_covers_exactly_the_free_texts(text: str) -> None:
    """R-PLAN-11: every free-text field is scanned; names, roles and disclosure are not."""
    content = _fill(COMPLETE, text)
    findings = check_completeness(content, S1)
    assert [f.field for f in findings if f.code == "hsl"] == [path for path, _ in content.texts()]
    assert all(f.code == "hsl" for f in findings)
    assert content.interventions[0].name == text
    assert content.participants[0].name == text
    assert content.disclosure[0] == text


def test_plan_content_converts_lists_and_strings() -> None:
    """The Django side may pass lists and stored enum strings."""
    content = PlanContent(
        interventions=[SHOWER],  # type: ignore[arg-type]
        statements=[Statement("person", "Jag vill")],  # type: ignore[arg-type]
        disclosure=["Anna"],  # type: ignore[arg-type]
        sip_status="exists",  # type: ignore[arg-type]
    )
    assert content.interventions == (SHOWER,)
    assert content.statements[0].source is StatementSource.PERSON
    assert content.sip_status is SipStatus.EXISTS
    assert hash(content) == hash(dataclasses.replace(content))
    assert Goal("x", ["a"]).sub_goals == ("a",)  # type: ignore[arg-type]


@pytest.mark.parametrize("keys", [("a", "a"), ("a", " ")])
def test_intervention_keys_must_be_unique_and_non_blank(keys: tuple[str, str]) -> None:
    parts = tuple(dataclasses.replace(SHOWER, key=key) for key in keys)
    with pytest.raises(ValueError, match="unik"):
        PlanContent(interventions=parts)


def test_every_rule_has_requirement_source_and_message() -> None:
    for code, rule in RULES.items():
        assert rule.requirement.startswith(("R-PLAN-", "R-LIFE-7")), code
        assert rule.source.strip(), code
        assert rule.message.strip(), code


@given(st.booleans(), st.booleans())
def test_a_routine_can_demand_who_does_what(required: bool, with_activity: bool) -> None:
    """R-PLAN-1, S4 "vem ska göra vad": an intervention without activities, when demanded."""
    activities = (Activity("Handla tillsammans", "Kontaktmannen"),) if with_activity else ()
    part = InterventionPart("k", "Boendestöd", "mån", "hemma", "samtal", activities=activities)
    findings = check_completeness(
        PlanContent(interventions=(part,)), RoutineProfile(activities_required=required)
    )
    codes = {f.code: f for f in findings}
    assert ("intervention.activities" in codes) == (required and not with_activity)
    if "intervention.activities" in codes:
        assert codes["intervention.activities"].mandatory
        assert "Boendestöd" in codes["intervention.activities"].message
    assert PRESETS["S4"].profile.activities_required


@given(st.booleans(), st.text(alphabet=" a\n", max_size=3))
def test_a_routine_can_make_other_information_mandatory(required: bool, text: str) -> None:
    """R-PLAN-3, S1: "Av genomförandeplanen ska det framgå … annan information som är av vikt"."""
    findings = check_completeness(
        PlanContent(interventions=(), other_information=text),
        RoutineProfile(other_information_required=required),
    )
    found = [f for f in findings if f.field == "other_information"]
    assert bool(found) == (not text.strip())
    for finding in found:
        assert finding.mandatory is required
        assert finding.code == ("other_information.required" if required else "other_information")
    assert PRESETS["S1"].profile.other_information_required
