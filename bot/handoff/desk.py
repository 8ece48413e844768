"""The handoff desk: a conversation goes from the bot to a human officer and back, on any channel.

Contract with the gateway (bot/gateway/conversations.py; HandoffDesk fits its `Handoff` protocol):
- The gateway records every turn through `recorded(conversation_id, who, message)`: the citizen's message
  before anything else, Rasa's replies, whatever the desk returns, and whatever `deliver` sends (the gateway's
  `say` records, then delivers). The desk records nothing that passes through the gateway, only staff notes.
- Before Rasa, `intercept(inbound)`: None when the bot answers the message, otherwise the replies to send
  instead: [] while staff have the conversation (the bot is silent), or the desk's own answer (a rating or its
  comment, the callback phone, a cancelled request, or while queued: received, now and then the position). A
  request queued out of office hours leaves the bot answering meanwhile: `begin` un-pauses it at once.
- After Rasa, `signalled(conversation_id, signals)` acts on the bot's signals (bot/dialogue/handoff.py):
  `begin` a handoff, `rate_bot_prompt` after thanks or goodbye, `record_unanswered` on a fallback.

Staff actions come from the console: `claim`, `reply`, `note`, `transfer`, `hand_back`, `close`. Each is
audited; what the citizen should see goes out through `deliver`, console events through `notify` (JSON-able
dicts with a "type": waiting — a queue entry is new or changed (a callback phone) —, message, claimed,
transferred, closed, cancelled). `resume_bot` un-pauses Rasa whenever a conversation returns to the bot (hand
back, close, the citizen cancelling the wait) or is queued out of hours; only a hand back shows its greeting.
`is_question` tells, with the bot's NLU, whether free text after a rating is a new question rather than a
comment. `deliver`, `resume_bot` and `is_question` are the gateway's and should not raise. Wrong actions raise
HandoffError (or accounts.NotAllowed), with a Vietnamese message for the console.
"""

from __future__ import annotations

from asyncio import to_thread
from collections.abc import Awaitable, Callable
from datetime import datetime
from statistics import median
from typing import Any

from bot.dialogue.handoff import SIGNAL_HANDOFF, SIGNAL_OFFER_RATING, SIGNAL_UNANSWERED
from bot.gateway.model import Inbound, Outbound, system_message
from bot.handoff.accounts import NotAllowed, require_admin
from bot.handoff.office_hours import OfficeHours, Schedule, opening_phrase
from bot.handoff.reading import find_phone, means_back_to_bot
from bot.handoff.records import (
    BOT_STATES,
    Conversation,
    HandoffRecords,
    HandoffRequest,
    StaffMember,
    State,
    utc_now,
)
from bot.messages import Button

Deliver = Callable[[str, list[Outbound]], Awaitable[None]]
Notify = Callable[[dict[str, Any]], Awaitable[None]]
ResumeBot = Callable[[str], Awaitable[list[Outbound]]]
IsQuestion = Callable[[str], Awaitable[bool]]

DEFAULT_WAIT_MINUTES = 5  # expected wait when no handoff was claimed yet
REMINDER_INTERVAL = 180  # seconds: at most one queue reminder per conversation in this time
RATE_PREFIX = "#rate:"
CANCEL_PAYLOAD = "#handoff:cancel"
CANNED_REPLIES_KEY = "canned_replies"

CANCEL_BUTTON = Button("Tiếp tục với trợ lý ảo", CANCEL_PAYLOAD)  # the bot is paused while queued
DROP_BUTTON = Button("Hủy yêu cầu gặp cán bộ", CANCEL_PAYLOAD)  # queued out of hours: the bot answers meanwhile
RATING_BUTTONS = tuple(Button("⭐" * score, f"{RATE_PREFIX}{score}") for score in range(1, 6))
SKIP_BUTTON = Button("Bỏ qua", f"{RATE_PREFIX}skip")

