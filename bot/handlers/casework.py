"""Casework followed through (SPEC §4): a referral's timers (overdue at its reply date, the host told privately;
the resident asked once, some working days later, whether a reply came, with Yes / No buttons) and `/mycases`,
a resident's open references. The operator's side is bot/casework_desk.py."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.actions import Action, AnswerButton, EditMessage, SendMessage
from bot.command_router import CommandCall, Where, reply
from bot.context import Context
from bot.events import ButtonPressed, TimerFired
from bot.features import ButtonRoute, CommandSpec, Feature, TimerRoute
from bot.handlers.casework_timers import CASEWORK_TIMER, CaseworkTimer
from bot.refs import Button, Platform, UserRef
from bot.storage import audit, people
from bot.storage import casework as store
from bot.storage import sessions as session_store
from facilitation.casework import CaseworkMove, ReferralStatus, next_status

log = logging.getLogger(__name__)

CHECK_PREFIX = "cwchk"
RESIDENT_SAYS_NO = "resident says no reply"


class CaseworkFollowUp:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def feature(self) -> Feature:
        return Feature(
            "casework",
            commands=(CommandSpec("mycases", self.mycases, "your open casework references", where=Where.PRIVATE),),
            buttons=(ButtonRoute(f"{CHECK_PREFIX}:", self.on_check_answer),),
            timers=(TimerRoute(CASEWORK_TIMER, self.on_timer),),
        )

    def _date(self, referral: store.CaseworkView) -> str:
        zone = self.ctx.settings.council.zone
        return self.ctx.messages.date(referral.reply_due, zone)

    async def _host(self, referral: store.CaseworkView, prefer: str) -> UserRef | None:
        """The host of the referral's session (its councillor, on `prefer` if they linked it, or its officer
        host), privately."""
        running = {str(p) for p in self.ctx.adapters}
        async with self.ctx.db.unit_of_work() as tx:
            view = await session_store.get_session(tx, referral.session_id) if referral.session_id else None
            if view is None:
                return None
            reach = await people.host_reach(tx, view, prefer, running=running)
        return UserRef(Platform(reach[0]), reach[1]) if reach else None

    # -- /mycases --------------------------------------------------------------------------------------------------

    async def mycases(self, call: CommandCall) -> Sequence[Action]:
        m, event = self.ctx.messages, call.event
        async with self.ctx.db.unit_of_work() as tx:
            found = await store.for_person(tx, str(event.chat.platform), event.sender.user.id)
        if not found:
            return [reply(event, m("mycases_none"))]
        lines = [m("mycases_header")] + [m("mycases_line", reference=r.reference, due=self._date(r),
                                           status=m(f"casework_status_{r.status.value}")) for r in found]
        return [reply(event, m.join("\n", lines))]

    # -- the timers ------------------------------------------------------------------------------------------------

    async def on_timer(self, event: TimerFired, timer: CaseworkTimer) -> Sequence[Action]:
        m, now = self.ctx.messages, event.occurred_at
        async with self.ctx.db.unit_of_work() as tx:
            referral = await store.by_id(tx, timer.referral_id)
            if referral is None:
                return []  # gone with its retention period
            if timer.what == "due":
                changed = next_status(referral.status, CaseworkMove.DUE)
                if not isinstance(changed, ReferralStatus):
                    return []  # replied or closed in time
                await store.set_status(tx, referral.id, changed, now, note="reply date passed")
                await audit.record(tx, at=now, platform="bot", action="casework_overdue",
                                   target=f"referral:{referral.id}", outcome="recorded")
                resident = None
            else:
                if referral.status == ReferralStatus.CLOSED or referral.resident_asked_at is not None \
                        or referral.person_id is None:
                    return []  # closed already, asked already, or the resident asked to be forgotten
                resident = await store.person_reach(tx, referral.person_id)
                if resident is None:
                    return []
                await store.mark_resident_asked(tx, referral.id, now)
        if timer.what == "due":
            host = await self._host(referral, "")  # wherever the host can be reached
            log.info("casework %s is overdue", referral.reference)
            return [SendMessage(target=host, reason="casework overdue", text=m(
                "casework_overdue_host", reference=referral.reference, due=self._date(referral)))] if host else []
        assert resident is not None
        return [SendMessage(
            target=UserRef(Platform(resident[0]), resident[1]), reason="casework check",
            text=m("casework_check", reference=referral.reference, due=self._date(referral)),
            buttons=(Button(m("casework_check_yes"), f"{CHECK_PREFIX}:{referral.id}:y"),
                     Button(m("casework_check_no"), f"{CHECK_PREFIX}:{referral.id}:n")))]

    # -- the resident's answer -------------------------------------------------------------------------------------

    async def on_check_answer(self, event: ButtonPressed) -> Sequence[Action]:
        m, now, platform = self.ctx.messages, self.ctx.clock.now(), str(event.chat.platform)

        def toast(key: str) -> AnswerButton:
            return AnswerButton(chat=event.chat, press_id=event.press_id, text=m(key), reason="casework check")

        parts = event.data.split(":")
        if len(parts) != 3 or not parts[1].isascii() or not parts[1].isdigit() or parts[2] not in ("y", "n"):
            return [toast("button_expired")]
        said_yes = parts[2] == "y"
        async with self.ctx.db.unit_of_work() as tx:
            referral = await store.by_id(tx, int(parts[1]))
            person = await people.person_for(tx, platform, event.sender.user.id, now=now, create=False)
            if referral is None or person is None or referral.person_id != person:
                return [toast("button_not_for_you")]
            move = CaseworkMove.RESIDENT_YES if said_yes else CaseworkMove.RESIDENT_NO
            changed = next_status(referral.status, move)
            if isinstance(changed, ReferralStatus):
                await store.set_status(tx, referral.id, changed, now,
                                       note="resident confirmed a reply" if said_yes else RESIDENT_SAYS_NO)
                await audit.record(tx, at=now, platform=platform, actor=event.sender.user.id,
                                   action=f"casework_{move.value}", target=f"referral:{referral.id}",
                                   outcome="recorded")
        # One check only: the question loses its buttons whatever the answer.
        done_key = "casework_check_thanks_yes" if said_yes else "casework_check_thanks_no"
        actions: list[Action] = [toast("ok_toast"), EditMessage(message=event.message, reason="casework check",
                                                                text=m(done_key, reference=referral.reference))]
        if not said_yes and isinstance(changed, ReferralStatus):
            host = await self._host(referral, platform)
            if host is not None:
                actions.append(SendMessage(target=host, reason="casework: resident says no reply",
                                           text=m("casework_no_reply_host", reference=referral.reference)))
        return actions
