"""Forms of the disposal pages and admin."""

from __future__ import annotations

from typing import Any

from django import forms

from delaktig.core.forms import DateInput
from delaktig.organisation.models import Field

from .models import RetentionPolicy


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Beslut",
        choices=[("approve", "Godkänn gallring"), ("reject", "Avslå förslaget")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Motivering",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Skriv inga namn eller personnummer i motiveringen.",
    )


class HandOverForm(forms.Form):
    """Record that a child's LSS file was handed over to the deciding board (23 d § LSS)."""

    to = forms.CharField(
        label="Lämnad till",
        max_length=200,
        help_text="Nämnden som beslutade insatsen, till exempel Socialnämnden i Testkommun.",
    )
    on = forms.DateField(label="Datum för överlämnandet", widget=DateInput())


class RetentionPolicyForm(forms.ModelForm[RetentionPolicy]):
    keep_fields = forms.MultipleChoiceField(
        label="Verksamhetsområden som bevaras",
        choices=Field.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="En akt med något ärende på en enhet inom dessa områden gallras inte.",
    )

    class Meta:
        model = RetentionPolicy
        fields = [
            "municipality",
            "retention_years",
            "keep_research_sample",
            "keep_all",
            "keep_fields",
            "keep_intervention_types",
            "research_sample_override",
            "research_sample_reason",
        ]

    def clean_keep_fields(self) -> list[str]:
        value: Any = self.cleaned_data.get("keep_fields") or []
        return sorted(value)
