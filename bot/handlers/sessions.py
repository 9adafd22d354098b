"""Running a surgery session (SPEC §4): scheduling with an announcement and a calendar file, opening, pausing,
extending, cancelling and closing (by hand or by durable timer), and the close-of-session summary and report.
The decisions live in facilitation/sessions.py; this module loads state, applies them and says so."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import timers
from bot.actions import Action, SendFile, SendMessage, Step
from bot.command_router import CommandRouter, CommandSpec, GroupCall, Refused, Where, reply
from bot.context import Context
from bot.features import Arg, ArgKind, Feature, TimerKind, TimerRoute
from bot.events import CommandReceived, TimerFired
from bot.refs import Button, ChatRef, Platform, UserRef
from bot.storage import audit, people
from bot.handlers.elections import ElectionHandlers
from bot.handlers.question_posts import asker_note, home_chat, host_label, post_question, session_chats
from bot.storage import sessions as store
from config.settings import SessionSettings
from facilitation.durations import format_duration, parse_duration
from facilitation.problems import InputProblem
from facilitation.ics import surgery_ics
from facilitation.queue import UNANSWERED_STATES, QuestionState, QuestionView, Visibility
from facilitation.roles import Role
from facilitation.schedule_parse import ScheduleRefusal, parse_schedule
from facilitation.sessions import (
    ACCEPTING_STATES,
    LIVE_STATES,
    HostRefusal,
    ModerationMode,
    SessionCommand,
    SessionRefusal,
    SessionState,
    SessionView,
    Slot,
    Transition,
    choose_host,
    decide,
    may_steer,
    overlaps,
    reminder_due_times,
    timer_key,
)
from facilitation.summary import build_report, count

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class SessionTimer:
    """A session's reminder, opening, closing warning or closing; `minutes` says which reminder."""

    session_id: int
    what: str  # "remind", "open", "warn" or "close"
    minutes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"session_id": self.session_id, "what": self.what}
        if self.minutes is not None:
            body["minutes"] = self.minutes
        return body

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SessionTimer:
        minutes = data.get("minutes")
        return cls(int(data["session_id"]), str(data.get("what", "")), int(minutes) if minutes is not None else None)


SESSION_TIMER = TimerKind("session", SessionTimer.from_dict)
CloseHook = Callable[[AsyncSession, SessionView, datetime], Awaitable[None]]
# Every timer a session may own, by key suffix, so closing or cancelling can stop them all.
SESSION_TIMER_SUFFIXES = ("open", "warn", "close", "floor", "timebox")


def _readable(text: str) -> bool:
    try:
        parse_duration(text)
    except InputProblem:
        return False
    return True


