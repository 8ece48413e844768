"""The handoff desk end to end on a real database, with our own deliver/notify/resume callbacks recording calls."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.dossiers.workdays import VIETNAM_TZ
from bot.gateway.model import Inbound, Outbound, system_message
from bot.handoff.accounts import NotAllowed
from bot.handoff.desk import (
    CANCEL_BUTTON,
    DROP_BUTTON,
    RECEIVED,
    HandoffDesk,
    UnknownConversation,
    UnknownStaff,
    WrongState,
)
from bot.handoff.office_hours import OfficeHours
from bot.handoff.reading import asks_the_bot, find_phone, means_back_to_bot
from bot.handoff.records import HandoffRecords, StaffMember, State
from bot.handoff.report import build_report
from tests.test_handoff_records import Clock, database_url  # noqa: F401 (a fixture)

OPEN = datetime(2026, 12, 1, 9, 0, tzinfo=VIETNAM_TZ)  # Tuesday morning
NATIONAL_DAY = datetime(2026, 9, 2, 10, 0, tzinfo=VIETNAM_TZ)
CITIZEN = "telegram:1001"
GREETING = Outbound("Dạ, em là trợ lý ảo. Anh/chị cần hỏi thủ tục gì ạ?")


def run(coroutine: Coroutine) -> Any:
    return asyncio.run(coroutine)


@dataclass
class FakeGateway:
    """Our stand-in for bot/gateway: it records every turn through the desk, and collects what the desk
    delivers, the console events, the bot resumptions and the texts it asked the bot's NLU about (which takes
    those in `questions` for questions)."""

    desk: HandoffDesk | None = None
    delivered: list[tuple[str, Outbound]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    questions: set[str] = field(default_factory=set)
    read: list[str] = field(default_factory=list)

    async def deliver(self, conversation_id: str, messages: list[Outbound]) -> None:
        await self.record(conversation_id, messages)
        self.delivered.extend((conversation_id, message) for message in messages)

    async def notify(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    async def resume_bot(self, conversation_id: str) -> list[Outbound]:
        self.resumed.append(conversation_id)
        return [GREETING]

    async def is_question(self, text: str) -> bool:
        self.read.append(text)
        return text in self.questions

    async def record(self, conversation_id: str, messages: list[Outbound]) -> list[Outbound]:
        for message in messages:
            await self.desk.recorded(conversation_id, message.speaker, message.as_dict())
        return messages

    async def turn(self, inbound: Inbound) -> list[Outbound] | None:
        await self.desk.recorded(inbound.conversation_id, "citizen", {"text": inbound.shown or inbound.text})
        replies = await self.desk.intercept(inbound)
        return None if replies is None else await self.record(inbound.conversation_id, replies)

    async def bot_turn(self, conversation_id: str, replies: list[Outbound], signals: list[dict]) -> list[Outbound]:
        await self.record(conversation_id, replies)
        return await self.record(conversation_id, await self.desk.signalled(conversation_id, signals))

    def texts(self) -> list[str]:
        return [message.text for _, message in self.delivered]

    def types(self) -> list[str]:
        return [event["type"] for event in self.events]


@dataclass
class Desk:
    desk: HandoffDesk
    records: HandoffRecords
    clock: Clock
    calls: FakeGateway
    lan: StaffMember
    minh: StaffMember
    admin: StaffMember

    def say(self, text: str, shown: str = "", conversation_id: str = CITIZEN) -> list[Outbound] | None:
        channel, _, user = conversation_id.partition(":")
        return run(self.calls.turn(Inbound(channel, user, text, shown=shown)))

    def bot(self, replies: list[Outbound], *signals: dict, conversation_id: str = CITIZEN) -> list[Outbound]:
        """Rasa answered: its replies, then the desk's replies to its signals."""
        return run(self.calls.bot_turn(conversation_id, replies, list(signals)))


@pytest.fixture
def world(database_url: str) -> Iterator[Desk]:  # noqa: F811 (the fixture imported above)
    records = HandoffRecords(database_url)
    clock, calls = Clock(OPEN), FakeGateway()
    office_hours = OfficeHours(records)
    desk = HandoffDesk(records, office_hours, calls.deliver, calls.notify, calls.resume_bot, calls.is_question, clock)
    calls.desk = desk
    staff = [records.add_staff(u, n, "hash", r, OPEN) for u, n, r in _STAFF]
    yield Desk(desk, records, clock, calls, *staff)
    records.close()


