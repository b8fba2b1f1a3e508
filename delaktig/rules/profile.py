"""Routine profile: every number and rule that differs between routines (R-ORG-3).

The seed routines disagree (14 days vs three weeks, 6 vs 12 months, who
signs …). None of those values is a constant in Delaktig: they are fields of a
:class:`RoutineProfile`, which a unit inherits from its administration or
municipality. Presets matching the seeds live in :mod:`delaktig.rules.presets`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "ChangeApproval",
    "FollowUpParticipation",
    "InterventionOverride",
    "OverrideMap",
    "RoutineProfile",
    "Signer",
]

#: Accepted ranges (inclusive) for the numeric settings.
ESTABLISH_DAYS_RANGE = (1, 365)
FOLLOW_UP_MONTHS_RANGE = (1, 36)
NOTICE_DAYS_RANGE = (0, 365)


class Signer(StrEnum):
    """A role whose signature a routine requires (R-LIFE-4; S1, S4)."""

    PERSON = "person"  # den enskilde
    CONTACT_PERSON = "contact_person"  # kontaktman
    UNIT_MANAGER = "unit_manager"  # enhetschef
    STAFF_MEMBER = "staff_member"  # medarbetare (S4)


class FollowUpParticipation(StrEnum):
    """Who must take part in a follow-up (R-FU-2; S0/S3)."""

    NONE_REQUIRED = "none_required"
    PERSON = "person"
    PERSON_OR_RELATIVE = "person_or_relative"  # "den enskilde och/eller anhörig ska delta"
    PERSON_AND_RELATIVE = "person_and_relative"


class ChangeApproval(StrEnum):
    """Who must approve a new version of an established plan (S0/S3)."""

    NONE_REQUIRED = "none_required"
    PERSON = "person"
    # "den enskilde och/eller anhörig ska godkänna ändringar i genomförandeplanen"
    PERSON_OR_RELATIVE = "person_or_relative"


def _check_int(value: object, low: int, high: int, what: str) -> None:
    """Raise ``ValueError`` (Swedish) unless ``value`` is an int in ``low..high``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} måste vara ett heltal.")
    if not low <= value <= high:
        raise ValueError(f"{what} måste vara mellan {low} och {high}, men är {value}.")


_DEADLINE = "Tidsfristen för att upprätta genomförandeplanen (dagar)"
_INTERVAL = "Intervallet för uppföljning (månader)"


@dataclass(frozen=True, kw_only=True)
class InterventionOverride:
    """Settings that differ for one intervention type, e.g. *korttidsvistelse*.

    ``None`` means "use the profile's value". At least one value must be set.
    """

    establish_within_days: int | None = None
    follow_up_interval_months: int | None = None

    def __post_init__(self) -> None:
        if self.establish_within_days is None and self.follow_up_interval_months is None:
            raise ValueError("Ett undantag för en insatstyp måste ändra minst en inställning.")
        if self.establish_within_days is not None:
            _check_int(self.establish_within_days, *ESTABLISH_DAYS_RANGE, _DEADLINE)
        if self.follow_up_interval_months is not None:
            _check_int(self.follow_up_interval_months, *FOLLOW_UP_MONTHS_RANGE, _INTERVAL)


