"""The conversation benchmark's judge (benchmarks/conversation_judge.py) reads today's copy as meant: when a
reply's wording changes, this fails and names the marker to adjust."""

import pytest
import yaml

from benchmarks.conversation_judge import Context, dossier_codes, judge, read
from bot.catalogue.answers import Aspect, answer
from bot.checklist.flow import current, new_state
from bot.checklist.render import question_reply, summary
from bot.dialogue.fallback import fallback_replies
from bot.dialogue.procedure_turn import ProcedureTurn, answer_turn
from bot.dossiers.codes import EXAMPLE_CODE, parse_code
from bot.dossiers.lookup import LookupResult, Outcome
from bot.dossiers.replies import lookup_replies
from bot.dossiers.seed import sample_dossiers
from bot.gateway import copy
from bot.handoff import desk
from bot.messages import Reply
from bot.settings import PROJECT_ROOT


def rest(replies: list[Reply]) -> list[dict]:
    """Replies as the REST channel renders them."""
    return [{"text": r.text, "buttons": [{"title": b.title, "payload": b.payload} for b in r.buttons]} for r in replies]


def curated(services):
    return [p for p in services.catalogue if services.catalogue.is_curated(p.code)]


@pytest.mark.parametrize("aspect", list(Aspect))
def test_every_answer_reads_as_its_procedure_and_aspect_only(services, aspect):
    for procedure in curated(services):
        reading = read(rest(answer(procedure, aspect)))
        how = {"steps"} if aspect is Aspect.OVERVIEW and procedure.steps else set()  # "làm thế nào" is answered
        assert (reading.procedures, reading.aspects) == ({procedure.code}, {aspect.value} | how), procedure.code


def test_asking_which_procedure_and_for_a_dossier_code(services):
    asked = answer_turn(services, ProcedureTurn(intent="ask_fee", text="phí bao nhiêu"))
    assert read(rest(asked.replies)).asks_procedure
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert read([{"text": domain["responses"]["utter_ask_dossier_code"][0]["text"]}]).asks_dossier


def test_fallbacks_read_as_not_understood_and_name_no_dossier():
    for consecutive in (1, 2):
        reading = read(rest(fallback_replies(consecutive)))
        assert reading.not_understood and not reading.dossiers and not reading.asks


def test_checklist_question_and_summary(services):
    procedure = services.catalogue.get("1.001456")
    state = new_state(procedure)
    question = read(rest([question_reply(procedure, state, current(procedure, state))]))
    assert question.checklist_question and not question.checklist_summary
    done = read(rest(summary(procedure, state)))
    assert done.checklist_summary and done.procedures == {procedure.code} and not done.aspects


def test_dossier_replies_name_their_dossier(services):
    dossier = sample_dossiers(curated(services))[0]
    found = read(rest(lookup_replies(LookupResult(Outcome.FOUND, dossier.received, dossier=dossier))))
    assert found.dossiers == {dossier.code} and not found.procedures
    missing = parse_code("000.00.31.H29-241105-9999")
    not_found = read(rest(lookup_replies(LookupResult(Outcome.NOT_FOUND, dossier.received, code=missing))))
    verdict = judge({"dossier_not_found": True}, not_found, Context(), {missing.code})
    assert verdict.passed, verdict.problems


def test_the_desk_and_the_gateway_copy():
    queued = [{"text": desk.QUEUED.format(position=1, minutes=5), "buttons": [{"payload": desk.CANCEL_PAYLOAD}]}]
    assert read(queued).handoff
    assert read([{"text": desk.OUT_OF_HOURS.format(opening="7 giờ 30 sáng thứ Hai, 01/12/2026")}]).handoff
    assert read([{"text": desk.RECEIVED}]).handoff
    assert judge(
        {"phone": "0903123456"}, read([{"text": desk.PHONE_SAVED.format(phone="0903123456")}]), Context(), set()
    ).passed
    assert judge({"back_to_bot": True}, read([{"text": desk.CANCELLED}]), Context(), set()).passed
    for text in (copy.RASA_UNAVAILABLE, copy.RATE_LIMITED, copy.EMPTY_MESSAGE, copy.too_long(2000)):
        assert read([{"text": text}]).gateway_error


def test_a_reply_about_another_procedure_is_a_wrong_answer(services):
    reading = read(rest(answer(services.catalogue.get("1.004194"), Aspect.FEE)))
    verdict = judge({"procedure": "1.004222", "aspect": "fee"}, reading, Context(), set())
    assert not verdict.passed and verdict.wrong
    assert judge({"checklist": "summary"}, reading, Context(procedure="1.004222"), set()).wrong
    assert not judge({"waiting_ack": True}, reading, Context(procedure="1.004222"), set()).wrong


def test_the_example_code_of_the_bots_help_is_no_dossier():
    assert dossier_codes(f"ví dụ {EXAMPLE_CODE}") == set()
