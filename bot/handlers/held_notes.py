"""Handing over private notes that were held because the person could not be reached privately at the time
(bot/storage/held_notes.py): when they /start the bot privately, each is sent, and forgotten once delivered."""

from __future__ import annotations

from bot.actions import ActionResult, FollowUp, SendMessage, Step
from bot.context import Context
from bot.refs import UserRef
from bot.storage import held_notes


async def deliver_held(ctx: Context, user: UserRef) -> list[Step]:
    async with ctx.db.unit_of_work() as tx:
        found = await held_notes.held_for(tx, str(user.platform), user.id)
    if not found:
        return []
    intro = SendMessage(target=user, text=ctx.messages("held_notes_intro", n=len(found)), reason="held notes",
                        hold_if_unreachable=False)
    # Not held again if this delivery fails too: the stored note stays until one gets through.
    notes = tuple(SendMessage(target=user, text=note.text, buttons=note.buttons, reason=f"held: {note.reason}"[:64],
                              hold_if_unreachable=False) for note in found)

    async def forget_delivered(results: list[ActionResult]) -> list[Step]:
        delivered = [note.id for note, result in zip(found, results[1:], strict=False) if result.ok]
        async with ctx.db.unit_of_work() as tx:
            await held_notes.release(tx, delivered)
        return []

    return [FollowUp((intro, *notes), forget_delivered)]
