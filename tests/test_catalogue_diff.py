"""`catalogue diff`: curated facts against portal records written here (the national sample is not needed)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from bot.catalogue.diff import Outcome, compare, diff_catalogue, render
from bot.catalogue.importer import build_procedure
from bot.catalogue.model import Procedure

ROOT = Path(__file__).resolve().parent.parent
CODE = "1.000001"
PAPERS = (
    "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng"
    "- Tờ khai đăng ký khai sinh theo mẫu;1 bản chính"
    "- Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh.1 bản chính"
)


def _portal_record(channels: str, papers: str = PAPERS, code: str = CODE) -> dict[str, str]:
    """A portal record shaped like the national sample's (all values strings)."""
    return {
        "ma_thu_tuc": code,
        "ten_thu_tuc": "Thủ tục đăng ký khai sinh",
        "so_quyet_dinh": "163/QĐ-BTP",
        "cap_thuc_hien": "Cấp xã",
        "linh_vuc": "Hộ tịch",
        "co_quan_thuc_hien": "Ủy ban Nhân dân xã, phường, thị trấn",
        "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tả" + channels,
        "thanh_phan_ho_so": papers,
        "can_cu_phap_ly": "Tên văn bản pháp lýMã văn bảnLuật Hộ tịch60/2014/QH13",
        "detail_url": "https://dichvucong.gov.vn/p/thu-tuc-hanh-chinh/1",
        "raw_text": f"Thủ tục đăng ký khai sinhTên thủ tụcThủ tục đăng ký khai sinhMã thủ tục{code}Số quyết định163",
    }


