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


def _section(transcript: list[str], title: str) -> str:
    """The lines of the numbered section whose heading contains `title`, up to the next heading."""
    start = next(i for i, line in enumerate(transcript) if line.startswith("── ") and title in line)
    end = next((i for i in range(start + 1, len(transcript)) if transcript[i].startswith("── ")), len(transcript))
    return "\n".join(transcript[start:end])


def test_a_private_answer_reaches_only_the_asker(transcript) -> None:  # type: ignore[no-untyped-def]
    part = _section(transcript, "Private answers")
    assert "Cllr Jane in private chat: /reply 6 Light is a civil matter" in part
    assert "🤖 → private chat with Olu: 💬 Cllr Jane Smith has answered your question #6" in part
    assert "🤖 → private chat with Cllr Jane: Sent privately to the asker of #6." in part
    assert "🤖 → Riverside Residents: ✅ #6 was answered privately." in part
    assert not any("Riverside Residents:" in line and "civil matter" in line for line in part.splitlines())


def test_casework_is_followed_through(transcript) -> None:  # type: ignore[no-untyped-def]
    desk = _section(transcript, "Casework: a resident's /mycases")
    assert "Your open casework references:" in desk and "• SRG-2026-000002: reply due by Wednesday 09 December" in desk
    assert "operator$ surgerybot casework reply SRG-2026-000001" in desk and "SRG-2026-000001 is now replied." in desk
    due = _section(transcript, "passes its reply date")
    assert "[Wed 09 Dec 17:01] 🤖 → private chat with Cllr Jane: ⏰ Casework SRG-2026-000002 passed its reply" in due
    assert ("[Wed 16 Dec 10:01] 🤖 → private chat with Chen: Hello again. The council was due to reply about your "
            "casework SRG-2026-000002") in due and "Did you get a reply?  [Yes | No]" in due
    assert "Chen in private chat: (presses “No”)" in due and "flagged to the council as overdue" in due
    assert "🤖 → private chat with Cllr Jane: ⚠️ The resident says they haven't had a reply" in due
    assert "SRG-2026-000002: overdue (resident says no reply)" in due


def test_an_election_period_cancels_and_refuses(transcript) -> None:  # type: ignore[no-untyped-def]
    added = _section(transcript, "A pre-election period")
    assert "This period would cancel 1 scheduled councillor surgery: #2 on 2027-01-13 18:00." in added
    assert "Surgeries cancelled when it starts: #2." in added
    starts = _section(transcript, "The period starts")
    assert ("[Mon 04 Jan 00:00] 🤖 → Riverside Residents: The surgery planned for Wed 13 Jan 2027, 18:00 won't take "
            "place: councillor surgeries pause during the pre-election period, which ends on Thursday 21 January "
            "2027.") in starts
    assert "🤖 → private chat with Cllr Jane: Your surgery planned for Wed 13 Jan 2027, 18:00 in Riverside " \
           "Residents was cancelled automatically" in starts
    during = _section(transcript, "During the period")
    assert ("🤖 → Riverside Residents: Councillor surgeries pause during the pre-election period (Riverside ward "
            "by-election), which ends on Thursday 21 January 2027. Please pick a time after that.") in during
    assert "🤖 → Riverside Residents: 📅 Council surgery #3 with Priya (council officer): Mon 04 Jan 2027, 12:00" \
        in during


def test_another_group_joins_and_shares_the_queue(transcript) -> None:  # type: ignore[no-untyped-def]
    joins = _section(transcript, "joins the officer's surgery")
    assert "Olu in Parkside Parents: /surgery join 3" in joins
    assert "🤖 → private chat with Priya: Parkside Parents on the local chat asks to join your council surgery #3" \
        in joins and "[Accept | Decline]" in joins
    assert "Priya in private chat: (presses “Accept”)" in joins
    assert "🤖 → Parkside Parents: 🤝 Priya (council officer) accepted: this group has joined council surgery #3." \
        in joins
    assert "🤖 → Riverside Residents: 🤝 Parkside Parents on the local chat has joined council surgery #3" in joins
    asks = _section(transcript, "Both groups ask into one queue")
    assert "🤖 → Parkside Parents and Riverside Residents: ❓ #1 from Mo: Will real Christmas trees" in asks
    assert "📍 asked in Parkside Parents" in asks and "📍 asked in Riverside Residents" in asks
    assert "updates its message in Parkside Parents and Riverside Residents" in asks and "[👍 1]" in asks
    opens = _section(transcript, "The joint surgery opens")
    assert "🤖 → Riverside Residents and Parkside Parents: 👋 The surgery is open! Priya (council officer)" in opens
    assert "#1 “Will real Christmas trees be collected from Park Road?” (Parkside Parents)" in opens
    assert "#2 “Can the recycling boxes on Mill Lane get lids? They blow away.” (Riverside Residents)" in opens
    assert "🤖 → Riverside Residents and Parkside Parents: 🎤 Next, #1 from Mo" in opens
    parts = _section(transcript, "leaves the joint surgery")
    assert "🤖 → Parkside Parents: This group has left council surgery #3." in parts
    assert "🤖 → Riverside Residents: Parkside Parents has left council surgery #3." in parts
    assert "🤖 → Riverside Residents: 🎤 Next, #2 from Bo" in parts  # only Riverside hears the rest
    assert "Questions asked: 2 · answered: 2" in parts
