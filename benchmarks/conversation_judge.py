"""How the conversation benchmark reads the bot's replies and judges a turn against its expectation.

Every marker the benchmark relies on is here, as plain text or patterns taken from the copy that produces
it, so that when the copy changes only this module changes (tests/test_conversation_judge.py reads the
current copy with it and fails when a marker no longer matches). The markers are literal rather than
imported so that the baseline tree's replies are read the same way.

A turn passes when its expectation is met and it is not a wrong answer. A wrong answer names a procedure
("(mã X)") or a dossier code other than those the turn may name: the expected one; for turns that expect
no particular procedure (a checklist step, a handoff), the one the conversation is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.dossiers.codes import EXAMPLE_CODE, find_codes

# bot/catalogue/answers.py: `header()` names the procedure; each aspect's body starts with its own line.
PROCEDURE_CODE = re.compile(r"\(mã (\d+\.\d+)\)")
ASPECT_MARKERS = {
    "overview": [r"^Cấp thực hiện: "],
    "documents": [
        r"^Hồ sơ gồm:$",
        r"^Giấy tờ xuất trình:$",
        r", (?:nộp thêm|xuất trình):$",
        r"^Thành phần hồ sơ theo danh mục:",
        r"^Danh mục chưa có thông tin thành phần hồ sơ",
    ],
    "fee": [r"^Phí, lệ phí:"],
    "time": [r"^Thời hạn giải quyết:"],
    "agency": [
        r"^Cơ quan giải quyết: ",
        r"^Nơi tiếp nhận hồ sơ: ",
        r"^Cơ quan có thẩm quyền: ",
        r"^Danh mục chưa có thông tin cơ quan",
    ],
    "steps": [r"^Các bước thực hiện:", r"^Danh mục chưa có thông tin các bước"],
    "online": [
        r"^(?:✅ )?Thủ tục này có dịch vụ công trực tuyến",
        r"^Thủ tục này chưa nhận hồ sơ trực tuyến",
        r"^Thủ tục này có hình thức nộp trực tuyến",
        r"^Danh mục chưa ghi nhận hình thức nộp trực tuyến",
    ],
    "forms": [r"^Mẫu đơn, tờ khai:", r"^Thủ tục này không có mẫu đơn, tờ khai riêng"],
}
OVERVIEW_HOLDS = {"time", "agency"}  # the overview's body has these lines too (and the steps, which it answers)
# bot/dialogue/procedure_turn.py (which procedure?, not found) and domain.yml's utter_how_can_help.
ASKS_PROCEDURE = re.compile(r"thủ tục nào ạ|chưa tìm thấy thủ tục")
PAYLOAD_CODE = re.compile(r'"procedure_code":\s*"([^"]+)"')
# domain.yml's utter_ask_dossier_code; bot/dossiers/replies.py (no code, malformed code).
ASKS_DOSSIER = re.compile(r"xin mã hồ sơ|gửi mã hồ sơ|chưa đúng dạng mã hồ sơ")
DOSSIER_NOT_FOUND = "chưa tìm thấy hồ sơ nào có mã"
DOSSIER_LATE = re.compile(r"quá hẹn|quá ngày hẹn|trễ hẹn")
# bot/dialogue/fallback.py: both the first and the second fallback.
NOT_UNDERSTOOD = re.compile(r"chưa hiểu (?:rõ )?ý anh/chị")
# bot/handoff/desk.py: queued (in or out of hours), and the buttons every waiting message carries.
HANDOFF_TEXT = re.compile(r"vị trí số \d+ trong hàng chờ|ngoài giờ làm việc|chuyển đến cán bộ|làm việc trở lại")
HANDOFF_PAYLOAD = "#handoff:cancel"
PHONE_SAVED = "đã ghi nhận số điện thoại"
BACK_TO_BOT = re.compile(r"đã hủy yêu cầu gặp cán bộ|em là trợ lý ảo, em tiếp tục hỗ trợ")
# bot/checklist/render.py: a question carries answer buttons; the summary has its title.
CHECKLIST_PAYLOAD = "checklist_answer"
CASE_NONE = '"none"'  # the answer of the case list's "Không thuộc trường hợp nào"
CHECKLIST_SUMMARY = "Kết quả kiểm tra hồ sơ"
# bot/gateway/copy.py: the gateway's own apologies, when a message did not reach the bot.
GATEWAY_ERRORS = re.compile(r"hệ thống đang bận|gửi nhanh quá|chưa nhận được nội dung|tin nhắn dài quá")

KEYS = {
    "procedure",
    "aspect",
    "ask",
    "options",
    "dossier",
    "late",
    "dossier_ask",
    "dossier_not_found",
    "not_understood",
    "handoff",
    "waiting_ack",
    "phone",
    "back_to_bot",
    "checklist",
    "no_procedure",
}
NAMES_NO_PROCEDURE = {"ask", "not_understood", "no_procedure", "dossier", "dossier_ask", "dossier_not_found"}


def dossier_codes(text: str) -> set[str]:
    """The dossier codes a text holds, in canonical form; the example code of the bot's own help left out."""
    return {code.code for code in find_codes(text)} - {EXAMPLE_CODE}


