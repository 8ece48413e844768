"""The handoff desk inside the gateway, through the REST channel and the real Rasa."""

from datetime import date, datetime, timezone

import pytest

from bot.gateway.app import create_app
from bot.handoff.office_hours import DAY_KEYS, SETTING_KEY
from bot.handoff.records import HandoffRecords
from tests.conftest import Chat, gateway_settings
from tests.servers import serving

pytestmark = pytest.mark.e2e
ALWAYS = [["00:00", "23:59"]]


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


def test_asking_for_staff_in_office_hours_queues_and_silences_the_bot(gateway, assistant):
    set_schedule(assistant.database_url, open_=True)
    citizen = citizen_of(gateway)
    citizen.say("làm giấy khai sinh cần gì")
    text = citizen.say("cho tôi gặp cán bộ")
    assert "vị trí số 1" in text and "phút" in text
    assert "#handoff:cancel" in [b["payload"] for b in citizen.buttons]
    assert citizen.send("alo có ai không") == []
    records = HandoffRecords(assistant.database_url)
    conversation = records.conversation(f"rest:{citizen.sender}")
    transcript = [m.who for m in records.transcript(f"rest:{citizen.sender}")]
    records.close()
    assert conversation.state.value == "waiting" and conversation.procedure_code == "1.001193"
    assert transcript[:2] == ["citizen", "bot"] and transcript[-1] == "citizen"


def test_cancelling_the_wait_gives_the_conversation_back_to_the_bot(gateway, assistant):
    set_schedule(assistant.database_url, open_=True)
    citizen = citizen_of(gateway)
    citizen.say("cho tôi gặp cán bộ")
    assert "hủy yêu cầu" in citizen.say("#handoff:cancel")
    answer = citizen.say("lệ phí đăng ký khai sinh bao nhiêu")
    assert "(mã 1.001193)" in answer and "Phí, lệ phí" in answer


def test_outside_office_hours_the_citizen_is_told_when_and_asked_for_a_phone(gateway, assistant):
    set_schedule(assistant.database_url, open_=False)
    citizen = citizen_of(gateway)
    text = citizen.say("tôi muốn khiếu nại, nộp hồ sơ cả tháng không ai giải quyết")
    assert "ngoài giờ làm việc" in text and "số điện thoại" in text
    assert "0912345678" in citizen.say("0912 345 678")
    records = HandoffRecords(assistant.database_url)
    assert records.conversation(f"rest:{citizen.sender}").callback_phone == "0912345678"
    records.close()


def test_thanks_bring_a_rating_which_is_stored_with_a_comment(gateway, assistant):
    citizen = citizen_of(gateway)
    citizen.say("cảm ơn em nhiều")
    assert "#rate:5" in [b["payload"] for b in citizen.buttons]
    assert "góp ý" in citizen.say("#rate:4")
    assert "ghi nhận góp ý" in citizen.say("trả lời nhanh, dễ hiểu")
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