QUEUED = (
    "Dạ, em đã chuyển yêu cầu của anh/chị đến cán bộ. Cán bộ sẽ tham gia cuộc trò chuyện trong ít phút nữa ạ.\n"
    "Anh/chị đang ở vị trí số {position} trong hàng chờ, thời gian chờ dự kiến khoảng {minutes} phút."
)
OUT_OF_HOURS = (
    "Dạ, hiện đang ngoài giờ làm việc nên chưa có cán bộ trực. Em đã lưu yêu cầu của anh/chị; cán bộ sẽ trả lời "
    "khi bộ phận một cửa làm việc trở lại, lúc {opening}.\n"
    "Trong lúc chờ, anh/chị vẫn có thể hỏi trợ lý ảo. Nếu muốn được gọi lại, anh/chị vui lòng nhắn số điện thoại ạ."
)
REMINDER = "Dạ, anh/chị đang ở vị trí số {position} trong hàng chờ. Cán bộ sẽ trả lời sớm nhất có thể ạ."
RECEIVED = "Dạ, em đã nhận tin nhắn và chuyển đến cán bộ ạ."
REMINDER_CLOSED = "Dạ, cán bộ sẽ trả lời anh/chị khi bộ phận một cửa làm việc trở lại, lúc {opening} ạ."
ALREADY_WITH_STAFF = "Dạ, cán bộ đang hỗ trợ anh/chị trong cuộc trò chuyện này ạ."
PHONE_SAVED = "Dạ, em đã ghi nhận số điện thoại {phone}. Cán bộ sẽ gọi lại cho anh/chị trong giờ làm việc ạ."
CANCELLED = "Dạ, em đã hủy yêu cầu gặp cán bộ. Anh/chị cứ tiếp tục hỏi trợ lý ảo ạ."
JOINED = "Cán bộ {name} đã tham gia cuộc trò chuyện."
TRANSFERRED = "Dạ, cuộc trò chuyện đang được chuyển cho cán bộ {name}. Anh/chị vui lòng chờ trong giây lát ạ."
LEFT_TO_BOT = "Cán bộ {name} đã rời cuộc trò chuyện. Trợ lý ảo sẽ tiếp tục hỗ trợ anh/chị ạ."
LEFT_CLOSED = "Cán bộ {name} đã rời cuộc trò chuyện. Cảm ơn anh/chị đã liên hệ ạ."
QUEUE_CLOSED = "Dạ, yêu cầu gặp cán bộ của anh/chị đã được đóng. Anh/chị có thể tiếp tục hỏi trợ lý ảo ạ."
RATE_STAFF = "Anh/chị vui lòng đánh giá sự hỗ trợ của cán bộ {name} ạ:"
RATE_BOT = "Anh/chị vui lòng đánh giá mức độ hài lòng với trợ lý ảo ạ:"
RATED = "Dạ, cảm ơn anh/chị đã đánh giá. Anh/chị có góp ý gì thêm không ạ? Anh/chị cứ nhắn góp ý, hoặc bấm “Bỏ qua”."
COMMENTED = "Dạ, em đã ghi nhận góp ý. Cảm ơn anh/chị ạ."
THANKS = "Dạ, cảm ơn anh/chị ạ."
DEFAULT_CANNED_REPLIES = (
    "Dạ, chào anh/chị. Em là cán bộ bộ phận một cửa, em có thể hỗ trợ gì cho anh/chị ạ?",
    "Dạ, anh/chị vui lòng chờ trong giây lát để em kiểm tra thông tin ạ.",
    "Dạ, anh/chị vui lòng cho em xin mã hồ sơ (in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả) ạ.",
    "Dạ, hồ sơ của anh/chị đang được giải quyết. Khi có kết quả, anh/chị sẽ nhận được thông báo ạ.",
    "Dạ, anh/chị còn cần hỗ trợ thêm gì không ạ?",
    "Dạ, cảm ơn anh/chị đã liên hệ. Chúc anh/chị một ngày tốt lành ạ.",
)


class HandoffError(Exception):
    """A staff action that cannot be done now; the message is for the console."""


class UnknownConversation(HandoffError):
    pass


class UnknownStaff(HandoffError):
    pass


class WrongState(HandoffError):
    pass