_STAFF = (("lan", "Nguyễn Thị Lan", "officer"), ("minh", "Trần Văn Minh", "officer"), ("admin", "Quản trị", "admin"))


def test_a_full_handoff(world: Desk) -> None:
    desk, calls, clock = world.desk, world.calls, world.clock
    assert world.say("cho tôi gặp người thật") is None  # the bot answers
    signal = {"reason": "request_human", "procedure_code": "1.001193", "dossier_code": ""}
    (queued,) = world.bot([Outbound("Dạ, em chuyển anh/chị đến cán bộ ạ.")], {"handoff": signal})
    assert "vị trí số 1" in queued.text and "khoảng 5 phút" in queued.text
    assert [b.payload for b in queued.buttons] == ["#handoff:cancel"]
    assert calls.types() == ["waiting", "message"]  # the queued citizen's notice shows in the console
    assert calls.events[0]["conversation"]["procedure_code"] == "1.001193"

    clock.advance(seconds=90)
    (entry,) = run(desk.queue())
    assert (entry["channel"], entry["reason"], entry["waiting_seconds"]) == ("telegram", "request_human", 90)
    assert entry["last_message"] == "cho tôi gặp người thật" and entry["position"] == 1

    async def both_claim() -> list[bool]:
        return await asyncio.gather(desk.claim(CITIZEN, world.lan), desk.claim(CITIZEN, world.minh))

    results = run(both_claim())
    assert sorted(results) == [False, True]
    holder, other = (world.lan, world.minh) if results[0] else (world.minh, world.lan)
    assert calls.texts() == [f"Cán bộ {holder.display_name} đã tham gia cuộc trò chuyện."]
    assert run(desk.queue()) == [] and [c["conversation_id"] for c in run(desk.mine(holder))] == [CITIZEN]

    assert world.say("Hồ sơ của tôi nộp tuần trước") == []  # to the console; the bot is silent
    assert calls.events[-1]["type"] == "message"
    assert calls.events[-1]["message"]["text"] == "Hồ sơ của tôi nộp tuần trước"

    run(desk.reply(CITIZEN, holder, "Dạ, anh/chị cho em xin mã hồ sơ ạ."))
    assert calls.delivered[-1] == (CITIZEN, Outbound("Dạ, anh/chị cho em xin mã hồ sơ ạ.", author=holder.display_name))
    for action in (desk.reply(CITIZEN, other, "chen ngang"), desk.transfer(CITIZEN, other, holder.id)):
        with pytest.raises(NotAllowed):
            run(action)

    sent = len(calls.delivered)
    run(desk.note(CITIZEN, holder, "Khách cần gấp, đã kiểm tra hệ thống"))
    assert len(calls.delivered) == sent  # a note is never delivered

    run(desk.transfer(CITIZEN, holder, other.id))
    assert calls.texts()[-1] == f"Dạ, cuộc trò chuyện đang được chuyển cho cán bộ {other.display_name}. " + (
        "Anh/chị vui lòng chờ trong giây lát ạ."
    )
    with pytest.raises(NotAllowed):
        run(desk.reply(CITIZEN, holder, "tôi không còn giữ"))

    run(desk.hand_back(CITIZEN, other))
    assert calls.resumed == [CITIZEN]
    left, greeting, rating = (message for _, message in calls.delivered[-3:])
    assert left.text == f"Cán bộ {other.display_name} đã rời cuộc trò chuyện. Trợ lý ảo sẽ tiếp tục hỗ trợ anh/chị ạ."
    assert greeting == GREETING
    assert other.display_name in rating.text and [b.payload for b in rating.buttons][-1] == "#rate:5"
    assert rating.buttons[3].title == "⭐⭐⭐⭐"

    (thanks,) = world.say("#rate:4", shown="⭐⭐⭐⭐")
    assert [b.payload for b in thanks.buttons] == ["#rate:skip"]
    (noted,) = world.say("Cán bộ trả lời nhanh, rất nhiệt tình")
    assert noted.text == "Dạ, em đã ghi nhận góp ý. Cảm ơn anh/chị ạ."
    assert world.say("Cho hỏi làm hộ chiếu cần gì") is None  # back to the bot

    transcript = run(desk.transcript(CITIZEN))
    assert " ".join(row["who"] for row in transcript) == (
        "citizen bot system "  # asks for a person; the bot hands off; the queue notice
        "system citizen staff note system "  # joined; a question; the reply; a note; transferred
        "system bot system "  # the officer left; the bot's greeting; the rating question
        "citizen system citizen system citizen"  # ⭐⭐⭐⭐; thanks; a comment; noted; a question for the bot
    )
    assert next(row for row in transcript if row["who"] == "staff")["author"] == holder.display_name
    actions = [entry.action for entry in reversed(world.records.audit_log())]
    assert actions == ["claim", "reply", "note", "transfer", "hand_back"]

    report = build_report(world.records, date(2026, 12, 1), date(2026, 12, 1))
    assert (report.conversations, report.handoffs, report.handoff_rate) == (1, 1, 1.0)
    assert report.reasons == {"request_human": 1} and report.median_wait_seconds == 90
    ((figure),) = report.ratings
    assert (figure.officer_id, figure.name, figure.count, figure.average) == (other.id, other.display_name, 1, 4.0)
    rated = world.records.ratings_between(OPEN, OPEN.replace(hour=23))
    assert [(r.score, r.comment) for r in rated] == [(4, "Cán bộ trả lời nhanh, rất nhiệt tình")]


