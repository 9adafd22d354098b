"""How a question appears in a group: its message with the 👍 button, its public label, and the edits that
keep the vote count and state current; and the small reads and writes every question handler shares. Shared by
the session and queue handlers."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions import Action, ActionResult, AnswerButton, EditMessage, FollowUp, SendMessage, Step
from bot.context import Context
from bot.events import ButtonPressed
from bot.refs import Button, ChatRef, MessageRef, Platform, UserRef
from bot.handlers import casework_timers
from bot.storage import audit
from bot.storage import sessions as store
from facilitation.casework import reply_deadline
from facilitation.consent import CommunityView
from facilitation.queue import MOVE_TARGET, Move, QuestionState, QuestionView, Visibility
from facilitation.sessions import SessionView


def home_chat(community: CommunityView) -> ChatRef:
    """Where a community's announcements go (on Discord the channel the invitation was accepted in)."""
    space = community.space_id if community.space_id != community.home_chat_id else None
    return ChatRef(Platform(community.platform), community.home_chat_id, space)


def host_label(ctx: Context, view: SessionView) -> str:
    """How a session's host is named to people: a councillor by name; a council officer as one (residents
    expect a councillor), and only as one once they asked to be forgotten."""
    if view.councillor_hosted:
        return view.host_name
    m = ctx.messages
    return m("host_officer", name=view.host_name) if view.host_name else m("host_officer_unnamed")


STATE_MARK = {QuestionState.ANSWERED: "✅", QuestionState.PARKED: "🅿️", QuestionState.DISMISSED: "✖️",
              QuestionState.REFERRED: "📁", QuestionState.MERGED: "🔗", QuestionState.LIVE: "🎤",
              QuestionState.WITHDRAWN: "↩️"}


# -- rendering a question's public message ---------------------------------------------------------------------

def question_message(ctx: Context, q: QuestionView) -> tuple[str, tuple[Button, ...]]:
    """The text and vote button of a question's message in the group. Names only a public asker."""
    m = ctx.messages
    if q.visibility == Visibility.PUBLIC:
        text = m("question_public", number=q.number, name=q.asker_name or m("a_resident"), text=q.text)
    else:
        text = m("question_anonymous", number=q.number, text=q.text)
    if q.community_label:  # a joint surgery: which group it came from
        text += "\n" + m("asked_in_line", community=q.community_label)
    if q.state in (QuestionState.QUEUED, QuestionState.LIVE, QuestionState.PENDING):
        return text, (Button(m("vote_button", votes=q.votes), f"vote:{q.id}"),)
    return text + "\n" + m("question_closed_line", mark=STATE_MARK.get(q.state, ""),
                           state=m(f"qstate_{q.state.value}"), votes=q.votes), ()


def question_label(ctx: Context, q: QuestionView) -> str:
    """How a question is named in public lines: a private one by number only."""
    if q.visibility == Visibility.PRIVATE:
        label = ctx.messages("private_label", number=q.number)
    else:
        label = ctx.messages("question_label", number=q.number, text=_short(q.text))
    if q.community_label:
        return ctx.messages("label_with_community", label=label, community=q.community_label)
    return label


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


async def post_question(ctx: Context, q: QuestionView, chats: list[ChatRef]) -> list[Step]:
    """Post a question with its 👍 button in its own group, and in a joint surgery in every other joined chat
    too, so votes come from all of them; when the sent messages' refs come back through the dispatcher, remember
    them, so every vote updates every copy."""
    if q.visibility == Visibility.PRIVATE or not chats:
        return []
    chat = (await question_group(ctx, q)) or chats[0]
    others = [c for c in chats if (c.platform, c.id) != (chat.platform, chat.id)]
    text, buttons = question_message(ctx, q)

    async def remember(results: list[ActionResult]) -> list[Step]:
        async with ctx.db.unit_of_work() as tx:
            for index, result in enumerate(results):
                if result.message is None:
                    continue
                if index == 0:
                    await store.set_question_message(tx, q.id, chat.id, result.message.id)
                else:
                    where = others[index - 1]
                    await store.add_question_copy(tx, q.id, str(where.platform), where.id, result.message.id)
        return []

    # Only the question's own post carries POST_TAG: an outbox re-drive after a crash remembers that one as the
    # question's message (remember_redriven_post); a copy in another joined chat must not take its place.
    posts = tuple(SendMessage(target=target, text=text, buttons=buttons,
                              tag=f"{POST_TAG}{q.id}" if target is chat else f"{COPY_TAG}{q.id}",
                              reason="question posted") for target in (chat, *others))
    return [FollowUp(posts, remember)]


async def post_copies(ctx: Context, q: QuestionView, chats: list[ChatRef]) -> list[Step]:
    """Post a waiting question's vote message in chats that joined its surgery after it was asked."""
    if q.visibility == Visibility.PRIVATE or not chats:
        return []
    text, buttons = question_message(ctx, q)

    async def remember(results: list[ActionResult]) -> list[Step]:
        async with ctx.db.unit_of_work() as tx:
            for where, result in zip(chats, results, strict=False):
                if result.message is not None:
                    await store.add_question_copy(tx, q.id, str(where.platform), where.id, result.message.id)
        return []

    return [FollowUp(tuple(SendMessage(target=chat, text=text, buttons=buttons, tag=f"{COPY_TAG}{q.id}",
                                       reason="question posted") for chat in chats), remember)]


