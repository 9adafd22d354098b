"""Keeps the bot token out of every log record: httpx logs request URLs, and Bot API URLs contain the token."""

from __future__ import annotations

import logging
import threading
import traceback
from typing import Any

REDACTED = "<telegram-token>"

_lock = threading.Lock()
_secrets: dict[str, int] = {}  # secret -> how many running adapters registered it
_previous_factory: Any = None


def _scrub(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _previous_factory(*args, **kwargs)
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed call; the handler will report it, without our help
        return record
    scrubbed = _scrub(message)
    if scrubbed != message:
        record.msg, record.args = scrubbed, ()
    if record.exc_info and record.exc_info[1] is not None:
        # Formatters reuse exc_text when it is set, so the traceback is rendered (and scrubbed) once, here.
        record.exc_text = _scrub("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    return record


def register_secret(token: str) -> None:
    """Redact `token` (and its secret half, which may appear URL-encoded apart from the bot id) from records.

    A record factory rather than a `logging.Filter`: filters on a logger miss records of its child loggers,
    and handler filters miss handlers added later (the CLI's, pytest's), while every record passes the factory.
    """
    global _previous_factory
    parts = {token, token.partition(":")[2]} - {""}
    with _lock:
        for part in parts:
            _secrets[part] = _secrets.get(part, 0) + 1
        if _previous_factory is None:
            _previous_factory = logging.getLogRecordFactory()
            logging.setLogRecordFactory(_redacting_factory)


def unregister_secret(token: str) -> None:
    global _previous_factory
    parts = {token, token.partition(":")[2]} - {""}
    with _lock:
        for part in parts:
            count = _secrets.get(part, 0) - 1
            if count <= 0:
                _secrets.pop(part, None)
            else:
                _secrets[part] = count
        if not _secrets and _previous_factory is not None and logging.getLogRecordFactory() is _redacting_factory:
            logging.setLogRecordFactory(_previous_factory)
            _previous_factory = None
