"""The handoff desk end to end on a real database, with our own deliver/notify/resume callbacks recording calls."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest

from bot.dossiers.workdays import VIETNAM_TZ
from bot.gateway.model import Inbound, Outbound
from bot.handoff.accounts import NotAllowed
from bot.handoff.desk import HandoffDesk, UnknownConversation, UnknownStaff, WrongState, parse_phone
from bot.handoff.office_hours import OfficeHours
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
    delivers, the console events and the bot resumptions."""

    desk: HandoffDesk | None = None
    delivered: list[tuple[str, Outbound]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)

    async def deliver(self, conversation_id: str, messages: list[Outbound]) -> None:
        await self.record(conversation_id, messages)
        self.delivered.extend((conversation_id, message) for message in messages)

    async def notify(self, event: dict[str, Any]) -> None:
        self.events.append(event)

    async def resume_bot(self, conversation_id: str) -> list[Outbound]:
        self.resumed.append(conversation_id)
        return [GREETING]

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
    desk = HandoffDesk(records, OfficeHours(records), calls.deliver, calls.notify, calls.resume_bot, clock=clock)
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


def test_out_of_hours_asks_for_a_phone_and_keeps_it(world: Desk) -> None:
    world.clock.now = NATIONAL_DAY
    (closed,) = run(world.desk.begin(CITIZEN, "complain", {}))
    assert "7 giờ 30 sáng thứ Năm, 03/09/2026" in closed.text and "số điện thoại" in closed.text
    (saved,) = world.say("090.123 4567")
    assert "0901234567" in saved.text
    assert world.records.conversation(CITIZEN).callback_phone == "0901234567"
    assert world.say("xin gọi sau 9 giờ") == []  # to staff, no reminder this soon
    assert world.records.handoffs_between(NATIONAL_DAY.replace(hour=0), NATIONAL_DAY.replace(hour=23))[0].outside_hours
    assert run(world.desk.queue())[0]["callback_phone"] == "0901234567"


def test_anything_but_a_phone_goes_to_staff(world: Desk) -> None:
    world.clock.now = NATIONAL_DAY
    run(world.desk.begin(CITIZEN, "fallback", {}))
    assert world.say("không cần gọi lại đâu") == []
    assert world.records.conversation(CITIZEN).awaiting == "phone"
    assert world.records.conversation(CITIZEN).callback_phone is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("0901234567", "0901234567"),
        ("090 123 4567", "0901234567"),
        ("+84 912.345.678", "0912345678"),
        ("84 38 123 4567", "0381234567"),
        ("0281234567", None),  # a landline
        ("090123456", None),
        ("gọi 0901234567 nhé", None),
    ],
)
def test_phone_numbers(text: str, phone: str | None) -> None:
    assert parse_phone(text) == phone


def test_the_expected_wait_is_the_median_of_recent_waits(world: Desk) -> None:
    for minutes, conversation in ((4, "web:a"), (8, "web:b"), (30, "web:c")):
        run(world.desk.begin(conversation, "fallback", {}))
        world.clock.advance(minutes=minutes)
        assert run(world.desk.claim(conversation, world.lan))
    (queued,) = run(world.desk.begin(CITIZEN, "request_human", {}))
    assert "khoảng 8 phút" in queued.text


def test_a_waiting_citizen_is_reminded_now_and_then_and_may_go_back_to_the_bot(world: Desk) -> None:
    run(world.desk.begin("zalo:first", "fallback", {}))
    run(world.desk.begin(CITIZEN, "fallback", {}))
    assert world.say("còn đó không") == []
    world.clock.advance(minutes=11)
    (reminder,) = world.say("còn đó không?")
    assert "vị trí số 2" in reminder.text
    (again,) = run(world.desk.begin(CITIZEN, "request_human", {}))  # asked again: no second handoff
    assert "vị trí số 2" in again.text and len(run(world.desk.queue())) == 2
    (cancelled,) = world.say("#handoff:cancel", shown="Tiếp tục với trợ lý ảo")
    assert "hủy yêu cầu" in cancelled.text and world.calls.types()[-1] == "cancelled"
    assert world.calls.resumed == [CITIZEN]
    assert world.say("làm căn cước ở đâu") is None
    assert [c["conversation_id"] for c in run(world.desk.queue())] == ["zalo:first"]


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
