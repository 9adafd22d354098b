"""Personal-data guard: kinds found, never the data echoed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation.rules.personal_data import PersonalDataKind as Kind
from facilitation.rules.personal_data import find_personal_data, nhs_number_is_valid


@pytest.mark.parametrize(("text", "kinds"), [
    ("call me on 07911 123456 please", (Kind.PHONE,)),
    ("ring +44 20 7946 0958", (Kind.PHONE,)),
    ("ring +44 (0) 20 7946 0958", (Kind.PHONE,)),
    ("(020) 7946 0958", (Kind.PHONE,)),
    ("landline 0161 496 0000", (Kind.PHONE,)),
    ("mail jo.bloggs+council@example.co.uk", (Kind.EMAIL,)),
    ("I live at 12 Acacia Avenue, London SW1A 1AA", (Kind.ADDRESS,)),
    ("3-5 High St, Leeds LS1 4AP", (Kind.ADDRESS,)),
    ("Flat 3b, M1 1AE", (Kind.ADDRESS,)),
    ("my NHS number is 943 476 5919", (Kind.NHS_NUMBER,)),
    ("NHS 9434765919", (Kind.NHS_NUMBER,)),
    ("NI number AB 12 34 56 C", (Kind.NI_NUMBER,)),
    ("ni: ab123456c", (Kind.NI_NUMBER,)),
    ("07911 123456 or me@example.org", (Kind.PHONE, Kind.EMAIL)),
])
def test_finds_each_kind(text: str, kinds: tuple[Kind, ...]) -> None:
    assert find_personal_data(text) == kinds


@pytest.mark.parametrize("text", [
    "the meeting is at 7pm in room 12",
    "my postcode is SW1A 1AA",  # a postcode alone is not an address
    "in 2024 we had 300 people at M1 1AE",
    "NHS 943 476 5918",  # wrong check digit
    "QQ 12 34 56 C",  # Q is never a first prefix letter
    "GB 12 34 56 A",  # unissued prefix
    "AO 12 34 56 A",  # O is never a second prefix letter
    "order AB123456",  # no suffix letter: a reference, not an NI number
    "email me at @handle",
    "version 1.2.3",
    "",
])
def test_ignores_what_is_not_personal_data(text: str) -> None:
    assert find_personal_data(text) == ()


def test_a_valid_nhs_number_is_not_also_reported_as_a_phone_number() -> None:
    assert Kind.PHONE not in find_personal_data("943 476 5919")


@pytest.mark.parametrize(("digits", "valid"), [
    ("9434765919", True), ("4010232137", True), ("9434765918", False), ("943476591", False),
    ("abcdefghij", False), ("1000000001", True), ("1000000010", False),  # 100000001…: check 10, never valid
])
def test_nhs_modulus_eleven(digits: str, valid: bool) -> None:
    assert nhs_number_is_valid(digits) is valid


def test_kinds_are_reported_once_each() -> None:
    assert find_personal_data("07911 123456, 07911 654321, a@b.co and c@d.co") == (Kind.PHONE, Kind.EMAIL)


def test_long_hostile_input_is_handled() -> None:
    text = ("a" * 2000) + "@" + ("b-" * 1000)
    assert isinstance(find_personal_data(text[:4096]), tuple)


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",))))
def test_text_without_digits_can_only_hold_an_email_address(text: str) -> None:
    """The shortcut for text without digits (most chat) finds what the full search finds."""
    from facilitation.rules import personal_data

    full = tuple(kind for kind in Kind if kind == Kind.EMAIL
                 and "@" in text and personal_data._EMAIL.search(text))
    assert find_personal_data(text) == full
    assert not personal_data._nhs_spans(text) and not personal_data._has_phone(text, [])
    assert not personal_data._has_address(text) and not personal_data._has_ni_number(text)


def test_an_email_address_without_digits_is_still_found() -> None:
    assert find_personal_data("write to jo.bloggs@example.org please") == (Kind.EMAIL,)


# Plain ASCII built to sit near the shortcut's edges: digits in runs and groups, letters right before digits,
# "GIR 0AA", separators, street words and '@'.
_NEAR_EDGES = st.lists(st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=11), st.sampled_from(
        [" ", "-", ", ", "  ", "@", ".", "SW1A 1AA", "M1 1AE", "GIR 0AA", "gir 0aa", "Flat ", "12 Acacia Avenue ",
         "AB", "ab", "C", "NHS ", "07911 ", "a@b.co", "Mill Lane", "x"])), max_size=14).map("".join)


@settings(max_examples=500)
@given(st.one_of(_NEAR_EDGES, st.text(alphabet=st.characters(max_codepoint=127))))
def test_the_ascii_shortcut_finds_what_every_search_finds(text: str) -> None:
    from facilitation.rules.personal_data import search_everything

    assert find_personal_data(text) == search_everything(text)
