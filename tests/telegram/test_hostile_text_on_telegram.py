"""Issue 16 item 6 on the fake Bot API: bidirectional controls in a resident's name or question can't reverse or
reorder the council bot's line. (Telegram gets plain text, no parse mode, so Markdown is inert there already.)"""

from __future__ import annotations

from adapters.plain_text import BIDI_CONTROLS
from tests.telegram.fake_world import FakeMember
from tests.telegram.test_surgery_e2e import Surgery, surgery  # noqa: F401  (the fixture)

HOSTILE = "[Pay your council tax here](https://evil.example/pay)"


async def test_bidi_controls_in_names_and_text_are_neutralised(surgery: Surgery) -> None:  # noqa: F811
    s, api = surgery, surgery.api
    eve = api.world.add_user("\u202eeve\u2067", "eve")
    s.chat.members[eve.id] = FakeMember("member")
    await s.set_up()
    await s.says(s.jane, "/surgery open", "The surgery is open")
    await s.says(eve, f"/ask Bins \u202eplease\u2069 {HOSTILE}", "❓ #1 from eve")
    for text in s.texts(s.chat):
        assert not BIDI_CONTROLS & set(text), repr(text)
    posted = s.message_with(s.chat, "❓ #1").text
    assert f"Bins please {HOSTILE}" in posted  # plain text: the brackets are shown as typed, never a link
    assert all(call.params.get("parse_mode") in (None, "") for call in api.calls_named("sendMessage"))
