"""Forms for the staff pages. Validation messages are Swedish (non-negotiable 5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from delaktig.core.forms import DateInput
from delaktig.core.types import User
from delaktig.organisation.models import PERSON_READER_ROLES, Unit
from delaktig.people.models import InterventionType, RelativeKind
from delaktig.people.services import normalise_personnummer

MAX_TEXT = 4000


class PersonForm(forms.Form):
    personnummer = forms.CharField(
        label="Personnummer eller samordningsnummer",
        max_length=13,
        help_text="ÅÅÅÅMMDD-NNNN, till exempel 19410321-9822.",
    )
    first_name = forms.CharField(label="Förnamn", max_length=100)
    last_name = forms.CharField(label="Efternamn", max_length=100)
    phone = forms.CharField(label="Telefon", max_length=30, required=False)
    address = forms.CharField(label="Adress", max_length=200, required=False)
    protected_identity = forms.BooleanField(
        label="Skyddad identitet",
        required=False,
        help_text="Kontaktuppgifter visas då inte i listor eller på personsidan.",
    )
    opened_on = forms.DateField(label="Ärendet öppnas", widget=DateInput())

    def clean_personnummer(self) -> str:
        try:
            return normalise_personnummer(self.cleaned_data["personnummer"])
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["personnummer"]) from exc


class DecisionForm(forms.Form):
    decided_on = forms.DateField(label="Beslutsdatum", widget=DateInput())
    reference = forms.CharField(label="Diarienummer", max_length=50, required=False)
    case_officer = forms.CharField(label="Handläggare", max_length=150, required=False)
    case_officer_email = forms.EmailField(
        label="Handläggarens e-post",
        required=False,
        help_text="Hit skickas meddelanden om ändrat behov – utan personuppgifter, bara en länk.",
    )
    goals = forms.CharField(
        label="Mål enligt beslutet",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_decided_on(self) -> date:
        value: date = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("Beslutsdatum kan inte ligga i framtiden.")
        return value


class InterventionForm(forms.Form):
    type = forms.ModelChoiceField(
        label="Insats", queryset=InterventionType.objects.none(), empty_label="Välj insats"
    )
    scope = forms.CharField(label="Omfattning", max_length=200, required=False)
    start_date = forms.DateField(label="Startdatum", widget=DateInput())
    end_date = forms.DateField(label="Slutdatum", widget=DateInput(), required=False)

    def __init__(self, *args: Any, types: QuerySet[InterventionType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].queryset = types  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Slutdatum kan inte vara före startdatum.")
        return data


class BaseInterventionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed()]
        if not filled:
            raise forms.ValidationError("Ange minst en beviljad insats.")


InterventionFormSet = forms.formset_factory(
    InterventionForm, formset=BaseInterventionFormSet, extra=3, max_num=20, validate_max=True
)


class ContactPersonForm(forms.Form):
    user = forms.ModelChoiceField(label="Kontaktman", queryset=User.objects.none())
    is_deputy = forms.BooleanField(label="Vice kontaktman", required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = (
            User.objects.filter(
                memberships__unit=unit, memberships__role__in=PERSON_READER_ROLES, is_active=True
            )
            .distinct()
            .order_by("first_name", "last_name")
        )
        field = self.fields["user"]
        field.queryset = users  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()  # type: ignore[attr-defined]


class RelativeForm(forms.Form):
    name = forms.CharField(label="Namn", max_length=150)
    kind = forms.ChoiceField(label="Typ", choices=RelativeKind.choices)
    relation = forms.CharField(
        label="Relation", max_length=100, required=False, help_text="Till exempel dotter, make."
    )
    phone = forms.CharField(label="Telefon", max_length=30, required=False)
    person_wants_involved = forms.BooleanField(
        label="Den enskilde vill att hen deltar i planeringen",
        required=False,
        help_text="En närstående deltar bara om den enskilde vill det.",
    )
