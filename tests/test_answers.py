"""Catalogue answers: chat-sized, from catalogue fields only, with follow-up buttons."""

import re

from bot.catalogue.answers import Aspect, answer, vnd
from bot.catalogue.model import NATIONAL_PORTAL, is_official
from bot.messages import CHAT_MESSAGE_LIMIT, split_text


def _text(replies) -> str:
    return "\n".join(r.text for r in replies)


def test_every_aspect_names_the_procedure_code_and_links_the_record(services):
    procedure = services.catalogue.get("1.001193")
    for aspect in Aspect:
        replies = answer(procedure, aspect)
        assert replies[0].text.startswith("📄 Đăng ký khai sinh (mã 1.001193)")
        assert str(procedure.source.url) in _text(replies)
        assert all(len(r.text) <= CHAT_MESSAGE_LIMIT for r in replies)


def test_documents_are_numbered_with_quantities_and_cases(services):
    text = _text(answer(services.catalogue.get("1.001193"), Aspect.DOCUMENTS))
    assert "1. Tờ khai đăng ký khai sinh — 1 bản chính" in text
    assert "2. Giấy chứng sinh — 1 bản chính" in text
    assert "Trường hợp ủy quyền cho người khác đi đăng ký, nộp thêm:" in text
    assert "Giấy tờ xuất trình:" in text


def test_fee_is_per_channel_in_vietnamese_dong(services):
    procedure = services.catalogue.get("1.004222")
    text = _text(answer(procedure, Aspect.FEE))
    for row in procedure.channels:
        if row.fee and row.fee.amount:
            assert vnd(row.fee.amount) in text
    assert "Nộp trực tiếp" in text and "Nộp trực tuyến" in text


def test_unverified_facts_carry_a_warning(services):
    unverified = next(p for p in services.catalogue if "fee" in p.unverified)
    assert "chưa được đối chiếu" in _text(answer(unverified, Aspect.FEE))
    verified = services.catalogue.get("1.004222")
    assert "chưa được đối chiếu" not in _text(answer(verified, Aspect.FEE))


def test_follow_up_buttons_offer_other_aspects_of_the_same_procedure(services):
    replies = answer(services.catalogue.get("1.000894"), Aspect.FEE)
    buttons = replies[-1].buttons
    assert buttons and all('"procedure_code": "1.000894"' in b.payload for b in buttons)
    assert not any(b.payload.startswith("/ask_fee") for b in buttons)
    assert all(not r.buttons for r in replies[:-1])


def test_long_answers_split_at_line_boundaries():
    text = "\n".join(f"{i}. giấy tờ số {i} " + "x" * 40 for i in range(100))
    chunks = split_text(text, 500)
    assert len(chunks) > 1
    assert all(len(c) <= 500 for c in chunks)
    assert "\n".join(chunks) == text


def test_a_single_overlong_word_is_cut_not_lost():
    chunks = split_text("a" * 2500, 1000)
    assert [len(c) for c in chunks] == [1000, 1000, 500]


def test_vnd_uses_vietnamese_thousands_separators():
    assert vnd(1234567) == "1.234.567 đồng"


def test_the_overview_answers_how_with_the_steps_and_offers_the_rest(services):
    procedure = services.catalogue.get("1.004194")
    replies = answer(procedure, Aspect.OVERVIEW)
    text = "\n".join(r.text for r in replies)
    assert "Các bước thực hiện:" in text and f"1. {procedure.steps[0]}" in text
    titles = [b.title for b in replies[-1].buttons]
    assert "Các bước" not in titles and {"Hồ sơ cần gì", "Lệ phí", "Mẫu đơn"} <= set(titles)


def test_answers_link_only_official_addresses(services):
    """Every aspect of every procedure: each link is on a government host, the online link never the source."""
    for procedure in services.catalogue:
        for aspect in Aspect:
            for url in re.findall(r"https?://[^\s)]+", _text(answer(procedure, aspect))):
                assert is_official(url.rstrip(".,;")), (procedure.code, aspect, url)
    no_page = services.catalogue.get("1.014748")
    assert no_page.source.url is None and no_page.decision
    assert NATIONAL_PORTAL in _text(answer(no_page, Aspect.ONLINE))
