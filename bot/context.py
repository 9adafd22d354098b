"""Everything a handler may use, handed over explicitly (no globals): settings, clock, database, the context
cache (communities, sessions, roles and policies answered from memory), messages, the adapters (for live reads
such as member status) and the timer service. Handlers never carry actions out themselves: they return them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.adapter import Adapter
from bot.clock import Clock
from bot.event_context import ContextCache
from bot.refs import Platform
from bot.storage.database import Database
from bot.timers import TimerService
from config.messages import Messages
from config.settings import Settings


@dataclass
class Context:
    settings: Settings
    clock: Clock
    db: Database
    cache: ContextCache
    messages: Messages
    adapters: Mapping[Platform, Adapter]
    timers: TimerService


def messages_for(settings: Settings) -> Messages:
    # It speaks the language of the event being handled (bot/reader_language.py), else the council's default.
    return Messages(settings.council.language.value, follows_reader=True, council=settings.council.name,
                    privacy_url=settings.council.privacy_url, contact=settings.council.contact_email, session_days=settings.retention.session_days,
                    case_days=settings.retention.case_days, audit_days=settings.retention.audit_days,
                    left_days=settings.retention.left_community_days)
