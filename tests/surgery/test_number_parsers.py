"""Property tests for the parsers of typed numbers: `/surgery join <n>`, `/withdraw <n>`, `/reply <n> <text>`,
the host's join buttons and question numbers. Any text gives a value or a plain "no", never an exception; only
ASCII digits count ("²", "٣" and full-width digits are refused plainly, not crashed on)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation.joint import JoinAnswer, parse_join_answer, parse_session_number
from facilitation.queue import parse_number, parse_one_number, parse_target
from facilitation.replies import MAX_REPLY_LENGTH, parse_reply

NUMBERS = st.integers(min_value=1, max_value=99_999_999)
UNICODE_DIGITS = st.sampled_from(["²", "³", "¹", "٣", "３", "߂", "①", "𝟕", "৪"])


@settings(max_examples=400)
@given(st.text(max_size=40))
def test_single_number_parsers_never_raise(text: str) -> None:
    for parse in (parse_one_number, parse_session_number, parse_number):
        value = parse(text)
        assert value is None or (isinstance(value, int) and value >= 0)
    number, rest = parse_target(text)
    assert number is None or number >= 0
    assert isinstance(rest, str)


@given(NUMBERS, st.booleans(), st.sampled_from(["", " ", "  \t"]))
def test_a_typed_number_reads_back(number: int, hashed: bool, space: str) -> None:
    typed = f"{space}{'#' if hashed else ''}{number}{space}"
    assert parse_one_number(typed) == parse_session_number(typed) == number


@given(UNICODE_DIGITS, st.integers(min_value=0, max_value=9))
def test_unicode_digits_are_refused_not_crashed_on(digit: str, ascii_digit: int) -> None:
    for typed in (digit, f"{ascii_digit}{digit}", f"#{digit}", f"{digit}{ascii_digit}"):
        assert parse_one_number(typed) is None
        assert parse_number(typed) is None
        assert parse_reply(f"{typed} hello") is None
        assert parse_target(f"#{typed} note")[0] is None


@given(st.lists(NUMBERS, min_size=2, max_size=4))
def test_more_than_one_number_is_not_one(numbers: list[int]) -> None:
    assert parse_one_number(" ".join(map(str, numbers))) is None


@settings(max_examples=300)
@given(NUMBERS, st.text(min_size=1, max_size=200).filter(lambda t: t.strip() != ""))
def test_reply_reads_the_number_and_keeps_the_answer(number: int, answer: str) -> None:
    parsed = parse_reply(f"{number} {answer}")
    assert parsed is not None and parsed.number == number
    assert parsed.text == answer.strip()[:MAX_REPLY_LENGTH]


@settings(max_examples=400)
@given(st.text(max_size=80))
def test_reply_never_raises(text: str) -> None:
    parsed = parse_reply(text)
    assert parsed is None or (parsed.number >= 0 and parsed.text.strip() != "")


@given(NUMBERS, NUMBERS, st.booleans())
def test_join_button_data_round_trips(session_id: int, community_id: int, accept: bool) -> None:
    answer = JoinAnswer(session_id, community_id, accept)
    assert len(answer.data()) <= 64  # Telegram's callback_data limit
    assert parse_join_answer(answer.data()) == answer


PIECES = st.one_of(st.text(max_size=6), st.integers(min_value=-5, max_value=10**12).map(str), UNICODE_DIGITS,
                   st.sampled_from(["y", "n", "#1", "01", "sjoin", ""]))


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=64),
                 st.lists(PIECES, min_size=1, max_size=5).map(lambda parts: "sjoin:" + ":".join(parts))))
def test_join_button_parser_never_raises(data: str) -> None:
    found = parse_join_answer(data)
    assert found is None or found.data() == data
