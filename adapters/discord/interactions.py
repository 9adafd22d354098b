"""Interactions waiting for an answer. Discord wants every interaction acknowledged within 3 seconds and lets the
bot answer through it for 15 minutes; these records connect the core's later actions to the right interaction."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field

import discord

from adapters.discord.outbound import NO_MENTIONS

TOKEN_LIFETIME = 15 * 60.0
# Ack a button press ourselves if the core has not answered by then (Discord's limit is 3 s).
PRESS_ACK_AFTER = 2.0


@dataclass
class Press:
    interaction: discord.Interaction
    created: float = field(default_factory=time.monotonic)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def acknowledge(self, text: str = "") -> None:
        """Answer once (privately if there is text); after the first answer, text goes as a private follow-up."""
        async with self.lock:
            response = self.interaction.response
            if not response.is_done():
                if text:
                    await response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
                else:
                    await response.defer()  # "deferred update": the pressed message stays as it is
            elif text:
                await self.interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class PendingInteractions:
    def __init__(self) -> None:
        # channel id → deferred slash commands whose "thinking…" placeholder the next post in that channel replaces
        self._commands: dict[str, deque[tuple[float, discord.Interaction]]] = {}
        self._presses: dict[str, Press] = {}

    def add_command(self, interaction: discord.Interaction) -> None:
        self._commands.setdefault(str(interaction.channel_id), deque()).append((time.monotonic(), interaction))

    def take_command(self, interaction_id: str) -> discord.Interaction | None:
        """The deferred command with this id, once: a second answer to it is posted as an ordinary message."""
        for channel_id, queue in list(self._commands.items()):
            for entry in list(queue):
                since, interaction = entry
                if str(interaction.id) != interaction_id:
                    continue
                queue.remove(entry)
                if not queue:
                    self._commands.pop(channel_id, None)
                return interaction if time.monotonic() - since < TOKEN_LIFETIME else None
        return None

    async def finish_command(self, interaction: discord.Interaction) -> None:
        """The core is done with the command. If it posted nothing in the channel (it answered privately, or not
        at all), remove the placeholder rather than leave "thinking…" on screen."""
        queue = self._commands.get(str(interaction.channel_id))
        entry = next((e for e in queue or () if e[1] is interaction), None)
        if queue is None or entry is None:
            return
        queue.remove(entry)
        if not queue:
            self._commands.pop(str(interaction.channel_id), None)
        with suppress(discord.HTTPException):
            await interaction.delete_original_response()

    def add_press(self, interaction: discord.Interaction) -> Press:
        now = time.monotonic()
        for press_id in [k for k, p in self._presses.items() if now - p.created > TOKEN_LIFETIME]:
            del self._presses[press_id]
        press = self._presses[str(interaction.id)] = Press(interaction)
        return press

    def press(self, press_id: str) -> Press | None:
        return self._presses.get(press_id)

