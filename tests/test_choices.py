"""Choices offered as buttons: short distinguishable titles, and a typed reply that picks one."""

import json

import pytest

from bot.gateway.choices import offered, picked_payload
from bot.text.choice import chosen
from bot.text.titles import distinct_titles, shared_beginning, short

COMPANIES = ["Đăng ký thành lập công ty TNHH một thành viên", "Đăng ký thành lập công ty TNHH hai thành viên trở lên"]


def test_titles_say_the_shared_beginning_once_and_keep_what_differs():
    assert shared_beginning(COMPANIES) == "Đăng ký thành lập công ty TNHH"
    assert distinct_titles(COMPANIES, 60) == COMPANIES  # short enough: the names themselves
    assert distinct_titles(COMPANIES, 50) == [COMPANIES[0], "…hai thành viên trở lên"]
    assert distinct_titles(COMPANIES, 40) == ["…một thành viên", "…hai thành viên trở lên"]
    assert distinct_titles(["Đăng ký khai sinh", "Đăng ký kết hôn"], 60) == ["Đăng ký khai sinh", "Đăng ký kết hôn"]
    assert short("Chứng thực bản sao từ bản chính giấy tờ, văn bản", 30) == "Chứng thực bản sao từ bản…"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("một thành viên", "a"), ("mot thanh vien thoi", "a"), ("hai thành viên", "b"), ("2", "b"), ("số 1", "a"),
        ("thành viên", None), ("lệ phí bao nhiêu", None), ("3", None),
    ],
)  # fmt: skip
def test_a_reply_picks_an_option_by_number_or_by_the_words_that_set_it_apart(text, key):
    assert chosen(text, dict(zip("ab", COMPANIES, strict=True))) == key


def _procedure_buttons(*codes: str) -> list[dict]:
    return [{"title": code, "payload": "/ask_fee" + json.dumps({"procedure_code": code})} for code in codes]


def _history(buttons: list[dict], titles: list[str], reply: str) -> list[dict]:
    for button, title in zip(buttons, titles, strict=True):
        button["title"] = title
    return [
        {"who": "bot", "text": "Dạ, anh/chị muốn hỏi thủ tục nào ạ?", "buttons": buttons},
        {"who": "citizen", "text": reply},
    ]


def test_a_short_reply_to_a_procedure_choice_becomes_its_button():
    buttons = _procedure_buttons("2.001583", "2.001199")
    history = _history(buttons, ["…một thành viên", "…hai thành viên trở lên"], "hai tv")
    assert picked_payload("hai thành viên trở lên", history) == buttons[1]["payload"]
    assert picked_payload("cái một thành viên á", history) == buttons[0]["payload"]


@pytest.mark.parametrize(
    "reply",
    ["lệ phí bao nhiêu vậy", "2", "/ask_fee", "công ty một thành viên thì nộp ở đâu vậy ạ, có online được không"],
)
def test_other_replies_go_to_the_nlu_as_typed(reply):
    history = _history(_procedure_buttons("2.001583", "2.001199"), ["…một thành viên", "…hai thành viên"], reply)
    assert picked_payload(reply, history) is None


def test_only_a_choice_just_offered_counts():
    aspects = [{"title": "Lệ phí", "payload": "/ask_fee" + json.dumps({"procedure_code": "1.001193"})}]
    assert offered([{"who": "bot", "buttons": aspects}, {"who": "citizen"}]) == {}  # one procedure: no choice
    choice = _history(_procedure_buttons("2.001583", "2.001199"), ["…một thành viên", "…hai thành viên"], "x")
    later = [*choice[:1], {"who": "bot", "text": "…"}, {"who": "citizen", "text": "x"}]
    assert offered(choice) and not offered(later)
