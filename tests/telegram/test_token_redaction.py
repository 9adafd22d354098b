"""The bot token never reaches a log record, although httpx logs every Bot API URL and those contain it."""

from __future__ import annotations

import io
import logging

import pytest

from adapters.telegram.redact import REDACTED
from bot.refs import Button
from tests.telegram.fake_bot_api import TOKEN
from tests.telegram.harness import TelegramHarness

SECRET_HALF = TOKEN.partition(":")[2]


@pytest.fixture
def verbose_logs(caplog: pytest.LogCaptureFixture) -> io.StringIO:
    """DEBUG everywhere the HTTP stack logs, captured both by caplog and by a plain formatted handler."""
    for name in ("httpx", "httpcore", "telegram", "adapters"):
        caplog.set_level(logging.DEBUG, logger=name)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    yield stream
    logging.getLogger().removeHandler(handler)


async def test_token_never_appears_in_logs(idle: TelegramHarness, caplog: pytest.LogCaptureFixture,
                                           verbose_logs: io.StringIO) -> None:
    harness = await idle.start()
    await harness.user_sends(harness.member, harness.group, "/ask is the token safe?")
    ref = await harness.adapter.send_message(harness.group, "Vote?", buttons=(Button("👍", "vote:1"),))
    await harness.press_button(harness.member, ref, "vote:1")
    harness.api.fail("sendMessage", 500, "Internal Server Error")
    with pytest.raises(Exception):
        await harness.adapter.send_message(harness.group, "this one fails")
    try:
        raise RuntimeError(f"POST {harness.api.base_url}{TOKEN}/sendMessage failed")
    except RuntimeError:
        logging.getLogger("some.library").exception("a library logged its URL")
    await harness.stop()

    requests = [r.getMessage() for r in caplog.records if r.name == "httpx"]
    assert requests and all(REDACTED in message for message in requests), "httpx logs every request URL"
    everything = caplog.text + verbose_logs.getvalue()
    assert "a library logged its URL" in everything and "Traceback" in verbose_logs.getvalue()
    assert TOKEN not in everything and SECRET_HALF not in everything
    assert all(TOKEN not in record.getMessage() and SECRET_HALF not in record.getMessage()
               for record in caplog.records)
