"""The calendar file attached to a surgery announcement (RFC 5545, via icalendar). Pure: bytes in, bytes out.
The UID is stable per session, so a re-sent invite updates the resident's calendar entry instead of adding one."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event


def session_uid(session_id: int, council: str) -> str:
    domain = "".join(ch for ch in council.lower() if ch.isalnum()) or "council"
    return f"surgery-{session_id}@{domain}.surgerybot"


def surgery_ics(*, session_id: int, council: str, title: str, description: str, starts_at: datetime,
                ends_at: datetime, created_at: datetime, location: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//surgerybot//council surgery//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", session_uid(session_id, council))
    event.add("summary", title)
    event.add("description", description)
    event.add("dtstart", starts_at)  # UTC: every calendar converts it to the reader's own zone
    event.add("dtend", ends_at)
    event.add("dtstamp", created_at)
    if location:
        event.add("location", location)
    calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text