class OverrideMap(Mapping[str, InterventionOverride]):
    """An immutable, hashable mapping ``intervention type code -> override``.

    Needed because :class:`RoutineProfile` is frozen and must stay hashable;
    ``dict`` and ``types.MappingProxyType`` are not hashable. Accepts a mapping
    or an iterable of ``(code, override)`` pairs.
    """

    __slots__ = ("_data", "_items")

    def __init__(
        self,
        items: Mapping[str, InterventionOverride] | Iterable[tuple[str, InterventionOverride]] = (),
    ) -> None:
        data = dict(items)
        for code, override in data.items():
            if not isinstance(code, str) or not code.strip():
                raise ValueError("Koden för en insatstyp måste vara en icke-tom text.")
            if not isinstance(override, InterventionOverride):
                raise ValueError(f"Undantaget för insatstypen {code!r} har fel typ.")
        self._data = data
        self._items = tuple(sorted(data.items(), key=lambda pair: pair[0]))

    def __getitem__(self, key: str) -> InterventionOverride:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return (code for code, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"OverrideMap({dict(self._items)!r})"


@dataclass(frozen=True, kw_only=True)
class RoutineProfile:
    """All settings of one routine (R-ORG-3). Frozen, hashable, comparable.

    Invalid values raise ``ValueError`` with a Swedish message. Strings are
    accepted for the enum fields (``"person"``) and converted, and any mapping
    or iterable of pairs is accepted for ``intervention_overrides`` and
    converted to an :class:`OverrideMap`.
    """

    #: Days after the intervention starts by which the plan must be established
    #: (R-LIFE-1): 14 in S1/S4, 21 ("tre veckor") in S0/S3.
    establish_within_days: int = 14
    #: Whole plan followed up at least this often (R-FU-1): 6 in S0/S1/S3, 12 in S4.
    follow_up_interval_months: int = 6
    #: Follow up also whenever needs change (S1, S2, S4).
    follow_up_on_change: bool = True
    #: New interventions always mean a new plan version (S4; S0/S3 on any change).
    new_version_on_new_intervention: bool = False
    #: A follow-up always makes a new plan version (S4: "minst en gång per år" a new plan).
    new_version_at_follow_up: bool = False
    #: Every intervention needs an activity with who does it (S4 "vem ska göra vad").
    activities_required: bool = False
    #: "Annan information som är av vikt vid utförandet" is mandatory (S1: "ska framgå").
    other_information_required: bool = False
    #: Who must approve a new version of an established plan (S0/S3).
    change_approval: ChangeApproval = ChangeApproval.NONE_REQUIRED
    #: Roles that must sign an established plan (R-LIFE-4). Never empty.
    required_signers: frozenset[Signer] = frozenset({Signer.PERSON})
    #: The person may leave the plan unsigned if the reason is stated (S1).
    person_may_decline_signing_with_reason: bool = True
    #: Who must take part in follow-ups (R-FU-2; S0/S3).
    follow_up_participation: FollowUpParticipation = FollowUpParticipation.NONE_REQUIRED
    #: Tell the scheduler how to schedule the interventions (home care, S1, R-LIFE-7).
    notify_scheduler: bool = False
    #: Checklist "Uppgifter och övrig information" at establishment/follow-up (S1, R-PLAN-14).
    master_data_check: bool = False
    #: Plan template in use (R-PLAN-13; S0/S3 "mall för genomförandeplan").
    template_code: str = "standard"
    #: Reminders start this many days before a due date (R-FU-1).
    reminder_days_before: int = 14
    #: The overview shows a deadline as "due soon" within this many days (R-QA-1).
    due_soon_days: int = 7
    #: Per intervention-type settings, e.g. ``{"korttidsvistelse": InterventionOverride(...)}``.
    intervention_overrides: Mapping[str, InterventionOverride] = field(default_factory=OverrideMap)

    def __post_init__(self) -> None:
        _check_int(self.establish_within_days, *ESTABLISH_DAYS_RANGE, _DEADLINE)
        _check_int(self.follow_up_interval_months, *FOLLOW_UP_MONTHS_RANGE, _INTERVAL)
        _check_int(self.reminder_days_before, *NOTICE_DAYS_RANGE, "Påminnelsetiden (dagar)")
        _check_int(self.due_soon_days, *NOTICE_DAYS_RANGE, "Perioden för ”snart” (dagar)")
        try:
            signers = frozenset(Signer(signer) for signer in self.required_signers)
            participation = FollowUpParticipation(self.follow_up_participation)
            approval = ChangeApproval(self.change_approval)
        except ValueError:
            raise ValueError(
                "Okänd roll för signering, deltagande i uppföljning eller godkännande."
            ) from None
        if not signers:
            raise ValueError("Minst en roll måste signera genomförandeplanen.")
        if not isinstance(self.template_code, str) or not self.template_code.strip():
            raise ValueError("Mallens kod får inte vara tom.")
        overrides = self.intervention_overrides
        if not isinstance(overrides, OverrideMap):
            overrides = OverrideMap(overrides)
        object.__setattr__(self, "required_signers", signers)
        object.__setattr__(self, "follow_up_participation", participation)
        object.__setattr__(self, "change_approval", approval)
        object.__setattr__(self, "intervention_overrides", overrides)

    def for_intervention(self, type_code: str | None) -> RoutineProfile:
        """The profile with the override for ``type_code`` applied.

        Returns ``self`` when ``type_code`` is ``None`` or has no override. The
        overrides themselves are kept, so the call is idempotent.
        """
        if type_code is None or type_code not in self.intervention_overrides:
            return self
        override = self.intervention_overrides[type_code]
        return dataclasses.replace(
            self,
            establish_within_days=(
                self.establish_within_days
                if override.establish_within_days is None
                else override.establish_within_days
            ),
            follow_up_interval_months=(
                self.follow_up_interval_months
                if override.follow_up_interval_months is None
                else override.follow_up_interval_months
            ),
        )

    @property
    def person_must_sign(self) -> bool:
        """True when the person is among the required signers (S1)."""
        return Signer.PERSON in self.required_signers
