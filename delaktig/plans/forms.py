"""Forms of the plan pages: each action on the signing page has its own form and URL."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from delaktig import labels, rules

from .followups import FollowUpInput
from .models import CorrectedDate, SignatureMethod, SignerRole

PARTICIPANT_ROLES = [
    (role.value, labels.PARTICIPANT_ROLES[role.value]) for role in rules.ParticipantRole
]
PARTICIPANT_ROWS = 5
_CHOOSE_OUTCOME = {
    "required": "Välj resultat av uppföljningen och om behovet har ändrats.",
    "invalid_choice": "Välj resultat av uppföljningen och om behovet har ändrats.",
}


def _text(label: str, max_length: int) -> forms.CharField:
    """Optional text with a Swedish message that names the field when it is too long."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        error_messages={"max_length": f"{label}: skriv högst {max_length} tecken."},
    )


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": f"{label}: skriv ett datum som ÅÅÅÅ-MM-DD.",
            "invalid": f"{label}: skriv ett datum som ÅÅÅÅ-MM-DD.",
        },
    )


class HandoverForm(forms.Form):
    """The plan was gone through with the person and handed over (R-LIFE-5)."""

    gone_through_on = _date("Genomgången")
    communicated_on = _date("Överlämnad")
    how = _text("Hur planen lämnades över", 200)


class PersonSignatureForm(forms.Form):
    """The person's own signature, recorded by staff — or why there is none (R-LIFE-4)."""

    signed = forms.ChoiceField(
        choices=[("yes", "Ja"), ("no", "Nej")],
        error_messages={
            "required": "Välj om den enskilde har signerat planen eller inte.",
            "invalid_choice": "Välj om den enskilde har signerat planen eller inte.",
        },
    )
    method = forms.ChoiceField(
        choices=SignatureMethod.choices,
        error_messages={
            "required": "Välj hur den enskilde signerade.",
            "invalid_choice": "Välj hur den enskilde signerade.",
        },
    )
    signed_on = _date("Datum")
    signer_name = _text("Namn", 150)
    reason = _text("Varför den enskilde inte har signerat", 2000)

    def clean_signed(self) -> bool:
        """Signed or not is a deliberate choice: the form starts with neither (issue 10)."""
        return bool(self.cleaned_data["signed"] == "yes")


class RoleSignatureForm(forms.Form):
    """A signature in the system by the contact person, a staff member or the unit manager."""

    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in SignerRole if r != SignerRole.PERSON],
        error_messages={"required": "Okänd roll.", "invalid_choice": "Okänd roll."},
    )


class EstablishForm(forms.Form):
    """Establishing takes no date: a plan is established on the day it is (issue 9)."""


class ApprovalForm(forms.Form):
    """The person or a relative approved the changes in a new version (S0/S3)."""

    approver = forms.ChoiceField(
        choices=[(a.value, a.value) for a in rules.Approver],
        error_messages={
            "required": "Välj vem som godkände ändringarna.",
            "invalid_choice": "Välj vem som godkände ändringarna.",
        },
    )
    relative = forms.IntegerField(
        required=False,
        error_messages={"invalid": "Välj vilken anhörig som godkände ändringarna."},
    )
    approved_on = _date("Datum för godkännandet")
    how = _text("Hur ändringarna godkändes", 200)


class DateCorrectionForm(forms.Form):
    """A wrongly entered paper date, corrected with a reason (issue 9)."""

    record = forms.ChoiceField(
        choices=[
            ("signature", "signatur"),
            ("handover", "överlämnande"),
            ("follow_up", "uppföljning"),
        ],
        error_messages={
            "required": "Ange vad som rättas.",
            "invalid_choice": "Ange vad som rättas.",
        },
    )
    record_id = forms.IntegerField(
        error_messages={"required": "Ange vad som rättas.", "invalid": "Ange vad som rättas."}
    )
    field = forms.ChoiceField(
        choices=CorrectedDate.choices,
        error_messages={
            "required": "Ange vilket datum som rättas.",
            "invalid_choice": "Ange vilket datum som rättas.",
        },
    )
    new_value = _date("Rätt datum")
    reason = _text("Varför datumet rättas", 2000)


class RegisterAfterwardsForm(forms.Form):
    """A plan established on paper earlier, registered afterwards with a reason (issue 9)."""

    established_on = _date("Fastställd på papper")
    reason = _text("Varför planen registreras i efterhand", 2000)


def form_errors(form: forms.Form) -> list[str]:
    """A form's messages, in field order, for the page's error summary."""
    errors: dict[str, Any] = form.errors
    return [str(message) for messages in errors.values() for message in messages]


# --------------------------------------------------------------------------- follow-up