POST_TAG = "question:"
COPY_TAG = "question-copy:"


async def remember_redriven_post(ctx: Context, tag: str, result: ActionResult) -> None:
    """A question's post carried out from the outbox after a restart (bot/outbox.py): the follow-up that would
    have remembered its message died with the old process, so votes could never update it; remember it here."""
    if result.message is not None and tag.removeprefix(POST_TAG).isascii() and tag.removeprefix(POST_TAG).isdigit():
        async with ctx.db.unit_of_work() as tx:
            await store.set_question_message(tx, int(tag.removeprefix(POST_TAG)), result.message.chat.id,
                                             result.message.id)


async def question_group(ctx: Context, q: QuestionView) -> ChatRef | None:
    """The group a question belongs to: its community's home chat, if the community is still active."""
    if q.community_id is None:
        return None
    community = await ctx.cache.community(q.community_id)
    return home_chat(community) if community is not None and community.is_active else None


async def session_chats(ctx: Context, view: SessionView) -> list[ChatRef]:
    """The home chats of a session's communities that are still active (a joint surgery has several)."""
    return [home_chat(c) for c in await ctx.cache.communities(view.community_ids) if c.is_active]


def asker_note(ctx: Context, q: QuestionView, text: str, *, group: ChatRef | None, reason: str,
               buttons: tuple[Button, ...] = ()) -> SendMessage | None:
    """A private note to a question's asker. If the platform won't let the bot reach them privately, a public
    asker is asked in the group to open a chat; the note itself is never posted, and an anonymous or private
    asker is never named (they lose the note rather than their privacy)."""
    if q.asker_platform is None or q.asker_user_id is None:
        return None
    m, platform = ctx.messages, q.asker_platform
    stand_in = None
    if group is not None and q.visibility == Visibility.PUBLIC and q.asker_name:
        how_key = f"open_chat_how_{platform}"
        how = m(how_key if how_key in m.catalogue else "open_chat_how")
        stand_in = SendMessage(target=group, text=m("private_note_unreachable", name=q.asker_name, how=how),
                               reason=f"{reason}: asker unreachable privately")
    return SendMessage(target=UserRef(Platform(platform), q.asker_user_id), text=text, buttons=buttons,
                       reason=reason, if_unreachable=stand_in)


def refresh(ctx: Context, q: QuestionView) -> list[Action]:
    """Edit a question's messages (in a joint surgery, one per joined chat) to show its votes and state now."""
    text, buttons = question_message(ctx, q)
    where: list[tuple[str, str, str]] = list(q.copies)
    if q.message_id is not None and q.message_chat_id is not None and q.asker_platform is not None:
        where.insert(0, (q.asker_platform, q.message_chat_id, q.message_id))
    return [EditMessage(message=MessageRef(ChatRef(Platform(platform), chat_id), message_id), text=text,
                        buttons=buttons, reason="question update") for platform, chat_id, message_id in where]


async def current_session(ctx: Context, community_id: int) -> SessionView | None:
    async with ctx.db.unit_of_work() as tx:
        return await store.current_session(tx, community_id)


def asker_of(q: QuestionView) -> UserRef | None:
    if q.asker_platform is None or q.asker_user_id is None:
        return None
    return UserRef(Platform(q.asker_platform), q.asker_user_id)


def local_date(ctx: Context, when: datetime) -> str:
    return ctx.messages.date(when, ctx.settings.council.zone)


def button_toast(ctx: Context, event: ButtonPressed, key: str, **values: object) -> AnswerButton:
    return AnswerButton(chat=event.chat, press_id=event.press_id, text=ctx.messages(key, **values), reason="button")


async def log_move(ctx: Context, tx: AsyncSession, q: QuestionView, move: Move, actor: str, platform: str) -> None:
    """Every state change is logged, without the question's text."""
    await audit.record(tx, at=ctx.clock.now(), platform=platform, actor=actor, action=f"question_{move.value}",
                       target=f"question:{q.id}", reason=f"{q.state.value} -> {MOVE_TARGET[move].value}",
                       outcome="recorded")


async def refer(ctx: Context, tx: AsyncSession, q: QuestionView, note: str, now: datetime) -> store.ReferralView:
    zone = ctx.settings.council.zone
    due_day = reply_deadline(now.astimezone(zone).date(), ctx.settings.sessions.casework_reply_days)
    # Due by the end of that working day, council time.
    due = datetime.combine(due_day, time(17, 0), tzinfo=zone)
    referral = await store.create_referral(tx, question_id=q.id, person_id=q.asker_person_id,
                                           session_id=q.session_id, note=note, reply_due=due, now=now)
    # Followed through: overdue at the reply date if still open, and the resident asked later whether a reply came.
    await casework_timers.arm(tx, ctx.settings, referral.id, due, now)
    ctx.timers.notify()
    return referral