@dataclass(frozen=True)
class Reading:
    """What one turn's replies say."""

    text: str
    payloads: list[str]
    procedures: set[str] = field(default_factory=set)
    aspects: set[str] = field(default_factory=set)
    dossiers: set[str] = field(default_factory=set)

    @property
    def asks_procedure(self) -> bool:
        return bool(ASKS_PROCEDURE.search(self.text))

    @property
    def asks_dossier(self) -> bool:
        return bool(ASKS_DOSSIER.search(self.text))

    @property
    def asks(self) -> bool:
        return self.asks_procedure or self.asks_dossier

    @property
    def not_understood(self) -> bool:
        return bool(NOT_UNDERSTOOD.search(self.text))

    @property
    def handoff(self) -> bool:
        return HANDOFF_PAYLOAD in self.payloads or bool(HANDOFF_TEXT.search(self.text))

    @property
    def checklist_question(self) -> bool:
        return any(CHECKLIST_PAYLOAD in payload for payload in self.payloads)

    @property
    def case_list(self) -> bool:
        """A checklist question listing the cases, with "Không thuộc trường hợp nào"."""
        return any(CHECKLIST_PAYLOAD in p and CASE_NONE in p for p in self.payloads)

    @property
    def checklist_summary(self) -> bool:
        return CHECKLIST_SUMMARY in self.text

    @property
    def gateway_error(self) -> bool:
        return bool(GATEWAY_ERRORS.search(self.text))

    @property
    def option_codes(self) -> set[str]:
        return {code for payload in self.payloads for code in PAYLOAD_CODE.findall(payload)}


def read(replies: Iterable[dict[str, Any]]) -> Reading:
    """Read the REST channel's replies to one message (`text` and `buttons` of each)."""
    replies = list(replies)
    text = "\n".join(reply.get("text") or "" for reply in replies)
    payloads = [str(button.get("payload", "")) for reply in replies for button in reply.get("buttons") or []]
    return Reading(text, payloads, set(PROCEDURE_CODE.findall(text)), _aspects(text), dossier_codes(text))


def _aspects(text: str) -> set[str]:
    found = {
        aspect
        for aspect, patterns in ASPECT_MARKERS.items()
        if any(re.search(pattern, text, re.MULTILINE) for pattern in patterns)
    }
    return found - OVERVIEW_HOLDS if "overview" in found else found


@dataclass
class Context:
    """What the conversation is about so far, by its expectations: the procedure, and the dossier codes said
    or expected."""

    procedure: str | None = None
    dossiers: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    wrong: bool
    problems: list[str]


