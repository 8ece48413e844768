"""Actions without a server: the fallback counts misses in a row; the checklist always waits after."""

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.checklist import ActionChecklistStep, ActionStartChecklist
from actions.fallback import ActionHandleFallback, consecutive_fallbacks


def _user(intent: str, text: str = "x") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": []}}


def _tracker(events: list[dict], slots: dict | None = None) -> Tracker:
    latest = events[-1]["parse_data"] | {"text": events[-1]["text"]}
    return Tracker("test", slots or {}, latest, events, False, None, None, "action_listen")


def test_consecutive_fallbacks_count_back_to_the_last_understood_message():
    events = [_user("greet"), {"event": "bot"}, _user("nlu_fallback"), {"event": "action"}, _user("nlu_fallback")]
    assert consecutive_fallbacks(events) == 2
    assert consecutive_fallbacks([*events, _user("ask_fee")]) == 0


def test_second_fallback_offers_staff_and_waits():
    dispatcher = CollectingDispatcher()
    events = ActionHandleFallback().run(dispatcher, _tracker([_user("nlu_fallback"), _user("nlu_fallback")]), {})
    assert any(b["payload"] == "/request_human" for b in dispatcher.messages[-1]["buttons"])
    assert events == [{"event": "followup", "timestamp": None, "name": "action_listen"}]


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
