"""Every message an event sends, in the language of whoever reads it.

Handlers render for the event's own reader (bot/reader_language.py): the group it happened in, or the person
writing privately; a timer has no reader and renders in the council's default. What an event sends anywhere
else is made again here, once, before it is recorded and carried out:

- to a group (a joint surgery's other groups, a moderation log, whatever a timer posts): that community's
  language;
- to a person privately: the language they chose (/language); if they are the event's sender, the language
  they wrote in or their platform's; else the council's default.

One read of the recipients' choices per event (and per follow-up), and only when it sends a private note to
someone other than the person it is already talking to privately: an event whose messages all go back to its own
chat costs nothing. Only messages rendered through the
catalogue (config.messages.Text) can be made again; any other text goes as it is."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.actions import Action, ActionResult, EditMessage, FollowUp, SendFile, SendMessage, Step, Target
from bot.context import Context
from bot.events import Event
from bot.reader_language import ReaderLanguages
from bot.refs import Button, ChatKind, ChatRef, UserRef
from bot.storage import languages as language_store
from config.messages import Text

log = logging.getLogger(__name__)

Languages = dict[Target, str]


def _target(action: Action) -> Target | None:
    if isinstance(action, (SendMessage, SendFile)):
        return action.target
    if isinstance(action, EditMessage):
        return action.message.chat
    return None


def _remakeable(action: Action) -> bool:
    if isinstance(action, (SendMessage, EditMessage)):
        return isinstance(action.text, Text) or any(isinstance(b.label, Text) for b in action.buttons)
    return isinstance(action, SendFile) and isinstance(action.caption, Text)


def _messages(actions: Sequence[Action]) -> list[Action]:
    """The actions that say something remakeable, with the group fallbacks of private notes."""
    found: list[Action] = []
    for action in actions:
        found.append(action)
        fallback = action.if_unreachable if isinstance(action, SendMessage) else None
        while fallback is not None:
            found.append(fallback)
            fallback = fallback.if_unreachable
    return [action for action in found if _remakeable(action)]


def _again(text: str, language: str) -> str:
    return text.in_language(language) if isinstance(text, Text) else text


def _labels(buttons: tuple[Button, ...], language: str) -> tuple[Button, ...]:
    return tuple(replace(b, label=_again(b.label, language)) if isinstance(b.label, Text) else b for b in buttons)


class Localiser:
    def __init__(self, ctx: Context, readers: ReaderLanguages) -> None:
        self.ctx = ctx
        self.readers = readers

    async def steps(self, event: Event | None, steps: Sequence[Step]) -> list[Step]:
        """`steps` with what they say made again for each reader; what follow-ups return is remade likewise.
        Never loses a message: if a language can't be told, the text goes as rendered."""
        try:
            actions = [action for step in steps
                       for action in (step.actions if isinstance(step, FollowUp) else (step,))]
            languages = await self._languages(event, _messages(actions))
        except Exception:
            log.exception("could not tell the readers' languages of %s; sending as rendered",
                          type(event).__name__ if event is not None else "start-up notices")
            return list(steps)
        return [self._step(event, step, languages) for step in steps]

    def _step(self, event: Event | None, step: Step, languages: Languages) -> Step:
        if not isinstance(step, FollowUp):
            return self._remade(step, languages)
        then = step.then

        async def localised(results: list[ActionResult]) -> Sequence[Step]:
            return await self.steps(event, await then(results) or ())

        localised.__qualname__ = getattr(then, "__qualname__", repr(then))  # the dispatcher's log names it
        return replace(step, actions=tuple(self._remade(action, languages) for action in step.actions),
                       then=localised)

    def _remade(self, action: Action, languages: Languages) -> Action:
        target = _target(action)
        language = languages.get(target) if target is not None else None
        changes: dict[str, Any] = {}
        if isinstance(action, SendMessage) and action.if_unreachable is not None:
            fallback = self._remade(action.if_unreachable, languages)
            if fallback is not action.if_unreachable:
                changes["if_unreachable"] = fallback
        if language is not None and _remakeable(action):
            if isinstance(action, SendFile):
                changes["caption"] = _again(action.caption, language)
            elif isinstance(action, (SendMessage, EditMessage)):
                changes["text"] = _again(action.text, language)
                changes["buttons"] = _labels(action.buttons, language)
        return replace(action, **changes) if changes else action

    async def _languages(self, event: Event | None, messages: list[Action]) -> Languages:
        """The language of each target the messages go to, other than the event's own chat (and, in private, its
        sender), whose messages already speak the event's language."""
        chat = getattr(event, "chat", None)
        sender = getattr(event, "sender", None)
        own: set[Any] = {chat} if chat is not None else set()
        in_private = getattr(event, "chat_kind", None) == ChatKind.PRIVATE
        if in_private and sender is not None:
            own.add(sender.user)
        targets = {t for t in map(_target, messages) if t is not None and t not in own}
        found: Languages = {}
        people: list[UserRef] = []
        for target in targets:
            if isinstance(target, ChatRef):
                community = await self.ctx.cache.community_in(str(target.platform), target.space)
                if community is not None:  # else a chat that is no community: as rendered
                    found[target] = self.readers.of_community(community)
            else:
                people.append(target)
        if people:
            async with self.ctx.db.read() as tx:
                chosen = await language_store.people_languages(tx, ((str(p.platform), p.id) for p in people))
            for person in people:
                choice = chosen.get((str(person.platform), person.id))
                if event is not None and sender is not None and person == sender.user:
                    found[person] = await self.readers.of_sender(event, choice)
                else:
                    found[person] = choice or self.readers.default
        return found
