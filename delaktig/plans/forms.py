"""Forms of the plan pages: each action on the signing page has its own form and URL."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import SignatureMethod, SignerRole


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
    how = forms.CharField(label="Hur", max_length=200, required=False)


class PersonSignatureForm(forms.Form):
    """The person's own signature, recorded by staff — or why there is none (R-LIFE-4)."""

    signed = forms.ChoiceField(choices=[("yes", "Ja"), ("no", "Nej")], required=False)
    method = forms.ChoiceField(
        choices=SignatureMethod.choices,
        error_messages={
            "required": "Välj hur den enskilde signerade.",
            "invalid_choice": "Välj hur den enskilde signerade.",
        },
    )
    signed_on = _date("Datum")
    signer_name = forms.CharField(max_length=150, required=False)
    reason = forms.CharField(max_length=2000, required=False)

    def clean_signed(self) -> bool:
        """Signed unless the form says "no" (the radio button's default is "yes")."""
        return bool(self.cleaned_data["signed"] != "no")


class RoleSignatureForm(forms.Form):
    """A signature in the system by the contact person, a staff member or the unit manager."""

    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in SignerRole if r != SignerRole.PERSON],
        error_messages={"required": "Okänd roll.", "invalid_choice": "Okänd roll."},
    )


class EstablishForm(forms.Form):
    on = _date("Fastställd")


def form_errors(form: forms.Form) -> list[str]:
    """A form's messages, in field order, for the page's error summary."""
    errors: dict[str, Any] = form.errors
    return [str(message) for messages in errors.values() for message in messages]
