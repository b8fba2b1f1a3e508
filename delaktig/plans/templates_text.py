"""Headings, help texts and example wordings of the plan form (R-PLAN-13).

:data:`DEFAULT_SECTIONS` holds the built-in texts, one entry per section or
field of the editor, written in plain Swedish for staff who have Swedish as a
second language: short sentences, common words, one thing at a time. A
municipality can override any of them with a :class:`~delaktig.plans.models.PlanTemplate`
whose ``code`` is the routine profile's ``template_code``; its ``sections`` is
a dict ``{section_key: {"heading": …, "help": …, "example": …}}`` and only the
keys it gives replace the defaults (unknown sections and non-text values are
ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from delaktig import labels
from delaktig.labels import Label
from delaktig.organisation.models import Municipality

from .models import PlanTemplate

TEXT_KEYS = ("heading", "help", "example")

# The headings are delaktig.labels' (one wording per concept); help and examples live here.
DEFAULT_SECTIONS: Mapping[str, Mapping[str, Label]] = {
    "decision_goals": {
        "heading": labels.FIELDS["decision_goals"].heading,
        "help": (
            "Här står målen från biståndsbeslutet. Du kan skriva dem med den enskildes egna "
            "ord. Ändra inte vad målen betyder."
        ),
        "example": "Att kunna bo kvar hemma och känna mig trygg.",
    },
    "interventions": {
        "heading": labels.SECTIONS["interventions"],
        "help": (
            "Varje insats som är beviljad har en egen del. Skriv när, var och hur insatsen ska "
            "göras. Skriv så att alla i arbetslaget förstår och gör på samma sätt."
        ),
        "example": "",
    },
    "when": {
        "heading": labels.INTERVENTION["when"].heading,
        "help": "Vilka dagar och vilken tid? Hur ofta?",
        "example": "Tisdagar och fredagar på förmiddagen, ungefär klockan 9–10.",
    },
    "where": {
        "heading": labels.INTERVENTION["where"].heading,
        "help": "Var görs insatsen? Till exempel hemma, i badrummet eller i affären.",
        "example": "I badrummet hemma. Astrid vill duscha, inte bada.",
    },
    "how": {
        "heading": labels.INTERVENTION["how"].heading,
        "help": (
            "Hur ska insatsen göras? Vad gör den enskilde själv? Vad hjälper personalen till "
            "med? Hur vill den enskilde ha det?"
        ),
        "example": (
            "Astrid tvättar sig själv. Personalen hjälper till med ryggen och håret. "
            "Personalen väntar utanför när Astrid vill det."
        ),
    },
    "intervention_follow_up": {
        "heading": labels.INTERVENTION["follow_up_how"].heading,
        "help": (
            "När ska ni se om insatsen fungerar? Hur gör ni det, och vem är med? Du behöver "
            "inte fylla i detta om det som står om uppföljning av hela planen gäller även "
            "för den här insatsen."
        ),
        "example": "Efter en månad frågar kontaktmannen Astrid hur duschen fungerar.",
    },
    "goals": {
        "heading": labels.INTERVENTION["goals"].heading,
        "help": (
            "Skriv målen tillsammans med den enskilde, gärna med hens egna ord. Ett bra mål är "
            "viktigt för den enskilde, handlar om vardagen och går att nå. Dela upp målet i "
            "delmål: skriv ett delmål på varje rad."
        ),
        "example": (
            "Mål: Jag vill kunna duscha själv. Delmål: Jag tvättar håret själv. "
            "Jag kliver in i duschen med stöd av handtaget."
        ),
    },
    "activities": {
        "heading": labels.INTERVENTION["activities"].heading,
        "help": (
            "Dela gärna upp insatsen i aktiviteter. Skriv vad som ska göras, vem som ansvarar "
            "för att det blir gjort och när. Skriv en aktivitet i taget."
        ),
        "example": "Handla mat – kontaktmannen – varje torsdag förmiddag.",
    },
    "schedule": {
        "heading": labels.INTERVENTION["schedule"].heading,
        "help": (
            "Planeraren får de här uppgifterna när planen är fastställd. Fyll i ett besök per "
            "rad: veckodagar, klockslag och hur många minuter besöket tar. Kommer ni på "
            "morgonen och på kvällen blir det två besök. Skriv samma sak under ”När”."
        ),
        "example": "Besök 1: måndag–fredag, klockan 08:00, 30 minuter. "
        "Besök 2: varje dag, klockan 20:00, 15 minuter.",
    },
    "participation": {
        "heading": labels.SECTIONS["participation"],
        "help": (
            "Beskriv hur den enskilde var med och planerade. Beskriv också hur ni har tagit "
            "hänsyn till hens synpunkter och önskemål."
        ),
        "example": (
            "Astrid var med på mötet hemma hos sig. Hon valde själv dagar och tider för "
            "dusch. Hon vill att samma personal kommer så ofta som möjligt, och det har vi "
            "skrivit in i planen."
        ),
    },
    "interests_how_found": {
        "heading": labels.SECTIONS["interests_how_found"],
        "help": (
            "Fyll i detta om den enskilde inte har sagt vad hen vill. Skriv hur ni har tagit "
            "reda på vad hen tycker om och vill, till exempel genom att se hur hen reagerar "
            "eller fråga någon som känner hen väl."
        ),
        "example": (
            "Erik pratar inte. Vi har sett att han blir lugn när han får gå ut på morgonen. "
            "Hans syster berättade att han alltid har tyckt om att vara i skogen."
        ),
    },
    "statements": {
        "heading": labels.FIELDS["statements"].heading,
        "help": (
            "Skriv vad olika personer har sagt om stödet. Håll isär vem som har sagt vad: den "
            "enskildes egna ord står för sig, och det som personal, god man eller närstående "
            "har sagt står för sig."
        ),
        "example": "Den enskilde: ”Jag vill inte ha besök före klockan 9.”",
    },
    "participants": {
        "heading": labels.FIELDS["participants"].heading,
        "help": (
            "Vilka var med när planen gjordes? Skriv namn och roll. En närstående får bara "
            "vara med om den enskilde vill det."
        ),
        "example": "Astrid Lind – den enskilde. Bob Berg – kontaktman. Karin Lind – dotter.",
    },
    "other_information": {
        "heading": labels.FIELDS["other_information"].heading,
        "help": (
            "Finns det något mer som personalen behöver veta när de gör insatserna? Till "
            "exempel vanor, vad den enskilde är rädd för eller hur man kommer in i bostaden. "
            "Skriv inte om sjukdomar eller mediciner här."
        ),
        "example": "Astrid hör dåligt på vänster öra. Prata tydligt och stå framför henne.",
    },
    "cooperation": {
        "heading": labels.FIELDS["cooperation"].heading,
        "help": (
            "Arbetar ni tillsammans med någon annan? Till exempel handläggaren, hälso- och "
            "sjukvården, skolan eller Arbetsförmedlingen. Skriv med vem och hur."
        ),
        "example": (
            "Kontaktmannen ringer arbetsterapeuten om Astrid behöver nya hjälpmedel. Vi "
            "träffar handläggaren vid uppföljningen."
        ),
    },
    "follow_up": {
        "heading": labels.FIELDS["follow_up_how"].heading,
        "help": (
            "När och hur ska hela planen följas upp? Skriv vid varje insats om den ska "
            "följas upp på ett annat sätt eller tidigare. Har varje insats en egen "
            "uppföljning, behöver du inte skriva något här."
        ),
        "example": (
            "Vi följer upp hela planen i september, vid ett samtal hemma hos Astrid. "
            "Duschen följer vi upp efter en månad."
        ),
    },
    "disclosure": {
        "heading": labels.FIELDS["disclosure"].heading,
        "help": (
            "Bestäm tillsammans med den enskilde vem som får läsa planen. Kryssa i de grupper "
            "som får läsa den. Skriv andra personer eller roller på egna rader. Fråga igen vid "
            "varje uppföljning."
        ),
        "example": "Dottern Karin Lind får läsa planen.",
    },
    "health_care": {
        "heading": labels.SECTIONS["health_care"],
        "help": (
            "Får den enskilde också hälso- och sjukvård? Svara då om en samordnad individuell "
            "plan (SIP) behövs eller finns. Skriv inte om vården i den här planen – den "
            "dokumenteras i patientjournalen."
        ),
        "example": "",
    },
    "declined": {
        "heading": labels.SECTIONS["declined"],
        "help": (
            "Den enskilde får säga nej till en plan. Förklara först varför planen görs och "
            "hur den kan hjälpa. Skriv vad den enskilde säger. Fyll ändå i resten av planen "
            "så gott det går."
        ),
        "example": (
            "Astrid vill inte ha en skriven plan. Hon säger att hon inte vill ha papper hemma."
        ),
    },
    "master_data": {
        "heading": labels.SECTIONS["master_data"],
        "help": (
            "Kontrollera att den enskildes namn, adress, telefon och närstående stämmer, och "
            "att övrig information är aktuell."
        ),
        "example": "",
    },
}


def merge_sections(overrides: Any) -> dict[str, dict[str, str]]:
    """The default texts with a template's ``sections`` laid over them.

    Plain strings, in the language active now (the default headings are lazy labels).
    """
    merged = {
        key: {name: str(text) for name, text in texts.items()}
        for key, texts in DEFAULT_SECTIONS.items()
    }
    if not isinstance(overrides, dict):
        return merged
    for key, texts in overrides.items():
        if key not in merged or not isinstance(texts, dict):
            continue
        for name in TEXT_KEYS:
            value = texts.get(name)
            if isinstance(value, str):
                merged[key][name] = value.strip()
    return merged


def section_texts(
    municipality: Municipality | int, template_code: str
) -> dict[str, dict[str, str]]:
    """Texts of every section for the municipality's template ``template_code`` (one query)."""
    municipality_id = municipality if isinstance(municipality, int) else municipality.pk
    sections = (
        PlanTemplate.objects.filter(municipality_id=municipality_id, code=template_code)
        .values_list("sections", flat=True)
        .first()
    )
    return merge_sections(sections)
