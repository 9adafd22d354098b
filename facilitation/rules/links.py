"""Links from newcomers: a member who joined less than N hours ago may not post links yet (the usual shape
of spam). A member whose join time is unknown is treated as established, to avoid false alarms."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# Bounded repeats keep the stdlib engine linear. Bare domains count only with a known top-level domain,
# so "e.g." or "10.30" are not links.
_SCHEME = re.compile(r"\b(?:https?|ftp)://|\bwww\.[^\W_]", re.IGNORECASE)
_INVITE = re.compile(r"\b(?:t\.me|telegram\.me|discord\.gg|discord(?:app)?\.com/invite)/", re.IGNORECASE)
_TLDS = (
    "com|net|org|info|biz|io|co|uk|me|ly|gg|tv|xyz|top|site|online|click|link|app|dev|ru|cn|de|fr|es|it|nl|"
    "eu|us|ca|au|in|pw|tk|ml|ga|cf|gq|cc|ws|vip|shop|store|live|club|win|bid|loan|work|space|fun|icu"
)
_BARE_DOMAIN = re.compile(
    r"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,6}(?:" + _TLDS + r")\b(?![.-]?\w)",
    re.IGNORECASE,
)


def contains_link(text: str) -> bool:
    # Every form above has a dot (`www.`, an invite's host, a domain) or `://`: text with neither has no link.
    if "." not in text and "://" not in text:
        return False
    return bool(_SCHEME.search(text) or _INVITE.search(text) or _BARE_DOMAIN.search(text))


def is_newcomer(joined_at: datetime | None, now: datetime, window: timedelta) -> bool:
    return joined_at is not None and now - joined_at < window


def newcomer_link(text: str, joined_at: datetime | None, now: datetime, *, window: timedelta) -> bool:
    """True when a member who joined within `window` posts a link."""
    return is_newcomer(joined_at, now, window) and contains_link(text)
