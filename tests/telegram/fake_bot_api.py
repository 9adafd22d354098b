"""A fake Telegram Bot API on 127.0.0.1: the methods the adapter uses, over HTTP, on a small world; it records
every call, queues updates for `getUpdates` (or posts them to a webhook) and can be told to fail."""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from aiohttp import web

from tests.telegram.fake_world import BOT_ID, PERMISSIONS, FakeChat, FakeMember, FakeMessage, FakeUser, FakeWorld, \
    all_rights

TOKEN = "5000001:AAFakeTokenThatMustNeverBeLogged_x9Z"
# Without allowed_updates, Telegram sends every type except these.
DEFAULT_EXCLUDED = {"chat_member", "message_reaction", "message_reaction_count"}
STRING_PARAMS = {"text", "caption", "callback_query_id", "url", "secret_token", "parse_mode", "filename"}
MAX_TEXT = 4096
FOREVER_LOW, FOREVER_HIGH = 30, 366 * 86400


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Call:
    method: str
    params: dict
    at: int = 0  # the fake's clock (a Unix time) when it answered: after any hold, before any failure


class Hold:
    """Calls of one method (to one chat, if given) kept waiting: recorded, but unanswered until `release()`."""

    def __init__(self, method: str, chat_id: int | None, once: bool) -> None:
        self.method, self.chat_id, self.once = method, chat_id, once
        self.calls: list[Call] = []
        self.arrived = asyncio.Event()
        self._released = asyncio.Event()

    def catches(self, call: Call) -> bool:
        if self._released.is_set() or call.method != self.method or (self.once and self.calls):
            return False
        return self.chat_id is None or str(call.params.get("chat_id")) == str(self.chat_id)

    async def wait(self, call: Call) -> None:
        self.calls.append(call)
        self.arrived.set()
        await self._released.wait()

    def release(self) -> None:
        self._released.set()


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeBotApi:
    def __init__(self, now: Callable[[], datetime] | None = None, token: str = TOKEN) -> None:
        self.token = token
        self.now = now or (lambda: datetime.now(UTC))
        self.world = FakeWorld()
        self.calls: list[Call] = []
        self.updates: deque[dict] = deque()
        self.allowed_updates: list[str] | None = None
        self.webhook: dict | None = None
        self.commands: dict[str, list[dict]] = {}
        self.answered: dict[str, str | None] = {}  # callback query id -> text
        self._failures: dict[str, deque[ApiError]] = defaultdict(deque)
        self._holds: list[Hold] = []
        self._raw: dict[str, deque[dict]] = defaultdict(deque)
        self._update_ids = itertools.count(880001)
        self._query_ids = itertools.count(1)
        self._pending_queries: set[str] = set()
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- server ------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self._new_update.set()
        for hold in self._holds:
            hold.release()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        hold = next((h for h in self._holds if h.catches(call)), None)
        if hold is not None:
            await hold.wait(call)
        call.at = self._date()
        raw = self._raw.get(method)
        if raw:
            return web.json_response(raw.popleft())
        try:
            failures = self._failures.get(method)
            if failures:
                raise failures.popleft()
            handler = getattr(self, f"api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as error:
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return web.json_response(body, status=error.code)
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    async def _params(request: web.Request) -> dict:
        form = await request.post() if request.can_read_body else {}
        params: dict = dict(request.query)
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = (value.filename, value.file.read())
            elif key in STRING_PARAMS:
                params[key] = value
            else:
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    params[key] = value
        return params

    # -- test controls ---------------------------------------------------------------------------------------

    def fail(self, method: str, code: int, description: str, *, parameters: dict | None = None,
             times: int = 1) -> None:
        """Make the next `times` calls of `method` fail as Telegram would."""
        for _ in range(times):
            self._failures[method].append(ApiError(code, description, parameters))

    def hold(self, method: str, *, chat_id: int | None = None, once: bool = True) -> Hold:
        """Keep the next call of `method` (to `chat_id`, if given; every such call until released, unless
        `once`) in flight: recorded at once, answered only after `release()`. A test can then act while the bot
        waits on the platform: kill it, or watch other chats go on."""
        hold = Hold(method, chat_id, once)
        self._holds.append(hold)
        return hold

    def respond_raw(self, method: str, body: dict) -> None:
        """Answer the next call of `method` with `body` as it is, even if no real server would send it."""
        self._raw[method].append(body)

    def calls_named(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def _date(self) -> int:
        return int(self.now().timestamp())

    def push(self, kind: str, payload: dict) -> int:
        """Queue an update; with a webhook set, Telegram would post it instead (see `deliver_webhooks`)."""
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, kind: payload})
        self._new_update.set()
        if self.webhook is not None:
            asyncio.get_running_loop().create_task(self._post_webhooks())
        return update_id

    async def _post_webhooks(self) -> None:
        assert self.webhook is not None
        async with aiohttp.ClientSession() as session:
            while self.updates:
                update = self.updates.popleft()
                if not self._allowed(update):
                    continue
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token") or ""}
                async with session.post(self.webhook["url"], json=update, headers=headers) as response:
                    self.webhook.setdefault("statuses", []).append(response.status)

    # -- people acting (each returns the update id) ---------------------------------------------------------

    def post(self, user: FakeUser | None, chat: FakeChat, text: str, *, reply_to: int | None = None,
             sender_chat: FakeChat | None = None, extra: dict | None = None) -> FakeMessage:
        message = FakeMessage(chat.next_message_id(), chat.id, self._date(), user.id if user else None, text,
                              sender_chat_id=sender_chat.id if sender_chat else None, reply_to=reply_to)
        chat.messages[message.id] = message
        return message

    def user_sends(self, user: FakeUser | None, chat: FakeChat, text: str, *, reply_to: int | None = None,
                   sender_chat: FakeChat | None = None, entities: list[dict] | None = None) -> int:
        if chat.type == "private":
            self.world.started.add(chat.id)
        message = self.post(user, chat, text, reply_to=reply_to, sender_chat=sender_chat)
        payload = self.world.message_json(message)
        if entities:
            payload["entities"] = payload.get("entities", []) + entities
        return self.push("message", payload)

    def user_edits(self, chat: FakeChat, message_id: int, text: str) -> int:
        message = chat.messages[message_id]
        message.text = text
        payload = self.world.message_json(message) | {"edit_date": self._date()}
        return self.push("edited_message", payload)

    def press_button(self, user: FakeUser, chat: FakeChat, message_id: int, data: str) -> tuple[int, str]:
        message = chat.messages[message_id]
        datas = [button.get("callback_data") for row in (message.buttons or []) for button in row]
        assert data in datas, f"message {message_id} has no button {data!r}"
        query_id = f"cbq{next(self._query_ids)}"
        self._pending_queries.add(query_id)
        payload = {"id": query_id, "from": user.json(), "chat_instance": f"ci{chat.id}", "data": data,
                   "message": self.world.message_json(message)}
        return self.push("callback_query", payload), query_id

    def _member_update(self, chat: FakeChat, by: FakeUser, user: FakeUser, old: FakeMember,
                       new: FakeMember) -> dict:
        return {"chat": chat.json(), "from": by.json(), "date": self._date(), "old_chat_member": old.json(user),
                "new_chat_member": new.json(user)}

    def set_bot_member(self, chat: FakeChat, by: FakeUser, new: FakeMember, *, service_message: bool = True) -> int:
        """The bot's own membership changes (added, promoted, removed): my_chat_member, as Telegram reports it."""
        old = chat.member(BOT_ID)
        chat.members[BOT_ID] = new
        if service_message and new.present and not old.present:
            joined = self.post(by, chat, "")
            self.push("message", self.world.message_json(joined) | {"new_chat_members": [self.world.bot.json()]})
        return self.push("my_chat_member", self._member_update(chat, by, self.world.bot, old, new))

    def add_bot(self, chat: FakeChat, by: FakeUser, *, admin: bool = True) -> int:
        return self.set_bot_member(chat, by, FakeMember("administrator", rights=all_rights()) if admin
                                   else FakeMember("member"))

    def remove_bot(self, chat: FakeChat, by: FakeUser) -> int:
        return self.set_bot_member(chat, by, FakeMember("kicked"))

    def member_joins(self, chat: FakeChat, user: FakeUser) -> tuple[int, int]:
        """Telegram reports a join twice: a service message, and (to admins that asked) a chat_member update."""
        old = chat.member(user.id)
        chat.members[user.id] = FakeMember("member")
        joined = self.post(user, chat, "")
        first = self.push("message", self.world.message_json(joined) | {"new_chat_members": [user.json()]})
        second = self.push("chat_member", self._member_update(chat, user, user, old, chat.members[user.id]))
        return first, second

    def member_leaves(self, chat: FakeChat, user: FakeUser) -> int:
        old = chat.member(user.id)
        chat.members[user.id] = FakeMember("left", is_member=False)
        return self.push("chat_member", self._member_update(chat, user, user, old, chat.members[user.id]))

    def migrate(self, chat: FakeChat, *, tell_the_bot: bool = True) -> tuple[FakeChat, int]:
        """Upgrade a basic group to a supergroup: a new id, the old one answers "upgraded" from now on. Without
        `tell_the_bot`, no update says so (one the bot missed): only calls to the old id find out."""
        new = FakeChat(-(1001000000000 + abs(chat.id)), "supergroup", chat.title, members=dict(chat.members))
        self.world.chats[new.id] = new
        chat.migrated_to = new.id
        if not tell_the_bot:
            return new, 0
        anyone = next(uid for uid, m in chat.members.items() if m.status == "creator")
        moved = self.post(self.world.users[anyone], chat, "")
        first = self.push("message", self.world.message_json(moved) | {"migrate_to_chat_id": new.id})
        arrived = self.post(self.world.users[anyone], new, "")
        self.push("message", self.world.message_json(arrived) | {"migrate_from_chat_id": chat.id})
        return new, first

    # -- questions tests ask ----------------------------------------------------------------------------------

    def bot_messages(self, chat_id: int) -> list[FakeMessage]:
        chat = self.world.chats.get(chat_id)
        return [m for m in chat.messages.values() if m.from_id == BOT_ID and not m.deleted] if chat else []

    # -- the Bot API methods -----------------------------------------------------------------------------------

    def _chat(self, chat_id: object) -> FakeChat:
        """The chat, as the bot may use it, or the error Telegram gives."""
        try:
            chat = self.world.chats.get(int(chat_id))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            chat = None
        if chat is None:
            if isinstance(chat_id, int) and chat_id in self.world.users and chat_id > 0:
                if chat_id not in self.world.started:
                    raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
                chat = self.world.private_chat(chat_id)
            else:
                raise ApiError(400, "Bad Request: chat not found")
        if chat.migrated_to is not None:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": chat.migrated_to})
        if chat.type == "private":
            if chat.id in self.world.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            return chat
        bot = chat.member(BOT_ID)
        kind = "supergroup" if chat.type == "supergroup" else "group"
        if bot.status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if not bot.present:
            raise ApiError(403, f"Forbidden: bot is not a member of the {kind} chat")
        return chat

    @staticmethod
    def _bot_may(chat: FakeChat, right: str) -> bool:
        if chat.type == "private":
            return True
        bot = chat.member(BOT_ID)
        return bot.status == "creator" or (bot.status == "administrator" and bot.rights.get(right, False))

    def _message(self, chat: FakeChat, message_id: object, missing: str) -> FakeMessage:
        message = chat.messages.get(int(message_id))  # type: ignore[arg-type]
        if message is None or message.deleted:
            raise ApiError(400, f"Bad Request: {missing}")
        return message

    def _target(self, chat: FakeChat, user_id: object) -> FakeMember:
        if chat.type == "group":
            raise ApiError(400, "Bad Request: method is available only for supergroups")
        if not self._bot_may(chat, "can_restrict_members"):
            raise ApiError(400, "Bad Request: not enough rights to restrict/unrestrict chat member")
        if int(user_id) not in self.world.users:  # type: ignore[arg-type]
            raise ApiError(400, "Bad Request: user not found")
        member = chat.member(int(user_id))  # type: ignore[arg-type]
        if member.status == "creator":
            raise ApiError(400, "Bad Request: can't remove chat owner")
        if member.status == "administrator":
            raise ApiError(400, "Bad Request: user is an administrator of the chat")
        return member

    def _until(self, value: object) -> int:
        """Telegram's trap: a restriction under 30 s or over 366 days from now is forever (0)."""
        until = int(value or 0)  # type: ignore[arg-type]
        span = until - self._date()
        return 0 if until and not FOREVER_LOW <= span <= FOREVER_HIGH else until

    @staticmethod
    def _visible_text(text: str, parse_mode: str | None) -> str:
        if parse_mode is None:
            return text
        if parse_mode != "HTML":
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
        if re.search(r"<(?!/?(b|i|u|s|a|code|pre|strong|em)\b)", text):
            raise ApiError(400, "Bad Request: can't parse entities: unsupported start tag")
        return html.unescape(re.sub(r"</?[a-z]+[^>]*>", "", text))

    @staticmethod
    def _keyboard(markup: object) -> list | None:
        if not markup:
            return None
        rows = markup["inline_keyboard"]  # type: ignore[index]
        for row in rows:
            for button in row:
                if len(button.get("callback_data", "").encode()) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return rows

    async def api_getMe(self, params: dict) -> dict:
        return self.world.bot.json() | {"can_join_groups": True, "can_read_all_group_messages": False,
                                         "supports_inline_queries": False}

    async def api_deleteWebhook(self, params: dict) -> bool:
        self.webhook = None
        return True

    async def api_setWebhook(self, params: dict) -> bool:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"]
        return True

    async def api_setMyCommands(self, params: dict) -> bool:
        for command in params["commands"]:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]) or not 1 <= len(command["description"]) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        scope = params.get("scope", {"type": "default"})["type"]
        language = params.get("language_code")
        self.commands[f"{scope}:{language}" if language else scope] = params["commands"]
        return True

    def _allowed(self, update: dict) -> bool:
        kind = next(key for key in update if key != "update_id")
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in DEFAULT_EXCLUDED

    async def api_getUpdates(self, params: dict) -> list[dict]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"]
        offset = int(params.get("offset") or 0)
        deadline = asyncio.get_running_loop().time() + float(params.get("timeout") or 0)
        while True:
            while self.updates and self.updates[0]["update_id"] < offset:
                self.updates.popleft()  # confirmed by the offset
            for update in [u for u in self.updates if not self._allowed(u)]:
                self.updates.remove(update)  # Telegram never delivers types that were not asked for
            if self.updates:
                return list(itertools.islice(self.updates, int(params.get("limit") or 100)))
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except TimeoutError:
                return []

    async def api_sendMessage(self, params: dict) -> dict:
        chat = self._chat(params["chat_id"])
        text = self._visible_text(params.get("text", ""), params.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        reply = params.get("reply_parameters") or {}
        if reply and reply["message_id"] not in chat.messages and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        message = FakeMessage(chat.next_message_id(), chat.id, self._date(), BOT_ID, text,
                              buttons=self._keyboard(params.get("reply_markup")), reply_to=reply.get("message_id"))
        chat.messages[message.id] = message
        return self.world.message_json(message)

    async def api_editMessageText(self, params: dict) -> dict:
        chat = self._chat(params["chat_id"])
        message = self._message(chat, params["message_id"], "message to edit not found")
        if message.from_id != BOT_ID:
            raise ApiError(400, "Bad Request: message can't be edited")
        text = self._visible_text(params["text"], params.get("parse_mode"))
        buttons = self._keyboard(params.get("reply_markup"))
        if text == message.text and buttons == message.buttons:
            raise ApiError(400, "Bad Request: message is not modified: specified new message content and reply "
                                "markup are exactly the same as a current content and reply markup of the message")
        message.text, message.buttons = text, buttons
        return self.world.message_json(message)

    async def api_deleteMessage(self, params: dict) -> bool:
        chat = self._chat(params["chat_id"])
        message = self._message(chat, params["message_id"], "message to delete not found")
        too_old = self._date() - message.date > 48 * 3600
        if too_old or (message.from_id != BOT_ID and not self._bot_may(chat, "can_delete_messages")):
            raise ApiError(400, "Bad Request: message can't be deleted")
        message.deleted = True
        return True

    async def api_pinChatMessage(self, params: dict) -> bool:
        chat = self._chat(params["chat_id"])
        message = self._message(chat, params["message_id"], "message to pin not found")
        if not self._bot_may(chat, "can_pin_messages"):
            raise ApiError(400, "Bad Request: not enough rights to manage pinned messages in the chat")
        chat.pinned.append(message.id)
        return True

    async def api_sendDocument(self, params: dict) -> dict:
        chat = self._chat(params["chat_id"])
        document = params["document"]
        if not isinstance(document, tuple):
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        caption = params.get("caption", "")
        if _utf16(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        message = FakeMessage(chat.next_message_id(), chat.id, self._date(), BOT_ID, document=document,
                              caption=caption)
        chat.messages[message.id] = message
        return self.world.message_json(message)

    async def api_restrictChatMember(self, params: dict) -> bool:
        chat = self._chat(params["chat_id"])
        member = self._target(chat, params["user_id"])
        permissions = {key: bool(params["permissions"].get(key, False)) for key in PERMISSIONS}
        if all(permissions.values()):
            if member.status == "restricted":
                chat.members[int(params["user_id"])] = FakeMember("member" if member.is_member else "left",
                                                                  is_member=member.is_member)
            return True
        chat.members[int(params["user_id"])] = FakeMember("restricted", permissions=permissions,
                                                          until_date=self._until(params.get("until_date")),
                                                          is_member=member.present)
        return True

    async def api_banChatMember(self, params: dict) -> bool:
        chat = self._chat(params["chat_id"])
        self._target(chat, params["user_id"])
        chat.members[int(params["user_id"])] = FakeMember("kicked", until_date=self._until(params.get("until_date")),
                                                          is_member=False)
        return True

    async def api_unbanChatMember(self, params: dict) -> bool:
        chat = self._chat(params["chat_id"])
        member = self._target(chat, params["user_id"])
        if member.status == "kicked" or not params.get("only_if_banned"):
            # Telegram's trap: without only_if_banned this also removes a member who is in the chat.
            chat.members[int(params["user_id"])] = FakeMember("left", is_member=False)
        return True

    async def api_leaveChat(self, params: dict) -> bool:
        chat = self._chat(params["chat_id"])
        chat.members[BOT_ID] = FakeMember("left", is_member=False)
        return True

    async def api_answerCallbackQuery(self, params: dict) -> bool:
        query_id = params["callback_query_id"]
        if query_id not in self._pending_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query id is invalid")
        self._pending_queries.discard(query_id)
        self.answered[query_id] = params.get("text")
        return True

    async def api_getChatMember(self, params: dict) -> dict:
        chat = self._chat(params["chat_id"])
        user = self.world.users.get(int(params["user_id"]))
        if user is None:
            raise ApiError(400, "Bad Request: user not found")
        return chat.member(user.id).json(user)


def expired(member: FakeMember, now: datetime) -> bool:
    """Whether a timed restriction or ban has run out (Telegram lifts them by itself)."""
    return bool(member.until_date) and datetime.fromtimestamp(member.until_date, UTC) <= now

