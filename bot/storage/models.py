"""ORM models for the whole domain in SPEC. Rows stay inside `bot.storage`: repositories hand the rest of the
code frozen dataclasses. Schema changes go through Alembic (bot/storage/migrations)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


# A joint surgery spans several communities, even across platforms.
session_communities = Table(
    "session_communities",
    Base.metadata,
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
    # When a community joined someone else's surgery (its host accepted); NULL for the one it was scheduled in.
    Column("joined_at", DateTime(timezone=True), nullable=True),
)


class Community(Base):
    __tablename__ = "communities"
    __table_args__ = (UniqueConstraint("platform", "space_id", name="uq_community_space"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(16))
    space_id: Mapped[str] = mapped_column(String(64))  # Telegram chat id / Discord guild id
    home_chat_id: Mapped[str] = mapped_column(String(64))  # where announcements go
    state: Mapped[str] = mapped_column(String(16), default="active")  # active | left
    accepted_by: Mapped[str | None] = mapped_column(String(64))
    activated_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]
    # Set when the group removed the bot: it must not rejoin until the operator issues a new invitation.
    do_not_rejoin: Mapped[bool] = mapped_column(Boolean, default=False)
    missing_rights: Mapped[str] = mapped_column(String(200), default="")
    # Opt-in listening (SPEC §6): off unless a community admin turned it on after reading what it counts.
    listening_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The group's language (en, cy or both) set by /surgery language; NULL follows the council's default.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime]


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    community_name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    used_at: Mapped[datetime | None]
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="SET NULL"))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]

    identities: Mapped[list[Identity]] = relationship(back_populates="person", cascade="all, delete-orphan")


class Identity(Base):
    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))

    person: Mapped[Person] = relationship(back_populates="identities")


class Councillor(Base):
    __tablename__ = "councillors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    ward: Mapped[str] = mapped_column(String(200), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    link_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    link_code_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]


class Facilitator(Base):
    __tablename__ = "facilitators"
    __table_args__ = (UniqueConstraint("community_id", "platform", "user_id", name="uq_facilitator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    appointed_by: Mapped[str] = mapped_column(String(64))  # platform user id or "operator"
    created_at: Mapped[datetime]


class SurgerySession(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL: hosted by a council officer (a facilitator, no councillor), who is then named by the officer_ columns.
    councillor_id: Mapped[int | None] = mapped_column(ForeignKey("councillors.id"))
    officer_platform: Mapped[str | None] = mapped_column(String(16))
    officer_user_id: Mapped[str | None] = mapped_column(String(64))
    officer_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    topic: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(16), default="scheduled")
    moderation_mode: Mapped[str] = mapped_column(String(16), default="permissive")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    live_question_id: Mapped[int | None] = mapped_column(Integer)
    floor_user_id: Mapped[str | None] = mapped_column(String(64))
    floor_until: Mapped[datetime | None]
    report: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]

    communities: Mapped[list[Community]] = relationship(secondary=session_communities)


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("session_id", "number", name="uq_question_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="SET NULL"))
    number: Mapped[int] = mapped_column(Integer)
    asker_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    visibility: Mapped[str] = mapped_column(String(16), default="public")  # public | anonymous | private
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    note: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    platform_message_id: Mapped[str | None] = mapped_column(String(64))
    asked_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Who to tell privately (dismissal, merge, referral) on the platform they asked from.
    asker_platform: Mapped[str | None] = mapped_column(String(16))
    asker_user_id: Mapped[str | None] = mapped_column(String(64))
    asker_name: Mapped[str] = mapped_column(String(200), default="", server_default="")  # public questions only
    message_chat_id: Mapped[str | None] = mapped_column(String(64))  # where the vote message is
    carried_from_id: Mapped[int | None] = mapped_column(Integer)  # the unanswered question it continues
    # When the host first took it (`/next`): reports measure the wait from `asked_at` and draw the session's timeline.
    taken_at: Mapped[datetime | None]


class QuestionCopy(Base):
    """A question's vote message in another chat of a joint surgery (its own chat's is on the question)."""

    __tablename__ = "question_copies"
    __table_args__ = (UniqueConstraint("question_id", "platform", "chat_id", name="uq_question_copy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(64))


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("question_id", "person_id", name="uq_vote"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]


class CaseworkReferral(Base):
    __tablename__ = "casework_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)  # SRG-2026-000123
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    reply_due: Mapped[datetime]
    created_at: Mapped[datetime]
    session_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # open → replied → closed, or overdue (facilitation/casework.py says which moves are allowed).
    status: Mapped[str] = mapped_column(String(16), default="open", server_default="open", index=True)
    status_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    replied_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    resident_asked_at: Mapped[datetime | None]  # when the one "did you get a reply?" check was sent


class PendingPrivateNote(Base):
    """A private note the platform would not deliver (Telegram: the person never started the bot), kept until
    they next /start the bot, or until retention ends."""

    __tablename__ = "pending_private_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(64), default="")
    buttons: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)  # [[label, data], ...]
    created_at: Mapped[datetime]


class AskDraft(Base):
    """A question asked in a private chat while the resident picks the community and anonymous/private.
    Stored, not kept in memory, so a restart between the two button presses loses nothing."""

    __tablename__ = "ask_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ModerationCase(Base):
    """A numbered moderation record per community, written before the platform call (SPEC §5)."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("community_id", "number", name="uq_case_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    clause: Mapped[str] = mapped_column(String(100), default="manual")
    actor: Mapped[str] = mapped_column(String(64))
    target_user_id: Mapped[str | None] = mapped_column(String(64))
    target_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    reversed_at: Mapped[datetime | None]
    reversed_by: Mapped[str | None] = mapped_column(String(64))
    # Where it happened (a Discord channel; on Telegram the group) so /undo and the lock know the place.
    chat_id: Mapped[str | None] = mapped_column(String(64))
    # A mute from a session-scoped rule: lifted when the session closes (SPEC §5).
    lifts_at_close: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class PolicyVersion(Base):
    """One version of a community's policy document (facilitation/rules/policy.py). Automatic rules follow only the
    latest approved version; a change makes a new, unapproved version."""

    __tablename__ = "policies"
    __table_args__ = (UniqueConstraint("community_id", "version", name="uq_policy_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    approved_by: Mapped[str | None] = mapped_column(String(64))


class BanRequest(Base):
    """A ban waiting for a second facilitator's confirmation (the two-person rule). Stored, so a restart
    between the request and the button press loses nothing."""

    __tablename__ = "ban_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    chat_id: Mapped[str] = mapped_column(String(64))
    target_user_id: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(64))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(64))


