"""Procedure search on the curated catalogue: everyday wording, no diacritics, abbreviations, typos."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from benchmarks.search import STATUSES, calibration
from bot.catalogue.model import Procedure
from bot.catalogue.search import MatchStatus, ProcedureIndex, content_tokens
from bot.catalogue.store import Catalogue

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("cho em hỏi làm giấy khai sinh cho con cần giấy tờ gì ạ", "1.001193"),
        ("lam giay khai sinh can gi", "1.001193"),
        ("gks cho bé mới sinh", "1.001193"),
        ("khia sinh cho be", "1.001193"),  # typo
        ("làm cccd lần đầu", "1.014061"),
        ("đổi cccd hết hạn", "1.014063"),
        ("mat can cuoc lam lai", "1.014064"),
        ("cấp lại bằng lái xe", "3.000348"),  # "lại" is not "lái": the tone tells them apart
        ("doi gplx", "3.000347"),
        ("nhập hộ khẩu cho vợ", "1.004222"),
        ("kt3", "1.004194"),
        ("khai bao tam vang", "1.003677"),
        ("xin phiếu lý lịch tư pháp", "3.000333"),
        ("lltp so 1", "3.000333"),
        ("lam so hong lan dau", "1.013978"),
        ("đkkd hộ cá thể bán tạp hóa", "1.001612"),
        ("rut bhxh 1 lan", "1.001613"),
        ("giấy xác nhận độc thân", "1.004873"),
        ("dạ cho em hỏi thủ tục xin giấy phép xây dựng nhà ở riêng lẻ ở phường mình ạ", "1.013225"),
        ("1.000894", "1.000894"),  # an official code in the text
    ],
)
def test_finds_the_procedure_citizens_mean(services, query, code):
    result = services.index.search(query)
    assert result.hits, query
    assert result.hits[0].procedure.code == code, [(h.procedure.code, h.score) for h in result.hits]


def test_diacritics_abbreviations_and_typing_style_do_not_change_the_answer(services):
    forms = ["Đăng ký tạm trú", "dang ky tam tru", "ĐĂNG KÝ TẠM TRÚ", "đk tạm trú", "dk tam tru"]
    assert {services.index.search(q).hits[0].procedure.code for q in forms} == {"1.004194"}


def test_a_clear_match_says_so(services):
    result = services.index.search("làm giấy khai sinh")
    assert result.status == MatchStatus.CLEAR
    assert result.best.code == "1.001193"
    assert result.hits[0].score - result.hits[1].score >= 5


def test_two_close_candidates_are_ambiguous(services):
    result = services.index.search("thành lập công ty tnhh")
    assert result.status == MatchStatus.AMBIGUOUS
    assert {h.procedure.code for h in result.hits[:2]} == {"2.001583", "2.001199"}
    assert result.best is None


def test_a_family_of_names_is_a_question_back_with_its_members(services):
    result = services.index.search("giấy phép")
    assert result.status == MatchStatus.AMBIGUOUS
    assert "3.000346" in {hit.procedure.code for hit in result.hits}  # the driving licence among the choices


def test_foreign_element_twin_wins_only_when_the_query_says_so(services):
    assert services.index.search("đăng ký khai sinh").hits[0].procedure.code == "1.001193"
    foreign = services.index.search("dang ky khai sinh cho con co cha nguoi nuoc ngoai")
    assert foreign.hits[0].procedure.code == "2.000528"


@pytest.mark.parametrize(
    "query",
    [
        "thời tiết hôm nay thế nào",
        "lệ phí bao nhiêu",
        "",
        "🙏🙏",
        "<script>alert(1)</script>",
        # Scored high before evidence was required: a typo snap ("chào" → "cha"), a vowel collision under
        # folding ("mấy" → "máy"), words typed without diacritics matching any tone ("vay").
        "Xin chào",
        "mất mấy ngày",
        "phi bao nhieu vay",
        # Close scores used to make these "ambiguous" (a question back with unrelated buttons): no candidate's
        # distinctive word is said.
        "le phi?",
        "can giay to j",
        "bao lâu thì lấy được",
        "có mất tiền không",
    ],
)
def test_no_procedure_in_the_message_gives_none(services, query):
    assert services.index.search(query).status == MatchStatus.NONE


def test_clear_is_calibrated_on_the_development_sets(services):
    """The floor `make test` keeps (benchmarks/search.py prints the figures, held-out parts included)."""
    negatives = yaml.safe_load((ROOT / "benchmarks" / "no_procedure.yml").read_text(encoding="utf-8"))
    queries = yaml.safe_load((ROOT / "benchmarks" / "search_queries.yml").read_text(encoding="utf-8"))["queries"]
    ours = calibration(services.index, STATUSES["ours"], negatives["development"], queries)
    scores_only = calibration(services.index, STATUSES["scores only"], negatives["development"], queries)
    assert ours["false clear"] <= 0.01 < scores_only["false clear"]
    assert ours["false match"] <= 0.03 < scores_only["false match"]
    # 6 of 185 clear matches wrong: "chứng thực bản sao cccd" ranks the identity card first (see README, Figures)
    assert ours["clear-but-wrong"] <= 0.035 and ours["clear-right"] >= 0.78 and ours["missed"] <= 0.06


@pytest.mark.parametrize(
    "query",
    [
        "bao lau thi co ket qua",  # "thi" is "thì" far more often than "thi bằng lái"
        "co can photo ko",
        "hồ sơ của tôi đến đâu rồi",
        "kiểm tra tình trạng hồ sơ giúp em",  # "tình trạng" of a dossier, not of a marriage
    ],
)
def test_words_citizens_say_around_names_are_no_evidence(services, query):
    assert services.index.search(query).status != MatchStatus.CLEAR


@pytest.mark.parametrize(
    ("query", "code"),
    [("ho chieu", "1.001456"), ("xac nhan tinh trang hon nhan", "1.004873"), ("sao y ban chinh", "2.000815")],
)
def test_context_words_said_as_in_a_name_are_evidence(services, query, code):
    result = services.index.search(query)
    assert result.status == MatchStatus.CLEAR and result.best.code == code


def _with_imported(services, *names: str) -> ProcedureIndex:
    """The curated catalogue plus imported procedures whose names fold like words citizens say around names."""
    imported = [
        Procedure(code=f"3.9000{i:02d}", name=name, field="Khác", levels=["tinh"], decision="1/QĐ")
        for i, name in enumerate(names)
    ]
    return ProcedureIndex(Catalogue(list(services.catalogue), imported))


@pytest.mark.parametrize(
    "query",
    [
        "may ngay thi co ket qua",  # "mấy ngày thì có kết quả", not "… kết quả thi hành án"
        "phí bn z nha",  # "z" is "vậy", not "vay" (a loan)
        "ad oi phi bn z",
        "co bat buoc lam online ko",
        "dc ko ad",  # "được không", not "dược"
    ],
)
def test_a_whole_catalogue_s_homographs_of_chat_words_are_no_evidence(services, query):
    index = _with_imported(
        services,
        "Xác nhận kết quả thi hành án",
        "Vay vốn ưu đãi từ quỹ quốc gia về việc làm, nhà ở xã hội",
        "Đề nghị áp dụng tỷ lệ dự trữ bắt buộc",
        "Cấp giấy phép kinh doanh dược",
    )
    assert index.search(query).status is MatchStatus.NONE


def test_a_whole_catalogue_s_procedures_are_found_by_their_own_words(services):
    index = _with_imported(services, "Xác nhận kết quả thi hành án", "Vay vốn ưu đãi từ quỹ quốc gia về việc làm")
    assert index.search("xin xác nhận kết quả thi hành án").best.code == "3.900000"
    assert index.search("thu tuc vay von uu dai quy quoc gia").best.code == "3.900001"


def test_the_question_sentence_of_a_story_decides_when_the_story_names_nothing_else(services):
    story = (
        "Gia đình em mới chuyển về ở chung với ông bà được một tháng. Nhà có ba thế hệ, ai cũng đi làm cả ngày. "
        "Giờ em muốn đăng ký tạm trú cho vợ chồng em thì cần giấy tờ gì ạ?"
    )
    assert services.index.search(story).best.code == "1.004194"


def test_a_story_and_its_question_naming_different_procedures_is_a_question_back(services):
    story = "Em đã có giấy phép lái xe B2 từ năm 2015. Giờ em muốn làm hộ chiếu thì cần gì?"
    assert services.index._search(story, 5).best.code == "3.000346"  # the whole message alone: the licence
    result = services.index.search(story)
    assert result.status is MatchStatus.AMBIGUOUS
    assert [hit.procedure.code for hit in result.hits[:2]] == ["1.001456", "3.000346"]


def test_the_question_sentence_settles_a_story_that_names_several(services):
    story = "Em vừa đăng ký kết hôn tháng trước ở phường. Giờ muốn đăng ký thường trú cho vợ về nhà chồng thì làm sao?"
    assert services.index._search(story, 5).status is MatchStatus.AMBIGUOUS
    assert services.index.search(story).best.code == "1.004222"


def test_a_long_message_is_searched_quickly_and_safely(services):
    result = services.index.search("làm giấy khai sinh " * 1500)
    assert result.hits[0].procedure.code == "1.001193"


def test_scores_are_bounded_and_ranked(services):
    hits = services.index.search("đăng ký kết hôn", limit=5).hits
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)


def test_content_tokens_drop_fillers_but_keep_words_that_fold_like_them():
    assert content_tokens("cho em hỏi thì cần giấy tờ gì ạ") == []
    assert content_tokens("thi bằng lái") == ["thi", "bang", "lai"]  # a catalogue name: "thi" is level tone
    assert content_tokens("khai báo tạm vắng") == ["khai", "bao", "tam", "vang"]


def _cli(*args: str, stdin: str | None = None) -> str:
    return subprocess.run(
        [sys.executable, "-m", "bot", "catalogue", "search", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    ).stdout


def test_cli_prints_json_results():
    rows = json.loads(_cli("lam cccd", "--json"))
    assert rows[0]["code"] == "1.014061"
    assert set(rows[0]) == {"code", "name", "score"}


def test_cli_reads_one_query_per_line_from_stdin():
    lines = _cli("-", "--json", stdin="gks\nđổi bằng lái\n").splitlines()
    assert [json.loads(line)[0]["code"] for line in lines] == ["1.001193", "3.000347"]
