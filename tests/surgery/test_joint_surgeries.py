"""Joint surgeries on the local adapter with a real SQLite file and a fake clock: a second group asks to join,
only the host councillor can accept, one queue labelled by group, votes from both chats, every announcement in
both, moderation per group, plain refusals, and leaving again."""

from __future__ import annotations

from datetime import timedelta

from adapters.local.world import BOT_USER_ID, LocalChat, LocalMessage, LocalUser
from bot.storage import sessions as store
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, surgery_ready


def _latest_with(chat: LocalChat, label: str) -> LocalMessage:
    for message in reversed(chat.messages):
        if any(b.label == label for b in message.buttons):
            return message
    raise AssertionError(f"no button {label!r} in {chat.title}")


async def _press(s: Scenario, user: LocalUser, chat: LocalChat, label: str) -> str:
    message = _latest_with(chat, label)
    data = next(b.data for b in message.buttons if b.label == label)
    await s.adapter.press_button(user, chat, message.id, data)
    return s.calls("answer_button")[-1].args["text"]


def _question_in(chat: LocalChat, number: int) -> LocalMessage:
    return next(m for m in chat.messages if m.sender_id == BOT_USER_ID and m.text.startswith(f"❓ #{number} "))


class Joint:
    """Riverside (where Jane schedules surgery #1) and Hilltop, whose admin Hana asks to join it."""

    def __init__(self, s: Scenario) -> None:
        self.s = s
        w = s.world
        self.hana, self.ken, self.lee = w.add_user("Hana"), w.add_user("Ken"), w.add_user("Lee")
        self.hilltop = w.add_group("Hilltop Tenants", owner=self.hana, admins=(), members=(self.ken, self.lee, s.jane))

    async def ready(self) -> None:
        s = self.s
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.invite_and_join(self.hilltop, by=self.hana)
        await s.say(self.hana, self.hilltop, "/surgery facilitator add @Lee")

    async def join(self) -> None:
        s = self.s
        await s.say(self.hana, self.hilltop, "/surgery join 1")
        assert "I've asked Cllr Jane Smith privately" in s.last_text(self.hilltop)
        jane_chat = s.world.private_chat(s.jane.id)
        assert "Hilltop Tenants on the local chat asks to join your council surgery #1" in s.last_text(jane_chat)
        assert await _press(s, s.jane, jane_chat, "Accept") == "Done."


