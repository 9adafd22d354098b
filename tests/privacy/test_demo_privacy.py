"""The demo walks the privacy features too: deaf by default, listening, /mydata, /forgetme and retention."""

from __future__ import annotations

import time

from bot.demo import run_demo


async def test_demo_shows_the_privacy_rights_and_stays_quick(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    started = time.monotonic()
    await run_demo(tmp_path / "demo.db", out=lines.append)
    assert time.monotonic() - started < 30
    transcript = "\n".join(lines)
    for expected in ("Only a group admin can turn listening on", "waste: 1", "📎 my-surgerybot-data-",
                     "This erases what I hold about you", "1 question anonymised",
                     "[removed at the resident's request]", "nothing left for me to erase",
                     "the daily purge is a durable timer", "surgerybot retention run --dry-run"):
        assert expected in transcript, expected
    assert "07700 900123" in transcript  # said in the group …
    from tests.privacy.dbscan import containing

    assert containing(tmp_path / "demo.db", "07700") == []  # … never stored
