"""The pure translation rules, on Bot API JSON decoded by PTB, without a network."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import ChatMemberRestricted, Update, User

from adapters.telegram.translate import BotIdentity, member_info, translate_update
from bot.events import MemberJoined, MessageReceived
from bot.rights import MemberStatus

BOT = BotIdentity(5000001, "surgery_test_bot")
NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
GROUP = {"id": -1001000000001, "type": "supergroup", "title": "Riverside", "is_forum": True}
MO = {"id": 7001, "is_bot": False, "first_name": "Mo"}


def translate(payload: dict) -> list:
    return translate_update(Update.de_json({"update_id": 1} | payload, None), BOT, NOW)


def message(**fields: object) -> dict:
    return {"message": {"message_id": 10, "date": 1764093600, "chat": GROUP, "from": MO} | fields}


def test_a_message_in_a_forum_topic_is_not_a_reply_to_the_topic() -> None:
    topic_start = {"message_id": 3, "date": 1764093000, "chat": GROUP, "from": MO,
                   "forum_topic_created": {"name": "Bins", "icon_color": 7322096}}
    [event] = translate(message(text="when?", message_thread_id=3, is_topic_message=True,
                                reply_to_message=topic_start))
    assert isinstance(event, MessageReceived) and event.reply_to is None


def test_a_caption_is_the_text_of_a_media_message() -> None:
    photo = [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]
    [event] = translate(message(photo=photo, caption="call me on 07700 900123"))
    assert isinstance(event, MessageReceived) and event.text == "call me on 07700 900123"


def test_other_service_messages_make_no_event() -> None:
    assert translate(message(new_chat_title="Riverside Residents")) == []


def test_several_joins_in_one_update_get_distinct_keys_and_the_bot_is_skipped() -> None:
    nia = {"id": 7002, "is_bot": False, "first_name": "Nia"}
    bot = {"id": 5000001, "is_bot": True, "first_name": "Surgery Bot"}
    events = translate(message(new_chat_members=[MO, bot, nia]))
    assert all(isinstance(e, MemberJoined) for e in events)
    assert [(e.user.id, e.update_key) for e in events] == [("7001", "telegram:1"), ("7002", "telegram:1:2")]


def test_a_restricted_user_who_left_is_not_present() -> None:
    member = ChatMemberRestricted(User(7001, "Mo", False), is_member=False, can_change_info=False,
                                  can_invite_users=False, can_pin_messages=False, can_send_messages=False,
                                  can_send_polls=False, can_send_other_messages=False,
                                  can_add_web_page_previews=False, can_manage_topics=False, until_date=NOW,
                                  can_send_audios=False, can_send_documents=False, can_send_photos=False,
                                  can_send_videos=False, can_send_video_notes=False, can_send_voice_notes=False,
                                  can_edit_tag=False, can_react_to_messages=False)
    assert member_info(member).status == MemberStatus.LEFT and not member_info(member).is_present
