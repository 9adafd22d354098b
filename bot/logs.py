"""Logging set-up: text or JSON lines, and a filter that scrubs secrets (bot tokens appear in the request
URLs that httpx and aiohttp log) from every record before any handler sees it."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable

REDACTED = "[redacted]"
# Telegram tokens have this shape even when we don't know the value (e.g. a token from another config).
_TELEGRAM_TOKEN = re.compile(r"(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return _TELEGRAM_TOKEN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.scrub(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if record.exc_text:
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def install_redaction(secrets: Iterable[str]) -> RedactSecrets:
    """Attach the filter to every handler of the root logger (filters on loggers don't see propagated records)."""
    redact = RedactSecrets(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(redact)
    return redact


def configure_logging(level: str, fmt: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    install_redaction(secrets)
    # httpx logs every request URL at INFO, and Telegram URLs contain the token; keep it quiet as well as scrubbed.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # The database driver and the HTTP transport log every statement and socket step at DEBUG: thousands of lines
    # a minute that bury the bot's own debug output (and fill a pipe nobody is reading). Their warnings still show.
    for chatty in ("aiosqlite", "httpcore"):
        logging.getLogger(chatty).setLevel(max(logging.INFO, logging.getLevelName(level)))
