"""Issue 16 item 6 on the fake Discord: what a resident types, and the name they chose, reach the channel as the
literal text they wrote. A masked link is not posted as a link by the council's bot, no Markdown formats the
bot's line, and bidirectional controls can't reverse or reorder it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.plain_text import BIDI_CONTROLS
from tests.discord.fake_discord import FakeDiscord
from tests.discord.test_surgery_e2e import Surgery

HOSTILE = "[Pay your council tax here](https://evil.example/pay) **now** ||or else|| `x` ~~y~~ a_b"
# An unescaped masked link: `[text](url)` whose opening bracket no backslash escapes.
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
MARKDOWN_ESCAPE = re.compile(r"\\([^0-9A-Za-z\s])")


def as_shown(content: str) -> str:
    """What a Discord client shows for `content`: a backslash before punctuation is an escape and disappears."""
    return MARKDOWN_ESCAPE.sub(r"\1", content)


@pytest.fixture
async def surgery(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[Surgery]:
    s = Surgery(fake, tmp_path)
    await s.app.start(run_timers=False)
    yield s
    await s.app.stop()


async def test_a_masked_link_in_a_question_is_not_posted_as_a_link(surgery: Surgery) -> None:
    s = surgery
    await s.set_up()
    await s.says(s.jane, "/surgery open", "The surgery is open")
    await s.says(s.mo, f"/ask {HOSTILE}", "❓ #1 from Mo")
    posted = s.message_with(s.general, "❓ #1").content
    assert MASKED_LINK.search(posted) is None, posted
    assert "**now**" not in posted and "||or else||" not in posted
    assert HOSTILE in as_shown(posted)  # people read exactly what Mo typed
    assert "https://evil.example/pay" in posted  # a bare URL stays visible as what it is


async def test_a_bot_template_link_stays_clickable(surgery: Surgery) -> None:
    s = surgery
    await s.set_up()
    text = await s.says(s.mo, "/privacy", "privacy")
    url = s.app.settings.council.privacy_url
    assert url in text  # unchanged: escaping inside it would break the link


async def test_bidi_controls_in_names_and_text_are_neutralised(fake: FakeDiscord, tmp_path: Path) -> None:
    s = Surgery(fake, tmp_path)
    eve = fake.add_user("\u202eeve")  # shows as "eve" reversed, and reverses the rest of the bot's line
    fake.add_member(s.guild, eve)
    await s.app.start(run_timers=False)
    try:
        await s.set_up()
        await s.says(s.jane, "/surgery open", "The surgery is open")
        await s.says(eve, "/ask Bins \u2067please\u2066 [x](https://evil.example)", "❓ #1 from eve")
        for text in s.texts(s.general):
            assert not BIDI_CONTROLS & set(text), repr(text)
        posted = s.message_with(s.general, "❓ #1").content
        assert "Bins please" in as_shown(posted) and MASKED_LINK.search(posted) is None
    finally:
        await s.app.stop()