def test_out_of_hours_the_bot_answers_while_the_request_stays_queued(world: Desk) -> None:
    world.clock.now = NATIONAL_DAY
    (closed,) = run(world.desk.begin(CITIZEN, "complain", {}))
    assert "7 giờ 30 sáng thứ Năm, 03/09/2026" in closed.text and "số điện thoại" in closed.text
    assert "vẫn có thể hỏi trợ lý ảo" in closed.text and closed.buttons == (DROP_BUTTON,)
    assert world.calls.resumed == [CITIZEN]  # un-paused at once, without a greeting
    assert world.say("làm căn cước ở đâu") is None  # the bot answers
    assert world.calls.events[-1]["type"] == "message"  # the console still sees the conversation
    (again,) = run(world.desk.begin(CITIZEN, "request_human", {}))  # asked again: the bot paused, un-paused again
    assert "03/09/2026" in again.text and again.buttons == (DROP_BUTTON,)
    assert world.calls.resumed == [CITIZEN, CITIZEN] and len(run(world.desk.queue())) == 1
    assert world.records.handoffs_between(NATIONAL_DAY.replace(hour=0), NATIONAL_DAY.replace(hour=23))[0].outside_hours

    world.clock.now = datetime(2026, 9, 3, 7, 45, tzinfo=VIETNAM_TZ)  # staff take it the next morning
    assert run(world.desk.claim(CITIZEN, world.lan))
    assert world.say("chào chị, tôi cần hỏi về hồ sơ") == []  # the officer answers now
    run(world.desk.hand_back(CITIZEN, world.lan))
    assert world.calls.resumed == [CITIZEN] * 3


def test_a_request_queued_in_office_hours_stays_with_the_desk_after_closing_time(world: Desk) -> None:
    world.clock.now = OPEN.replace(hour=16, minute=58)
    run(world.desk.begin(CITIZEN, "fallback", {}))
    world.clock.now = OPEN.replace(hour=17, minute=5)
    (closed,) = world.say("còn ai không ạ")  # the bot is paused: the desk answers
    assert "7 giờ 30 sáng thứ Tư, 02/12/2026" in closed.text and closed.buttons == (CANCEL_BUTTON,)
    assert world.calls.resumed == []


@pytest.mark.parametrize("when", [OPEN, NATIONAL_DAY], ids=["in office hours", "out of hours"])
def test_a_phone_number_in_a_sentence_is_the_callback_number(world: Desk, when: datetime) -> None:
    world.clock.now = when
    run(world.desk.begin(CITIZEN, "complain", {}))
    (saved,) = world.say("sdt cua toi la 0903.123.456, goi lai giup toi")
    assert saved.text == (
        "Dạ, em đã ghi nhận số điện thoại 0903123456. Cán bộ sẽ gọi lại cho anh/chị trong giờ làm việc ạ."
    )
    assert [b.payload for b in saved.buttons] == ["#handoff:cancel"]
    assert world.records.conversation(CITIZEN).callback_phone == "0903123456"
    assert world.calls.events[-2]["type"] == "waiting"  # the console's queue entry now shows the number
    assert world.calls.events[-2]["conversation"]["callback_phone"] == "0903123456"
    assert run(world.desk.queue())[0]["callback_phone"] == "0903123456"