def _curated(**changes: object) -> dict:
    record = {
        "code": CODE,
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "levels": ["xa"],
        "decision": "163/QĐ-BTP",
        "agencies": {"executing": ["Ủy ban nhân dân cấp xã"]},
        "channels": [
            {"channel": "truc_tiep", "time": {"value": 3, "unit": "ngay_lam_viec"}, "fee": {"amount": 0}},
            {"channel": "truc_tuyen", "time": {"value": 3, "unit": "ngay_lam_viec"}, "fee": {"amount": 0}},
        ],
        "documents": [{"papers": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"}]}],
        "legal_basis": [{"number": "60/2014/QH13"}],
    }
    return record | changes


AGREEING = "Trực tiếp3 Ngày làm việcMiễn phíTrực tuyến3 Ngày làm việcMiễn phí"


def _facts(curated: dict, channels: str = AGREEING, papers: str = PAPERS) -> dict:
    official, _ = build_procedure(_portal_record(channels, papers))
    return {fact.path: fact for fact in compare(Procedure.parse_obj(curated), official).facts}


def test_equal_facts_agree() -> None:
    facts = _facts(_curated())
    assert {path: fact.outcome for path, fact in facts.items()} == {
        "channels.truc_tiep.time": Outcome.AGREE,
        "channels.truc_tiep.fee": Outcome.AGREE,
        "channels.truc_tuyen.time": Outcome.AGREE,
        "channels.truc_tuyen.fee": Outcome.AGREE,
        "documents": Outcome.AGREE,
        "agencies.executing": Outcome.AGREE,  # 'cấp xã' and 'xã, phường, thị trấn': the same agency
        "legal_basis": Outcome.AGREE,
    }


def test_a_differing_time_and_fee_are_reported_with_both_values() -> None:
    facts = _facts(_curated(), "Trực tiếp7 Ngày làm việc50,000 Việt Nam ĐồngTrực tuyến3 Ngày làm việcMiễn phí")
    time, fee = facts["channels.truc_tiep.time"], facts["channels.truc_tiep.fee"]
    assert (time.outcome, time.curated, time.portal) == (Outcome.UNMARKED, "3 ngày làm việc", "7 ngày làm việc")
    assert (fee.outcome, fee.curated, fee.portal) == (Outcome.UNMARKED, "miễn phí", "50.000 đồng")
    assert facts["channels.truc_tuyen.time"].outcome is Outcome.AGREE


def test_a_unit_alone_is_a_difference() -> None:
    facts = _facts(_curated(), "Trực tiếp3 NgàyMiễn phíTrực tuyến3 Ngày làm việcMiễn phí")
    assert facts["channels.truc_tiep.time"].portal == "3 ngày"
    assert facts["channels.truc_tiep.time"].outcome is Outcome.UNMARKED


def test_a_marked_difference_shows_its_reason() -> None:
    reason = "portal cell says 7 ngày but its description says 3 ngày làm việc"
    curated = _curated(differences=[{"path": "channels.truc_tiep.time", "reason": reason}])
    fact = _facts(curated, "Trực tiếp7 Ngày làm việcMiễn phíTrực tuyến3 Ngày làm việcMiễn phí")[
        "channels.truc_tiep.time"
    ]
    assert (fact.outcome, fact.reason) == (Outcome.MARKED, reason)


def test_an_unstructured_portal_cell_is_not_comparable() -> None:
    # a bare '1' without unit nor description: the parser keeps it as text
    facts = _facts(_curated(), "Trực tiếp1Miễn phíTrực tuyến3 Ngày làm việcKhông có thông tin")
    assert facts["channels.truc_tiep.time"].outcome is Outcome.NOT_COMPARABLE
    assert facts["channels.truc_tuyen.fee"].outcome is Outcome.NOT_COMPARABLE
    assert facts["channels.truc_tiep.fee"].outcome is Outcome.AGREE


def test_papers_match_loosely_and_a_missing_one_is_named() -> None:
    papers = (
        PAPERS + "* Giấy tờ phải xuất trình:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Hộ chiếu hoặc thẻ căn cước.1 bản chính"
    )
    fact = _facts(_curated(), papers=papers)["documents"]
    assert fact.outcome is Outcome.UNMARKED
    assert "Hộ chiếu hoặc thẻ căn cước" in fact.portal
    assert "Giấy chứng sinh" not in fact.portal + fact.curated  # matched across wordings
    extra = _curated(documents=[{"papers": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Sổ hộ khẩu gia đình"}]}])
    assert "Sổ hộ khẩu gia đình" in _facts(extra)["documents"].curated


def _papers_table(*names: str) -> str:
    return "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng" + "".join(f"- {name}.1 bản chính" for name in names)


IDENTITY = (
    "Hộ chiếu/Thẻ căn cước/Căn cước điện tử hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có "
    "thẩm quyền cấp, còn giá trị sử dụng để chứng minh về nhân thân khi làm thủ tục trực tiếp"
)


def test_a_short_name_whose_words_are_scattered_over_a_long_one_is_another_paper() -> None:
    # every word of 'Giấy tờ tùy thân' but 'tùy' is somewhere in IDENTITY (token_set_ratio 86): not the same paper
    curated = _curated(documents=[{"papers": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy tờ tùy thân"}]}])
    fact = _facts(curated, papers=_papers_table("Tờ khai đăng ký khai sinh theo mẫu", IDENTITY))["documents"]
    assert fact.outcome is Outcome.UNMARKED
    assert (fact.curated, fact.portal) == ("only: Giấy tờ tùy thân", f"only: {IDENTITY}")
    # and the other way round: the portal's short name is not found in a long curated one either
    long = _curated(documents=[{"papers": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": IDENTITY}]}])
    fact = _facts(long, papers=_papers_table("Tờ khai đăng ký khai sinh", "Giấy tờ tùy thân"))["documents"]
    assert (fact.curated, fact.portal) == (f"only: {IDENTITY}", "only: Giấy tờ tùy thân")


def test_the_same_paper_written_differently_still_matches_both_ways() -> None:
    curated_names = [
        "Giấy khai sinh hoặc trích lục khai sinh",  # the portal's name is longer: copy, and for whom
        "Văn bản xác nhận của UBND cấp xã về nơi phương tiện thường xuyên đậu, đỗ",  # abbreviation, word order
        "Bản chụp thẻ Căn cước công dân hoặc Chứng minh nhân dân",  # alternatives in the other order
        "Giấy tờ tùy thân",  # the portal's own short name for its long one
        "Bản sao giấy tờ chứng minh quyền sở hữu xe đối với trường hợp đã bán, cho, tặng xe cho người khác",  # longer
    ]
    portal_names = [
        "Bản sao giấy khai sinh hoặc trích lục giấy khai sinh đối với người chưa đủ 14 tuổi",
        "Văn bản xác nhận của Ủy ban nhân dân cấp xã về địa điểm phương tiện đăng ký đậu, đỗ thường xuyên",
        "Bản chụp Chứng minh nhân dân hoặc Thẻ căn cước công dân đối với trường hợp thay đổi thông tin nhân thân",
        IDENTITY + " (sau đây gọi tắt là giấy tờ tùy thân)",
        "Giấy tờ chứng minh quyền sở hữu xe",
    ]
    curated = _curated(documents=[{"papers": [{"name": name} for name in curated_names]}])
    fact = _facts(curated, papers=_papers_table(*portal_names))["documents"]
    assert (fact.outcome, fact.curated, fact.portal) == (Outcome.AGREE, "5 same", "5 same")


def test_agencies_and_legal_basis_differ_by_name_and_number() -> None:
    curated = _curated(
        agencies={"executing": ["Công an Thành phố Hồ Chí Minh"]}, legal_basis=[{"number": "1/2020/QH14"}]
    )
    facts = _facts(curated)
    assert facts["agencies.executing"].outcome is Outcome.UNMARKED
    assert "Ủy ban Nhân dân xã" in facts["agencies.executing"].portal
    assert ("1/2020/QH14" in facts["legal_basis"].curated, "60/2014/QH13" in facts["legal_basis"].portal) == (
        True,
        True,
    )


def _write(folder: Path, curated: list[dict], portal: dict[str, dict]) -> tuple[Path, Path]:
    (folder / "curated").mkdir()
    (folder / "curated" / "records.yml").write_text(yaml.safe_dump(curated, allow_unicode=True), encoding="utf-8")
    (folder / "portal" / "bo-tu-phap").mkdir(parents=True)
    for name, record in portal.items():
        (folder / "portal" / "bo-tu-phap" / name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return folder / "curated", folder / "portal"


def test_report_lists_records_without_portal_record_and_totals(tmp_path: Path) -> None:
    other = _curated(code="1.000002", name="Thủ tục khác")
    portal = {f"{CODE}.json": _portal_record("Trực tiếp5 Ngày làm việcMiễn phíTrực tuyến3 Ngày làm việcMiễn phí")}
    _, portal_dir = _write(tmp_path, [_curated(), other], portal)
    report = diff_catalogue([Procedure.parse_obj(_curated()), Procedure.parse_obj(other)], portal_dir)
    text = render(report)
    assert f"no portal record in {portal_dir}" in text
    assert "[unmarked] channels.truc_tiep.time" in text
    assert "curated: 3 ngày làm việc" in text and "portal:  5 ngày làm việc" in text
    assert "Records compared: 1   no portal record: 1" in text
    assert "agree: 6   marked: 0   unmarked: 1" in text


def test_cli_exits_1_under_strict_only_for_unmarked_differences(tmp_path: Path) -> None:
    portal = {f"{CODE}.json": _portal_record("Trực tiếp5 Ngày làm việcMiễn phíTrực tuyến3 Ngày làm việcMiễn phí")}
    curated_dir, portal_dir = _write(tmp_path, [_curated()], portal)
    env = os.environ | {"PYTHONPATH": str(ROOT), "MOTCUA_CURATED_DIR": str(curated_dir)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "bot", "catalogue", "diff", str(portal_dir), *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    plain, strict = run(), run("--strict")
    assert (plain.returncode, strict.returncode) == (0, 1)
    assert "[unmarked] channels.truc_tiep.time" in strict.stdout
    marked = _curated(differences=[{"path": "channels.truc_tiep.time", "reason": "the description says 3 ngày"}])
    (curated_dir / "records.yml").write_text(yaml.safe_dump([marked], allow_unicode=True), encoding="utf-8")
    again = run("--strict")
    assert again.returncode == 0, again.stdout
    assert "[marked] channels.truc_tiep.time" in again.stdout and "reason:  the description says 3 ngày" in again.stdout