class SessionHandlers:
    def __init__(self, ctx: Context, router: CommandRouter, elections: ElectionHandlers) -> None:
        self.ctx = ctx
        self.router = router
        self.elections = elections  # pre-election periods pause councillor surgeries (not officer-hosted ones)
        # Other features' work at close (moderation lifts session mutes), inside the close's unit of work.
        self.close_hooks: list[CloseHook] = []

    def feature(self) -> Feature:
        def control(verb: str, summary: str, *args: Arg) -> CommandSpec:
            return CommandSpec(f"surgery {verb}", self.control, summary, role=Role.HOST, where=Where.GROUP, args=args)

        return Feature(
            "sessions",
            commands=(
                CommandSpec("surgery schedule", self.schedule, "schedule a surgery: <when> <duration> [topic]",
                            role=Role.HOST, where=Where.GROUP, args=(
                                Arg("when", "e.g. 2026-12-01 18:00 or tomorrow 18:00", required=True),
                                Arg("duration", "e.g. 1h or 90m", required=True),
                                Arg("topic", "What it is about"),
                                Arg("strict", "A facilitator approves each question first", ArgKind.FLAG),
                                Arg("host", "Facilitators: the councillor who hosts; without one, you host it "
                                    "as a council officer", ArgKind.USER))),
                control("open", "open the surgery now"),
                control("pause", "pause the surgery"),
                control("resume", "resume a paused surgery"),
                control("extend", "extend the surgery, e.g. 15m", Arg("duration", "e.g. 15m", required=True)),
                control("cancel", "cancel a surgery that hasn't started"),
                control("close", "close the surgery"),
                CommandSpec("surgery mode", self.mode, "strict (approve each question) or permissive",
                            role=Role.HOST, where=Where.GROUP,
                            args=(Arg("mode", "strict or permissive", ArgKind.CHOICE, required=True,
                                      choices=("strict", "permissive")),)),
                CommandSpec("surgery status", self.status, "the surgery's state and times", where=Where.GROUP),
                CommandSpec("surgery upcoming", self.upcoming, "the surgeries scheduled for this group",
                            where=Where.GROUP),
            ),
            timers=(TimerRoute(SESSION_TIMER, self.on_timer),),
        )

    # -- helpers ----------------------------------------------------------------------------------------------

    @property
    def cfg(self) -> SessionSettings:
        return self.ctx.settings.sessions

    def local(self, when: datetime) -> str:
        return self.ctx.messages.datetime(when, self.ctx.settings.council.zone)

    def local_time(self, when: datetime) -> str:
        return self.ctx.messages.time(when, self.ctx.settings.council.zone)

    def require_host(self, call: GroupCall, view: SessionView) -> None:
        if not may_steer(call.standing, view, call.community.id):
            raise Refused("not_allowed", role=self.ctx.messages("role_host"))

    async def chats(self, view: SessionView) -> list[ChatRef]:
        return await session_chats(self.ctx, view)

    def to_all(self, chats: list[ChatRef], text: str, reason: str) -> list[Action]:
        return [SendMessage(target=chat, text=text, reason=reason) for chat in chats]

    async def arm(self, tx: AsyncSession, view: SessionView, now: datetime) -> None:
        """(Re)schedule the session's durable timers for its current times. Keys make this idempotent."""
        if view.state == SessionState.SCHEDULED:
            offsets = [timedelta(minutes=m) for m in self.cfg.reminder_minutes]
            for offset, due in reminder_due_times(view.starts_at, offsets, now):
                minutes = int(offset.total_seconds() // 60)
                await timers.schedule(tx, SESSION_TIMER, SessionTimer(view.id, "remind", minutes), due_at=due,
                                      now=now, key=timer_key(view.id, f"remind:{minutes}"))
            await timers.schedule(tx, SESSION_TIMER, SessionTimer(view.id, "open"), due_at=view.starts_at,
                                  now=now, key=timer_key(view.id, "open"))
        warn_at = view.ends_at - timedelta(minutes=self.cfg.close_warning_minutes)
        if warn_at > now:
            await timers.schedule(tx, SESSION_TIMER, SessionTimer(view.id, "warn"), due_at=warn_at, now=now,
                                  key=timer_key(view.id, "warn"))
        else:
            await timers.cancel(tx, timer_key(view.id, "warn"), now)
        await timers.schedule(tx, SESSION_TIMER, SessionTimer(view.id, "close"), due_at=view.ends_at, now=now,
                              key=timer_key(view.id, "close"))

    async def disarm(self, tx: AsyncSession, view: SessionView, now: datetime, *, only_before_start: bool = False) -> None:
        suffixes = [f"remind:{m}" for m in self.cfg.reminder_minutes] + ["open"]
        if not only_before_start:
            suffixes += [s for s in SESSION_TIMER_SUFFIXES if s != "open"]
        for suffix in suffixes:
            await timers.cancel(tx, timer_key(view.id, suffix), now)

    async def _audit(self, tx: AsyncSession, view: SessionView, action: str, actor: str, platform: str = "bot") -> None:
        await audit.record(tx, at=self.ctx.clock.now(), platform=platform, actor=actor, action=action,
                           target=f"session:{view.id}", outcome="recorded")

    # -- scheduling ---------------------------------------------------------------------------------------

    async def _host(self, call: GroupCall) -> tuple[int | None, store.OfficerHost | None]:
        """(host councillor, officer host): the scheduling councillor hosts; a facilitator schedules for the linked
        councillor they mention, or, mentioning nobody, hosts it themselves as a council officer."""
        event = call.event
        platform = str(event.chat.platform)
        mentioned: list[int | None] = []
        if call.standing.councillor_id is None and event.mentions:
            async with self.ctx.db.unit_of_work() as tx:
                mentioned = [await people.councillor_id_for(tx, platform, user.id) for user in event.mentions]
        chosen = choose_host(call.standing, mentioned)
        if isinstance(chosen, HostRefusal):
            raise Refused(chosen.value)
        if chosen is not None:
            return chosen, None
        return None, store.OfficerHost(platform, event.sender.user.id, event.sender.display_name)

    async def schedule(self, call: GroupCall) -> Sequence[Action]:
        event, now, cfg = call.event, self.ctx.clock.now(), self.cfg
        community = call.community
        # Mentions name the host councillor; they are not part of the time, duration or topic.
        text = " ".join(w for w in call.args.split() if w not in event.mention_words)
        parsed = parse_schedule(text, now=now, zone=self.ctx.settings.council.zone,
                                minimum=timedelta(minutes=cfg.min_duration_minutes),
                                maximum=timedelta(minutes=cfg.max_duration_minutes))
        if isinstance(parsed, ScheduleRefusal):
            raise Refused(f"schedule_{parsed.problem.value}", **parsed.values)
        councillor_id, officer = await self._host(call)
        mode = ModerationMode.STRICT if parsed.strict else ModerationMode.PERMISSIVE
        await self.elections.refuse_schedule([community.id], parsed.starts_at, parsed.ends_at,
                                             councillor_hosted=councillor_id is not None)
        async with self.ctx.db.unit_of_work() as tx:
            existing = await store.sessions_in(tx, [community.id], ACCEPTING_STATES)
            if overlaps(parsed.starts_at, parsed.ends_at, [Slot(s.starts_at, s.ends_at) for s in existing]):
                clash = next(s for s in existing if s.starts_at < parsed.ends_at and parsed.starts_at < s.ends_at)
                raise Refused("schedule_overlap", when=self.local(clash.starts_at))
            view = await store.create_session(tx, councillor_id=councillor_id, officer=officer,
                                              community_ids=[community.id], starts_at=parsed.starts_at,
                                              ends_at=parsed.ends_at, topic=parsed.topic, mode=mode, now=now)
            await self.arm(tx, view, now)
            await self._audit(tx, view, "session_scheduled", event.sender.user.id, str(event.chat.platform))
        self.ctx.timers.notify()
        log.info("session %s scheduled in community %s (%s)", view.id, community.id,
                 "councillor" if officer is None else "officer-hosted")
        return self.announcement(view, event.chat)

    def announcement(self, view: SessionView, chat: ChatRef) -> list[Action]:
        m, host = self.ctx.messages, host_label(self.ctx, view)
        topic = m("topic_line", topic=view.topic) if view.topic else ""
        mode = m("mode_strict_note") if view.mode == ModerationMode.STRICT else ""
        text = m("session_announced", number=view.id, host=host, when=self.local(view.starts_at),
                 duration=format_duration(view.duration), topic=topic, mode=mode)
        title = m("ics_title", host=host) + (f" — {view.topic}" if view.topic else "")
        ics = surgery_ics(session_id=view.id, council=self.ctx.settings.council.name, title=title,
                          description=m("ics_description", host=host),
                          starts_at=view.starts_at, ends_at=view.ends_at, created_at=self.ctx.clock.now())
        return [SendMessage(target=chat, text=text, reason="/surgery schedule"),
                SendFile(target=chat, filename=f"surgery-{view.id}.ics", content=ics,
                         caption=m("ics_caption"), reason="/surgery schedule")]

    # -- commands on the current session ---------------------------------------------------------------------

    async def _current(self, call: GroupCall) -> SessionView | None:
        async with self.ctx.db.unit_of_work() as tx:
            return await store.current_session(tx, call.community.id)

    async def control(self, call: GroupCall) -> Sequence[Step]:
        event = call.event
        verb = event.args.split()[0].lower()
        view = await self._current(call)
        if view is None:
            raise Refused("no_session")
        self.require_host(call, view)
        extend_by = None
        if verb == "extend":
            try:
                extend_by = parse_duration(call.args or "", minimum=timedelta(minutes=1),
                                           maximum=timedelta(minutes=self.cfg.max_duration_minutes))
            except InputProblem as problem:
                # A readable duration out of range (`400d`) gets the limit; anything else the example.
                if _readable(call.args):
                    raise Refused(problem.code, **problem.values) from None
                raise Refused("extend_usage") from None
        command = SessionCommand(verb)
        if command == SessionCommand.OPEN:
            await self.elections.refuse_open(view.community_ids, councillor_hosted=view.councillor_hosted)
        return await self.apply(view, command, actor=event.sender.user.id, platform=str(event.chat.platform),
                                extend_by=extend_by, origin=event)

    async def apply(self, view: SessionView, command: SessionCommand, *, actor: str, platform: str = "bot",
                    extend_by: timedelta | None = None, origin: CommandReceived | None = None) -> Sequence[Step]:
        """Decide, store, re-arm timers and announce, for a person's command or a timer."""
        now = self.ctx.clock.now()
        async with self.ctx.db.unit_of_work() as tx:
            fresh = await store.get_session(tx, view.id)
            assert fresh is not None
            others = [s for s in await store.sessions_in(tx, fresh.community_ids) if s.id != fresh.id]
            other_open = any(s.state in LIVE_STATES for s in others)
            later = [s.starts_at for s in others if s.state == SessionState.SCHEDULED and s.starts_at >= fresh.ends_at]
            outcome = decide(fresh, command, now, other_open=other_open, extend_by=extend_by,
                             max_duration=timedelta(minutes=self.cfg.max_duration_minutes),
                             next_start=min(later) if later else None)
            if isinstance(outcome, SessionRefusal):
                if origin is None:
                    return []
                raise Refused(f"session_refused_{outcome.value}")
            if command in (SessionCommand.CLOSE, SessionCommand.AUTO_CLOSE):
                return await self._close(tx, fresh, outcome, actor=actor, platform=platform)
            await store.save_session(tx, outcome.session)
            if outcome.stop_timers:
                await self.disarm(tx, outcome.session, now)
            elif outcome.rearm:
                if outcome.session.state != SessionState.SCHEDULED:
                    await self.disarm(tx, outcome.session, now, only_before_start=True)
                await self.arm(tx, outcome.session, now)
            await self._audit(tx, outcome.session, f"session_{command.value}", actor, platform)
            carried = await store.questions(tx, fresh.id) if outcome.session.state == SessionState.OPEN else []
        self.ctx.timers.notify()
        chats = await self.chats(outcome.session)
        announcements = self.to_all(chats, self.transition_text(outcome), f"session {command.value}")
        unposted = [q for q in carried if q.state == QuestionState.QUEUED and q.message_id is None
                    and q.visibility != Visibility.PRIVATE]
        # Questions carried from the last session get their vote message after the welcome, not before.
        steps: list[Step] = list(announcements)
        for question in unposted:
            steps += await post_question(self.ctx, question, chats)
        if outcome.announce == "session_opened":
            steps += self.tell_early_askers(outcome.session, carried)
        return steps

    def tell_early_askers(self, view: SessionView, found: list[QuestionView]) -> list[Action]:
        """People who asked before the surgery opened hear privately that it has (once each, whatever the number
        of their questions). Not held for later if they can't be reached: by then it would be stale news."""
        waiting: dict[tuple[str, str], list[int]] = {}
        for q in found:
            if q.state in (QuestionState.QUEUED, QuestionState.PENDING) and q.asker_platform and q.asker_user_id:
                waiting.setdefault((q.asker_platform, q.asker_user_id), []).append(q.number)
        m = self.ctx.messages
        return [SendMessage(target=UserRef(Platform(platform), user_id), reason="session opened: early askers",
                            hold_if_unreachable=False,
                            text=m("asker_session_open", numbers=", ".join(f"#{n}" for n in numbers),
                                   host=host_label(self.ctx, view), until=self.local_time(view.ends_at)))
                for (platform, user_id), numbers in waiting.items()]

    def transition_text(self, outcome: Transition) -> str:
        m, view = self.ctx.messages, outcome.session
        if outcome.announce == "session_opened":
            topic = m("topic_line", topic=view.topic) if view.topic else ""
            return m("session_opened", host=host_label(self.ctx, view), until=self.local_time(view.ends_at),
                     topic=topic)
        if outcome.announce == "session_extended":
            return m("session_extended", until=self.local_time(view.ends_at))
        return m(outcome.announce, when=self.local(view.starts_at))

    async def mode(self, call: GroupCall) -> Sequence[Action]:
        m, event = self.ctx.messages, call.event
        choice = call.args.strip().lower()
        if choice not in (ModerationMode.STRICT.value, ModerationMode.PERMISSIVE.value):
            raise Refused("mode_usage")
        view = await self._current(call)
        if view is None:
            raise Refused("no_session")
        self.require_host(call, view)
        async with self.ctx.db.unit_of_work() as tx:
            await store.save_session(tx, replace(view, mode=ModerationMode(choice)))
            await self._audit(tx, view, f"session_mode_{choice}", event.sender.user.id, str(event.chat.platform))
        return [reply(event, m(f"mode_set_{choice}"))]

    async def status(self, call: GroupCall) -> Sequence[Action]:
        m = self.ctx.messages
        view = await self._current(call)
        election = await self.elections.status_line(call.community.id)
        if view is None:
            if election:
                return [reply(call.event, m("no_session") + "\n" + election)]
            raise Refused("no_session")
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.questions(tx, view.id)
        waiting = sum(1 for q in found if q.state == QuestionState.QUEUED)
        text = m("session_status", number=view.id, state=m(f"state_{view.state.value}"),
                 host=host_label(self.ctx, view), starts=self.local(view.starts_at),
                 ends=self.local_time(view.ends_at), waiting=waiting, mode=m(f"mode_{view.mode.value}"))
        return [reply(call.event, text + "\n" + election if election else text)]

    async def upcoming(self, call: GroupCall) -> Sequence[Action]:
        m = self.ctx.messages
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.sessions_in(tx, [call.community.id], frozenset({SessionState.SCHEDULED}))
        if not found:
            return [reply(call.event, m("upcoming_none"))]
        lines = [m("upcoming_header")]
        for view in found:
            topic = m("upcoming_topic", topic=view.topic) if view.topic else ""
            joint = m("upcoming_joint") if view.is_joint else ""
            lines.append(m("upcoming_line", number=view.id, when=self.local(view.starts_at),
                           duration=format_duration(view.duration), host=host_label(self.ctx, view), topic=topic,
                           joint=joint))
        return [reply(call.event, m.join("\n", lines))]

    # -- timers ------------------------------------------------------------------------------------------------

    async def on_timer(self, event: TimerFired, timer: SessionTimer) -> Sequence[Step]:
        # What it posts is made again in each group's language, and a private note in its reader's, by
        # bot/localise.py: a timer has no reader of its own.
        what = timer.what
        async with self.ctx.db.unit_of_work() as tx:
            view = await store.get_session(tx, timer.session_id)
            if view is None:
                return []
            active = [c for c in await self.ctx.cache.communities(view.community_ids) if c.is_active]
            if not active and view.state not in (SessionState.CLOSED, SessionState.CANCELLED):
                # Every group it was for has removed the bot: end it quietly, there is nobody to tell.
                await store.save_session(tx, replace(view, state=SessionState.CANCELLED, closed_at=event.occurred_at))
                await self.disarm(tx, view, event.occurred_at)
                await self._audit(tx, view, "session_cancelled_community_left", "bot")
                return []
        if what == "remind":
            if view.state != SessionState.SCHEDULED:
                return []
            topic = self.ctx.messages("topic_line", topic=view.topic) if view.topic else ""
            text = self.ctx.messages("session_reminder", host=host_label(self.ctx, view),
                                     when=self.local(view.starts_at), topic=topic)
            return self.to_all(await self.chats(view), text, "session reminder")
        if what == "warn":
            if view.state not in LIVE_STATES:
                return []
            text = self.ctx.messages("session_closing_soon", minutes=self.cfg.close_warning_minutes)
            return self.to_all(await self.chats(view), text, "session closing soon")
        command = {"open": SessionCommand.AUTO_OPEN, "close": SessionCommand.AUTO_CLOSE}.get(what)
        if command is None:
            return []
        return await self.apply(view, command, actor="timer")

    # -- closing ------------------------------------------------------------------------------------------------

    async def _close(self, tx: AsyncSession, before: SessionView, outcome: Transition, *, actor: str,
                     platform: str) -> Sequence[Step]:
        """Inside the caller's unit of work: close, stop timers, carry or offer follow-up, store the report."""
        m, now, view = self.ctx.messages, self.ctx.clock.now(), outcome.session
        await store.save_session(tx, view)
        await self.disarm(tx, view, now)
        if before.live_question_id is not None:
            # A question still on the floor at close was not answered: it goes back with the unanswered ones.
            await store.set_question_state(tx, before.live_question_id, QuestionState.QUEUED, now)
        found = await store.questions(tx, view.id)
        voters = await store.voter_ids(tx, view.id)
        unanswered = [q for q in found if q.state in UNANSWERED_STATES]
        later = [s for s in await store.sessions_in(tx, view.community_ids, frozenset({SessionState.SCHEDULED}))
                 if s.id != view.id]

        def next_for(community_id: int | None) -> SessionView | None:
            # In a joint surgery each group's questions go to that group's next surgery, not another group's.
            return next((s for s in later if community_id is None or community_id in s.community_ids), None)

        nxt = next_for(view.home_community_id)
        carried_to: dict[int, SessionView] = {}
        for q in unanswered:
            target = next_for(q.community_id)
            if target is None:
                continue
            carried_to[q.id] = target
            await store.add_question(tx, session_id=target.id, community_id=q.community_id, text=q.text,
                                     visibility=q.visibility, now=now, asker_person_id=q.asker_person_id,
                                     asker_platform=q.asker_platform, asker_user_id=q.asker_user_id,
                                     asker_name=q.asker_name, carried_from_id=q.id,
                                     state=QuestionState.PENDING if target.mode == ModerationMode.STRICT
                                     else QuestionState.QUEUED)
        known = await self.ctx.cache.communities(view.community_ids)
        names = [c.name for c in known]
        report = build_report(view, names, found, voters, carried_to=nxt.id if nxt else None, generated_at=now,
                              community_names={c.id: c.name for c in known})
        await store.save_report(tx, view.id, report)
        await self._audit(tx, view, "session_closed", actor, platform)
        for hook in self.close_hooks:
            await hook(tx, view, now)
        counts = count(found, voters)
        if counts.unanswered == 0:
            after = m("summary_next_none")
        elif nxt is not None:
            after = m("summary_next_carried", when=self.local(nxt.starts_at))
        else:
            after = m("summary_next_followup")
        text = m("session_summary", asked=counts.asked, answered=counts.answered, parked=counts.parked,
                 referred=counts.referred, participants=counts.participants, after=after,
                 host=host_label(self.ctx, view))
        active_communities = [c for c in await self.ctx.cache.communities(view.community_ids) if c.is_active]
        chats = [home_chat(c) for c in active_communities]
        actions: list[Action] = [SendMessage(target=chat, text=text, reason="session closed") for chat in chats]
        for q in unanswered:
            if q.asker_user_id is None or q.asker_platform is None:
                continue
            asker = UserRef(Platform(q.asker_platform), q.asker_user_id)
            if q.id in carried_to:
                actions.append(SendMessage(target=asker, text=m("asker_carried", number=q.number,
                                                                when=self.local(carried_to[q.id].starts_at)),
                                           reason="session closed: carried"))
            else:
                home = next((c for c in active_communities if c.id == q.community_id), None)
                offer = asker_note(self.ctx, q, m("asker_followup_offer", number=q.number),
                                   group=home_chat(home) if home is not None else None,
                                   buttons=(Button(m("followup_button"), f"followup:{q.id}"),),
                                   reason="session closed: follow-up offer")
                if offer is not None:
                    actions.append(offer)
        log.info("session %s closed: %s", view.id, counts)
        return actions
