"""Issue 16: every parser of what people type, fed anything at all, either reads it or refuses it with the
project's own refusal (an `InputProblem`, a refusal value, or None) — never another exception, which would reach
a handler as a crash. Hypothesis drives them with arbitrary text and with text shaped like the real thing
(digits from other scripts, superscripts, huge numbers, far dates), which is where the crashes were."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.mentions import mention_names, mention_words
from bot.command_text import is_for_bot, parse_command_text
from facilitation.casework import parse_reference
from facilitation.cases import parse_case_number
from facilitation.durations import parse_duration
from facilitation.invitations import looks_like_code
from facilitation.numbers import whole_number
from facilitation.problems import InputProblem
from facilitation.queue import check_question_text, parse_number, parse_target
from facilitation.rules.escalation import parse_ladder, parse_step
from facilitation.rules.policy import DEFAULT_POLICY, Policy, policy_keys, set_value
from facilitation.schedule_parse import ScheduleRefusal, ScheduleRequest, parse_schedule
from facilitation.targets import find_target, first_word

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")

# Characters that look like digits or act like them somewhere: superscripts, other scripts' digits, fullwidth,
# fractions, Roman numerals; and the separators and signs that surround numbers.
ODD_DIGITS = "0123456789²³¹⁰⁴٠١٢٣٤٥٦٧٨٩۰۱۲٣०१२३৪０１２３½⅓ⅠⅡⅫ①②"
NUMBERISH = st.text(alphabet=ODD_DIGITS + "#+-.,:/ T", max_size=30)
HUGE = st.integers(min_value=0, max_value=10**40).map(str)
WORDS = st.one_of(st.text(max_size=80), NUMBERISH, HUGE)


def _date_words() -> st.SearchStrategy[str]:
    # The calendar's edges come up often, as that is where dates overflow.
    year = st.one_of(st.sampled_from(["0001", "9999", "2026", "2027"]), st.integers(1, 9999).map(lambda y: f"{y:04d}"),
                     st.text(ODD_DIGITS, min_size=4, max_size=4))
    two = st.one_of(st.sampled_from(["00", "01", "12", "23", "31", "59"]), st.integers(0, 99).map(lambda n: f"{n:02d}"),
                    st.text(ODD_DIGITS, min_size=2, max_size=2))
    offset = st.sampled_from(["", "Z", "+00:00", "-05:00", "+14:00", "+01:00", "-12:00"])
    iso = st.builds(lambda y, mo, d, h, mi, o: f"{y}-{mo}-{d}T{h}:{mi}{o}", year, two, two, two, two, offset)
    spaced = st.builds(lambda y, mo, d, h, mi: f"{y}-{mo}-{d} {h}:{mi}", year, two, two, two, two)
    relative = st.builds(lambda w, h, mi: f"{w} {h}:{mi}", st.sampled_from(["today", "tomorrow", "tonight"]), two, two)
    return st.one_of(iso, spaced, relative)


DURATION_WORDS = st.one_of(
    st.builds(lambda n, u: f"{n}{u}", st.one_of(st.integers(0, 10**7).map(str), NUMBERISH), st.sampled_from("smhdwx")),
    st.text(max_size=12),
)


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(st.text())
def test_command_text(text: str) -> None:
    parsed = parse_command_text(text)
    if parsed is not None:
        assert parsed.name and parsed.name == parsed.name.lower() and parsed.args == parsed.args.strip()
        assert is_for_bot(parsed, "surgery_bot") in (True, False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="/@_ abcSURGERY123²٣\n\t", max_size=60))
def test_command_text_shaped_like_commands(text: str) -> None:
    parsed = parse_command_text(text)
    if parsed is not None:
        assert parsed.name.isascii()


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(WORDS)
def test_whole_numbers_are_ascii_and_bounded(text: str) -> None:
    number = whole_number(text)
    if number is not None:
        assert text.isascii() and text.isdigit() and 0 <= number < 10**9


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(WORDS)
def test_question_and_case_numbers(text: str) -> None:
    for parsed in (parse_number(text), parse_case_number(text), parse_target(text)[0]):
        assert parsed is None or 0 <= parsed < 10**9
    check_question_text(text)
    parse_reference(text)
    looks_like_code(text)


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(DURATION_WORDS, st.booleans())
def test_durations(text: str, bounded: bool) -> None:
    try:
        value = parse_duration(text, minimum=timedelta(seconds=31) if bounded else None,
                               maximum=timedelta(days=366) if bounded else None)
    except InputProblem:
        return
    assert value > timedelta(0)


@settings(max_examples=400, deadline=None)
@example("9999-12-31 23:59", "4h", "", False)  # the reproduction
@example("0001-01-01T00:30+01:00", "1h", "", False)
@given(_date_words(), DURATION_WORDS, st.text(max_size=20), st.booleans())
def test_schedules(when: str, duration: str, topic: str, strict: bool) -> None:
    text = f"{when} {duration} {topic}" + (" --strict" if strict else "")
    result = parse_schedule(text, now=NOW, zone=LONDON, minimum=timedelta(minutes=10), maximum=timedelta(hours=4))
    assert isinstance(result, ScheduleRequest | ScheduleRefusal)
    if isinstance(result, ScheduleRequest):
        assert NOW < result.starts_at <= NOW + timedelta(days=366)
        assert result.ends_at > result.starts_at  # computing the end must not overflow either


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(st.text(max_size=80))
def test_schedules_from_anything(text: str) -> None:
    result = parse_schedule(text, now=NOW, zone=LONDON, minimum=timedelta(minutes=10), maximum=timedelta(hours=4))
    assert isinstance(result, ScheduleRequest | ScheduleRefusal)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.sampled_from(policy_keys()), st.text(max_size=30)),
       st.one_of(WORDS, st.sampled_from(["on", "off", "dry-run", "always", "session", "yes", "+spam, scam",
                                        "-spam", "warn, mute 10m, remove", "phone, email", "(a+)+$", "none"])))
def test_policy_values(key: str, value: str) -> None:
    try:
        changed = set_value(DEFAULT_POLICY, key, value)
    except InputProblem:
        return
    assert isinstance(changed, Policy)


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(["warn", "mute 10m", "mute ²h", "remove",
                                                                 "mute 99999999w"])), max_size=12))
def test_escalation_ladders(steps: list[str]) -> None:
    try:
        parse_ladder(steps)
    except InputProblem:
        pass
    for step in steps:
        try:
            parse_step(step)
        except InputProblem:
            pass


MENTION_WORDS = st.one_of(st.text(max_size=12), st.integers(0, 10**30).map(lambda n: f"<@{n}>"),
                          st.text("abc_²٣", min_size=1, max_size=8).map(lambda n: f"@{n}"), NUMBERISH)


@settings(deadline=None)  # a loaded CI machine must not turn slowness into a failure
@given(st.lists(MENTION_WORDS, max_size=8), st.booleans(), st.booleans())
def test_targets(words: list[str], replied: bool, allow_id: bool) -> None:
    args = " ".join(words)
    written = mention_words(args)
    mention_names(written)
    target = find_target(args, mentions=(), mention_words=written, reply_to_sender="7001" if replied else None,
                         allow_id=allow_id)
    if target.user_id is not None and not replied:
        assert target.user_id.isascii() and target.user_id.isdigit()
    first_word(args)