def test_a_dossier_code_is_no_phone_number(world: Desk) -> None:
    run(world.desk.begin(CITIZEN, "dossier", {}))
    assert world.say("mã hồ sơ 000.00.31.H29-241105-0012") == [system_message(RECEIVED, (CANCEL_BUTTON,))]
    assert world.records.conversation(CITIZEN).callback_phone is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("0901234567", "0901234567"),
        ("090 123 4567", "0901234567"),
        ("+84 912.345.678", "0912345678"),
        ("84 38 123 4567", "0381234567"),
        ("gọi 0901234567 nhé", "0901234567"),
        ("sdt cua toi la 0903123456, goi lai giup toi", "0903123456"),
        ("Số của tôi: 0903-123-456.", "0903123456"),
        ("0281234567", None),  # a landline
        ("090123456", None),  # too short
        ("000.00.31.H29-241105-0012", None),  # a dossier code
        ("000.00.31.H29-0903123456", None),  # a phone-like tail of a code
        ("căn cước 079123456789", None),  # part of a longer number
        ("079 123 456 789", None),
        ("HS0903123456", None),
        ("lệ phí 50.000 đồng, hẹn 03/09/2026", None),
    ],
)
def test_phone_numbers(text: str, phone: str | None) -> None:
    assert find_phone(text) == phone


def test_the_expected_wait_is_the_median_of_recent_waits(world: Desk) -> None:
    for minutes, conversation in ((4, "web:a"), (8, "web:b"), (30, "web:c")):
        run(world.desk.begin(conversation, "fallback", {}))
        world.clock.advance(minutes=minutes)
        assert run(world.desk.claim(conversation, world.lan))
    (queued,) = run(world.desk.begin(CITIZEN, "request_human", {}))
    assert "khoảng 8 phút" in queued.text


def test_every_message_in_the_queue_is_acknowledged_with_the_way_back(world: Desk) -> None:
    run(world.desk.begin("zalo:first", "fallback", {}))
    run(world.desk.begin(CITIZEN, "fallback", {}))
    received = system_message(RECEIVED, (CANCEL_BUTTON,))
    assert world.say("còn đó không") == [received]
    assert world.say("tôi nộp hồ sơ tuần trước") == [received]
    world.clock.advance(minutes=3)
    (reminder,) = world.say("còn đó không?")
    assert "vị trí số 2" in reminder.text and reminder.buttons == (CANCEL_BUTTON,)
    assert world.say("alo") == [received]
    said = [row["text"] for row in run(world.desk.transcript(CITIZEN)) if row["who"] == "citizen"]
    assert said == ["còn đó không", "tôi nộp hồ sơ tuần trước", "còn đó không?", "alo"]  # all for the console
    (again,) = run(world.desk.begin(CITIZEN, "request_human", {}))  # asked again: no second handoff
    assert "vị trí số 2" in again.text and len(run(world.desk.queue())) == 2
    assert world.calls.resumed == []  # the bot stays paused in office hours
    (cancelled,) = world.say("#handoff:cancel", shown="Tiếp tục với trợ lý ảo")
    assert "hủy yêu cầu" in cancelled.text and world.calls.types()[-1] == "cancelled"
    assert world.calls.resumed == [CITIZEN]
    assert world.say("làm căn cước ở đâu") is None
    assert [c["conversation_id"] for c in run(world.desk.queue())] == ["zalo:first"]


@pytest.mark.parametrize(
    "text",
    [
        "Tiếp tục với trợ lý ảo",
        "tiep tuc voi tro ly ao",
        "tiếp tuc vs tro li ao",
        "tiep tuk voi tro ly ao",
        "quay lại trợ lý ảo",
        "cho tôi quay lại bot nhé",
        "hủy yêu cầu",
        "huỷ yêu cầu gặp cán bộ ạ",
        "hyu yeu cau",
        "không cần gặp cán bộ nữa",
        "thôi, ko can gap can bo nua",
        "thui tiếp tục vs trợ lý ảo",
    ],
)
def test_the_way_back_in_words_cancels_the_request(world: Desk, text: str) -> None:
    run(world.desk.begin(CITIZEN, "fallback", {}))
    (cancelled,) = world.say(text)
    assert "hủy yêu cầu" in cancelled.text and run(world.desk.queue()) == []
    assert world.calls.resumed == [CITIZEN]


