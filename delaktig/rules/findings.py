"""Finding codes and their rules for the completeness check (R-PLAN-15).

:data:`RULES` maps each stable finding code to the requirement it enforces,
its source (regulation/seed routine), a plain Swedish message and whether it
is mandatory (blocks establishing the plan) or advice. Seeds: S1 is based on
SOSFS 2014:5 6 kap. 2 §; S2 is the knowledge-support page (*kunskapsstöd*);
S0/S3 forbid health-care (HSL) text in the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .hsl import Hit

__all__ = ["RULES", "Finding", "Rule"]

# SOSFS 2014:5 6 kap. is general advice ("bör"), not a binding rule: the UI says so.
_SOSFS_S1 = "SOSFS 2014:5 6 kap. 2 § (allmänt råd); rutin S1"
_S2 = "Kunskapsstöd S2"


@dataclass(frozen=True)
class Rule:
    """Requirement, source, message template and weight behind one finding code."""

    requirement: str
    source: str
    message: str  # Swedish; may contain {name} (the intervention's name)
    mandatory: bool = True


#: Every finding code, in the order the checks run. Messages are plain Swedish.
RULES: Mapping[str, Rule] = MappingProxyType(
    {
        "interventions.missing": Rule(
            "R-PLAN-1", _SOSFS_S1, "Planen måste utgå från minst en beviljad insats."
        ),
        "decision_goals": Rule(
            "R-PLAN-2", _S2, "Överväg att skriva in målen från biståndsbeslutet.", False
        ),
        "intervention.when": Rule(
            "R-PLAN-1", f"{_SOSFS_S1}; rutin S4", "Beskriv när insatsen ”{name}” ska utföras."
        ),
        "intervention.where": Rule(
            "R-PLAN-1", f"{_SOSFS_S1}; rutin S4", "Beskriv var insatsen ”{name}” ska utföras."
        ),
        "intervention.how": Rule(
            "R-PLAN-1", f"{_SOSFS_S1}; rutin S4", "Beskriv hur insatsen ”{name}” ska utföras."
        ),
        "intervention.goals": Rule(
            "R-PLAN-2",
            f"{_SOSFS_S1}; {_S2}; rutin S4",
            "Skriv minst ett mål för insatsen ”{name}”, formulerat tillsammans med den enskilde.",
        ),
        "intervention.sub_goals": Rule(
            "R-PLAN-2", _S2, "Överväg att dela upp målen för ”{name}” i delmål.", False
        ),
        "goal.text": Rule("R-PLAN-2", _S2, "Skriv ut målet eller ta bort det tomma målet."),
        "goal.sub_goal": Rule(
            "R-PLAN-2", _S2, "Skriv ut delmålet eller ta bort det tomma delmålet."
        ),
        "intervention.activities": Rule(
            "R-PLAN-1",
            "Rutin S4 (”vem ska göra vad”); kunskapsstöd S2 (”vem som är ansvarig”)",
            "Enligt rutinen ska det framgå vem som gör vad: lägg till minst en aktivitet med "
            "ansvarig för insatsen ”{name}”.",
        ),
        "activity.description": Rule(
            "R-PLAN-1", f"{_S2}; rutin S4", "Beskriv vad aktiviteten går ut på."
        ),
        "activity.responsible": Rule(
            "R-PLAN-1",
            f"{_S2}; rutin S4",
            "Ange vem som är ansvarig för att genomföra aktiviteten.",
        ),
        "activity.goals": Rule(
            "R-PLAN-2", _S2, "Överväg att skriva vad målet med aktiviteten är.", False
        ),
        "intervention.when_visits": Rule(
            "R-LIFE-7",
            "Rutin S1 (”meddela planeraren hur insatserna ska kopplas”)",
            "Det som står under ”När” för ”{name}” stämmer inte med besöken: {details}. "
            "Ändra texten eller besöken så att planeraren får samma besked.",
            False,
        ),
        "other_information": Rule(
            "R-PLAN-3",
            _SOSFS_S1,
            "Finns det annan information som är viktig när insatserna utförs? Skriv den här.",
            False,
        ),
        "other_information.required": Rule(
            "R-PLAN-3",
            "Rutin S1 (”annan information som är av vikt vid utförandet”)",
            "Enligt rutinen ska planen ha annan information som är av vikt när insatserna "
            "utförs. Skriv den här, eller skriv att det inte finns någon.",
        ),
        "participation_how": Rule(
            "R-PLAN-4",
            f"{_SOSFS_S1}; rutin S4",
            "Beskriv på vilket sätt den enskilde har deltagit i planeringen.",
        ),
        "wishes_weight": Rule(
            "R-PLAN-4",
            _S2,
            "Beskriv vilken hänsyn som har tagits till den enskildes synpunkter och önskemål.",
        ),
        "statement.text": Rule(
            "R-PLAN-4", _S2, "Skriv ut vad som framfördes eller ta bort den tomma synpunkten."
        ),
        "interests_how_found": Rule(
            "R-PLAN-4",
            _S2,
            "Den enskildes egna önskemål saknas: beskriv hur personalen har tagit reda på "
            "den enskildes intressen och mål.",
        ),
        "participants.missing": Rule(
            "R-PLAN-5",
            f"{_SOSFS_S1}; {_S2}",
            "Ange vilka personer som har deltagit i planeringen.",
        ),
        "participant.name": Rule(
            "R-PLAN-5", f"{_SOSFS_S1}; {_S2}", "Ange namnet på den som deltog i planeringen."
        ),
        "participant.role": Rule(
            "R-PLAN-5",
            f"{_SOSFS_S1}; {_S2}",
            "Ange vilken roll deltagaren har (t.ex. den enskilde, kontaktman, anhörig).",
        ),
        "cooperation": Rule(
            "R-PLAN-8",
            _S2,
            "Överväg att beskriva hur ni samverkar med t.ex. handläggare, hälso- och "
            "sjukvården, skolan eller Arbetsförmedlingen.",
            False,
        ),
        "follow_up_how": Rule(
            "R-PLAN-7",
            _S2,
            "Beskriv när och hur planen ska följas upp: för hela planen, eller för varje insats.",
        ),
        "disclosure.missing": Rule(
            "R-PLAN-9",
            _S2,
            "Bestäm tillsammans med den enskilde vilka som får ta del av planen och ange dem.",
        ),
        "disclosure.entry": Rule(
            "R-PLAN-9",
            _S2,
            "Fyll i vem som får ta del av planen eller ta bort den tomma raden.",
        ),
        "sip_status": Rule(
            "R-PLAN-10",
            f"{_S2} (SIP)",
            "Den enskilde får även hälso- och sjukvård: ange om en samordnad individuell plan "
            "(SIP) behövs eller finns, eller om den enskilde motsätter sig det.",
        ),
        "declined.purpose_explained": Rule(
            "R-PLAN-12",
            _S2,
            "Den enskilde har tackat nej: bekräfta att syftet med planen har förklarats.",
        ),
        "declined.reason": Rule(
            "R-PLAN-12",
            _S2,
            "Den enskilde har tackat nej: beskriv skälet som den enskilde har angett.",
        ),
        "master_data_checked": Rule(
            "R-PLAN-14",
            "Rutin S1 (”Uppgifter och övrig information”)",
            "Kontrollera att den enskildes uppgifter och övrig information stämmer och "
            "bekräfta det.",
        ),
        "hsl": Rule(
            "R-PLAN-11",
            "Rutin S0, S3 (Hälso- och sjukvårdslagen)",
            "Texten innehåller ord som ser ut som hälso- och sjukvård: {words}. Sådant "
            "dokumenteras enligt HSL i patientjournalen, inte i genomförandeplanen.",
            False,
        ),
    }
)


@dataclass(frozen=True)
class Finding:
    """One missing or doubtful item in a plan."""

    code: str  # stable machine key, e.g. "intervention.how" (a key of RULES)
    field: str  # path, e.g. "interventions[hemtjanst-dusch].how"
    requirement: str  # e.g. "R-PLAN-1"
    source: str  # regulation/seed, e.g. "SOSFS 2014:5 6 kap. 2 § (allmänt råd); rutin S1"
    message: str  # plain Swedish: what to fill in
    mandatory: bool  # blocks establishing the plan
    hits: tuple[Hit, ...] = ()  # for code "hsl": the flagged words
