"""A resident's own data (SPEC §6): /mydata sends a JSON file of everything stored about them, /forgetme erases
or anonymises it after a confirmation button. Private chat only, so nothing personal shows in a group."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.actions import Action, ActionResult, AnswerButton, EditMessage, FollowUp, SendFile, SendMessage, Step
from bot.command_router import CommandCall, CommandRouter, CommandSpec, Where, reply
from bot.context import Context
from bot.features import ButtonRoute, Feature, TimerRoute
from bot.events import ButtonPressed, TimerFired
from bot.handlers.question_posts import question_message
from bot.refs import Button, ChatKind, ChatRef, MessageRef, Platform, UserRef
from bot.storage import communities, people
from bot.storage import sessions as session_store
from bot.subjects import REPAINT_TIMER, Repaint, SubjectService
from facilitation.processing import ErasureCounts

log = logging.getLogger(__name__)

FORGET_CONFIRM = "forget:confirm"
FORGET_CANCEL = "forget:cancel"
# Counts a resident would not recognise as theirs (pseudonymised log rows) stay out of the confirmation.
_SHOWN_COUNTS = ("questions_anonymised", "votes_removed", "cases_pseudonymised", "casework_references_detached",
                 "drafts_removed", "held_notes_removed", "facilitator_roles_removed", "councillor_links_removed",
                 "hosted_surgeries_anonymised", "people_removed", "language_choices_removed")


class PrivacyHandlers:
    def __init__(self, ctx: Context, router: CommandRouter) -> None:
        self.ctx = ctx
        self.router = router
        self.subjects = SubjectService(ctx.db, ctx.settings, ctx.clock)

    def feature(self) -> Feature:
        return Feature(
            "privacy",
            commands=(
                CommandSpec("mydata", self.mydata, "get a copy of everything I store about you", where=Where.PRIVATE),
                CommandSpec("forgetme", self.forgetme, "erase what I store about you", where=Where.PRIVATE),
            ),
            buttons=(ButtonRoute(FORGET_CONFIRM, self.on_button), ButtonRoute(FORGET_CANCEL, self.on_button)),
            timers=(TimerRoute(REPAINT_TIMER, self.on_repaint_timer),),
        )

    # -- /mydata ---------------------------------------------------------------------------------------------

    async def mydata(self, call: CommandCall) -> Sequence[Action]:
        m, event = self.ctx.messages, call.event
        document = await self.subjects.export(str(event.chat.platform), event.sender.user.id)
        if not self.subjects.holds_anything(document):
            return [reply(event, m("mydata_nothing"))]
        day = self.ctx.clock.now().astimezone(self.ctx.settings.council.zone).date().isoformat()
        return [SendFile(target=event.chat, filename=m("mydata_file_name", day=day),
                         content=self.subjects.to_json(document), caption=m("mydata_caption"), reason="/mydata")]

    # -- /forgetme -------------------------------------------------------------------------------------------

    def _held(self, document: dict[str, Any]) -> str:
        m = self.ctx.messages
        items = [m("data_item_profile")] if document["people"] or document["identities"] else []
        for section, key in (("questions", "data_item_questions"), ("votes", "data_item_votes"),
                             ("moderation_cases", "data_item_cases"), ("casework_references", "data_item_casework"),
                             ("ask_drafts", "data_item_drafts"),
                             ("surgeries_hosted_as_officer", "data_item_hosted")):
            if document[section]:
                items.append(m(key, n=len(document[section])))
        roles = len(document["facilitator_roles"]) + len(document["councillor_roles"])
        if roles:
            items.append(m("data_item_roles", n=roles))
        for choice in document["language_choice"]:
            items.append(m("data_item_language", language=m(f"language_name_{choice['language']}")))
        return m.join(", ", items)

    def _done(self, counts: ErasureCounts) -> str:
        m = self.ctx.messages
        values = counts.as_dict()
        parts = [m(f"erased_{name}", n=values[name]) for name in _SHOWN_COUNTS if values[name]]
        return m("forget_done", summary=m.join("; ", parts)) if parts else m("forget_done_nothing")

    async def forgetme(self, call: CommandCall) -> Sequence[Action]:
        m, event = self.ctx.messages, call.event
        document = await self.subjects.export(str(event.chat.platform), event.sender.user.id)
        if not self.subjects.holds_anything(document):
            return [reply(event, m("forget_nothing"))]
        buttons = (Button(m("forget_button_confirm"), FORGET_CONFIRM), Button(m("forget_button_cancel"), FORGET_CANCEL))
        text = m("forget_confirm", summary=self._held(document))
        # An open referral outlives the erasure (the council still owes a reply): say so before they confirm.
        still_open = [r["reference"] for r in document.get("casework_references", []) if r.get("status") != "closed"]
        if still_open:
            text += "\n\n" + m("forget_casework_kept", references=", ".join(still_open))
        return [reply(event, text, buttons=buttons)]

    async def on_button(self, event: ButtonPressed) -> Sequence[Step]:
        if event.data not in (FORGET_CONFIRM, FORGET_CANCEL):
            return []  # another feature's button
        m = self.ctx.messages
        toast = AnswerButton(chat=event.chat, press_id=event.press_id, reason="/forgetme")
        if event.chat_kind != ChatKind.PRIVATE:
            return [replace(toast, text=m("button_not_for_you"))]
        if event.data == FORGET_CANCEL:
            return [toast, EditMessage(message=event.message, text=m("forget_cancelled"), reason="/forgetme")]
        platform = str(event.chat.platform)
        user_id = event.sender.user.id
        erasure = await self.subjects.erase(platform, user_id, requested_by="resident", private_chat_id=event.chat.id)
        log.info("erasure on request of a resident on %s: %s", platform, erasure.counts.total)
        replies = (replace(toast, text=m("ok_toast")),
                   EditMessage(message=event.message, text=self._done(erasure.counts), reason="/forgetme"),
                   *await self._repaint(platform, [(q.id, q.message_chat_id, q.message_id) for q in erasure.questions
                                                   if q.message_id and q.message_chat_id]))

        async def forget_the_replies(_: list[ActionResult]) -> list[Step]:
            # The answer and the edit were logged after the erasure, naming the private chat: they go too.
            await self.subjects.pseudonymise_replies(platform, user_id, erasure.pseudonym,
                                                     private_chat_id=event.chat.id)
            return []

        return [FollowUp(replies, forget_the_replies), *await self._review_requests(erasure.reasons_to_review)]

    async def _review_requests(self, review: list[tuple[int, int]]) -> list[Action]:
        """Facilitators' own words in case reasons may name the person: ask each community's facilitators,
        privately, to look at those cases and clear a reason with /redact (nothing is shown in the message)."""
        numbers: dict[int, list[int]] = {}
        for community_id, number in review:
            numbers.setdefault(community_id, []).append(number)
        notes: list[Action] = []
        async with self.ctx.db.unit_of_work() as tx:
            for community_id, cases in numbers.items():
                community = await communities.community_by_id(tx, community_id)
                if community is None or not community.is_active:
                    continue
                text = self.ctx.messages("forget_review_reasons", chat=community.name,
                                         cases=", ".join(f"#{n}" for n in cases), first=cases[0])
                notes += [SendMessage(target=UserRef(Platform(community.platform), f.user_id), text=text,
                                      reason="erasure: case reasons to review")
                          for f in await people.list_facilitators(tx, community_id)
                          if f.platform == community.platform]
        return notes

    async def _repaint(self, platform: str, posted: list[tuple[int, str, str]]) -> list[Action]:
        """Edit the group messages of erased questions (id, chat id, message id) so the text goes there too."""
        edits: list[Action] = []
        async with self.ctx.db.unit_of_work() as tx:
            for question_id, chat_id, message_id in posted:
                q = await session_store.question_by_id(tx, question_id)
                if q is None:
                    continue
                text, buttons = question_message(self.ctx, q)
                edits.append(EditMessage(message=MessageRef(ChatRef(Platform(platform), chat_id), message_id),
                                         text=text, buttons=buttons, reason="/forgetme"))
        return edits

    async def on_repaint_timer(self, event: TimerFired, repaint: Repaint) -> Sequence[Action]:
        """An erasure made from the CLI: the running bot edits the group messages."""
        return await self._repaint(repaint.platform, list(repaint.questions))
