"""Forms of the archive pages. Validation messages are Swedish."""

from __future__ import annotations

from django import forms

from delaktig.core.forms import DateInput

from .models import DeliveryStatus

MAX_REASON = 2000


class CaseCloseForm(forms.Form):
    closed_on = forms.DateField(label="Ärendet avslutas", widget=DateInput())
    end_open_interventions = forms.BooleanField(
        label="Avsluta pågående insatser samma dag",
        required=False,
        help_text=(
            "Bocka i om beslutet om insatserna har upphört. Annars måste varje insats ha ett "
            "slutdatum innan ärendet kan avslutas."
        ),
    )


class ReceiveForm(forms.Form):
    received_on = forms.DateField(
        label="Mottagen",
        widget=DateInput(),
        help_text="Dagen då paketet togs emot och sorterades in i personakten.",
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Varför skickas paketet tillbaka?",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Skriv varför paketet skickas tillbaka."},
        help_text="Enhetschefen ser anledningen och ber om ett nytt paket.",
    )


STATUS_FILTERS = {
    "": "Alla",
    DeliveryStatus.BUILT.value: "Att ta emot",
    DeliveryStatus.PENDING.value: "Väntar på paket",
    DeliveryStatus.RETURNED.value: "Återsända",
    DeliveryStatus.RECEIVED.value: "Mottagna",
}