class ParticipantForm(forms.Form):
    """One person who took part in the follow-up (R-FU-2)."""

    name = _text("Namn", 150)
    role = _text("Roll", 40)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = str(data.get("name", "")).strip()
        if name and data.get("role") not in dict(PARTICIPANT_ROLES):
            raise forms.ValidationError(f"Välj roll för {name}.")
        return data


class BaseParticipantFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def row_errors(self) -> list[str]:
        """Every row's messages; a field's names the row ("Deltagare 3: Namn: …")."""
        errors: list[str] = []
        for number, row in enumerate(self.forms, start=1):
            for field, messages in row.errors.items():
                prefix = "" if field == NON_FIELD_ERRORS else f"Deltagare {number}: "
                errors += [f"{prefix}{message}" for message in messages]
        return errors

    def participants(self) -> list[dict[str, str]]:
        """The rows with a name, in order: ``{"name": …, "role": …}``."""
        return [
            {"name": str(f.cleaned_data["name"]).strip(), "role": str(f.cleaned_data["role"])}
            for f in self.forms
            if str(f.cleaned_data.get("name", "")).strip()
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm,
    formset=BaseParticipantFormSet,
    extra=0,
    min_num=PARTICIPANT_ROWS,
    max_num=PARTICIPANT_ROWS,
    absolute_max=PARTICIPANT_ROWS,
)


def participant_formset(
    data: Any | None = None, *, initial: list[dict[str, str]] | None = None
) -> BaseParticipantFormSet:
    """Five participant rows, prefix ``p`` (``p-0-name``, ``p-0-role`` …)."""
    formset = ParticipantFormSet(data, initial=initial, prefix="p")
    assert isinstance(formset, BaseParticipantFormSet)  # noqa: S101 — formset_factory's type
    return formset


class FollowUpForm(forms.Form):
    """The follow-up (R-FU-1..6): the five questions as a guide, per-goal outcomes.

    The questions (``q0`` …) and the goals (``goal0`` …) are fields of their own,
    made from the routine's questions and the plan's goals. Whether the answers
    meet the routine (required assessments, every goal judged, participation) is
    the service's rule, so every caller gets the same messages.
    """

    held_on = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Skriv datumet för uppföljningen som ÅÅÅÅ-MM-DD.",
            "invalid": "Skriv datumet för uppföljningen som ÅÅÅÅ-MM-DD.",
        },
    )
    how = _text("På vilket sätt planen följdes upp", 300)
    person_view = _text(str(labels.FOLLOW_UP["person_view"]), 4000)
    assessment_methods = _text(str(labels.FOLLOW_UP["assessment_methods"]), 4000)
    carried_out_as_decided = _text(str(labels.FOLLOW_UP["carried_out_as_decided"]), 4000)
    situation = _text(str(labels.FOLLOW_UP["situation"]), 4000)
    action_needs = _text(str(labels.FOLLOW_UP["action_needs"]), 4000)
    outcome = forms.ChoiceField(
        choices=[(o.value, o.value) for o in rules.FollowUpOutcome],
        error_messages=_CHOOSE_OUTCOME,
    )
    need_change = forms.ChoiceField(
        choices=[(n.value, n.value) for n in rules.NeedChange], error_messages=_CHOOSE_OUTCOME
    )
    disclosure_reviewed = forms.BooleanField(required=False)
    master_data_checked = forms.BooleanField(required=False)

    def __init__(self, *args: Any, goals: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for i, question in enumerate(rules.FOLLOW_UP_QUESTIONS):
            self.fields[f"q{i}"] = _text(question, 4000)
        for i in range(len(goals)):
            # Any value is passed on: the service names the goal that is not judged.
            self.fields[f"goal{i}"] = _text(f"Målet {i + 1}", 40)

    def follow_up_input(self, participants: list[dict[str, str]]) -> FollowUpInput:
        data = self.cleaned_data
        return FollowUpInput(
            held_on=data["held_on"],
            how=data["how"],
            participants=participants,
            person_view=data["person_view"],
            assessment_methods=data["assessment_methods"],
            carried_out_as_decided=data["carried_out_as_decided"],
            situation=data["situation"],
            action_needs=data["action_needs"],
            answers=[data[f"q{i}"] for i in range(len(rules.FOLLOW_UP_QUESTIONS))],
            goal_outcomes=[
                {"intervention": g["intervention"], "goal": g["goal"], "outcome": data[f"goal{i}"]}
                for i, g in enumerate(self.goals)
            ],
            outcome=rules.FollowUpOutcome(data["outcome"]),
            need_change=rules.NeedChange(data["need_change"]),
            disclosure_reviewed=data["disclosure_reviewed"],
            master_data_checked=data["master_data_checked"],
        )
