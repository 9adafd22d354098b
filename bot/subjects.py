"""Subject access and erasure (UK GDPR Art. 15 and 17) in one place: /mydata and /forgetme in a private chat,
and `surgerybot subject export|erase` for requests that reach the council by e-mail, all call this."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any

from bot import timers
from bot.clock import Clock
from bot.features import TimerKind
from bot.storage import audit, subjects
from bot.storage.database import Database
from config.settings import Settings
from facilitation.processing import ErasureCounts, holds_anything


@dataclass(frozen=True, slots=True)
class Repaint:
    """Erased questions whose group messages still show the old text: (question id, chat id, message id)."""

    platform: str
    questions: tuple[tuple[int, str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"platform": self.platform, "questions": [list(q) for q in self.questions]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Repaint:
        return cls(str(data["platform"]),
                   tuple((int(q), str(c), str(mid)) for q, c, mid in data.get("questions", [])))


# A durable timer that makes the running bot re-render erased questions' group messages.
REPAINT_TIMER = TimerKind("subject_repaint", Repaint.from_dict)


@dataclass(frozen=True, slots=True)
class Erasure:
    counts: ErasureCounts
    questions: list[subjects.ErasedQuestion]
    pseudonym: str
    # (community id, case number) of cases about the person with a reason a facilitator typed, to review.
    reasons_to_review: list[tuple[int, int]] = field(default_factory=list)


def new_pseudonym() -> str:
    """Random, not derived from the id: a hash of a numeric user id could be reversed by trying them all."""
    return f"erased-{secrets.token_hex(6)}"


class SubjectService:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    async def export(self, platform: str, user_id: str) -> dict[str, Any]:
        async with self.db.unit_of_work() as tx:
            records = await subjects.export(tx, platform, user_id)
        council = self.settings.council
        return {"controller": council.name, "privacy_notice": council.privacy_url, "contact": council.contact_email,
                "generated_at": self.clock.now().isoformat(), **records}

    @staticmethod
    def holds_anything(document: dict[str, Any]) -> bool:
        return holds_anything(document)

    @staticmethod
    def to_json(document: dict[str, Any]) -> bytes:
        return json.dumps(document, ensure_ascii=False, indent=2).encode()

    async def erase(self, platform: str, user_id: str, *, requested_by: str, repaint_later: bool = False,
                    private_chat_id: str | None = None) -> Erasure:
        """Erase the subject's records in one transaction and audit that it happened (counts only).

        The erased questions' messages in groups still show the old text; the chat handler edits them at once.
        The operator's CLI has no platform connection, so with `repaint_later` a durable timer asks the running
        bot to do it."""
        pseudonym, now = new_pseudonym(), self.clock.now()
        async with self.db.unit_of_work() as tx:
            review = await subjects.reasons_to_review(tx, platform, user_id)
            counts, questions = await subjects.erase(tx, platform, user_id, pseudonym=pseudonym, now=now,
                                                     private_chat_id=private_chat_id)
            await audit.record(tx, at=now, platform=platform, actor=requested_by, action="subject_erased",
                               target=f"user:{pseudonym}", reason=f"{counts.total} records", outcome="recorded")
            posted = tuple((q.id, q.message_chat_id, q.message_id) for q in questions
                           if q.message_id and q.message_chat_id)
            if repaint_later and posted:
                await timers.schedule(tx, REPAINT_TIMER, Repaint(platform, posted), due_at=now, now=now)
        # Out of the write-ahead log as soon as it is committed (the file itself zeroes what was deleted).
        self.db.checkpoint_after_commit()
        return Erasure(counts, questions, pseudonym, review)

    async def pseudonymise_replies(self, platform: str, user_id: str, pseudonym: str, *,
                                   private_chat_id: str | None = None) -> None:
        """After the bot answered the erasure in the person's private chat: those audit rows too, then the WAL."""
        async with self.db.unit_of_work() as tx:
            await subjects.pseudonymise_audit(tx, platform, user_id, pseudonym, private_chat_id=private_chat_id)
        self.db.checkpoint_after_commit()
