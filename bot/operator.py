"""What the council operator does from the shell: invitations, councillors, facilitators, communities.
The CLI and the demo both call these, so the demo walks the same code paths as production."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import UserInputError
from bot.storage import audit, communities, people
from bot.storage.database import Database
from config.settings import Settings
from facilitation.consent import CommunityView
from facilitation.invitations import InvitationView, new_code

PLATFORMS = ("telegram", "discord", "local")
LINK_CODE_VALIDITY = timedelta(days=14)
# Names are stored in 200-character columns; PostgreSQL refuses longer ones mid-transaction, so say it first.
MAX_NAME_LENGTH = 200


def _too_long(what: str, text: str) -> None:
    if len(text) > MAX_NAME_LENGTH:
        raise UserInputError(f"The {what} is too long: keep it to {MAX_NAME_LENGTH} characters.")


# Discord permissions the bot asks for at install: view channels, send messages, manage messages, read history,
# attach files, kick, ban, moderate members (timeouts), view audit log (to learn who added it).
DISCORD_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 13) | (1 << 16) | (1 << 15) | (1 << 1) | (1 << 2) \
    | (1 << 40) | (1 << 7)


@dataclass(frozen=True)
class CreatedInvitation:
    id: int
    code: str
    community: str
    platform: str
    expires_at: str
    link: str | None
    instructions: str


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def as_dict(obj: Any) -> dict[str, Any]:
    return {key: _jsonable(value) for key, value in asdict(obj).items()}


class Operator:
    def __init__(self, db: Database, settings: Settings, clock: Clock) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock

    async def _audit(self, tx: AsyncSession, action: str, reason: str, platform: str = "cli") -> None:
        await audit.record(tx, at=self.clock.now(), platform=platform, actor="operator", action=action,
                           reason=reason, outcome="recorded")

    # -- invitations ---------------------------------------------------------------------------------------

    def _link(self, platform: str, code: str) -> tuple[str | None, str]:
        if platform == "telegram":
            username = self.settings.telegram.bot_username or "<bot_username>"
            return (f"https://t.me/{username}?startgroup={code}",
                    "Send the link to an admin of the group: it adds the bot and completes the invitation.")
        if platform == "discord":
            app_id = self.settings.discord.application_id or "<application_id>"
            url = (f"https://discord.com/oauth2/authorize?client_id={app_id}"
                   f"&scope=bot+applications.commands&permissions={DISCORD_PERMISSIONS}")
            return url, f"A server admin installs the bot with the link, then types: /surgery accept {code}"
        return None, f"An admin adds the bot, then types: /surgery accept {code}"

    async def create_invitation(self, community: str, platform: str, expires: timedelta | None) -> CreatedInvitation:
        community = community.strip()
        if not community:
            raise UserInputError("The community needs a name, e.g. --community \"Riverside Residents\".")
        _too_long("community name", community)
        if platform not in PLATFORMS:
            raise UserInputError(f"Unknown platform {platform!r}: use telegram or discord.")
        now = self.clock.now()
        lifetime = expires or timedelta(days=self.settings.consent.invitation_expiry_days)
        code = new_code()
        async with self.db.unit_of_work() as tx:
            view = await communities.create_invitation(tx, code=code, community_name=community,
                                                       platform=platform, now=now, expires_at=now + lifetime)
            await self._audit(tx, "invitation_created", f"invitation {view.id} for {platform}")
        link, instructions = self._link(platform, code)
        return CreatedInvitation(view.id, code, community, platform, view.expires_at.isoformat(), link, instructions)

    async def list_invitations(self) -> list[dict[str, Any]]:
        now = self.clock.now()
        async with self.db.unit_of_work() as tx:
            views: list[InvitationView] = await communities.list_invitations(tx)
        return [{**as_dict(v), "state": v.state(now)} for v in views]

    async def revoke_invitation(self, invitation_id: int) -> None:
        async with self.db.unit_of_work() as tx:
            if not await communities.revoke_invitation(tx, invitation_id, self.clock.now()):
                raise UserInputError(f"Invitation {invitation_id} doesn't exist or was already used or revoked.")
            await self._audit(tx, "invitation_revoked", f"invitation {invitation_id}")

    # -- councillors ---------------------------------------------------------------------------------------

    async def add_councillor(self, name: str, ward: str) -> dict[str, Any]:
        if not name.strip():
            raise UserInputError("The councillor needs a name, e.g. --name \"Cllr Jane Smith\".")
        _too_long("councillor's name", name.strip())
        _too_long("ward", ward.strip())
        now, code = self.clock.now(), new_code()
        async with self.db.unit_of_work() as tx:
            view = await people.add_councillor(tx, name=name.strip(), ward=ward.strip(), code=code, now=now,
                                               code_expires_at=now + LINK_CODE_VALIDITY)
            await self._audit(tx, "councillor_added", f"councillor {view.id}")
        return {**as_dict(view), "link_code": code, "link_code_expires_at": (now + LINK_CODE_VALIDITY).isoformat(),
                "instructions": f"The councillor sends this to the bot in a private chat: /link {code}"}

    async def list_councillors(self) -> list[dict[str, Any]]:
        async with self.db.unit_of_work() as tx:
            return [as_dict(v) for v in await people.list_councillors(tx)]

    async def remove_councillor(self, councillor_id: int) -> None:
        async with self.db.unit_of_work() as tx:
            if not await people.remove_councillor(tx, councillor_id, self.clock.now()):
                raise UserInputError(f"There is no current councillor with id {councillor_id}.")
            await self._audit(tx, "councillor_removed", f"councillor {councillor_id}")

    # -- communities and facilitators ----------------------------------------------------------------------

    async def _community(self, tx: AsyncSession, name_or_id: str) -> CommunityView:
        community = None
        if name_or_id.isascii() and name_or_id.isdigit():
            community = await communities.community_by_id(tx, int(name_or_id))
        community = community or await communities.community_by_name(tx, name_or_id)
        if community is None:
            raise UserInputError(f"No community called {name_or_id!r}. See `surgerybot communities list`.")
        return community

    async def list_communities(self) -> list[dict[str, Any]]:
        async with self.db.unit_of_work() as tx:
            return [as_dict(c) for c in await communities.list_communities(tx)]

    async def show_community(self, name_or_id: str) -> dict[str, Any]:
        async with self.db.unit_of_work() as tx:
            community = await self._community(tx, name_or_id)
            found = await people.list_facilitators(tx, community.id)
        return {**as_dict(community), "facilitators": [as_dict(f) for f in found]}

    async def add_facilitator(self, community_name: str, user_id: str, display_name: str) -> bool:
        if not user_id.strip():
            raise UserInputError("Give the facilitator's platform user id with --user-id.")
        async with self.db.unit_of_work() as tx:
            community = await self._community(tx, community_name)
            added = await people.add_facilitator(tx, community_id=community.id, platform=community.platform,
                                                 user_id=user_id.strip(), display_name=display_name,
                                                 appointed_by="operator", now=self.clock.now())
            await self._audit(tx, "facilitator_add", f"community {community.id}", community.platform)
        return added

    async def remove_facilitator(self, community_name: str, user_id: str) -> None:
        async with self.db.unit_of_work() as tx:
            community = await self._community(tx, community_name)
            if not await people.remove_facilitator(tx, community_id=community.id, platform=community.platform,
                                                   user_id=user_id.strip()):
                raise UserInputError(f"User {user_id} isn't a facilitator of {community.name}.")
            await self._audit(tx, "facilitator_remove", f"community {community.id}", community.platform)

    async def list_facilitators(self, community_name: str | None) -> list[dict[str, Any]]:
        async with self.db.unit_of_work() as tx:
            community_id = (await self._community(tx, community_name)).id if community_name else None
            return [as_dict(f) for f in await people.list_facilitators(tx, community_id)]