class Timer(Base):
    """A durable timer: stored, re-armed at start-up, fired once (claimed by setting `fired_at`)."""

    __tablename__ = "timers"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    # Optional identity so re-scheduling the same thing replaces rather than duplicates (e.g. "accept:tg:-100").
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    fired_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class ProcessedUpdate(Base):
    """At-most-once processing: one row per platform update key, inserted before handling."""

    __tablename__ = "processed_updates"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(index=True)


class AuditRow(Base):
    """What the bot did, or was asked to do, and when. Written before each platform call. No message content."""

    __tablename__ = "audit_log"
    # `audit list --action`, and insight's community changes and appeals, pick rows by action over a period.
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(64), default="bot")
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(128))
    reason: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(200), default="pending")


class ListeningCount(Base):
    """Opt-in listening: how many messages touched a council theme, per community and council day.
    Counts only: no text, no author, no message id."""

    __tablename__ = "listening_counts"
    __table_args__ = (UniqueConstraint("community_id", "day", "theme", name="uq_listening_count"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD in the council's timezone
    theme: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer, default=0)


class MemberJoin(Base):
    """When a member joined a community's chat, for the newcomer-links rule: ids and a time, no content. Kept in
    the database so that a restart doesn't make every newcomer "established"."""

    __tablename__ = "member_joins"
    __table_args__ = (UniqueConstraint("community_id", "user_id", name="uq_member_join"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(index=True)


class CacheGeneration(Base):
    """One row (id 1) whose value triggers raise on every write to a table the context cache reads, so that
    each instance can tell cheaply that another process changed roles, policies, sessions or communities."""

    __tablename__ = "cache_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class OutboxRow(Base):
    """An action committed with its event but not yet attempted (bot/outbox.py). Deleted the moment its call is
    about to be made, so a row still here after a crash is an action certainly never carried out. Holds the
    action itself (a message's text too) only for that short while; `owner` is the instance that wrote it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=False)  # the action's audit row id
    at: Mapped[datetime] = mapped_column(index=True)
    owner: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(Text)
class LanguageChoice(Base):
    """The language a person chose with /language for the bot's private messages to them."""

    __tablename__ = "language_choices"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    chosen_at: Mapped[datetime]


class ElectionPeriod(Base):
    """A pre-election period set by the operator: councillor surgeries pause in the communities it covers
    (every community when it names none)."""

    __tablename__ = "election_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]  # exclusive: the start of the day after the last day
    created_at: Mapped[datetime]


election_period_communities = Table(
    "election_period_communities",
    Base.metadata,
    Column("period_id", ForeignKey("election_periods.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
)
