"""The national portal importer: parsing of flattened fields, and the import of the shared sample."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.catalogue import portal
from bot.catalogue.importer import ImportReport, ImportResult, import_portal, run_import, write_catalogue
from bot.catalogue.model import Channel, Level, Procedure, TimeUnit
from bot.catalogue.portal import Status

NATIONAL = Path(__file__).resolve().parents[1].parent / "shared" / "catalogue" / "national"
if not NATIONAL.is_dir():
    pytest.skip(f"national portal sample not found at {NATIONAL}", allow_module_level=True)

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
WRONG_RECORDS = {  # file -> code whose page the file really holds
    "bo-cong-an/3.000285.json": "1.014023",
    "bo-cong-an/1.014208.json": "1.014023",
    "bo-cong-an/2.001428.json": "3.000579",
    "bo-cong-an/3.000331.json": "3.000579",
    "bo-tu-phap/1.002544.json": "1.014023",
}


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_portal(NATIONAL)


@pytest.fixture(scope="module")
def by_code(result: ImportResult) -> dict[str, Procedure]:
    return {p.code: p for p in result.procedures}


def _channel(procedure: Procedure, channel: Channel):
    row = procedure.channel(channel)
    assert row is not None, f"{procedure.code} has no {channel.value} row"
    return row


def _papers(procedure: Procedure, case: str | None = None):
    return [paper for group in procedure.documents if group.case == case for paper in group.papers]


def _record(path: Path, **changes: str) -> Path:
    data = json.loads((NATIONAL / "bo-cong-an" / "1.004222.json").read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the whole sample


def test_every_file_is_imported_or_rejected(result: ImportResult) -> None:
    files = sorted(NATIONAL.rglob("*.json"))
    report = result.report
    assert len(files) == report.files == 2642
    assert report.imported + len(report.rejected) == len(files)
    assert report.imported == len(result.procedures) == len({p.code for p in result.procedures})
    rejected = {r.file for r in report.rejected}
    imported = {p.code for p in result.procedures}
    for file in files:
        code = json.loads(file.read_text(encoding="utf-8"))["ma_thu_tuc"]
        assert (file.relative_to(NATIONAL).as_posix() in rejected) != (code in imported), file


def test_wrong_procedures_are_rejected_naming_the_page_code(result: ImportResult, by_code) -> None:
    reasons = {r.file: r.reason for r in result.report.rejected}
    assert len(reasons) == 17
    assert all(reason.startswith("wrong procedure") for reason in reasons.values())
    for file, other in WRONG_RECORDS.items():
        assert other in reasons[file]
        assert Path(file).stem not in by_code


def test_report_counts_fields(result: ImportResult) -> None:
    fields = result.report.fields
    for name, counts in fields.items():
        assert sum(counts.values()) == result.report.imported, name
    assert fields["channels"][Status.PARSED] > 2500
    assert fields["documents"][Status.PARSED] > 2400
    assert fields["documents"][Status.RAW] > 0  # BHXH records whose dossier column holds other text
    text = result.report.render()
    assert "Files: 2642" in text and "imported: 2625" in text and "rejected: 17" in text
    assert "bo-cong-an/3.000285.json: wrong procedure" in text
    assert "legal_basis" in text
    assert fields["fee"][Status.PARSED] > 1850 and fields["fee"][Status.RAW] > 300  # 'Miễn phí(theo HĐND…)'
    assert fields["time"][Status.PARSED] > 2050 and fields["time"][Status.RAW] > 300  # a bare '1'
    assert re.search(r"^fee +1\d{3} +\d+ +\d+ +7\d\.\d%$", text, re.M)
    assert re.search(r"^time +2\d{3} +\d+ +\d+ +7\d\.\d%$", text, re.M)


def test_report_renders_structured_share() -> None:
    report = ImportReport(source="x", files=4, imported=4)
    report.fields["fee"].update({Status.PARSED: 3, Status.EMPTY: 1})
    assert re.search(r"^fee +3 +0 +1 +75\.0%$", report.render(), re.M)


def test_no_page_text_is_copied(result: ImportResult) -> None:
    sample = json.loads((NATIONAL / "bo-tu-phap" / "1.001193.json").read_text(encoding="utf-8"))["raw_text"]
    dumped = result.procedures[0].json() + next(p for p in result.procedures if p.code == "1.001193").json()
    assert sample[:200] not in dumped
    assert all(p.source.origin == "national" for p in result.procedures)


# ---------------------------------------------------------------- spot checks of real records


def test_thuong_tru_1_004222(by_code) -> None:
    p = by_code["1.004222"]
    assert p.name == "Đăng ký thường trú" and p.decision == "1523/QĐ-BCA-C06" and p.levels == [Level.COMMUNE]
    online, in_person = _channel(p, Channel.ONLINE), _channel(p, Channel.IN_PERSON)
    assert (online.time.value, online.time.unit, online.fee.amount) == (7, TimeUnit.WORKING_DAY, 10000)
    assert (in_person.time.value, in_person.time.unit, in_person.fee.amount) == (7, TimeUnit.WORKING_DAY, 20000)
    assert p.channel(Channel.POSTAL) is None
    assert len(p.steps) == 5 and p.steps[1] == "Cá nhân, tổ chức nộp hồ sơ đến Công an cấp xã."
    numbers = [law.number for law in p.legal_basis]
    assert {"68/2020/QH14", "154/2024/NĐ-CP", "66.7/2025/NQ-CP", "53/2025/TT-BCA", "58/2026/NĐ-CP"} <= set(numbers)
    assert "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư" in p.results
    assert "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình" in [g.case for g in p.documents]
    assert str(p.source.url) == "https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bf7-7704-7449-9e95-fe7ebb959aa2"
    assert p.agencies.executing == ["Công an cấp Xã"] and p.unparsed == []


def test_khai_sinh_1_001193(by_code) -> None:
    p = by_code["1.001193"]
    common = {paper.name: paper for paper in _papers(p)}
    birth = common["Giấy chứng sinh"]
    assert birth.originals == 1 and "không có Giấy chứng sinh" in birth.note
    assert "không phải nộp bản giấy" in birth.not_needed_reason
    abandoned = _papers(p, "Trường hợp trẻ em bị bỏ rơi")
    assert [paper.name for paper in abandoned] == ["Biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập"]
    assert _papers(p, "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ")
    shown = [paper.name for paper in common.values() if paper.present_only]
    assert len(shown) == 2 and shown[1].startswith("Hộ chiếu/Thẻ căn cước công dân")
    assert any(name.startswith("Tờ khai đăng ký khai sinh") for name in common)
    assert "Lưu ý" not in common and p.documents_text  # notes are kept beside the papers
    assert [row.channel for row in p.channels] == [Channel.ONLINE, Channel.POSTAL, Channel.IN_PERSON]
    for row in p.channels:  # 'Trực tuyến1Miễn phí': free, and a bare '1' keeps no unit
        assert row.fee.amount == 0 and row.time.value is None and row.time.text == "1"
    assert p.unverified == ["time"]
    assert p.results == ["Giấy khai sinh"] and len(p.steps) == 6 and p.steps[-1].startswith("Lưu ý: Trường hợp")
    assert {"60/2014/QH13", "123/2015/NĐ-CP", "18/2026/NĐ-CP", "87/2020/NĐ-CP"} <= {x.number for x in p.legal_basis}


def test_driving_licence_fee_trap_3_000347(by_code) -> None:
    p = by_code["3.000347"]
    assert p.levels == [Level.MINISTRY]
    for row in p.channels:  # 'Miễn phí(- Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần…)'
        assert row.fee.amount is None and "135.000 đồng" in row.fee.text
        assert (row.time.value, row.time.unit) == (5, TimeUnit.WORKING_DAY)
    assert "fee" in p.unverified


def test_bo_tai_chinh_company_2_001583(by_code) -> None:
    p = by_code["2.001583"]
    assert p.decision == "92/QĐ-BTC" and p.levels == [Level.MINISTRY, Level.PROVINCE]
    assert _channel(p, Channel.ONLINE).fee.amount == 100000 and _channel(p, Channel.IN_PERSON).fee.amount == 50000
    assert all((row.time.value, row.time.unit) == (3, TimeUnit.WORKING_DAY) for row in p.channels)
    assert [paper.name for paper in _papers(p, "Trường hợp đăng ký doanh nghiệp xã hội")][:2] == [
        "Giấy đề nghị đăng ký doanh nghiệp",
        "Điều lệ công ty",
    ]
    assert {"47/2019/TT-BTC", "168/2025/NĐ-CP", "59/2020/QH14"} <= {x.number for x in p.legal_basis}


def test_bo_tai_chinh_household_business_1_001612(by_code) -> None:
    p = by_code["1.001612"]
    online = _channel(p, Channel.ONLINE)
    assert online.time is None and online.fee.amount == 150000  # 'Không có thông tin150,000 Việt Nam Đồng(…)'
    assert "Giấy chứng nhận đăng ký hộ kinh doanh" in p.results
    assert _papers(p)[0].name == "Giấy đề nghị đăng ký hộ kinh doanh"


def test_bhxh_dossier_kept_as_text_1_001613(by_code) -> None:
    p = by_code["1.001613"]
    assert p.documents == [] and p.documents_text and set(p.unparsed) == {"documents", "steps"}
    assert all(row.fee.amount == 0 and row.time.value == 5 for row in p.channels)
    assert "Quyết định về việc hưởng BHXH một lần" in p.results


def test_bo_xay_dung_building_permit_1_013225(by_code) -> None:
    p = by_code["1.013225"]
    assert p.decision == "56/QĐ-BXD" and p.levels == [Level.COMMUNE, Level.OTHER]
    assert (_channel(p, Channel.IN_PERSON).time.value, _channel(p, Channel.ONLINE).time.value) == (15, 20)
    assert _channel(p, Channel.ONLINE).time.unit == TimeUnit.DAY
    fee = _channel(p, Channel.IN_PERSON).fee  # 'Miễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh.)'
    assert fee.amount is None and "Hội đồng nhân dân cấp tỉnh" in fee.text
    assert _papers(p, "Đối với công trình nhà ở riêng lẻ")
    assert {"175/2024/NĐ-CP", "50/2014/QH13"} <= {x.number for x in p.legal_basis}


def test_land_registration_times_by_channel_1_013978(by_code) -> None:
    p = by_code["1.013978"]
    times = {row.channel: (row.time.value, row.time.unit) for row in p.channels}
    assert times == {
        Channel.ONLINE: (17, TimeUnit.WORKING_DAY),
        Channel.POSTAL: (20, TimeUnit.WORKING_DAY),
        Channel.IN_PERSON: (27, TimeUnit.WORKING_DAY),
    }


def test_tam_tru_and_passport_fees(by_code) -> None:
    temporary = by_code["1.004194"]
    assert (_channel(temporary, Channel.ONLINE).fee.amount, _channel(temporary, Channel.IN_PERSON).fee.amount) == (
        7000,
        10000,
    )
    passport = by_code["1.001456"]
    assert _channel(passport, Channel.IN_PERSON).fee.amount == 200000
    assert _channel(passport, Channel.ONLINE).time.value == 8
    assert {"110/2020/TT-BCA", "49/2019/QH14", "23/2023/QH15"} <= {x.number for x in passport.legal_basis}


def test_state_bank_licence_and_forms_1_000756(by_code) -> None:
    p = by_code["1.000756"]
    assert all(row.fee.amount == 10_000_000 and row.time.value == 60 for row in p.channels)
    application = _papers(p)[0]
    assert application.name.startswith("Đơn đề nghị cấp Giấy phép theo Mẫu số 07")
    assert application.form == "Mẫu số 07.docx"


def test_same_channel_rows_are_merged_2_000815(by_code) -> None:
    p = by_code["2.000815"]  # two 'Trực tiếp' rows: 2.000 đồng/trang in Vietnam, 10 USD/bản abroad
    assert [row.channel for row in p.channels] == [Channel.IN_PERSON]
    fee = p.channels[0].fee
    assert fee.amount is None and "2.000 đồng" in fee.text and "10 USD" in fee.text


# ---------------------------------------------------------------- parsing functions on literal strings


@pytest.mark.parametrize(
    ("cell", "description", "amount", "text"),
    [
        ("10,000 Việt Nam Đồng", "10.000 đồng/lần", 10000, "10.000 đồng/lần"),
        ("1,000,000 VNĐ", None, 1_000_000, None),
        ("Miễn phí", None, 0, None),
        ("Miễn phí", "Không có", 0, None),
        ("Miễn phí", "Không thu lệ phí", 0, "Không thu lệ phí"),
        ("Miễn phí", "Lệ phí cấp GPLX: 135.000 đồng/lần…", None, "Miễn phí (Lệ phí cấp GPLX: 135.000 đồng/lần…)"),
        ("Miễn phí", "Mức lệ phí do HĐND tỉnh quyết định", None, "Miễn phí (Mức lệ phí do HĐND tỉnh quyết định)"),
        ("Miễn phí", "Miễn phí đối với: người di cư từ Lào", None, "Miễn phí (Miễn phí đối với: người di cư từ Lào)"),
        ("20 VNĐ", "20.000 đ/tờ khai", 20000, "20.000 đ/tờ khai"),  # in thousands, as the description says
        ("20 VNĐ", "Phí hải quan", None, "20 VNĐ (Phí hải quan)"),  # a slip nothing confirms
        ("800,000 VNĐ", "áp dụng mức phí 400.000 đồng/hồ sơ", None, "800,000 VNĐ (áp dụng mức phí 400.000 đồng/hồ sơ)"),
        ("145 USD", None, None, "145 USD"),
    ],
)
def test_parse_fee(cell: str, description: str | None, amount: int | None, text: str | None) -> None:
    fee = portal.parse_fee(cell, description)
    assert (fee.amount, fee.text) == (amount, text)


def test_parse_fee_placeholders() -> None:
    assert portal.parse_fee("Không có thông tin") is None
    assert portal.parse_fee("Không có thông tin", "theo quy định").text == "theo quy định"
    assert portal.parse_amount("135.000 đồng") == 135000 and portal.parse_amount("không") is None


def test_parse_duration() -> None:
    week = portal.parse_duration("7 Ngày làm việc")
    assert (week.value, week.unit, week.text) == (7, TimeUnit.WORKING_DAY, None)
    assert portal.parse_duration("2 Giờ").unit == TimeUnit.HOUR
    bare = portal.parse_duration("1")
    assert (bare.value, bare.text) == (None, "1")
    stated = portal.parse_duration("1", "Trong thời hạn 01 ngày làm việc kể từ ngày nhận hồ sơ")
    assert (stated.value, stated.unit) == (1, TimeUnit.WORKING_DAY)
    assert portal.parse_duration("Không có thông tin") is None
    assert portal.parse_duration("Không phải trả kết quả").text == "Không phải trả kết quả"


def test_parse_channels() -> None:
    rows = portal.parse_channels(HEADER + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phí")
    assert rows.status is Status.PARSED and [r.channel for r in rows.items] == [Channel.ONLINE, Channel.POSTAL]
    glued = portal.parse_channels(
        HEADER + "Trực tuyến1100,000 VNĐ(Phí công bố: 100.000 đồng/lần)"
        "Trực tiếp7 Ngày làm việcMiễn phí- Trực tuyến: nộp qua Cổng dịch vụ công"
    ).items
    assert len(glued) == 2  # 'Trực tuyến:' inside a description starts no row
    assert (glued[0].time.text, glued[0].fee.amount) == ("1", 100000)
    assert glued[0].fee.text == "Phí công bố: 100.000 đồng/lần"
    assert glued[1].fee.amount == 0 and glued[1].note == "- Trực tuyến: nộp qua Cổng dịch vụ công"
    merged = portal.parse_channels(
        HEADER + "Trực tiếp5 Ngày làm việcMiễn phíCấp mới" + "Trực tiếp3 Ngày làm việcMiễn phíCấp lại"
    )
    assert len(merged.items) == 1 and merged.items[0].time.text == "5 ngày làm việc; 3 ngày làm việc"
    assert merged.items[0].fee.amount == 0 and merged.items[0].note == "Cấp mới\nCấp lại"
    assert portal.parse_channels(HEADER).status is Status.EMPTY
    assert portal.parse_channels("Nộp trực tiếp tại Sở").status is Status.RAW


def test_parse_quantity_and_placeholders() -> None:
    assert portal.parse_quantity("1 bản chính") == (1, 0)
    assert portal.parse_quantity("0 bản chính,1 bản sao") == (0, 1)
    assert portal.parse_quantity("2 bản chính,1 bản sao") == (2, 1)
    assert [portal.clean_text(v) for v in ("Không có thông tin", " Không. ", "--", "")] == [None] * 4
    assert portal.clean_text("Có hộ chiếu\n\n còn hạn") == "Có hộ chiếu\ncòn hạn"


def test_parse_documents() -> None:
    text = (
        f"* Giấy tờ phải nộp:{DOC_HEADER}- Tờ khai theo mẫuMẫu TK01.docx1 bản chính"
        "- Trường hợp ủy quyền thì phải có văn bản ủy quyền.1 bản chính"
        "Trường hợp đã khai thác được dữ liệu điện tử của Giấy chứng sinh thì không phải nộp bản giấy.0 bản chính"
        "- Giấy chứng sinh; nếu không có thì nộp giấy cam đoan.1 bản chính"
        f"* Giấy tờ phải xuất trình:{DOC_HEADER}- Hộ chiếu hoặc thẻ căn cước1 bản chính"
        f"* Lưu ý:{DOC_HEADER}- Giấy tờ nước ngoài phải hợp pháp hóa lãnh sự.0 bản chính"
        f"Trường hợp nộp qua bưu chính{DOC_HEADER}Bản sao giấy khai sinh0 bản chính,1 bản sao"
    )
    parsed = portal.parse_documents(text)
    assert parsed.status is Status.PARSED
    groups = {group.case: group.papers for group in parsed.items}
    assert list(groups) == [None, "Trường hợp ủy quyền", "Trường hợp nộp qua bưu chính"]
    form, birth, passport = groups[None]
    assert (form.name, form.form, form.originals) == ("Tờ khai theo mẫu", "Mẫu TK01.docx", 1)
    assert birth.name == "Giấy chứng sinh" and birth.note == "Nếu không có thì nộp giấy cam đoan"
    assert "không phải nộp bản giấy" in birth.not_needed_reason
    assert passport.present_only and not birth.present_only
    assert [p.name for p in groups["Trường hợp ủy quyền"]] == ["Văn bản ủy quyền"]
    postal = groups["Trường hợp nộp qua bưu chính"][0]
    assert (postal.name, postal.originals, postal.copies) == ("Bản sao giấy khai sinh", 0, 1)
    assert parsed.text == "Giấy tờ nước ngoài phải hợp pháp hóa lãnh sự."


def test_parse_documents_without_papers() -> None:
    assert portal.parse_documents(f"--{DOC_HEADER}Không quy định0 bản chính").status is Status.EMPTY
    assert portal.parse_documents("--").status is Status.EMPTY
    raw = portal.parse_documents("Hồ sơ gồm đơn đề nghị và bản sao giấy phép.")
    assert raw.status is Status.RAW and raw.items == [] and raw.text == "Hồ sơ gồm đơn đề nghị và bản sao giấy phép."
    notes = portal.parse_documents(
        f"--{DOC_HEADER}a) Tờ khai hải quan;0 bản chính" + "b) Chứng từ: 01 bản chụp.0 bản chính"
    )
    assert notes.status is Status.RAW and notes.text == "Tờ khai hải quan\nChứng từ: 01 bản chụp."


def test_parse_steps() -> None:
    marked = portal.parse_steps("Bước 1: Nộp hồ sơ.\n Bước 2: Kiểm tra\n- Trường hợp thiếu thì bổ sung\nBước 3: Trả")
    assert marked.items == ["Nộp hồ sơ.", "Kiểm tra\n- Trường hợp thiếu thì bổ sung", "Trả"]
    bullets = portal.parse_steps("- Nộp hồ sơ tại\nTrung tâm\n- Nhận kết quả\n* Lưu ý:\n- Không thu phí")
    assert bullets.items == ["Nộp hồ sơ tại\nTrung tâm", "Nhận kết quả", "Lưu ý: Không thu phí"]
    lettered = portal.parse_steps("a) Nộp hồ sơ TTHC:\n- Tổ chức nộp hồ sơ\nb) Giải quyết TTHC:\n- Trong 02 ngày")
    assert lettered.items == ["Nộp hồ sơ TTHC:\nTổ chức nộp hồ sơ", "Giải quyết TTHC:\nTrong 02 ngày"]
    single = portal.parse_steps("Cơ quan thuế tiếp nhận và trả kết quả.")
    assert single.status is Status.RAW and single.items == ["Cơ quan thuế tiếp nhận và trả kết quả."]
    assert portal.parse_steps("Không có thông tin").status is Status.EMPTY


def test_parse_legal_basis() -> None:
    text = (
        "Tên văn bản pháp lýMã văn bảnLuật Cư trú 202068/2020/QH14Nghị định quy định chi tiết154/2024/NĐ-CP"
        "Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an53/2025/TT-BCALuật 60/2014/QH1360/2014/QH13"
        "Nghị quyết 02/2012/NQ-HĐTP02/2012/NQ-HĐTPQUYẾT ĐỊNH CỦA THỦ TƯỚNG15/2020/QĐ-TTg"
    )
    parsed = portal.parse_legal_basis(text)
    assert parsed.status is Status.PARSED
    assert [(x.number, x.title) for x in parsed.items] == [
        ("68/2020/QH14", "Luật Cư trú 2020"),
        ("154/2024/NĐ-CP", "Nghị định quy định chi tiết"),
        ("53/2025/TT-BCA", "Thông tư số 53/2025/TT-BCAngày 01/7/2025 của Bộ Công an"),
        ("60/2014/QH13", "Luật 60/2014/QH13"),
        ("02/2012/NQ-HĐTP", "Nghị quyết 02/2012/NQ-HĐTP"),
        ("15/2020/QĐ-TTg", "QUYẾT ĐỊNH CỦA THỦ TƯỚNG"),
    ]
    leftover = portal.parse_legal_basis("Tên văn bản pháp lýMã văn bảnLuật Đất đai24/2024/QH15Bộ luật Hàng hải")
    assert leftover.status is Status.RAW and [x.number for x in leftover.items] == ["24/2024/QH15"]


def test_parse_results_levels_and_lists() -> None:
    results = portal.parse_results("Giấy khai sinhMã: KQ.G15.000031Bản saoMã: BQP-CCS.KQ0001Từ khóaKhông có thông tin")
    assert results.items == ["Giấy khai sinh", "Bản sao"] and results.status is Status.PARSED
    assert portal.parse_levels("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác") == [
        Level.MINISTRY,
        Level.PROVINCE,
        Level.COMMUNE,
        Level.OTHER,
    ]
    assert portal.parse_levels("") == []
    subjects = "Công dân Việt Nam, Cán bộ, công chức, viên chức, Tổ chức (không bao gồm doanh nghiệp, HTX)"
    assert portal.split_list(subjects) == [
        "Công dân Việt Nam",
        "Cán bộ, công chức, viên chức",
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
    ]


def test_page_code_ignores_whitespace() -> None:
    page = "Tên thủ tụcĐăng ký thường trúMã thủ\n tục 1.004222Số quyết định"
    assert portal.names_code(page, "1.004222") and not portal.names_code(page, "1.00422")
    assert portal.page_code("…Mã thủ tục1.014023Số quyết định") == "1.014023"
    assert portal.page_code("no code here") is None


# ---------------------------------------------------------------- files, output and CLI entry


def test_bad_files_are_rejected_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"ma_thu_tuc": "1.0', encoding="utf-8")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    _record(tmp_path / "no_code.json", ma_thu_tuc="")
    _record(tmp_path / "no_name.json", ten_thu_tuc="Không có thông tin")
    _record(tmp_path / "bad_code.json", ma_thu_tuc="1.4222")
    _record(tmp_path / "a_good.json")
    sub = tmp_path / "other-sector"
    sub.mkdir()
    _record(sub / "copy.json")
    _record(sub / "wrong.json", ma_thu_tuc="1.004194")
    result = import_portal(tmp_path)
    reasons = {r.file: r.reason for r in result.report.rejected}
    assert [p.code for p in result.procedures] == ["1.004222"]
    assert reasons["broken.json"].startswith("unreadable JSON")
    assert reasons["list.json"].startswith("unreadable JSON")
    assert reasons["no_code.json"] == "missing code (ma_thu_tuc)"
    assert reasons["no_name.json"] == "missing name (ten_thu_tuc)"
    assert reasons["bad_code.json"] == "invalid code '1.4222'"
    assert reasons["other-sector/copy.json"] == "duplicate code 1.004222 (already imported from a_good.json)"
    assert "1.004222" in reasons["other-sector/wrong.json"] and "1.004194" in reasons["other-sector/wrong.json"]
    assert result.report.files == 8 and result.report.imported == 1


def test_a_parser_failure_rejects_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _record(tmp_path / "one.json")
    monkeypatch.setattr(portal, "parse_steps", lambda text: 1 / 0)
    result = import_portal(tmp_path)
    assert result.procedures == []
    assert [(r.file, r.reason) for r in result.report.rejected] == [
        ("one.json", "parser error: ZeroDivisionError: division by zero")
    ]


def test_single_file_and_progress_bar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = import_portal(NATIONAL / "bo-tu-phap" / "1.001193.json", progress=True)
    assert [p.code for p in result.procedures] == ["1.001193"] and result.report.files == 1
    assert "1/1" in capsys.readouterr().err


def test_write_catalogue_round_trips(tmp_path: Path, by_code) -> None:
    procedures = [by_code[code] for code in ("1.004222", "1.001193", "3.000347", "1.001613", "1.013225", "2.000815")]
    out = tmp_path / "nested" / "national.json"
    write_catalogue(procedures, out)
    text = out.read_text(encoding="utf-8")
    assert "Đăng ký thường trú" in text and "raw_text" not in text and "null" not in text
    assert [Procedure.parse_obj(item) for item in json.loads(text)] == procedures


def test_run_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in"
    source.mkdir()
    _record(source / "1.004222.json")
    (source / "broken.json").write_text("{", encoding="utf-8")
    out = tmp_path / "out.json"
    assert run_import(source, out, progress=False) == 0
    assert [p["code"] for p in json.loads(out.read_text(encoding="utf-8"))] == ["1.004222"]
    printed = capsys.readouterr().out
    assert "imported: 1" in printed and "broken.json: unreadable JSON" in printed
    (source / "1.004222.json").unlink()
    assert run_import(source, tmp_path / "none.json", progress=False) == 1
    assert not (tmp_path / "none.json").exists()
    assert run_import(tmp_path / "missing", out, progress=False) == 1
