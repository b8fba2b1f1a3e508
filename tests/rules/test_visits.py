"""The free-text "när" against the structured visits (R-LIFE-7, S1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from delaktig import rules
from delaktig.rules import Mismatch, MismatchKind, Visit, when_mismatches
from delaktig.rules.visits import WEEKDAY_CODES

DAY_NAMES = dict(
    zip(
        WEEKDAY_CODES,
        ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
        strict=True,
    )
)
NO_VISIT, EXCLUDED = MismatchKind.NO_VISIT, MismatchKind.EXCLUDED

times = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 15, 30, 45])
)
visits = st.builds(
    Visit,
    weekdays=st.lists(st.sampled_from(WEEKDAY_CODES), min_size=1, max_size=7, unique=True).map(
        tuple
    ),
    time_of_day=times,
    duration_minutes=st.one_of(st.none(), st.integers(1, 240)),
)
visit_lists = st.lists(visits, min_size=1, max_size=4)


def _describe(visit: Visit) -> str:
    days = " och ".join(f"{DAY_NAMES[d]}ar" for d in visit.weekdays)
    return f"{days} kl. {visit.time_of_day}"


def kinds(text: str, items: list[Visit]) -> list[tuple[MismatchKind, str]]:
    return [(m.kind, m.text) for m in when_mismatches(text, items)]


MORNING = Visit(weekdays=("MO", "WE", "FR"), time_of_day="08:00", duration_minutes=45)
EVENING = Visit(weekdays=WEEKDAY_CODES, time_of_day="20:00", duration_minutes=30)


class TestProperties:
    @given(st.text(max_size=200))
    def test_without_visits_nothing_is_compared(self, text: str) -> None:
        assert when_mismatches(text, []) == ()

    @given(st.text(max_size=200), visit_lists)
    def test_it_never_fails_on_any_text(self, text: str, items: list[Visit]) -> None:
        for mismatch in when_mismatches(text, items):
            assert isinstance(mismatch, Mismatch)
            assert mismatch.text

    @given(visit_lists)
    def test_a_text_written_from_the_visits_matches_them(self, items: list[Visit]) -> None:
        text = ". ".join(_describe(v) for v in items) + "."
        assert when_mismatches(text, items) == ()

    @given(st.text(alphabet="abcefghijklnopqruvwxyzåäö ,", max_size=80), visit_lists)
    def test_a_text_without_days_or_times_never_contradicts(
        self, text: str, items: list[Visit]
    ) -> None:
        # No "dag" (no weekday name) and no digit (no time) can be written from this alphabet.
        assert when_mismatches(text, items) == ()

    @given(visit_lists, visits, st.text(max_size=120))
    def test_another_visit_never_adds_a_missing_day_or_time(
        self, items: list[Visit], extra: Visit, text: str
    ) -> None:
        before = {m for m in when_mismatches(text, items) if m.kind is NO_VISIT}
        after = {m for m in when_mismatches(text, [*items, extra]) if m.kind is NO_VISIT}
        assert after <= before

    @given(visit_lists, st.sampled_from(WEEKDAY_CODES))
    def test_a_named_day_without_a_visit_is_flagged(self, items: list[Visit], day: str) -> None:
        result = kinds(f"På {DAY_NAMES[day]}ar.", items)
        if any(day in v.weekdays for v in items):
            assert result == []
        else:
            assert result == [(NO_VISIT, DAY_NAMES[day])]

    @given(visit_lists, st.sampled_from(WEEKDAY_CODES))
    def test_an_excluded_day_with_a_visit_is_flagged(self, items: list[Visit], day: str) -> None:
        result = kinds(f"Inte på {DAY_NAMES[day]}ar.", items)
        if any(day in v.weekdays for v in items):
            assert result == [(EXCLUDED, f"inte {DAY_NAMES[day]}")]
        else:
            assert result == []

    @given(visit_lists, st.sampled_from(WEEKDAY_CODES))
    def test_days_after_a_negation_are_not_read(self, items: list[Visit], day: str) -> None:
        assert kinds(f"Aldrig kvällar, {DAY_NAMES[day]}.", items) == []


class TestDays:
    def test_a_visit_on_every_named_day_matches(self) -> None:
        assert kinds("Måndag, onsdag och fredag på morgonen.", [MORNING]) == []

    def test_a_day_without_any_visit_is_named(self) -> None:
        assert kinds("Tisdagar och måndagar.", [MORNING]) == [(NO_VISIT, "tisdag")]

    def test_a_range_is_met_by_one_visit_in_it(self) -> None:
        assert kinds("Måndag–fredag.", [MORNING]) == []
        assert kinds("måndag till torsdag", [MORNING]) == []

    def test_a_range_without_a_visit_is_named(self) -> None:
        assert kinds("Lördag–söndag.", [MORNING]) == [(NO_VISIT, "lördag–söndag")]

    def test_a_range_may_wrap_over_the_weekend(self) -> None:
        assert kinds("fredag-måndag", [Visit(weekdays=("SU",))]) == []
        assert kinds("lördag-söndag", [Visit(weekdays=("MO",))]) == [(NO_VISIT, "lördag–söndag")]

    def test_a_range_after_a_negation_is_not_read(self) -> None:
        assert kinds("Ej helger, lördag–söndag", [MORNING]) == []

    def test_a_visit_with_no_fixed_day_makes_any_day_possible(self) -> None:
        assert kinds("Tisdagar.", [MORNING, Visit(time_of_day="12:00")]) == []
        assert kinds("Tisdagar, lördag–söndag.", [Visit(weekdays=("XX",))]) == []

    def test_an_excluded_day_is_checked_even_when_some_visit_has_no_day(self) -> None:
        result = kinds("Utom måndag.", [MORNING, Visit(time_of_day="12:00")])
        assert result == [(EXCLUDED, "inte måndag")]

    def test_each_contradiction_is_named_once_in_text_order(self) -> None:
        text = "Söndag. Tisdag, tisdagar. Inte måndag"
        assert kinds(text, [MORNING]) == [
            (NO_VISIT, "söndag"),
            (NO_VISIT, "tisdag"),
            (EXCLUDED, "inte måndag"),
        ]


class TestTimes:
    def test_morning_and_evening_visits_match_their_times(self) -> None:
        assert kinds("Kl. 8 och kl. 20.", [MORNING, EVENING]) == []
        assert kinds("klockan 08:15 och 20:00", [MORNING, EVENING]) == []

    def test_a_time_without_a_visit_is_named(self) -> None:
        assert kinds("Kl. 14.", [MORNING, EVENING]) == [(NO_VISIT, "kl. 14")]
        assert kinds("13:30", [MORNING]) == [(NO_VISIT, "kl. 13:30")]

    def test_a_spoken_hour_may_mean_the_evening(self) -> None:
        assert kinds("kl. 8", [EVENING]) == []
        assert kinds("kl. 08:00", [EVENING]) == [(NO_VISIT, "kl. 8")]

    def test_a_time_during_a_visit_matches(self) -> None:
        assert kinds("kl. 8.40", [MORNING]) == []

    def test_a_time_range_is_met_by_a_visit_starting_in_it(self) -> None:
        assert kinds("kl. 7–9", [MORNING]) == []
        assert kinds("kl. 7–9", [EVENING]) == []  # 19–21
        assert kinds("kl. 13-15", [MORNING]) == [(NO_VISIT, "kl. 13–15")]

    def test_an_overnight_range_wraps_midnight(self) -> None:
        night = Visit(weekdays=("MO",), time_of_day="23:30", duration_minutes=15)
        assert kinds("kl. 22–06", [night]) == []
        assert kinds("kl. 22–06", [MORNING]) == [(NO_VISIT, "kl. 22–6")]

    def test_times_are_not_compared_when_a_visit_has_no_time(self) -> None:
        assert kinds("kl. 14", [MORNING, Visit(weekdays=("MO",))]) == []
        assert kinds("kl. 14", [Visit(weekdays=("MO",), time_of_day="9")]) == []


class TestCompleteness:
    def _content(self, when: str, visits: tuple[Visit, ...]) -> rules.PlanContent:
        part = rules.InterventionPart(
            key="1", name="Hemtjänst", when=when, where="x", how="y", visits=visits
        )
        return rules.PlanContent(interventions=(part,))

    def test_a_mismatch_is_advice_on_the_when_field(self) -> None:
        content = self._content("Tisdagar kl. 14", (MORNING,))
        found = [
            f
            for f in rules.check_completeness(content, rules.RoutineProfile())
            if f.code == "intervention.when_visits"
        ]
        assert len(found) == 1
        assert found[0].field == "interventions[1].when"
        assert found[0].requirement == "R-LIFE-7"
        assert not found[0].mandatory
        assert "tisdag, kl. 14" in found[0].message
        assert "”Hemtjänst”" in found[0].message

    def test_matching_visits_give_no_finding(self) -> None:
        content = self._content("Måndag, onsdag, fredag kl. 8", (MORNING,))
        codes = [f.code for f in rules.check_completeness(content, rules.RoutineProfile())]
        assert "intervention.when_visits" not in codes
