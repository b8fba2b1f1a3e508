"""The person search and the filters of the unit's person list (issue 10)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

from delaktig import rules
from delaktig.core.types import User
from delaktig.people.models import InterventionType

from .finder import PlanState


class SearchForm(forms.Form):
    """One field: a name or a personnummer. Sent by POST, so the text is never in a URL."""

    q = forms.CharField(
        label="Namn eller personnummer",
        required=False,
        strip=False,
        # Longer text is refused with a Swedish message, not cut off by the browser alone.
        max_length=1000,
        error_messages={"max_length": "Sökningen får vara högst 100 tecken."},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 100}),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # parse_search refuses a NUL with the other characters a name cannot hold.
        field = self.fields["q"]
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean_q(self) -> rules.SearchQuery:
        text: str = self.cleaned_data["q"]
        try:
            return rules.parse_search(text, today=self.today)
        except rules.InvalidSearch as error:
            raise forms.ValidationError(str(error), code="search") from None


class ContactChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class UnitPersonsFilter(forms.Form):
    """Filters of the unit's person list; a bad value is an error, never a 500."""

    planstatus = forms.ChoiceField(
        label="Planens status",
        required=False,
        choices=[("", "Alla"), *PlanState.choices],
        error_messages={"invalid_choice": "Välj en planstatus i listan."},
    )
    kontaktman = ContactChoiceField(
        label="Kontaktman",
        required=False,
        queryset=User.objects.none(),
        empty_label="Alla kontaktmän",
        error_messages={"invalid_choice": "Välj en kontaktman i listan."},
    )
    insats = forms.ModelChoiceField(
        label="Insats",
        required=False,
        queryset=InterventionType.objects.order_by("name"),
        to_field_name="code",
        empty_label="Alla insatser",
        error_messages={"invalid_choice": "Välj en insats i listan."},
    )
    sida = forms.IntegerField(
        label="Sida",
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Sidnumret ska vara ett heltal.",
            "min_value": "Sidnumret ska vara 1 eller mer.",
            "max_value": "Det finns inte så många sidor.",
        },
    )

    def __init__(self, *args: Any, contacts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kontaktman"]
        assert isinstance(field, ContactChoiceField)  # noqa: S101 — declared above
        field.queryset = contacts
