"""`surgerybot demo` reads as a story a council officer can follow: what people see (button labels, names, whom a
reply-to command targets), sections numbered in the order they run, every case /cases lists narrated, a muted
member refused by the platform, very long texts cut to a line with their length, and no callback data or
internal ids anywhere in the transcript."""

from __future__ import annotations

import re

import pytest

from bot.app import App
from bot.demo import run_demo
from config.settings import Settings


@pytest.fixture(scope="module")
def transcript(tmp_path_factory) -> list[str]:  # type: ignore[no-untyped-def]
    import asyncio

    lines: list[str] = []
    asyncio.run(run_demo(tmp_path_factory.mktemp("demo") / "demo.db", out=lines.append))
    return "\n".join(lines).splitlines()


def _button_prefixes(tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    app = App(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", _env_file=None))
    return [route.prefix for route in app._buttons]


def test_no_callback_data_and_no_internal_ids(transcript, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(transcript)
    prefixes = _button_prefixes(tmp_path)
    assert {"vote:", "askv:", "askx:"} <= set(prefixes)
    for prefix in prefixes:
        assert prefix not in text, prefix
    for internal in ("press_id=", "message_id=", "user_id=", "until=", "seconds="):
        assert internal not in text, internal


def test_buttons_are_shown_by_their_labels(transcript) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(transcript)
    assert "[👍 0]" in text and "[Anonymous | Private | Cancel]" in text
    assert "[Yes, please follow up]" in text and "[Turn listening on | Cancel]" in text


def test_a_reply_to_command_names_whom_it_targets(transcript) -> None:  # type: ignore[no-untyped-def]
    assert any(line.endswith("Priya in Riverside Residents: /mute 10m shouting at people  (replying to Mo)")
               for line in transcript)


def test_sections_are_numbered_in_the_order_they_run(transcript) -> None:  # type: ignore[no-untyped-def]
    numbers = [int(match.group(1)) for line in transcript if (match := re.match(r"── (\d+)\. ", line))]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 10


def test_every_case_in_cases_is_narrated(transcript) -> None:  # type: ignore[no-untyped-def]
    start = next(i for i, line in enumerate(transcript) if "Latest moderation cases" in line)
    listed = [int(m.group(1)) for line in transcript[start + 1:] if (m := re.match(r"\s+#(\d+) · ", line))]
    assert listed, "the /cases listing is in the transcript"
    before = "\n".join(transcript[:start])
    for number in listed:
        assert re.search(rf"[Cc]ase #{number}\b", before), f"case #{number} happened without being narrated"


def test_a_muted_members_message_is_refused_by_the_platform(transcript) -> None:  # type: ignore[no-untyped-def]
    bump = next(i for i, line in enumerate(transcript) if line.endswith("Bo in Riverside Residents: bump 8"))
    assert "the platform refuses the message: Bo is muted" in transcript[bump + 1]


def test_very_long_texts_are_cut_to_a_line_with_their_length(transcript) -> None:  # type: ignore[no-untyped-def]
    assert any(line.endswith("… (1,006 characters)") for line in transcript)
    assert max(len(line) for line in transcript) < 600
