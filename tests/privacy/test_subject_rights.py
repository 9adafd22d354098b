"""/mydata and /forgetme on the local adapter, and `surgerybot subject export|erase` over the same database: the
export holds everything about the person and nothing about anyone else; erasure leaves no personal text."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, or_, select
from typer.testing import CliRunner

from adapters.local.world import LocalUser
from bot.cli import app as cli
from bot.storage import sessions as store
from bot.storage.models import AuditRow, Community, ModerationCase
from facilitation.processing import REMOVED_TEXT
from tests.privacy.dbscan import containing, text_values
from tests.scenario import Scenario, point_cli_at
from tests.surgery.helpers import press, question_message, surgery_ready, vote

runner = CliRunner()

ZED_QUESTION = "Why is the damp at Flat 3, 22 Quince Road still not fixed?"
ZED_DRAFT = "Private: my landlord Mr Ossington threatened me"
ZED_EVIDENCE = "Zebedee's shouty message about Quince Road"
PRIYA_QUESTION = "When will the Larkspur playground reopen?"
PRIYA_EVIDENCE = "Priya's off-topic post about Larkspur"


async def resident(s: Scenario) -> LocalUser:
    zed = s.world.add_user("Zebedee Quigley")
    s.riverside.members.add(zed.id)
    return zed


async def add_case(s: Scenario, user: LocalUser, number: int, evidence: str) -> None:
    """Moderation cases are written by the moderation wiring; until it exists, insert them as it will."""
    async with s.db.unit_of_work() as session:
        community = await session.scalar(select(Community).where(Community.space_id == s.riverside.id))
        session.add(ModerationCase(community_id=community.id, number=number, action="warn", clause="heat",
                                   actor="bot", target_user_id=user.id, reason="cool down", evidence=evidence,
                                   created_at=s.clock.now()))


async def busy_resident(s: Scenario) -> LocalUser:
    """Zebedee asks, votes, is referred to casework, has a draft and a case; Priya does the same next to him."""
    zed = await resident(s)
    await surgery_ready(s, "today 18:30 1h Bins")
    await s.say(s.jane, s.riverside, "/surgery open")
    await s.say(zed, s.riverside, f"/ask {ZED_QUESTION}")
    await s.say(s.priya, s.riverside, f"/ask {PRIYA_QUESTION}")
    await vote(s, zed, s.riverside, 2)
    await vote(s, s.priya, s.riverside, 1)
    await vote(s, s.mo, s.riverside, 1)
    await s.say(s.jane, s.riverside, "/next")  # Zebedee's question (two votes) is live
    await s.say(s.jane, s.riverside, "/refer Housing officer to call")
    await s.dm(zed, f"/ask {ZED_DRAFT}")  # a private draft, waiting for its buttons
    await add_case(s, zed, 1, ZED_EVIDENCE)
    await add_case(s, s.priya, 2, PRIYA_EVIDENCE)
    return zed


def sent_file(s: Scenario, user: LocalUser) -> dict:
    [message] = [m for m in s.world.private_chat(user.id).messages if m.filename]
    return json.loads(message.content)


async def test_mydata_exports_everything_about_the_person_and_nothing_else(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        zed = await busy_resident(s)
        await s.dm(zed, "/mydata")
        export = sent_file(s, zed)
    assert export["controller"] == s.settings.council.name
    assert export["identities"] == [{"platform": "local", "user_id": zed.id}]
    assert [p["display_name"] for p in export["people"]] == ["Zebedee Quigley"]
    [question] = export["questions"]
    assert (question["text"], question["state"], question["community"]) == (ZED_QUESTION, "referred",
                                                                            "Riverside Residents")
    assert [(v["session"], v["question_number"]) for v in export["votes"]] == [(1, 2)]
    [case] = export["moderation_cases"]
    assert (case["evidence"], case["by"]) == (ZED_EVIDENCE, "an automatic rule")
    [referral] = export["casework_references"]
    assert referral["reference"].startswith("SRG-") and referral["question_number"] == 1
    assert [d["text"] for d in export["ask_drafts"]] == [ZED_DRAFT]
    assert export["activity_log"]  # the bot's replies to him, without content
    document = json.dumps(export)
    for other in (PRIYA_QUESTION, PRIYA_EVIDENCE, "Priya", "Olu", "Cllr Jane", s.priya.id, s.mo.id, s.jane.id):
        assert other not in document


async def test_a_facilitator_sees_their_role(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.dm(s.priya, "/mydata")
        export = sent_file(s, s.priya)
    [role] = export["facilitator_roles"]
    assert role["community"] == "Riverside Residents" and role["appointed_by"] == "a community admin"


async def test_mydata_and_forgetme_in_a_group_disclose_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        zed = await busy_resident(s)
        before = len(s.riverside.messages)
        await s.say(zed, s.riverside, "/mydata")
        assert "private chat" in s.last_text(s.riverside)
        await s.say(zed, s.riverside, "/forgetme")
        assert "private chat" in s.last_text(s.riverside)
        new = [m for m in s.riverside.messages[before:] if m.sender_id == "1000"]
        assert len(new) == 2 and not any(m.filename or m.buttons for m in new)
        assert not any(ZED_QUESTION in m.text for m in new)
        # A forget button pressed in a group (crafted) erases nothing.
        await s.adapter.press_button(zed, s.riverside, new[-1].id, "forget:confirm")
        assert containing(s.database_file, ZED_QUESTION)


async def test_a_person_with_no_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.dm(s.mo, "/mydata")
        assert "don't hold anything about you" in s.last_text(s.mo)
        await s.dm(s.mo, "/forgetme")
        assert "nothing left for me to erase" in s.last_text(s.mo)
        assert s.calls("send_file") == [] and not any(m.buttons for m in s.world.private_chat(s.mo.id).messages)


def personal_hits(s: Scenario, user: LocalUser) -> list:
    return containing(s.database_file, ZED_QUESTION, ZED_DRAFT, ZED_EVIDENCE, "Zebedee", "Quigley", "Quince",
                      "Ossington", "Housing officer to call")


def id_hits_outside_the_log(s: Scenario, user: LocalUser) -> list:
    return [(t, c, v) for t, c, v in text_values(s.database_file)
            if v in (user.id, f"user:{user.id}") and t != "audit_log"]


def audit_rows_naming(s: Scenario, user: LocalUser) -> list[AuditRow]:
    engine = create_engine(f"sqlite:///{s.database_file}")
    with engine.connect() as connection:
        rows = connection.execute(select(AuditRow.at, AuditRow.action).where(or_(
            AuditRow.actor == user.id, AuditRow.chat_id == user.id, AuditRow.target == f"user:{user.id}"))).all()
    engine.dispose()
    return rows


async def test_forgetme_during_an_open_session_with_the_question_live(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        zed = await resident(s)
        await surgery_ready(s, "today 18:30 1h Bins")
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.say(zed, s.riverside, f"/ask {ZED_QUESTION}")
        await s.say(s.priya, s.riverside, f"/ask {PRIYA_QUESTION}")
        await vote(s, zed, s.riverside, 2)
        await vote(s, s.mo, s.riverside, 1)
        await s.dm(zed, f"/ask {ZED_DRAFT}")
        await add_case(s, zed, 1, ZED_EVIDENCE)
        await s.say(s.jane, s.riverside, "/next")
        assert "Quince Road" in s.texts(s.riverside)[-1]  # live, and the asker has the floor
        assert personal_hits(s, zed) and audit_rows_naming(s, zed)

        await s.dm(zed, "/forgetme")
        assert "This erases what I hold about you" in s.last_text(zed)
        s.clock.advance(timedelta(seconds=5))
        await press(s, zed, s.world.private_chat(zed.id), "Erase my data")
        done = s.last_text(zed)
        assert "1 question anonymised" in done and "1 vote removed" in done
        assert "1 moderation case pseudonymised" in done and "1 draft removed" in done
        # The group's copy of the question loses the text and the name too.
        message = question_message(s, s.riverside, 1)
        assert REMOVED_TEXT in message.text and "Zebedee" not in message.text

        assert personal_hits(s, zed) == []
        assert id_hits_outside_the_log(s, zed) == []
        # Not even the bot's own replies after the erasure (its confirmation) name the private chat.
        assert audit_rows_naming(s, zed) == []

        # The session carries on: the live question is answered, the queue and the close still work.
        async with s.db.unit_of_work() as session:
            view = await store.get_session(session, 1)
            live = await store.question_by_id(session, view.live_question_id)
        assert (live.text, live.state.value, live.asker_user_id) == (REMOVED_TEXT, "live", None)
        await s.say(s.jane, s.riverside, "/answered")
        assert "answered" in s.last_text(s.riverside)
        await s.say(s.mo, s.riverside, "/queue")
        assert "Larkspur" in s.last_text(s.riverside)
        await s.say(s.jane, s.riverside, "/surgery close")
        assert any("The surgery is closed" in t for t in s.texts(s.riverside))

        # Twice: nothing left.
        await s.dm(zed, "/forgetme")
        assert "nothing left for me to erase" in s.last_text(zed)
        await s.dm(zed, "/mydata")
        assert "don't hold anything about you" in s.last_text(zed)
        assert personal_hits(s, zed) == []


async def test_cancel_keeps_everything(tmp_path) -> None:  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        zed = await busy_resident(s)
        await s.dm(zed, "/forgetme")
        await press(s, zed, s.world.private_chat(zed.id), "Keep it")
        assert "Nothing was erased" in s.last_text(zed)
        assert containing(s.database_file, ZED_QUESTION, ZED_DRAFT)


@pytest.fixture
async def busy_db(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    async with Scenario(tmp_path) as s:
        zed = await busy_resident(s)
    point_cli_at(monkeypatch, tmp_path, s.database_url)
    return s, zed


def test_operator_exports_and_erases_by_platform_and_user_id(busy_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s, zed = busy_db
    exported = runner.invoke(cli, ["subject", "export", "--platform", "local", "--user-id", zed.id])
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.output)
    assert document["questions"][0]["text"] == ZED_QUESTION and PRIYA_QUESTION not in exported.output

    target = tmp_path / "sar.json"
    written = runner.invoke(cli, ["subject", "export", "--platform", "local", "--user-id", zed.id,
                                  "--output", str(target)])
    assert written.exit_code == 0 and json.loads(target.read_text())["ask_drafts"][0]["text"] == ZED_DRAFT

    refused = runner.invoke(cli, ["subject", "erase", "--platform", "local", "--user-id", zed.id], input="n\n")
    assert refused.exit_code == 1 and personal_hits(s, zed)

    erased = runner.invoke(cli, ["subject", "erase", "--platform", "local", "--user-id", zed.id, "--yes", "--json"])
    assert erased.exit_code == 0, erased.output
    result = json.loads(erased.output)
    assert result["erased"] and result["counts"]["questions_anonymised"] == 1
    assert result["counts"]["casework_references_detached"] == 1
    assert personal_hits(s, zed) == [] and id_hits_outside_the_log(s, zed) == []
    assert containing(s.database_file, PRIYA_QUESTION, PRIYA_EVIDENCE)  # nobody else's data was touched

    again = runner.invoke(cli, ["subject", "erase", "--platform", "local", "--user-id", zed.id, "--yes"])
    assert again.exit_code == 0 and "nothing to erase" in again.output


def test_operator_input_errors(busy_db) -> None:  # type: ignore[no-untyped-def]
    bad = runner.invoke(cli, ["subject", "export", "--platform", "myspace", "--user-id", "1"])
    assert bad.exit_code == 1 and "Unknown platform" in bad.output
    empty = runner.invoke(cli, ["subject", "erase", "--platform", "telegram", "--user-id", " ", "--yes"])
    assert empty.exit_code == 1


async def test_an_erasure_from_the_cli_repaints_the_group_message_in_the_running_bot(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.subjects import SubjectService

    async with Scenario(tmp_path) as s:
        zed = await busy_resident(s)
        service = SubjectService(s.db, s.settings, s.clock)
        await service.erase("local", zed.id, requested_by="operator", repaint_later=True)
        assert ZED_QUESTION in question_message(s, s.riverside, 1).text
        await s.advance(timedelta(seconds=1))  # the running bot's timer loop picks it up
        assert REMOVED_TEXT in question_message(s, s.riverside, 1).text


async def test_the_language_choice_is_in_mydata_and_forgetme_erases_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.storage.models import LanguageChoice
    from config.messages import Messages

    cy = Messages("cy")
    async with Scenario(tmp_path) as s:
        await s.dm(s.mo, "/language cy")  # the only thing held about Mo
        await s.dm(s.mo, "/mydata")
        [choice] = sent_file(s, s.mo)["language_choice"]
        assert choice["language"] == "cy" and choice["chosen_at"]
        await s.dm(s.mo, "/forgetme")
        assert cy("data_item_language", language=cy("language_name_cy")) in s.last_text(s.mo)
        await press(s, s.mo, s.world.private_chat(s.mo.id), cy("forget_button_confirm"))
        assert cy("erased_language_choices_removed") in s.last_text(s.mo)
        async with s.db.read() as session:
            assert (await session.scalars(select(LanguageChoice))).all() == []
        await s.dm(s.mo, "/about")  # back to the council's default
        assert s.last_text(s.mo).startswith("I'm the surgery assistant")
        await s.dm(s.mo, "/mydata")
        assert "don't hold anything about you" in s.last_text(s.mo)
