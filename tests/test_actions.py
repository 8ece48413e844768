"""Actions without a server: the fallback counts misses in a row; the checklist always waits after."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.checklist import ActionChecklistStep, ActionStartChecklist
from actions.fallback import ActionHandleFallback, consecutive_fallbacks
from actions.handoff import ActionHandOff


def _user(intent: str, text: str = "x") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": []}}


def _tracker(events: list[dict], slots: dict | None = None) -> Tracker:
    latest = events[-1]["parse_data"] | {"text": events[-1]["text"]}
    return Tracker("test", slots or {}, latest, events, False, None, None, "action_listen")


def test_consecutive_fallbacks_count_back_to_the_last_understood_message():
    events = [_user("greet"), {"event": "bot"}, _user("nlu_fallback"), {"event": "action"}, _user("nlu_fallback")]
    assert consecutive_fallbacks(events) == 2
    assert consecutive_fallbacks([*events, _user("ask_fee")]) == 0


def test_first_fallback_helps_to_rephrase_and_waits():
    dispatcher = CollectingDispatcher()
    events = ActionHandleFallback().run(dispatcher, _tracker([_user("greet"), _user("nlu_fallback", "qwe")]), {})
    assert dispatcher.messages[0]["custom"] == {"unanswered": "qwe"}
    assert "chưa hiểu rõ" in dispatcher.messages[1]["text"]
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]


def test_second_fallback_hands_off_and_pauses_the_bot():
    dispatcher = CollectingDispatcher()
    events = ActionHandleFallback().run(dispatcher, _tracker([_user("nlu_fallback"), _user("nlu_fallback", "zz")]), {})
    assert dispatcher.messages[-1]["custom"]["handoff"]["reason"] == "fallback"
    assert events == [{"event": "pause", "timestamp": None}]


def test_a_handoff_after_a_dossier_answer_carries_the_code_the_check_cleared():
    events = [
        _user("check_dossier_status", "tra hồ sơ 000.00.31.H29-241105-0012"),
        {"event": "slot", "name": "dossier_code", "value": "000.00.31.H29-241105-0012"},
        {"event": "action", "name": "action_check_dossier"},
        {"event": "slot", "name": "dossier_code", "value": None},
        {"event": "action", "name": "action_listen"},
        _user("request_human", "/request_human"),
    ]
    dispatcher = CollectingDispatcher()
    ActionHandOff().run(dispatcher, _tracker(events), {})
    handoff = dispatcher.messages[0]["custom"]["handoff"]
    assert handoff["reason"] == "dossier" and handoff["dossier_code"] == "000.00.31.H29-241105-0012"


def test_checklist_actions_set_their_slots_and_wait():
    dispatcher = CollectingDispatcher()
    tracker = _tracker([_user("start_document_checklist", "hướng dẫn chuẩn bị hồ sơ đăng ký kết hôn")])
    events = ActionStartChecklist().run(dispatcher, tracker, {})
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["checklist_active"] is True and slots["procedure_code"] == "1.000894"
    assert events[-1]["name"] == "action_listen"
    answer = _tracker([_user("affirm", "có rồi")], {"checklist_state": slots["checklist_state"]})
    events = ActionChecklistStep().run(CollectingDispatcher(), answer, {})
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}["checklist_active"] is False


def test_a_message_the_nlu_could_not_read_but_naming_a_procedure_clearly_is_answered():
    dispatcher = CollectingDispatcher()
    message = "Chuyển địa điểm hộ kinh doanh sang phường khác thì làm thủ tục gì"
    events = ActionHandleFallback().run(dispatcher, _tracker([_user("nlu_fallback", message)]), {})
    assert "(mã 2.000720)" in dispatcher.messages[0]["text"]
    assert not any("unanswered" in (m.get("custom") or {}) for m in dispatcher.messages)
    assert {"event": "slot", "timestamp": None, "name": "procedure_code", "value": "2.000720"} in events
    assert events[-1] == {"event": "followup", "timestamp": None, "name": "action_listen"}
