"""Languages per community and per person, on the local adapter with a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

from adapters.local.world import LocalChat
from tests.scenario import Scenario

WELSH_ABOUT = "Fi yw cynorthwyydd cymorthfeydd"
ENGLISH_ABOUT = "I'm the surgery assistant"
WELCOME_CY = "Mae croeso i chi ysgrifennu atom yn Gymraeg"
WELCOME_EN = "You're welcome to write to us in Welsh"


def _groups(s: Scenario) -> tuple[LocalChat, LocalChat]:
    w = s.world
    hillside = w.add_group("Hillside Residents", owner=s.olu, admins=(s.ada,), members=(s.mo, s.priya))
    valley = w.add_group("Valley Residents", owner=s.olu, admins=(s.ada,), members=(s.mo, s.priya))
    return hillside, valley


async def test_each_community_is_answered_in_its_own_language(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        hillside, valley = _groups(s)
        for chat in (s.riverside, hillside, valley):
            await s.invite_and_join(chat)
        await s.say(s.ada, hillside, "/surgery language cy")
        assert s.last_text(hillside) == "O hyn ymlaen bydda i'n ysgrifennu yn y grŵp hwn yn Cymraeg."
        await s.say(s.ada, valley, "/surgery language both")
        for chat in (s.riverside, hillside, valley):
            await s.say(s.mo, chat, "/about")
        assert s.last_text(s.riverside).startswith(ENGLISH_ABOUT) and WELSH_ABOUT not in s.last_text(s.riverside)
        assert s.last_text(hillside).startswith(WELSH_ABOUT) and ENGLISH_ABOUT not in s.last_text(hillside)
        bilingual = s.last_text(valley)
        assert bilingual.startswith(WELSH_ABOUT) and bilingual.index(ENGLISH_ABOUT) > bilingual.index(WELSH_ABOUT)
        # A refusal speaks the group's language too.
        await s.say(s.mo, hillside, "/surgery language en")
        assert "Mae'n ddrwg gen i, mae'r gorchymyn hwnnw ar gyfer gweinyddwyr y grŵp yn unig." == s.last_text(hillside)
        await s.say(s.ada, hillside, "/surgery language klingon")
        assert "Defnyddiwch /surgery language en" in s.last_text(hillside)


async def test_a_welsh_group_surgery_is_announced_in_welsh_with_welsh_dates(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.ada, s.riverside, "/surgery language cy")
        await s.link_councillor(s.jane)
        await s.say(s.jane, s.riverside, "/surgery schedule 2026-11-27 18:00 45m Biniau")
        announcement = s.texts(s.riverside)[-2]
        assert announcement.startswith("📅 Cymhorthfa'r cyngor rhif 1 gyda Cllr Jane Smith: Gwen 27 Tach 2026, 18:00")
        assert "Pwnc: Biniau" in announcement
        await s.say(s.mo, s.riverside, "/surgery status")
        assert "wedi'i threfnu" in s.last_text(s.riverside)


async def test_a_private_chat_follows_the_platform_language_then_the_persons_choice(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        gwen = s.world.add_user("Gwen", locale="cy")
        nia = s.world.add_user("Nia", locale="fr")
        await s.dm(gwen, "/about")
        assert s.last_text(gwen).startswith(WELSH_ABOUT)
        await s.dm(nia, "/about")
        assert s.last_text(nia).startswith(ENGLISH_ABOUT)  # no Welsh or English locale: the council default
        await s.dm(gwen, "/language en")
        assert s.last_text(gwen) == "From now on I'll write to you in English."
        await s.dm(gwen, "/about")
        assert s.last_text(gwen).startswith(ENGLISH_ABOUT)
        await s.dm(nia, "/language cy")
        await s.dm(nia, "/about")
        assert s.last_text(nia).startswith(WELSH_ABOUT)
        await s.dm(nia, "/language both")
        assert s.last_text(nia) == "Defnyddiwch /language en neu /language cy."


async def test_someone_writing_in_welsh_is_answered_in_welsh_but_never_from_one_word(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await s.dm(s.mo, "/ask Pryd fydd y biniau yn cael eu casglu ar ein stryd ni?")
        assert "Allwn i ddim dod o hyd i gymhorthfa" in s.last_text(s.mo)
        await s.dm(s.priya, "/ask Diolch")
        assert "I couldn't find a surgery" in s.last_text(s.priya)
        await s.dm(s.priya, "/ask When will the bins on Heol y Bont be collected?")
        assert "I couldn't find a surgery" in s.last_text(s.priya)
        await s.dm(s.priya, "/appeal 4 Rwy'n credu bod y penderfyniad hwn yn anghywir")
        assert s.last_text(s.priya).startswith("Alla i ddim dod o hyd i achos rhif 4 amdanoch chi.")
        await s.dm(s.priya, "/about")  # one letter in Welsh doesn't change the language for good
        assert s.last_text(s.priya).startswith(ENGLISH_ABOUT)


async def test_a_welsh_or_bilingual_council_welcomes_welsh_in_about_and_the_transparency_notice(tmp_path) -> None:
    async with Scenario(tmp_path, council={"language": "both"}) as s:
        await s.invite_and_join()
        notice = next(t for t in s.texts(s.riverside) if t.startswith("📌"))
        assert WELCOME_CY in notice and WELCOME_EN in notice
        assert notice.index(WELCOME_CY) < notice.index(WELCOME_EN)
        await s.dm(s.mo, "/about")  # no choice, no platform language: the council's default, bilingual
        assert s.last_text(s.mo).startswith(WELSH_ABOUT) and WELCOME_EN in s.last_text(s.mo)
    async with Scenario(tmp_path / "english") as s:
        await s.dm(s.mo, "/about")
        assert WELCOME_EN not in s.last_text(s.mo)


async def test_the_demo_runs_in_welsh(tmp_path) -> None:
    from bot.demo import run_demo

    lines: list[str] = []
    await run_demo(tmp_path / "demo.db", out=lines.append, language="cy")
    transcript = "\n".join(lines)
    for expected in ("Mae'r gymhorthfa ar agor!", "(gofynnwyd yn ddienw)", "cwestiwn preifat", "wedi'i gyfuno",
                     "SRG-2026-000001", "wedi'i ohirio tan yn nes ymlaen", "Mae'r gymhorthfa wedi cau",
                     "Mae croeso i chi ysgrifennu atom yn Gymraeg", "bot still in Riverside Residents? False",
                     # the later chapters: a private answer, casework, the election period, the joint surgery
                     "✅ Cafodd rhif 6 ei ateb yn breifat.", "Ydych chi wedi cael ateb?  [Ydw | Nac ydw]",
                     "yn ystod y cyfnod cyn etholiad (Riverside ward by-election)", "21 Ionawr 2027",
                     "gyda Priya (swyddog y cyngor)", "Mae Priya (swyddog y cyngor) wedi derbyn",
                     "📍 gofynnwyd yn Parkside Parents", "Mae Parkside Parents wedi gadael cymhorthfa'r cyngor"):
        assert expected in transcript, expected
    bot_lines = [line for line in lines if "🤖 →" in line]
    for english in ("The surgery is open", "Thanks for your vote", "council officer", "pre-election period",
                    "has answered your question", "Did you get a reply", "has joined council surgery"):
        assert not any(english in line for line in bot_lines), english


async def test_a_welsh_or_bilingual_group_of_an_english_council_welcomes_welsh_too(tmp_path) -> None:
    async with Scenario(tmp_path) as s:  # the council's default is English
        hillside, valley = _groups(s)
        for chat in (s.riverside, hillside, valley):
            await s.invite_and_join(chat)
        await s.say(s.ada, hillside, "/surgery language cy")
        await s.say(s.ada, valley, "/surgery language both")
        for chat in (s.riverside, hillside, valley):
            await s.say(s.mo, chat, "/about")
        assert WELCOME_CY not in s.last_text(s.riverside) and WELCOME_EN not in s.last_text(s.riverside)
        assert WELCOME_CY in s.last_text(hillside)
        bilingual = s.last_text(valley)
        assert bilingual.index(WELCOME_CY) < bilingual.index(ENGLISH_ABOUT) < bilingual.index(WELCOME_EN)
        # A group set to Welsh that invites the bot back reads the welcome in its transparency notice too.
        await s.say(s.ada, hillside, "/surgery leave")
        s.clock.advance(timedelta(minutes=1))  # a new invitation, made after the group asked the bot to leave
        mark = len(hillside.messages)
        await s.invite_and_join(hillside)
        notice = next(m.text for m in hillside.messages[mark:] if m.sender_id == "1000" and m.text.startswith("📌"))
        assert notice.startswith("📌") and WELCOME_CY in notice
