"""Discord roles and permission bits → the core's member status, rights and role position."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.rights import MemberInfo, MemberRights, MemberStatus

if TYPE_CHECKING:  # discord.types is for type checkers; importing it at run time is circular
    from discord.types.member import MemberWithUser


@dataclass(frozen=True, slots=True)
class RoleInfo:
    position: int
    permissions: int


@dataclass(frozen=True, slots=True)
class NeededPermission:
    """A server permission the product uses: `flags` are discord.Permissions names, any one of which is enough;
    `label` is the catalogue key naming it and what it is for."""

    flags: tuple[str, ...]
    label: str


# Everything the bot does on Discord, and the permission each needs. The install URL asks for all of them and
# `surgerybot check` names the ones a server has not granted, so the two cannot drift apart.
NEEDED_PERMISSIONS: tuple[NeededPermission, ...] = (
    NeededPermission(("view_channel",), "discord_needs_view_channel"),
    NeededPermission(("send_messages",), "discord_needs_send_messages"),
    NeededPermission(("read_message_history",), "discord_needs_read_message_history"),
    NeededPermission(("attach_files",), "discord_needs_attach_files"),
    NeededPermission(("manage_messages",), "discord_needs_manage_messages"),
    # Discord split pinning out of Manage Messages in 2025; either one lets the bot pin.
    NeededPermission(("pin_messages", "manage_messages"), "discord_needs_pin_messages"),
    NeededPermission(("moderate_members",), "discord_needs_moderate_members"),
    NeededPermission(("manage_channels",), "discord_needs_manage_channels"),
    NeededPermission(("kick_members",), "discord_needs_kick_members"),
    NeededPermission(("ban_members",), "discord_needs_ban_members"),
    NeededPermission(("view_audit_log",), "discord_needs_view_audit_log"),
)


def install_permissions() -> int:
    """The permissions integer for the OAuth2 install URL: every flag the product uses."""
    wanted = discord.Permissions.none()
    for need in NEEDED_PERMISSIONS:
        for flag in need.flags:
            setattr(wanted, flag, True)
    return wanted.value


def missing_permissions(permissions: discord.Permissions) -> list[NeededPermission]:
    return [need for need in NEEDED_PERMISSIONS if not any(getattr(permissions, flag) for flag in need.flags)]


def guild_permissions(role_ids: Iterable[str], roles: dict[str, RoleInfo], everyone_id: str) -> discord.Permissions:
    """Server-level permissions: @everyone's bits OR each role's bits. Channel overwrites are not applied: the
    core asks about the server (community), not one channel."""
    value = roles[everyone_id].permissions if everyone_id in roles else 0
    for role_id in role_ids:
        if role_id in roles:
            value |= roles[role_id].permissions
    permissions = discord.Permissions(value)
    return discord.Permissions.all() if permissions.administrator else permissions


def top_role_position(role_ids: Iterable[str], roles: dict[str, RoleInfo]) -> int:
    return max((roles[r].position for r in role_ids if r in roles), default=0)


def member_rights(permissions: discord.Permissions) -> MemberRights:
    return MemberRights(
        delete_messages=permissions.manage_messages,
        restrict_members=permissions.moderate_members,
        ban_members=permissions.ban_members and permissions.kick_members,
        # Discord split pinning out of Manage Messages in 2025; either one lets the bot pin.
        pin_messages=permissions.manage_messages or permissions.pin_messages,
        manage_community=permissions.manage_guild,
        manage_channels=permissions.manage_channels,
    )


def member_info(member: MemberWithUser, *, owner_id: str | None, roles: dict[str, RoleInfo], everyone_id: str,
                now: datetime) -> MemberInfo:
    """`member` is a guild member object as the REST API returns it."""
    user_id = str(member["user"]["id"])
    role_ids = [str(r) for r in member.get("roles", ())]
    permissions = guild_permissions(role_ids, roles, everyone_id)
    position = top_role_position(role_ids, roles)
    if user_id == owner_id:
        return MemberInfo(MemberStatus.OWNER, MemberRights.all(), position)
    rights = member_rights(permissions)
    if permissions.administrator or permissions.manage_guild:
        return MemberInfo(MemberStatus.ADMIN, rights, position)
    until = member.get("communication_disabled_until")
    if until and datetime.fromisoformat(until) > now:
        return MemberInfo(MemberStatus.RESTRICTED, rights, position)
    return MemberInfo(MemberStatus.MEMBER, rights, position)
