"""Reading what was typed into the person search (issue 10, R-CASE-1, R-LIFE-8)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from delaktig import rules
from delaktig.rules import InvalidSearch, SearchKind, fold_name, parse_search

TODAY = date(2026, 3, 2)


def parse(text: str) -> rules.SearchQuery:
    return parse_search(text, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("19400321-9823", "19400321-9823"),
        ("194003219823", "19400321-9823"),
        ("400321-9823", "400321-9823"),
        ("4003219823", "400321-9823"),
        ("  400321 - 9823 ", "400321-9823"),
        ("400321+9823", "400321-9823"),
        ("１９４００３２１９８２３", "19400321-9823"),  # full-width digits
    ],
)
def test_a_personnummer_is_read_in_every_common_form(typed: str, number: str) -> None:
    query = parse(typed)
    assert (query.kind, query.number) == (SearchKind.PERSONNUMMER, number)


@pytest.mark.parametrize(("typed", "number"), [("400321", "400321"), ("19400321", "19400321")])
def test_six_or_eight_digits_are_a_birth_date(typed: str, number: str) -> None:
    query = parse(typed)
    assert (query.kind, query.number) == (SearchKind.BIRTH_DATE, number)


def test_names_are_folded_word_prefixes() -> None:
    assert parse("Öst-Åberg  ÄL").words == ("ost", "aberg", "al")
    assert parse("o'Neil").words == ("o", "neil")
    assert fold_name("Émile Ørsted-Ça") == "emile orsted ça"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Skriv ett namn eller ett personnummer."),
        ("   ", "Skriv ett namn eller ett personnummer."),
        ("a", "Skriv minst 2 bokstäver av namnet."),
        ("x" * 500, "Sökningen får vara högst 100 tecken."),
        ("Astrid 1940", "Sök antingen på namn eller på personnummer, inte båda på en gång."),
        ("<script>", "Namnet får bara innehålla bokstäver, mellanslag, bindestreck och apostrof."),
        (
            "Ast\x00rid",
            "Namnet får bara innehålla bokstäver, mellanslag, bindestreck och apostrof.",
        ),
        ("🙂🙂", "Namnet får bara innehålla bokstäver, mellanslag, bindestreck och apostrof."),
        ("a\u202eb", "Namnet får bara innehålla bokstäver, mellanslag, bindestreck och apostrof."),
        ("12345", "Skriv hela personnumret"),
        ("401399", "Födelsedatumet är inte ett giltigt datum"),
        ("19400321-9824", "Kontrollsiffran"),
        ("a b c d e", "Skriv högst 4 ord av namnet."),
    ],
)
def test_bad_input_gets_a_swedish_message_that_does_not_repeat_it(typed: str, message: str) -> None:
    with pytest.raises(InvalidSearch) as error:
        parse(typed)
    assert str(error.value).startswith(message)
    if len(typed.strip()) > 3:
        assert typed.strip() not in str(error.value)


def test_the_query_hides_its_number_in_repr() -> None:
    assert "9823" not in repr(parse("19400321-9823"))


@st.composite
def personnummer(draw: st.DrawFn) -> tuple[str, bool]:
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    serial = draw(st.integers(min_value=1, max_value=999))
    samordning = draw(st.booleans())
    return rules.generate_personnummer(birth, serial, samordning=samordning), samordning


@given(personnummer(), st.sampled_from(["12-dash", "12", "10-dash", "10"]), st.booleans())
def test_every_form_of_a_generated_number_finds_that_number(
    generated: tuple[str, bool], form: str, spaced: bool
) -> None:
    canonical, _samordning = generated  # YYYYMMDD-NNNN
    typed = {
        "12-dash": canonical,
        "12": canonical.replace("-", ""),
        "10-dash": canonical[2:],
        "10": canonical[2:].replace("-", ""),
    }[form]
    if spaced:
        typed = f"  {typed} "
    query = parse(typed)
    assert query.kind is SearchKind.PERSONNUMMER
    # 12 digits match the stored number exactly; 10 digits match its end, whatever the century.
    assert canonical == query.number if form.startswith("12") else canonical.endswith(query.number)


@given(personnummer(), st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_refused(generated: tuple[str, bool], shift: int) -> None:
    canonical, _ = generated
    wrong = canonical[:-1] + str((int(canonical[-1]) + shift) % 10)
    with pytest.raises(InvalidSearch, match="Kontrollsiffran"):
        parse(wrong)


@given(st.text(max_size=200))
def test_any_text_is_a_query_or_a_swedish_refusal(typed: str) -> None:
    try:
        query = parse(typed)
    except InvalidSearch as error:
        assert str(error)
    else:
        assert query.kind in SearchKind
