"""Every message in the language of whoever reads it, on the local adapter with a real SQLite file: what a timer
posts follows each group's setting (one timer, two groups, two languages), a private note sent during a group
event follows the recipient's own choice rather than the group's, and a bilingual group's composite messages
read all their Welsh before any English."""

from __future__ import annotations

from datetime import timedelta

from adapters.local.world import LocalChat, LocalUser
from config.messages import Messages
from tests.moderation.helpers import community_with_facilitators
from tests.scenario import Scenario
from tests.surgery.helpers import bot_texts_since, surgery_ready
from tests.surgery.test_joint_surgeries import Joint

OPEN_EN, OPEN_CY = "The surgery is open", "Mae'r gymhorthfa ar agor"
CLOSING_EN, CLOSING_CY = "⏳ The surgery closes in 5 minutes.", "⏳ Mae'r gymhorthfa'n cau ymhen 5 munud."


def _private(s: Scenario, user: LocalUser) -> LocalChat:
    return s.world.private_chat(user.id)


async def test_one_timer_speaks_each_groups_language(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        joint = Joint(s)
        await joint.ready()  # surgery #1 in Riverside at 18:30 (English, the council's default)
        await joint.join()  # Hilltop joins it
        await s.say(joint.hana, joint.hilltop, "/surgery language cy")
        mark_r, mark_h = len(s.riverside.messages), len(joint.hilltop.messages)
        await s.advance(timedelta(minutes=30))  # the surgery opens by itself
        riverside, hilltop = bot_texts_since(s, s.riverside, mark_r), bot_texts_since(s, joint.hilltop, mark_h)
        assert any(OPEN_EN in t for t in riverside) and not any(OPEN_CY in t for t in riverside), riverside
        assert any(OPEN_CY in t for t in hilltop) and not any(OPEN_EN in t for t in hilltop), hilltop
        await s.advance(timedelta(minutes=55))  # five minutes before the end
        assert s.last_text(s.riverside) == CLOSING_EN
        assert s.last_text(joint.hilltop) == CLOSING_CY


async def test_a_timers_private_note_follows_its_readers_choice(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)  # Riverside, English
        await s.dm(s.jane, "/language cy")
        await s.advance(timedelta(minutes=30))
        await s.say(s.mo, s.riverside, "/ask When will the bins on Mill Lane be collected?")
        await s.say(s.jane, s.riverside, "/next")
        assert "🎤 Next, #1" in s.last_text(s.riverside)
        await s.advance(timedelta(minutes=5))  # the question's time box: the host is nudged privately
        assert s.last_text(_private(s, s.jane)).startswith("⏱ Mae cwestiwn rhif 1 wedi bod yn fyw ers 5 munud.")


async def test_a_private_moderation_note_follows_the_residents_choice_not_the_groups(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)  # Riverside, English; Priya facilitates
        await s.dm(s.mo, "/language cy")
        await s.say(s.priya, s.riverside, "/warn @Mo please keep it civil")
        assert s.last_text(s.riverside).startswith("⚠️ Case #1: that member has a warning.")
        assert s.last_text(_private(s, s.mo)) == (
            "Rydych chi wedi cael rhybudd yn Riverside Residents (achos rhif 1): please keep it civil. Os ydych "
            "chi'n meddwl ei fod yn anghywir, anfonwch /appeal 1 ataf a'r rheswm.")
        # And the other way round: a Welsh group, a resident who chose English.
        await s.say(s.ada, s.riverside, "/surgery language cy")
        await s.dm(s.mo, "/language en")
        await s.say(s.priya, s.riverside, "/warn @Mo again")
        assert s.last_text(s.riverside).startswith("⚠️ Achos rhif 2: mae")
        assert s.last_text(_private(s, s.mo)).startswith("You've had a warning in Riverside Residents (case #2): again.")


async def test_a_dismissed_askers_reason_follows_their_choice(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await surgery_ready(s)
        await s.say(s.jane, s.riverside, "/surgery open")
        await s.dm(s.mo, "/language cy")
        await s.say(s.mo, s.riverside, "/ask Can we talk about the football results?")
        await s.say(s.jane, s.riverside, "/dismiss #1 not a council matter")
        assert s.last_text(s.riverside).endswith("set aside.")
        assert s.last_text(_private(s, s.mo)) == (
            "Rhoddodd y gwesteiwr eich cwestiwn rhif 1 o'r neilltu (not a council matter). Diolch am ofyn.")


async def test_a_bilingual_groups_composite_messages_read_all_welsh_then_all_english(tmp_path) -> None:
    async with Scenario(tmp_path) as s:
        await community_with_facilitators(s)
        await s.say(s.ada, s.riverside, "/surgery language both")
        cy, en = Messages("cy"), Messages("en")
        mark = len(s.riverside.messages)
        await s.say(s.ada, s.riverside, "/surgery policy")
        policy = "\n".join(bot_texts_since(s, s.riverside, mark))  # long enough to come in parts
        welsh_end = policy.index(cy("policy_footer"))
        assert policy.startswith(cy("policy_title", version=1, status=cy("policy_status_unapproved")))
        assert policy.index(en("policy_title", version=1, status=en("policy_status_unapproved"))) > welsh_end
        await s.say(s.ada, s.riverside, "/surgery policy set")  # every key, one line each
        listing = s.last_text(s.riverside)
        assert listing.index(en("policy_settings_header")) > listing.rindex(cy("policy_takes_switch"))
        await s.say(s.priya, s.riverside, "/warn @Mo please keep it civil")
        await s.say(s.priya, s.riverside, "/cases")  # a composite sent privately to Priya: the council's English
        assert s.last_text(_private(s, s.priya)).startswith("Latest moderation cases in Riverside Residents:")


async def test_a_group_event_nobody_sent_speaks_the_groups_language(tmp_path) -> None:
    from bot.events import BotRightsChanged
    from bot.refs import ChatRef, Platform
    from bot.rights import MemberRights

    async with Scenario(tmp_path) as s:
        await s.invite_and_join()
        await s.say(s.ada, s.riverside, "/surgery language cy")
        await s.adapter.deliver(BotRightsChanged(update_key="rights-1", occurred_at=s.clock.now(),
                                                 chat=ChatRef(Platform.LOCAL, s.riverside.id),
                                                 bot_rights=MemberRights(delete_messages=True)))
        cy = Messages("cy")
        assert s.last_text(s.riverside).startswith(cy("reduced_rights", missing="", features="").split(":")[0])