def check_keys(expect: dict[str, Any], where: str) -> None:
    """Refuse an expectation the judge would not read (a typo would otherwise pass silently)."""
    if unknown := set(expect) - KEYS:
        raise ValueError(f"{where}: unknown expectation keys {sorted(unknown)}; known: {sorted(KEYS)}")


def judge(expect: dict[str, Any], reading: Reading, context: Context, said: set[str]) -> Verdict:
    """Judge one turn; `said` holds the dossier codes of the citizen's message. Updates `context`."""
    problems = _unmet(expect, reading)
    wrong = _wrong_procedures(expect, reading, context) + _wrong_dossiers(expect, reading, context, said)
    context.procedure = expect.get("procedure", context.procedure)
    context.dossiers |= said | ({expect["dossier"]} if "dossier" in expect else set())
    return Verdict(not problems and not wrong, bool(wrong), problems + wrong)


def _wrong_procedures(expect: dict[str, Any], reading: Reading, context: Context) -> list[str]:
    if "procedure" in expect:
        allowed = {expect["procedure"]}
    elif NAMES_NO_PROCEDURE & set(expect):
        allowed = set()
    elif not expect or expect.get("waiting_ack") or context.procedure is None:
        return []  # nothing expected; out of hours the bot answers whatever is asked while the request waits
    else:
        allowed = {context.procedure}  # a checklist step, a handoff: about the procedure of the conversation
    return [f"names procedure {code}" for code in sorted(reading.procedures - allowed)]


def _wrong_dossiers(expect: dict[str, Any], reading: Reading, context: Context, said: set[str]) -> list[str]:
    allowed = {expect["dossier"]} if "dossier" in expect else said | context.dossiers
    if expect.get("dossier_not_found"):
        allowed = said
    return [f"names dossier {code}" for code in sorted(reading.dossiers - allowed)]


def _unmet(expect: dict[str, Any], reading: Reading) -> list[str]:
    """What the reply fails to do of what was expected (wrong answers aside)."""
    if reading.gateway_error:
        return ["the gateway answered instead of the bot"]
    checks = [
        ("procedure", lambda code: code in reading.procedures, "does not answer about {}"),
        ("aspect", lambda aspect: aspect in reading.aspects, "does not answer the {}"),
        ("ask", lambda on: reading.asks_procedure == on, "does not ask which procedure"),
        ("options", lambda codes: bool(set(codes) & reading.option_codes), "offers none of {}"),
        (
            "dossier",
            lambda code: code in reading.dossiers and DOSSIER_NOT_FOUND not in reading.text,
            "not on dossier {}",
        ),
        ("late", lambda on: bool(DOSSIER_LATE.search(reading.text)) == on, "late={} not said"),
        ("dossier_ask", lambda on: reading.asks_dossier == on, "does not ask for the dossier code"),
        ("dossier_not_found", lambda on: (DOSSIER_NOT_FOUND in reading.text) == on, "does not say not found"),
        ("not_understood", lambda on: reading.not_understood == on, "does not say it did not understand"),
        ("handoff", lambda on: reading.handoff == on, "does not hand off"),
        ("waiting_ack", lambda on: bool(reading.text.strip()) == on, "no acknowledgement"),
        ("phone", lambda phone: PHONE_SAVED in reading.text and phone in reading.text, "phone {} not recorded"),
        ("back_to_bot", lambda on: bool(BACK_TO_BOT.search(reading.text)) == on, "not back to the bot"),
        ("checklist", lambda step: _checklist(reading, step), "no checklist {}"),
    ]
    return [message.format(expect[key]) for key, met, message in checks if key in expect and not met(expect[key])]


def _checklist(reading: Reading, step: str) -> bool:
    if step == "summary":
        return reading.checklist_summary
    if step == "question":
        return reading.checklist_question
    raise ValueError(f"checklist: expected question or summary, not {step!r}")