async def test_a_group_joins_votes_and_hears_everything(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        j = Joint(s)
        await j.ready()
        # A question asked in Riverside before Hilltop joins gets its vote message in Hilltop on joining.
        await s.say(s.mo, s.riverside, "/ask When are the bins collected?")
        await j.join()
        hill = s.texts(j.hilltop)
        assert any("has joined council surgery #1" in t for t in hill)
        assert any("📅 Council surgery #1 with Cllr Jane Smith" in t for t in hill)
        assert [m.filename for m in j.hilltop.messages if m.filename] == ["surgery-1.ics"]
        assert any("Hilltop Tenants on the local chat has joined council surgery #1" in t
                   for t in s.texts(s.riverside))
        jane_chat = s.world.private_chat(s.jane.id)
        request = _latest_with_text(jane_chat, "has joined council surgery #1")
        assert request.buttons == ()

        mark_r, mark_h = len(s.riverside.messages), len(j.hilltop.messages)
        await s.say(s.jane, s.riverside, "/surgery open")
        assert any("The surgery is open" in t for t in bot_texts_since(s, j.hilltop, mark_h))
        await s.say(j.ken, j.hilltop, "/ask Can the lifts be fixed?")
        # One queue, each question labelled with its group, in both chats.
        first_h, second_r = _question_in(j.hilltop, 1), _question_in(s.riverside, 2)
        assert "asked in Riverside Residents" in first_h.text
        assert "asked in Hilltop Tenants" in second_r.text
        # Votes from both chats count for the same question; every copy shows the count.
        await s.adapter.press_button(j.ken, j.hilltop, first_h.id, first_h.buttons[0].data)
        first_r = _question_in(s.riverside, 1)
        await s.adapter.press_button(s.priya, s.riverside, first_r.id, first_r.buttons[0].data)
        assert first_r.buttons[0].label == "👍 2" and _question_in(j.hilltop, 1).buttons[0].label == "👍 2"
        await s.say(j.ken, j.hilltop, "/queue")
        queue = s.last_text(j.hilltop)
        assert "Riverside Residents" in queue and "Hilltop Tenants" in queue and "Questions waiting: 2" in queue

        await s.say(s.jane, s.riverside, "/next")
        for chat, mark in ((s.riverside, mark_r), (j.hilltop, mark_h)):
            assert any("🎤 Next, #1 from Mo" in t for t in bot_texts_since(s, chat, mark))
        # The host may run the queue from any joined chat.
        await s.say(s.jane, j.hilltop, "/answered")
        assert "✅" in _question_in(s.riverside, 1).text and "✅" in _question_in(j.hilltop, 1).text
        await s.say(s.jane, s.riverside, "/surgery close")
        for chat in (s.riverside, j.hilltop):
            assert "The surgery is closed" in s.last_text(chat)
        async with s.db.unit_of_work() as tx:
            report = await store.stored_report(tx, 1)
        assert report is not None
        assert sorted(report["communities"]) == ["Hilltop Tenants", "Riverside Residents"]
        assert [q["community"] for q in report["questions"]] == ["Riverside Residents", "Hilltop Tenants"]


def _latest_with_text(chat: LocalChat, text: str) -> LocalMessage:
    return next(m for m in reversed(chat.messages) if text in m.text)


async def test_moderation_stays_with_each_group(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        j = Joint(s)
        await j.ready()
        await j.join()
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.say(s.mo, s.riverside, "/ask Riverside question")
        await s.say(j.ken, j.hilltop, "/ask Hilltop question")
        # Lee facilitates Hilltop: not the whole queue, not Riverside's questions, but Hilltop's own.
        await s.say(j.lee, j.hilltop, "/next")
        assert "only" in s.last_text(j.hilltop)
        await s.say(j.lee, j.hilltop, "/park #1")
        assert "asked in another group" in s.last_text(j.hilltop)
        await s.say(j.lee, j.hilltop, "/park #2 later")
        assert "parked" in s.last_text(j.hilltop).lower()
        await s.say(j.lee, j.hilltop, "/surgery close")
        assert "only" in s.last_text(j.hilltop)
        # Priya facilitates Riverside, where the surgery was scheduled: she may steer it.
        await s.say(s.priya, s.riverside, "/next")
        assert "🎤 Next, #1" in s.last_text(s.riverside)


async def test_only_the_host_accepts_and_refusals_are_plain(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        j = Joint(s)
        await j.ready()
        await s.say(j.ken, j.hilltop, "/surgery join 1")
        assert "group admins only" in s.last_text(j.hilltop)
        for typed, expected in (("/surgery join 9", "There's no council surgery #9"),
                                ("/surgery join ²", "Say which surgery"),
                                ("/surgery join", "Say which surgery"),
                                ("/surgery part", "hasn't joined anyone else's surgery")):
            await s.say(j.hana, j.hilltop, typed)
            assert expected in s.last_text(j.hilltop), typed
        await s.say(s.ada, s.riverside, "/surgery join 1")
        assert "scheduled in this group" in s.last_text(s.riverside)

        await s.say(j.hana, j.hilltop, "/surgery join 1")
        jane_chat = s.world.private_chat(s.jane.id)
        request = _latest_with(jane_chat, "Accept")
        accept = next(b.data for b in request.buttons if b.label == "Accept")
        # Priya facilitates the first group, but the councillor's consent is the councillor's alone.
        await s.adapter.press_button(s.priya, s.world.private_chat(s.priya.id), request.id, accept)
        assert s.calls("answer_button")[-1].args["text"] == "That button isn't for you."
        async with s.db.unit_of_work() as tx:
            assert (await store.get_session(tx, 1)).community_ids == (1,)  # type: ignore[union-attr]
        assert await _press(s, s.jane, jane_chat, "Decline") == "Done."
        assert "couldn't take this group" in s.last_text(j.hilltop)

        await s.say(j.hana, j.hilltop, "/surgery join 1")
        assert await _press(s, s.jane, jane_chat, "Accept") == "Done."
        await s.say(j.hana, j.hilltop, "/surgery join 1")
        assert "already joined council surgery #1" in s.last_text(j.hilltop)
        # The first group can't "part" its own surgery; the joined one can.
        await s.say(s.ada, s.riverside, "/surgery part")
        assert "scheduled here" in s.last_text(s.riverside)
        await s.say(j.hana, j.hilltop, "/surgery part")
        assert "has left council surgery #1" in s.last_text(j.hilltop)
        assert "Hilltop Tenants has left council surgery #1" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery cancel")
        assert "is cancelled" in s.last_text(s.riverside) and "is cancelled" not in s.last_text(j.hilltop)

        s.clock.advance(timedelta(minutes=1))  # Hana has used up her burst of commands
        await s.say(j.hana, j.hilltop, "/surgery join 1")
        assert "is over" in s.last_text(j.hilltop)


async def test_unanswered_questions_go_to_their_own_groups_next_surgery(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        j = Joint(s)
        await j.ready()
        await s.link_councillor(j.lee, "Cllr Lee Park")
        await s.say(j.lee, j.hilltop, "/surgery schedule tomorrow 18:00 1h Lifts")  # Hilltop's own, #2
        await j.join()
        await s.say(s.mo, s.riverside, "/ask Riverside question")
        await s.say(j.ken, j.hilltop, "/ask Hilltop question")
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.say(s.jane, s.riverside, "/surgery close")
        async with s.db.unit_of_work() as tx:
            carried = await store.questions(tx, 2)
        # Only Hilltop's question moves to Hilltop's own surgery with its own councillor; Riverside's doesn't.
        assert [q.text for q in carried] == ["Hilltop question"]
        assert "moves to the next surgery" in s.last_text(j.ken)
        assert "follow it up" in s.last_text(s.mo)
