"""The handoff desk inside the gateway, through the REST channel and the real Rasa."""

from datetime import date, datetime, timezone

import pytest

from bot.gateway.app import create_app
from bot.handoff.desk import COMMENTED, RECEIVED
from bot.handoff.office_hours import DAY_KEYS, SETTING_KEY
from bot.handoff.records import HandoffRecords
from tests.conftest import Chat, gateway_settings
from tests.servers import serving
from tests.test_staff_console import Staff, console_app

pytestmark = pytest.mark.e2e
ALWAYS = [["00:00", "23:59"]]
CANCEL = "#handoff:cancel"
BIRTH_FEE_QUESTION = "lệ phí đăng ký khai sinh bao nhiêu"


def set_schedule(database_url: str, open_: bool) -> None:
    records = HandoffRecords(database_url)
    weekly = {day: ALWAYS if open_ else [] for day in DAY_KEYS}
    records.put_setting(SETTING_KEY, {"weekly": weekly, "open_days": [date.today().isoformat()] if open_ else []})
    records.close()


@pytest.fixture
def gateway(assistant, services, clean_gateway_redis):
    with serving(create_app(gateway_settings(assistant), services)) as url:
        yield url


def citizen_of(gateway: str) -> Chat:
    return Chat(f"{gateway}/webhooks/rest/webhook")


def payloads(citizen: Chat) -> list[str]:
    return [b["payload"] for b in citizen.buttons]


def assert_answers_the_birth_fee(answer: str) -> None:
    assert "(mã 1.001193)" in answer and "Phí, lệ phí" in answer


def test_asking_for_staff_in_office_hours_queues_and_acknowledges_every_message(gateway, assistant):
    set_schedule(assistant.database_url, open_=True)
    citizen = citizen_of(gateway)
    citizen.say("làm giấy khai sinh cần gì")
    text = citizen.say("cho tôi gặp cán bộ")
    assert "vị trí số 1" in text and "phút" in text
    assert payloads(citizen) == [CANCEL]
    for message in ("alo có ai không", BIRTH_FEE_QUESTION):  # the bot is paused: the desk answers, for staff
        assert citizen.say(message) == RECEIVED and payloads(citizen) == [CANCEL]
    records = HandoffRecords(assistant.database_url)
    conversation = records.conversation(f"rest:{citizen.sender}")
    transcript = [(m.who, m.text) for m in records.transcript(f"rest:{citizen.sender}")]
    records.close()
    assert conversation.state.value == "waiting" and conversation.procedure_code == "1.001193"
    assert [who for who, _ in transcript[:2]] == ["citizen", "bot"]
    assert transcript[-2:] == [("citizen", BIRTH_FEE_QUESTION), ("system", RECEIVED)]


@pytest.mark.parametrize("way_back", [CANCEL, "tiep tuc voi tro ly ao", "thôi, không cần gặp cán bộ nữa ạ"])
def test_cancelling_the_wait_gives_the_conversation_back_to_the_bot(gateway, assistant, way_back):
    set_schedule(assistant.database_url, open_=True)
    citizen = citizen_of(gateway)
    citizen.say("cho tôi gặp cán bộ")
    assert citizen.say("alo") == RECEIVED
    assert "hủy yêu cầu" in citizen.say(way_back)
    assert_answers_the_birth_fee(citizen.say(BIRTH_FEE_QUESTION))


def test_out_of_hours_the_bot_answers_while_the_request_waits_for_staff(
    services, assistant, clean_gateway_redis, tmp_path
):
    settings = gateway_settings(assistant, DATABASE_URL=f"sqlite:///{tmp_path / 'handoff.db'}")
    app = console_app(services, settings)
    set_schedule(settings.database_url, open_=False)
    with serving(app) as url:
        citizen = citizen_of(url)
        cid = f"rest:{citizen.sender}"
        text = citizen.say("tôi muốn khiếu nại, nộp hồ sơ cả tháng không ai giải quyết")
        assert "ngoài giờ làm việc" in text and "vẫn có thể hỏi trợ lý ảo" in text and "số điện thoại" in text
        assert payloads(citizen) == [CANCEL]
        assert_answers_the_birth_fee(citizen.say(BIRTH_FEE_QUESTION))
        confirmed = citizen.say("sdt cua toi la 0903 123 456, goi lai giup toi")
        assert "đã ghi nhận số điện thoại 0903123456" in confirmed

        lan = Staff(url, "lan")
        (entry,) = lan.get("/staff/api/queue").json()["conversations"]
        assert (entry["conversation_id"], entry["reason"], entry["callback_phone"]) == (cid, "complain", "0903123456")
        view = lan.get(f"/staff/api/conversations/{cid}").json()
        assert view["conversation"]["callback_phone"] == "0903123456"
        said = [(m["who"], m["text"]) for m in view["messages"]]
        assert ("citizen", BIRTH_FEE_QUESTION) in said and any(who == "bot" and "1.001193" in t for who, t in said)

        set_schedule(settings.database_url, open_=True)  # the next morning: an officer takes it
        assert lan.act(cid, "claim").status_code == 200
        assert citizen.send("chị ơi tôi cần gấp") == []  # the officer answers on the console
        assert lan.act(cid, "hand-back").status_code == 200
        assert_answers_the_birth_fee(citizen.say(BIRTH_FEE_QUESTION))


def test_thanks_bring_a_rating_which_is_stored_with_a_comment(gateway, assistant):
    citizen = citizen_of(gateway)
    citizen.say("cảm ơn em nhiều")
    assert "#rate:5" in [b["payload"] for b in citizen.buttons]
    assert "góp ý" in citizen.say("#rate:4")
    assert citizen.say("trả lời nhanh, dễ hiểu") == COMMENTED
    records = HandoffRecords(assistant.database_url)
    report_ratings = [
        r
        for r in records.ratings_between(
            datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)
        )
        if r.conversation_id == f"rest:{citizen.sender}"
    ]
    records.close()
    assert [(r.score, r.comment, r.officer_id) for r in report_ratings] == [(4, "trả lời nhanh, dễ hiểu", None)]


def test_a_question_right_after_a_rating_is_answered_and_no_comment(gateway, assistant):
    citizen = citizen_of(gateway)
    citizen.say("cảm ơn em nhiều")
    assert "góp ý" in citizen.say("#rate:5")
    assert_answers_the_birth_fee(citizen.say(BIRTH_FEE_QUESTION))
    records = HandoffRecords(assistant.database_url)
    assert records.conversation(f"rest:{citizen.sender}").awaiting is None
    records.close()
