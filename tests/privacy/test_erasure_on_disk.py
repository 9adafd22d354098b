"""Erasure that leaves nothing on disk (issue 16, item 8): after /forgetme, neither the SQLite file nor its
write-ahead log holds the person's words or id, byte for byte; the bot's replies to the erasure (the button's
answer, the edited confirmation) are pseudonymised too."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, or_, select

from bot.storage import sessions as session_store
from bot.storage.models import AuditRow, ModerationCase
from tests.moderation.helpers import community_with_facilitators
from tests.scenario import Scenario
from tests.surgery.helpers import press, surgery_ready

QUESTION = "Why is the damp at Flat 3, 22 Quince Road still not fixed?"
DRAFT = "Private: my landlord Mr Ossington threatened me"
NAME = "Zebedee Quigley"
ZED_ID = "777000555333"


def on_disk(database: Path, needle: str) -> list[str]:
    """Which of the database's files hold `needle` (UTF-8 bytes), read raw: free pages and WAL frames too."""
    files = [database, database.with_name(database.name + "-wal")]
    return [f.name for f in files if f.exists() and needle.encode() in f.read_bytes()]


async def test_forgetme_leaves_no_text_or_id_in_the_database_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        zed = s.world.add_user(NAME, ZED_ID)
        s.riverside.members.add(zed.id)
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.say(zed, s.riverside, f"/ask {QUESTION}")
        await s.dm(zed, f"/ask {DRAFT}")
        for needle in (QUESTION, DRAFT, ZED_ID):
            assert on_disk(s.database_file, needle), f"the test needs {needle!r} stored first"

        await s.dm(zed, "/forgetme")
        await press(s, zed, s.world.private_chat(zed.id), "Erase my data")
        assert "anonymised" in s.last_text(zed)
        await s.db.checkpoints_done()  # the one the erasure started, while the bot keeps running

        for needle in (QUESTION, DRAFT, "Quince Road", "Ossington", NAME, ZED_ID):
            assert on_disk(s.database_file, needle) == [], f"{needle!r} is still on disk"
        engine = create_engine(f"sqlite:///{s.database_file}")
        with engine.connect() as connection:
            naming = connection.execute(select(AuditRow.action).where(or_(
                AuditRow.actor == ZED_ID, AuditRow.chat_id == ZED_ID, AuditRow.target == f"user:{ZED_ID}"))).all()
        engine.dispose()
        assert naming == []  # not even the bot's answer to the button, nor the edited confirmation


async def test_facilitators_are_asked_to_review_the_reasons_they_typed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        zed = s.world.add_user(NAME, ZED_ID)
        s.riverside.members.add(zed.id)
        await community_with_facilitators(s)
        await s.say(s.priya, s.riverside, f"/warn {ZED_ID} Zebedee from Flat 3 Quince Road, shouting")
        assert "Case #1" in s.last_text(s.riverside)
        await s.dm(zed, "/forgetme")
        await press(s, zed, s.world.private_chat(zed.id), "Erase my data")
        [note] = [t for t in s.texts(s.priya) if "asked me to erase their data" in t]
        assert "#1" in note and "/redact 1" in note and "Quince" not in note  # the reason isn't repeated
        assert on_disk_reason(s) == "Zebedee from Flat 3 Quince Road, shouting"
        await s.say(s.mo, s.riverside, "/redact 1")
        assert on_disk_reason(s) != ""  # facilitators only
        await s.say(s.priya, s.riverside, "/redact 1")
        assert "reason is cleared" in s.last_text(s.riverside)
        assert on_disk_reason(s) == ""
        await s.db.checkpoints_done()


def on_disk_reason(s: Scenario) -> str:
    engine = create_engine(f"sqlite:///{s.database_file}")
    with engine.connect() as connection:
        reason = connection.execute(select(ModerationCase.reason).where(ModerationCase.number == 1)).scalar_one()
    engine.dispose()
    return reason


async def test_an_officer_host_forgotten_leaves_no_name_or_id_on_disk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A facilitator who hosted a surgery as a council officer: the name and account kept to announce and reach
    them go, from the session and from the report stored at close; the surgery stays, by "a council officer"."""
    async with Scenario(tmp_path) as s:
        zed = s.world.add_user(NAME, ZED_ID)
        s.riverside.members.add(zed.id)
        await s.invite_and_join()
        await s.say(zed, s.riverside, "Happy to help run surgeries here.")
        await s.say(s.ada, s.riverside, "/surgery facilitator add", reply_to=s.riverside.messages[-1])
        await s.say(zed, s.riverside, "/surgery schedule today 18:30 1h Bins")
        await s.say(zed, s.riverside, "/surgery open")
        await s.say(zed, s.riverside, "/surgery close")
        for needle in (NAME, ZED_ID):
            assert on_disk(s.database_file, needle), f"the test needs {needle!r} stored first"

        await s.dm(zed, "/forgetme")
        await press(s, zed, s.world.private_chat(zed.id), "Erase my data")
        assert "1 surgery you hosted now names “a council officer”" in s.last_text(zed)
        await s.db.checkpoints_done()
        for needle in (NAME, ZED_ID):
            assert on_disk(s.database_file, needle) == [], f"{needle!r} is still on disk"
        async with s.db.read() as tx:
            report = await session_store.stored_report(tx, 1)
        assert report is not None and report["host"] == "a council officer"
