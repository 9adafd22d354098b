"""Which language the bot answers an event in (config.messages.reader renders in it):

- in a group, the community's own setting (/surgery language), else the council's default;
- in private, the person's choice (/language), else Welsh if they wrote Welsh, else their platform's language
  (Telegram language_code, Discord locale) when it is Welsh or English, else the council's default.
What an event sends elsewhere (another group, someone privately) is remade in its reader's language by
bot/localise.py, which asks here too.
Someone writing in Welsh in a group (an /ask, an /appeal) is answered in Welsh too, unless the group is bilingual."""

from __future__ import annotations

from collections.abc import Awaitable

from bot.context import Context
from bot.event_context import UNKNOWN, CommunityFacts
from bot.events import CommandReceived, Event, MessageReceived
from bot.language_id import written_in_welsh
from bot.refs import ChatKind, Sender
from bot.storage import languages
from facilitation.consent import CommunityView

# Commands whose words are a person's own correspondence with the council.
_CORRESPONDENCE = frozenset({"ask", "appeal"})


def platform_language(sender: Sender) -> str | None:
    locale = (sender.locale or "").lower().replace("_", "-")
    if locale.split("-")[0] == "cy":
        return "cy"
    if locale.split("-")[0] == "en":
        return "en"
    return None


def _written(event: Event) -> str:
    # Ordinary chat in a group is residents talking to each other, not writing to the bot: identifying its
    # language would cost every message of a busy session a classification for replies it almost never gets.
    if isinstance(event, MessageReceived):
        return event.text if event.chat_kind == ChatKind.PRIVATE else ""
    if isinstance(event, CommandReceived) and event.name in _CORRESPONDENCE:
        return event.args
    return ""


class ReaderLanguages:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def default(self) -> str:
        return self.ctx.settings.council.language.value

    def of_community(self, community: CommunityView | None) -> str:
        return (community.language if community is not None else None) or self.default

    def of(self, event: Event) -> str | None | Awaitable[str | None]:
        """The language for this event, or None to keep the council's default: at once for ordinary chat in a
        group whose community is held in memory (most events by far, each asking), else to be awaited."""
        if type(event) is MessageReceived and event.chat_kind != ChatKind.PRIVATE:
            held = self.ctx.cache.peek_in(str(event.chat.platform), event.chat.space)
            if isinstance(held, CommunityFacts):
                return held.community.language or self.default
        return self.looked_up(event)

    async def looked_up(self, event: Event) -> str | None:
        """`of`, working it out (in private, the person's choice is read)."""
        chat = getattr(event, "chat", None)
        sender: Sender | None = getattr(event, "sender", None)
        private = getattr(event, "chat_kind", None) == ChatKind.PRIVATE
        if chat is None or (sender is None and private):
            return None
        written = _written(event)
        if private and sender is not None:
            async with self.ctx.db.read() as tx:
                chosen = await languages.person_language(tx, str(sender.user.platform), sender.user.id)
            return await self._personal(sender, written, chosen)
        # (A group event nobody sent, such as the bot's rights changing, speaks the group's language too.)
        platform, space = str(chat.platform), chat.space
        held = self.ctx.cache.peek_in(platform, space)  # from memory without a wait (every message asks)
        community = (held.community if isinstance(held, CommunityFacts) else None) if held is not UNKNOWN \
            else await self.ctx.cache.community_in(platform, space)
        language = self.of_community(community)
        if language == "en" and written and await written_in_welsh(written):
            return "cy"
        return language

    async def of_sender(self, event: Event, chosen: str | None) -> str:
        """The language of a private note to the event's sender, when the event itself happened in a group:
        `chosen` is their /language choice, if any."""
        sender: Sender = getattr(event, "sender")
        return await self._personal(sender, _written(event), chosen)

    async def _personal(self, sender: Sender, written: str, chosen: str | None) -> str:
        if chosen is not None:
            return chosen
        if written and await written_in_welsh(written):
            return "cy"
        return platform_language(sender) or self.default