@pytest.mark.parametrize(
    "text",
    [
        "có cần gặp cán bộ không",
        "cho tôi gặp cán bộ",
        "hủy hồ sơ đăng ký kết hôn",
        "không cần giấy tờ nữa à",
        "chào trợ lý ảo nhé",
        "chuyen cho can bo giup toi",
        "trở lại phường nộp tiếp được không",
        "lệ phí bao nhiêu",
        "không",
    ],
)
def test_ordinary_messages_are_not_the_way_back(world: Desk, text: str) -> None:
    run(world.desk.begin(CITIZEN, "fallback", {}))
    assert world.say(text) == [system_message(RECEIVED, (CANCEL_BUTTON,))]
    assert len(run(world.desk.queue())) == 1


def test_no_example_the_bot_learnt_from_is_the_way_back() -> None:
    examples = load_data("nlu_data/nlu").intent_examples
    assert len(examples) > 500
    assert [m.get("text") for m in examples if means_back_to_bot(m.get("text"))] == []


def test_close_rates_the_officer_and_returns_the_citizen_to_the_bot(world: Desk) -> None:
    run(world.desk.begin(CITIZEN, "dossier", {"dossier_code": "000.00.31.H29-261126-0001"}))
    run(world.desk.claim(CITIZEN, world.lan))
    run(world.desk.close(CITIZEN, world.admin))  # an admin may close another officer's conversation
    left, rating = (message for _, message in world.calls.delivered[-2:])
    assert left.text.startswith("Cán bộ Nguyễn Thị Lan đã rời cuộc trò chuyện.")
    assert "Nguyễn Thị Lan" in rating.text and world.calls.resumed == [CITIZEN]  # Rasa un-paused, no greeting
    assert world.records.conversation(CITIZEN).state is State.CLOSED
    world.say("#rate:2", shown="⭐⭐")
    assert world.say("/ask_documents", shown="Giấy tờ cần nộp") is None  # a button is no comment: to the bot
    assert world.records.conversation(CITIZEN).awaiting is None
    assert world.say("cảm ơn") is None
    (rating,) = world.records.ratings_between(OPEN, OPEN.replace(hour=23))
    assert (rating.officer_id, rating.score, rating.comment) == (world.lan.id, 2, None)


def test_skipping_the_comment(world: Desk) -> None:
    run(world.desk.rate_bot_prompt(CITIZEN))
    world.say("#rate:3", shown="⭐⭐⭐")
    (thanks,) = world.say("#rate:skip", shown="Bỏ qua")
    assert thanks.text == "Dạ, cảm ơn anh/chị ạ."
    assert world.say("cảm ơn") is None


def test_a_question_after_a_rating_goes_to_the_bot_and_is_no_comment(world: Desk) -> None:
    world.calls.questions = {"lệ phí làm hộ chiếu bao nhiêu"}
    run(world.desk.rate_bot_prompt(CITIZEN))
    assert world.say("thêm câu hỏi") is None and world.calls.read == []  # no rating yet: nothing to read
    world.say("#rate:4", shown="⭐⭐⭐⭐")
    assert world.say("lệ phí làm hộ chiếu bao nhiêu") is None
    assert world.records.conversation(CITIZEN).awaiting is None
    assert world.say("trả lời dễ hiểu") is None  # the comment was given up: the bot answers
    assert world.calls.read == ["lệ phí làm hộ chiếu bao nhiêu"]
    (rating,) = world.records.ratings_between(OPEN, OPEN.replace(hour=23))
    assert (rating.score, rating.comment) == (4, None)


def _parse(intent: str, confidence: float, *entities: str) -> dict[str, Any]:
    return {"intent": {"name": intent, "confidence": confidence}, "entities": [{"entity": e} for e in entities]}