class HandoffDesk:
    """The handoff state machine and what citizens are told; the gateway and the console call it."""

    def __init__(
        self,
        records: HandoffRecords,
        office_hours: OfficeHours,
        deliver: Deliver,
        notify: Notify,
        resume_bot: ResumeBot,
        is_question: IsQuestion,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._records, self._office_hours, self._clock = records, office_hours, clock
        self._deliver, self._notify, self._resume_bot = deliver, notify, resume_bot
        self._is_question = is_question

    # The gateway's side

    async def intercept(self, inbound: Inbound) -> list[Outbound] | None:
        """None when the bot answers the message; otherwise what to send instead (the bot stays silent)."""
        cid, now = inbound.conversation_id, self._clock()
        conversation = await to_thread(self._records.conversation, cid)
        payload = inbound.text.strip()
        if payload.startswith(RATE_PREFIX):
            return await self._rate(cid, conversation, payload.removeprefix(RATE_PREFIX), now)
        if conversation is None:
            return None
        if conversation.state in BOT_STATES:
            return await self._comment(conversation, inbound)
        if conversation.state is State.WITH_STAFF:
            return []  # the officer answers; the console has the message
        return await self._queued(conversation, payload, now)

    async def recorded(self, conversation_id: str, who: str, message: dict[str, Any]) -> None:
        """Keep one turn of the transcript (who: citizen, bot, system or staff; message: Outbound.as_dict() or
        {"text": …}); a turn of a conversation with staff also goes to the console."""
        buttons = tuple(Button(b["title"], b["payload"]) for b in message.get("buttons") or [])
        author = str(message.get("author") or "") if who == "staff" else ""
        add = self._records.add_message
        row = await to_thread(add, conversation_id, who, str(message.get("text") or ""), self._clock(), author, buttons)
        conversation = await to_thread(self._records.conversation, conversation_id)
        if conversation is not None and conversation.state not in BOT_STATES:
            await self._notify({"type": "message", "message": row.as_dict()})

    async def signalled(self, conversation_id: str, signals: list[dict[str, Any]]) -> list[Outbound]:
        """Act on the bot's signals: hand off, offer the rating, not understood. Returns extra replies."""
        replies: list[Outbound] = []
        for signal in signals:
            if isinstance(handoff := signal.get(SIGNAL_HANDOFF), dict):
                replies += await self.begin(conversation_id, handoff.get("reason") or "request_human", handoff)
            elif signal.get(SIGNAL_OFFER_RATING):
                replies += await self.rate_bot_prompt(conversation_id)
            elif SIGNAL_UNANSWERED in signal:
                await self.record_unanswered(conversation_id, str(signal[SIGNAL_UNANSWERED]))
        return replies

    async def record_unanswered(self, conversation_id: str, text: str) -> None:
        """The bot could not answer `text` (it fell back): counted in the report's top unanswered messages."""
        await to_thread(self._records.flag_unanswered, conversation_id, text, self._clock())

    async def begin(self, conversation_id: str, reason: str, context: dict[str, Any]) -> list[Outbound]:
        """Queue the conversation for staff (reason: request_human, fallback, complain, dossier); context may
        carry procedure_code, dossier_code and last_message. Returns what the citizen is told."""
        now = self._clock()
        schedule = await to_thread(self._office_hours.schedule)
        open_now = schedule.is_open(now)
        request = HandoffRequest(
            conversation_id,
            reason,
            outside_hours=not open_now,
            procedure_code=context.get("procedure_code") or None,
            dossier_code=context.get("dossier_code") or None,
            last_message=context.get("last_message") or None,
            awaiting=None if open_now else "phone",
        )
        queued = await to_thread(self._records.open_handoff, request, now) is not None
        place = await self._place(conversation_id)
        if queued and place:
            await self._show_in_queue(place, now)
        bot_answers = place is not None and await self._bot_answers(place[1])
        if bot_answers:
            await self._resume_bot(conversation_id)  # the bot paused itself to hand off; no greeting
        return [await self._waiting_message(place, now, schedule, first=queued, bot_answers=bot_answers)]

    async def rate_bot_prompt(self, conversation_id: str) -> list[Outbound]:
        """The rating question (⭐ buttons) for the end of a bot conversation (thanks, goodbye)."""
        return [await self._rating_prompt(conversation_id, None, RATE_BOT)]

    # The console's side: actions

    async def claim(self, conversation_id: str, officer: StaffMember) -> bool:
        """Take a waiting conversation; False when another officer was first (or it is not waiting)."""
        now = self._clock()
        if not await to_thread(self._records.claim, conversation_id, officer.id, now):
            return False
        await self._audit(officer, "claim", conversation_id, now)
        await self._deliver(conversation_id, [system_message(JOINED.format(name=officer.display_name))])
        await self._notify({"type": "claimed", "conversation_id": conversation_id, "officer": _ref(officer)})
        return True

    async def reply(self, conversation_id: str, officer: StaffMember, text: str) -> None:
        """Send the officer's message to the citizen ("Cán bộ <tên>: …" on the channel)."""
        await self._holding(conversation_id, officer)
        await self._deliver(conversation_id, [Outbound(_required(text), author=officer.display_name)])
        await self._audit(officer, "reply", conversation_id, self._clock())

    async def note(self, conversation_id: str, officer: StaffMember, text: str) -> None:
        """An internal note in the transcript; citizens never see it."""
        await self._conversation(conversation_id)
        now = self._clock()
        add = self._records.add_message
        message = await to_thread(add, conversation_id, "note", _required(text), now, officer.display_name)
        await self._audit(officer, "note", conversation_id, now, detail=str(message.id))
        await self._notify({"type": "message", "message": message.as_dict()})

    async def transfer(self, conversation_id: str, officer: StaffMember, to_officer_id: int) -> None:
        """Give the conversation to another active officer; the citizen is told."""
        conversation = await self._holding(conversation_id, officer)
        target = await to_thread(self._records.staff_member, to_officer_id)
        if target is None or not target.active:
            raise UnknownStaff("Không tìm thấy cán bộ nhận chuyển.")
        if target.id == conversation.officer_id:
            raise WrongState("Cán bộ này đang giữ cuộc trò chuyện.")
        if not await to_thread(self._records.transfer, conversation_id, conversation.officer_id, target.id):
            raise WrongState("Cuộc trò chuyện vừa thay đổi, vui lòng tải lại.")
        await self._audit(officer, "transfer", conversation_id, self._clock(), f"{conversation.officer_id}→{target.id}")
        await self._deliver(conversation_id, [system_message(TRANSFERRED.format(name=target.display_name))])
        event = {"type": "transferred", "conversation_id": conversation_id, "from_officer_id": conversation.officer_id}
        await self._notify(event | {"officer": _ref(target)})

    async def hand_back(self, conversation_id: str, officer: StaffMember) -> None:
        """The officer leaves, the bot resumes (its greeting), and the citizen is asked to rate the officer."""
        conversation, name = await self._finish(conversation_id, officer, State.BOT)
        greeting = await self._resume_bot(conversation_id)
        rating = await self._rating_prompt(conversation_id, conversation.handoff_id, RATE_STAFF.format(name=name))
        await self._deliver(conversation_id, [system_message(LEFT_TO_BOT.format(name=name)), *greeting, rating])

    async def close(self, conversation_id: str, officer: StaffMember) -> None:
        """End the conversation (an admin may also drop a waiting one); the citizen's next message goes to
        the bot. After a conversation with staff, the citizen is asked to rate the officer."""
        conversation, name = await self._finish(conversation_id, officer, State.CLOSED)
        await self._resume_bot(conversation_id)  # the bot answers the next message; no greeting now
        if conversation.state is State.WAITING:
            await self._deliver(conversation_id, [system_message(QUEUE_CLOSED)])
            return
        rating = await self._rating_prompt(conversation_id, conversation.handoff_id, RATE_STAFF.format(name=name))
        await self._deliver(conversation_id, [system_message(LEFT_CLOSED.format(name=name)), rating])

    async def set_canned_replies(self, officer: StaffMember, replies: list[str]) -> None:
        require_admin(officer)
        cleaned = [reply.strip() for reply in replies if reply.strip()]
        await to_thread(self._records.put_setting, CANNED_REPLIES_KEY, cleaned)
        await self._audit(officer, "canned_replies", None, self._clock(), detail=f"{len(cleaned)} replies")

    # The console's side: queries (JSON-able)

    async def queue(self) -> list[dict[str, Any]]:
        """Waiting conversations, longest waiting first, with `position` and `waiting_seconds`."""
        now = self._clock()
        waiting = await to_thread(self._records.waiting)
        return [_entry(conversation, now, position) for position, conversation in enumerate(waiting, 1)]

    async def mine(self, officer: StaffMember) -> list[dict[str, Any]]:
        """The conversations this officer holds."""
        now = self._clock()
        return [_entry(c, now, None) for c in await to_thread(self._records.held_by, officer.id)]

    async def transcript(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every row, oldest first, notes included (the console only)."""
        return [message.as_dict() for message in await to_thread(self._records.transcript, conversation_id)]

    async def canned_replies(self) -> list[str]:
        stored = await to_thread(self._records.setting, CANNED_REPLIES_KEY)
        return list(stored if stored is not None else DEFAULT_CANNED_REPLIES)

    # Citizen turns

    async def _queued(self, conversation: Conversation, text: str, now: datetime) -> list[Outbound] | None:
        """A message while in the queue (the console has it). The way back to the bot, as button or words, cancels;
        a phone number becomes the callback number. Otherwise the bot answers when it is not paused (queued out of
        hours), or the citizen hears it was received, and every REMINDER_INTERVAL the position or opening time."""
        cid = conversation.conversation_id
        if text == CANCEL_PAYLOAD or means_back_to_bot(text):
            return await self._cancel(cid, now)
        bot_answers = await self._bot_answers(conversation)
        if phone := find_phone(text):
            await to_thread(self._records.set_callback_phone, cid, phone)
            if place := await self._place(cid):
                await self._show_in_queue(place, now)
            return [system_message(PHONE_SAVED.format(phone=phone), (_cancel_button(bot_answers),))]
        if bot_answers:
            return None
        if not _reminder_due(conversation, now):
            return [system_message(RECEIVED, (CANCEL_BUTTON,))]
        await to_thread(self._records.set_reminded, cid, now)
        schedule = await to_thread(self._office_hours.schedule)
        return [await self._waiting_message(await self._place(cid), now, schedule, first=False, bot_answers=False)]

    async def _bot_answers(self, conversation: Conversation) -> bool:
        """Whether the bot answers the queued citizen meanwhile: it does when the request was made out of hours."""
        handoff = await to_thread(self._records.handoff, conversation.handoff_id) if conversation.handoff_id else None
        return handoff is not None and handoff.outside_hours

    async def _cancel(self, cid: str, now: datetime) -> list[Outbound]:
        if not await to_thread(self._records.finish, cid, State.BOT, State.WAITING, None, now):
            return []  # claimed meanwhile
        await self._notify({"type": "cancelled", "conversation_id": cid})
        await self._resume_bot(cid)
        return [system_message(CANCELLED)]

    async def _rate(self, cid: str, conversation: Conversation | None, choice: str, now: datetime) -> list[Outbound]:
        """A rating button: 1–5 when a rating is awaited, then a comment may follow; `skip` ends it."""
        awaited = conversation is not None and conversation.awaiting == "rating"
        if choice in {"1", "2", "3", "4", "5"} and awaited:
            await to_thread(self._records.add_rating, cid, conversation.rating_handoff_id, int(choice), now)
            return [system_message(RATED, (SKIP_BUTTON,))]
        if conversation is not None and conversation.awaiting in ("rating", "rating_comment"):
            await to_thread(self._records.comment_rating, cid, None)
        return [system_message(THANKS)]

    async def _comment(self, conversation: Conversation, inbound: Inbound) -> list[Outbound] | None:
        """After a rating, free text is its comment; a button (or a bot command) or a new question skips it and
        goes to the bot."""
        if conversation.awaiting != "rating_comment":
            return None
        text = inbound.text.strip()
        for_bot = bool(inbound.shown) or text.startswith("/") or await self._is_question(text)
        await to_thread(self._records.comment_rating, conversation.conversation_id, None if for_bot else text)
        return None if for_bot else [system_message(COMMENTED)]

    async def _place(self, cid: str) -> tuple[int, Conversation] | None:
        """The conversation's position in the queue (1: next) and its row; None when it is not waiting."""
        queue = await to_thread(self._records.waiting)
        return next(((i, c) for i, c in enumerate(queue, 1) if c.conversation_id == cid), None)

    async def _show_in_queue(self, place: tuple[int, Conversation], now: datetime) -> None:
        """Tell the console a queue entry is new or changed."""
        await self._notify({"type": "waiting", "conversation": _entry(place[1], now, place[0])})

    async def _waiting_message(
        self, place: tuple[int, Conversation] | None, now: datetime, schedule: Schedule, first: bool, bot_answers: bool
    ) -> Outbound:
        """What a queued citizen is told: the position and expected wait in office hours, else the opening; with
        the button back to the bot (or, when the bot answers meanwhile, to drop the request)."""
        if place is None:
            return system_message(ALREADY_WITH_STAFF)
        position = place[0]
        if not schedule.is_open(now):
            opening = schedule.next_opening(now)
            text = (OUT_OF_HOURS if first else REMINDER_CLOSED).format(
                opening=opening_phrase(opening) if opening else "ngày làm việc tiếp theo"
            )
        elif first:
            text = QUEUED.format(position=position, minutes=await self._expected_wait())
        else:
            text = REMINDER.format(position=position)
        return system_message(text, (_cancel_button(bot_answers),))

    async def _expected_wait(self) -> int:
        """Minutes: the median wait of recent handoffs claimed in office hours."""
        waits = await to_thread(self._records.recent_waits)
        return max(1, round(median(waits) / 60)) if waits else DEFAULT_WAIT_MINUTES

    async def _rating_prompt(self, cid: str, handoff_id: int | None, text: str) -> Outbound:
        await to_thread(self._records.ask_rating, cid, handoff_id)
        return system_message(text, RATING_BUTTONS)

    # Staff checks and plumbing

    async def _conversation(self, cid: str) -> Conversation:
        conversation = await to_thread(self._records.conversation, cid)
        if conversation is None:
            raise UnknownConversation("Không tìm thấy cuộc trò chuyện.")
        return conversation

    async def _holding(self, cid: str, officer: StaffMember) -> Conversation:
        """The conversation, when `officer` holds it (or is an admin) and it is with staff."""
        conversation = await self._conversation(cid)
        _check_holder(conversation, officer)
        return conversation

    async def _finish(self, cid: str, officer: StaffMember, target: State) -> tuple[Conversation, str]:
        """End a handoff (BOT: hand back, CLOSED: close); the conversation as it was and its holder's name."""
        conversation = await self._conversation(cid)
        if conversation.state is State.WAITING and target is State.CLOSED:
            require_admin(officer)
        else:
            _check_holder(conversation, officer)
        now = self._clock()
        if not await to_thread(self._records.finish, cid, target, conversation.state, conversation.officer_id, now):
            raise WrongState("Cuộc trò chuyện vừa thay đổi, vui lòng tải lại.")
        await self._audit(officer, "hand_back" if target is State.BOT else "close", cid, now)
        event = {"type": "closed", "conversation_id": cid, "handed_back": target is State.BOT}
        await self._notify(event | {"officer": _ref(officer)})
        return conversation, await self._holder_name(conversation, officer)

    async def _holder_name(self, conversation: Conversation, officer: StaffMember) -> str:
        if conversation.officer_id in (None, officer.id):
            return officer.display_name
        holder = await to_thread(self._records.staff_member, conversation.officer_id)
        return holder.display_name if holder else officer.display_name

    async def _audit(self, officer: StaffMember, action: str, cid: str | None, now: datetime, detail: str = "") -> None:
        await to_thread(self._records.add_audit, officer.id, action, now, cid, detail)


def _check_holder(conversation: Conversation, officer: StaffMember) -> None:
    if conversation.state is not State.WITH_STAFF:
        raise WrongState("Cuộc trò chuyện không ở trạng thái đang hỗ trợ.")
    if conversation.officer_id != officer.id and not officer.is_admin:
        raise NotAllowed("Chỉ cán bộ đang giữ cuộc trò chuyện (hoặc quản trị viên) được thao tác.")


def _entry(conversation: Conversation, now: datetime, position: int | None) -> dict[str, Any]:
    since = conversation.waiting_since
    waited = int((now - since).total_seconds()) if since and conversation.state is State.WAITING else 0
    return conversation.as_dict() | {"position": position, "waiting_seconds": waited}


def _cancel_button(bot_answers: bool) -> Button:
    return DROP_BUTTON if bot_answers else CANCEL_BUTTON


def _reminder_due(conversation: Conversation, now: datetime) -> bool:
    reminded = conversation.reminded_at
    due = reminded is None or (now - reminded).total_seconds() >= REMINDER_INTERVAL
    return conversation.state is State.WAITING and due


def _ref(member: StaffMember) -> dict[str, Any]:
    return {"id": member.id, "display_name": member.display_name}


def _required(text: str) -> str:
    if not text.strip():
        raise HandoffError("Nội dung không được để trống.")
    return text.strip()