@pytest.mark.parametrize(
    ("parse", "question"),
    [
        (_parse("ask_fee", 0.9), True),
        (_parse("check_dossier_status", 0.7, "dossier_code"), True),
        (_parse("start_document_checklist", 0.8), True),
        (_parse("request_human", 0.95), True),
        (_parse("complain", 0.99), False),  # feedback on what was rated reads as a complaint: the comment
        (_parse("greet", 0.99), True),
        (_parse("inform", 0.8, "procedure"), True),
        (_parse("inform", 0.8), False),  # no procedure named
        (_parse("ask_documents", 0.55), False),  # not sure enough
        (_parse("thank", 0.9), False),
        (_parse("wrong_answer", 0.9), False),
        (_parse("nlu_fallback", 0.9), False),
        ({}, False),
    ],
)
def test_what_counts_as_a_new_question_after_a_rating(parse: dict[str, Any], question: bool) -> None:
    assert asks_the_bot(parse) is question


def test_only_an_admin_drops_a_waiting_conversation(world: Desk) -> None:
    run(world.desk.begin(CITIZEN, "fallback", {}))
    with pytest.raises(NotAllowed):
        run(world.desk.close(CITIZEN, world.lan))
    run(world.desk.close(CITIZEN, world.admin))
    assert "đã được đóng" in world.calls.texts()[-1]
    assert run(world.desk.queue()) == []


def test_wrong_staff_actions_are_refused(world: Desk) -> None:
    with pytest.raises(UnknownConversation):
        run(world.desk.note("web:nobody", world.lan, "ghi chú"))
    run(world.desk.begin(CITIZEN, "fallback", {}))
    with pytest.raises(WrongState):
        run(world.desk.reply(CITIZEN, world.lan, "chưa nhận mà trả lời"))
    with pytest.raises(WrongState):
        run(world.desk.hand_back(CITIZEN, world.admin))
    run(world.desk.claim(CITIZEN, world.lan))
    assert not run(world.desk.claim(CITIZEN, world.minh))
    with pytest.raises(UnknownStaff):
        run(world.desk.transfer(CITIZEN, world.lan, 999))
    with pytest.raises(NotAllowed):
        run(world.desk.hand_back(CITIZEN, world.minh))
    with pytest.raises(NotAllowed):
        run(world.desk.close(CITIZEN, world.minh))
    run(world.desk.reply(CITIZEN, world.admin, "Dạ, quản trị viên hỗ trợ ạ."))  # an admin may step in


def test_the_bot_is_rated_at_the_end_of_a_bot_conversation(world: Desk) -> None:
    (prompt,) = world.bot([Outbound("Dạ, chào anh/chị ạ.")], {"offer_rating": True})
    assert [b.payload for b in prompt.buttons] == [f"#rate:{n}" for n in range(1, 6)]
    world.say("#rate:5", shown="⭐⭐⭐⭐⭐")
    (again,) = world.say("#rate:1", shown="⭐")  # a second press is not counted
    assert again.text == "Dạ, cảm ơn anh/chị ạ."
    (rating,) = world.records.ratings_between(OPEN, OPEN.replace(hour=23))
    assert (rating.officer_id, rating.handoff_id, rating.score) == (None, None, 5)
    report = build_report(world.records, date(2026, 12, 1), date(2026, 12, 1))
    assert [(f.name, f.average) for f in report.ratings] == [("Trợ lý ảo", 5.0)]


def test_unanswered_messages_reach_the_report(world: Desk) -> None:
    for conversation in ("web:a", "web:b", "web:c"):
        world.say("Thủ tục nuôi  chim cảnh?", conversation_id=conversation)
        signal = {"unanswered": "Thủ tục nuôi  chim cảnh?"}
        world.bot([Outbound("Dạ, em chưa hiểu ạ.")], signal, conversation_id=conversation)
    run(world.desk.record_unanswered("web:a", "xin visa sao hỏa"))
    report = build_report(world.records, date(2026, 12, 1), date(2026, 12, 1))
    assert report.unanswered == [("thủ tục nuôi chim cảnh", 3), ("xin visa sao hỏa", 1)]


def test_canned_replies_are_editable_by_admins(world: Desk) -> None:
    assert len(run(world.desk.canned_replies())) >= 3
    with pytest.raises(NotAllowed):
        run(world.desk.set_canned_replies(world.lan, ["x"]))
    run(world.desk.set_canned_replies(world.admin, ["Dạ, em chào anh/chị ạ.", "  "]))
    assert run(world.desk.canned_replies()) == ["Dạ, em chào anh/chị ạ."]
