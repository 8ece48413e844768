"""Fees and processing times parsed from real records of the national portal.

Each literal below is the exact `cach_thuc_thuc_hien` of one record of the national sample
(/work/shared/catalogue/national, absent on CI), chosen for one shape of fee or time cell.
"""

from __future__ import annotations

import pytest

from bot.catalogue import portal
from bot.catalogue.model import Channel, ChannelOption, TimeUnit

ONLINE, POSTAL, IN_PERSON = Channel.ONLINE, Channel.POSTAL, Channel.IN_PERSON
ALL = (ONLINE, POSTAL, IN_PERSON)
DAY, WORKING_DAY, HOUR = TimeUnit.DAY, TimeUnit.WORKING_DAY, TimeUnit.HOUR


def _rows(code: str) -> dict[Channel, ChannelOption]:
    return {row.channel: row for row in portal.parse_channels(RECORDS[code]).items}


@pytest.mark.parametrize(
    ("code", "amounts"),
    [
        ("3.000370", dict.fromkeys((ONLINE, IN_PERSON), 20000)),  # '20 VNĐ(20.000 đồng/lần.)': in thousands
        ("1.000014", dict.fromkeys((ONLINE, IN_PERSON), 20000)),  # time glued to it: '120 VNĐ(20.000 vnđ /tờ khai)'
        ("1.001200", {ONLINE: 40000, IN_PERSON: 50000}),
        ("1.012680", {ONLINE: None, IN_PERSON: 50000}),  # '25 VNĐ(25.000.000đ/giấy…)' confirms no figure
        ("3.000169", {ONLINE: None, POSTAL: 150000, IN_PERSON: 150000}),  # '1,500,000 VNĐ(150.000 đồng/1 giấy.)'
        ("1.000688", dict.fromkeys(ALL)),  # '800,000 VNĐ(áp dụng mức phí 400.000 đồng/hồ sơ … đến hết 31/12/2026)'
        ("1.001456", {ONLINE: 160000, POSTAL: 160000, IN_PERSON: 200000}),  # '160.000/hộ chiếu; cấp lại: 320.000đ'
        ("1.004242", dict.fromkeys(ALL, 100000)),  # two rows per channel, one amount worded twice
        ("6.003488", {ONLINE: 0}),  # 'Không quy định phí, lệ phí' in the description
        ("1.011471", dict.fromkeys(ALL, 0)),  # 'Miễn phí' alone
        ("3.000377", dict.fromkeys(ALL)),  # 'Miễn phí(20.000.000 đồng/lần)': the cell and its description disagree
        ("1.013230", dict.fromkeys(ALL)),  # 'Miễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh)'
        ("1.000931", {IN_PERSON: None}),  # '10 USD(10 USD/người)'
        ("1.013097", dict.fromkeys(ALL, 40000)),
    ],
)
def test_fee_amounts(code: str, amounts: dict[Channel, int | None]) -> None:
    rows = _rows(code)
    assert {channel: rows[channel].fee.amount for channel in rows} == amounts


def test_fee_text_keeps_the_official_wording() -> None:
    assert _rows("3.000169")[ONLINE].fee.text == "1,500,000 Việt Nam Đồng (150.000 đồng/1 giấy.)"
    assert _rows("3.000169")[IN_PERSON].fee.text == "150.000 đồng/1 giấy."
    assert _rows("1.001200")[ONLINE].fee.text.startswith("40.000đ/giấy thông hành (áp dụng đến hết ngày 31/12/2024")
    assert _rows("1.000688")[ONLINE].fee.text.startswith("800,000 Việt Nam Đồng (áp dụng mức phí 400.000 đồng/hồ sơ")
    assert _rows("6.003488")[ONLINE].fee.text == "Không quy định phí, lệ phí"
    assert "Hội đồng nhân dân cấp tỉnh" in _rows("1.013230")[POSTAL].fee.text


def test_contradicted_fees_are_doubtful() -> None:
    assert "fee" in portal.doubtful_aspects(list(_rows("3.000169").values()))
    assert "fee" in portal.doubtful_aspects(list(_rows("1.000688").values()))
    assert "fee" not in portal.doubtful_aspects(list(_rows("1.001200").values()))


@pytest.mark.parametrize(
    ("code", "times"),
    [
        ("1.004415", dict.fromkeys((POSTAL, IN_PERSON), (15, DAY))),  # '…Miễn phí15 ngày kể từ ngày nhận được hồ sơ…'
        ("1.014294", dict.fromkeys(ALL, (13, WORKING_DAY))),  # '* Thời hạn giải quyết: 13 ngày làm việc, kể từ…'
        ("1.013097", dict.fromkeys(ALL, (1.5, WORKING_DAY))),  # '1.5 Ngày làm việc'
        ("3.000370", dict.fromkeys((ONLINE, IN_PERSON), (1, HOUR))),
        ("1.003956", dict.fromkeys(ALL)),  # two steps: '02 ngày làm việc…; …33 ngày làm việc'
        ("1.000221", dict.fromkeys(ALL)),  # a date, not a period: 'Chậm nhất vào ngày 20 tháng đầu tiên hàng quý'
        ("1.003934", dict.fromkeys(ALL)),  # not a time limit: 'lưu lại tại cảng quá 24 giờ kể từ…'
        ("1.011471", dict.fromkeys(ALL)),  # a bare '1'
        ("1.014952", {ONLINE: None}),  # two rows, 3 and 10 days
    ],
)
def test_time_values(code: str, times: dict[Channel, tuple[float, TimeUnit] | None]) -> None:
    rows = _rows(code)
    found = {
        channel: (row.time.value, row.time.unit) if row.time and row.time.value is not None else None
        for channel, row in rows.items()
    }
    assert found == times


def test_times_without_figure_keep_their_text() -> None:
    assert [row.time.text for row in _rows("1.011471").values()] == ["1", "1", "1"]
    assert _rows("1.014952")[ONLINE].time.text == "3 ngày; 10 ngày"
    assert all(row.time is None for row in _rows("1.003956").values())


def test_duration_in_text() -> None:  # sentences of 1.013097 and 1.000221
    half = portal.duration_in_text("trong thời hạn 1,5 ngày làm việc kể từ thời điểm nhận được hồ sơ")
    assert (half.value, half.unit) == (1.5, WORKING_DAY)
    assert portal.duration_in_text("trong thời hạn 01 ngày làm việc …; trong thời hạn 1,5 ngày làm việc") is None
    assert portal.duration_in_text("Chậm nhất vào ngày 20 tháng đầu tiên hàng quý") is None


def test_named_amounts() -> None:
    assert portal.named_amounts("+ 160.000/hộ chiếu, trường hợp cấp lại: 320.000đ/hộ chiếu") == {160000, 320000}
    assert portal.named_amounts("* Theo Thông tư 25/2022/TT-BTC ngày 28/4/2022: 02 triệu đồng/lần cấp.") == {2_000_000}
    assert portal.named_amounts("Lệ phí: Phí: 400000 Đồng (- Sát hạch bổ sung năng định giấy phép)") == {400000}
    assert portal.named_amounts("Thông tư số 64/2025/TT-BTC ngày 30/6/2025; 50USD/chuyến bay") == set()


RECORDS: dict[str, str] = {  # code -> the exact `cach_thuc_thuc_hien` of the national sample
    "3.000370": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1 Giờ20 VNĐ(20.000 đồng/lần.)Trực tiếp1 Giờ20 VN"
        "Đ(20.000 đồng/lần.)"
    ),
    "1.000014": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 VNĐ(20."
        "000 vnđ /tờ khai)"
    ),
    "1.012680": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việc25 VNĐ(25.000.000đ/giấy thông hàn"
        "h (áp dụng đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC ngày 30/6/2025 của Bộ Tài chí"
        "nh).)Trực tiếp3 Ngày làm việc50 VNĐ(50.000đ/giấy thông hành (Thông tư số 25/2021/TT-BTC ngày 07/"
        "4/2021 của Bộ Tài chính).)"
    ),
    "1.001200": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 Ngày làm việc40 Việt Nam Đồng(40.000đ/giấy thô"
        "ng hành (áp dụng đến hết ngày 31/12/2024 theo Thông tư số 43/2024/TT-BTC của Bộ Tài chính).)Trực"
        " tiếp3 Ngày làm việc50 Việt Nam Đồng(50.000đ/giấy thông hành (Thông tư số 25/2021/TT-BTC ngày 07"
        "/4/2021 của Bộ Tài chính).)"
    ),
    "3.000169": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việc1,500,000 Việt Nam Đồng(150.000 đ"
        "ồng/1 giấy.)Nộp hồ sơ, nhận kết quả qua Cổng dịch vụ công (trừ các văn bản, giấy tờ không được p"
        "hép đăng tải qua hệ thống mạng theo quy định của pháp luật).Dịch vụ bưu chính5 Ngày làm việc150,"
        "000 VNĐ(150.000 đồng/1 giấy.)Nộp hồ sơ, trả kết quả qua dịch vụ bưu chính.Trực tiếp5 Ngày làm vi"
        "ệc150,000 Việt Nam Đồng(150.000 đồng/1 giấy.)Nộp hồ sơ, trả kết quả trực tiếp tại bộ phận tiếp n"
        "hận hồ sơ của Cục Cảnh sát quản lý hành chính về trật tự xã hội, Bộ Công an."
    ),
    "1.000688": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến15 Ngày làm việc800,000 Việt Nam Đồng(áp dụng mứ"
        "c phí 400.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 theo Thông tư số 64/2025/T"
        "T-BTC)Dịch vụ bưu chính15 Ngày làm việc800,000 Việt Nam Đồng((áp dụng mức phí 400.000 đồng/hồ sơ"
        " kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC))Trực tiếp15 Ngày "
        "làm việc800,000 Việt Nam Đồng((áp dụng mức phí 400.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết n"
        "gày 31/12/2026 theo Thông tư số 64/2025/TT-BTC))"
    ),
    "1.001456": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến8 Ngày làm việc160,000 Việt Nam Đồng(+ 160.000/h"
        "ộ chiếu, trường hợp cấp lại do bị hư hỏng hoặc bị mất: 320.000đ/hộ chiếu (áp dụng đến hết ngày 3"
        "1/12/2023 theo Thông tư số 44/2023/TT-BTC ngày 29/6/2023 của Bộ tài chính).)Dịch vụ bưu chính8 N"
        "gày làm việc160,000 Việt Nam Đồng(+ 160.000/hộ chiếu, trường hợp cấp lại do bị hư hỏng hoặc bị m"
        "ất: 320.000đ/hộ chiếu (áp dụng đến hết ngày 31/12/2023 theo Thông tư số 44/2023/TT-BTC ngày 29/6"
        "/2023 của Bộ tài chính).)Trực tiếp8 Ngày làm việc200,000 Việt Nam Đồng(200.000đ/ hộ chiếu. Trườn"
        "g hợp cấp lại do bị hỏng hoặc bị mất: 400.000đ/hộ chiếu (Thông tư số 25/2021/TT-BTC ngày 07/4/20"
        "21 của Bộ Tài chính).)"
    ),
    "1.004242": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việc100,000 VNĐ(Phí Thẩm tra, thẩm đị"
        "nh công bố cảng thủy nội địa: 100.000 đồng/lần.)Đối với cảng thủy nội địa không tiếp nhận phương"
        " tiện thủy nước ngoài: Trong thời hạn 05 ngày làm việc, kể từ ngày nhận đủ hồ sơ theo quy định.D"
        "ịch vụ bưu chính5 Ngày làm việc100,000 VNĐ(Phí Thẩm tra, thẩm định công bố cảng thủy nội địa: 10"
        "0.000 đồng/lần.)Đối với cảng thủy nội địa không tiếp nhận phương tiện thủy nước ngoài: Trong thờ"
        "i hạn 05 ngày làm việc, kể từ ngày nhận đủ hồ sơ theo quy định.Trực tiếp5 Ngày làm việc100,000 V"
        "NĐ(Phí Thẩm tra, thẩm định công bố cảng thủy nội địa: 100.000 đồng/lần.)Đối với cảng thủy nội đị"
        "a không tiếp nhận phương tiện thủy nước ngoài: Trong thời hạn 05 ngày làm việc, kể từ ngày nhận "
        "đủ hồ sơ theo quy định.Trực tuyến10 Ngày làm việc100,000 Việt Nam Đồng((Phí Thẩm tra, thẩm định "
        "công bố cảng thủy nội địa: 100.000 đồng/lần.))Đối với cảng thủy nội địa tiếp nhận phương tiện th"
        "ủy nước ngoài: + Thời hạn thẩm định hồ sơ: Trong thời hạn 05 ngày làm việc, kể từ ngày nhận đủ h"
        "ồ sơ theo quy định. + Thời hạn ban hành quyết định công bố: Trong thời hạn 05 ngày làm việc, kể "
        "từ ngày nhận đủ hồ sơ và báo cáo thẩm định.Dịch vụ bưu chính10 Ngày làm việc100,000 Việt Nam Đồn"
        "g((Phí Thẩm tra, thẩm định công bố cảng thủy nội địa: 100.000 đồng/lần.))Đối với cảng thủy nội đ"
        "ịa tiếp nhận phương tiện thủy nước ngoài: + Thời hạn thẩm định hồ sơ: Trong thời hạn 05 ngày làm"
        " việc, kể từ ngày nhận đủ hồ sơ theo quy định. + Thời hạn ban hành quyết định công bố: Trong thờ"
        "i hạn 05 ngày làm việc, kể từ ngày nhận đủ hồ sơ và báo cáo thẩm định.Trực tiếp10 Ngày làm việc1"
        "00,000 Việt Nam Đồng((Phí Thẩm tra, thẩm định công bố cảng thủy nội địa: 100.000 đồng/lần.))Đối "
        "với cảng thủy nội địa tiếp nhận phương tiện thủy nước ngoài: + Thời hạn thẩm định hồ sơ: Trong t"
        "hời hạn 05 ngày làm việc, kể từ ngày nhận đủ hồ sơ theo quy định. + Thời hạn ban hành quyết định"
        " công bố: Trong thời hạn 05 ngày làm việc, kể từ ngày nhận đủ hồ sơ và báo cáo thẩm định."
    ),
    "6.003488": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông có thông tinKhông có thông tin- Trực tuyến"
        " (hệ thống liên thông quản lý văn bản)\n- Thời hạn giải quyết: căn cứ quy chế về công tác văn th"
        "ư tại cơ quan, đơn vị có thẩm quyền giải quyết \n- Không quy định phí, lệ phí"
    ),
    "3.000377": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến20 NgàyMiễn phí(20.000.000 đồng/lần)Dịch vụ bưu "
        "chính20 NgàyMiễn phí(20.000.000 đồng/lần)Trực tiếp20 NgàyMiễn phí(20.000.000 đồng/lần)"
    ),
    "1.013230": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến20 NgàyMiễn phí(Theo quy định của Hội đồng nhân "
        "dân cấp tỉnh)Dịch vụ bưu chính20 NgàyMiễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh))Trực"
        " tiếp20 NgàyMiễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh)"
    ),
    "1.000931": ("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việc10 USD(10 USD/người)"),
    "1.011471": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí"
    ),
    "1.014952": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến3 NgàyMiễn phí\nThời hạn giải quyết:\n 03 ngày k"
        "ể từ khi hoàn thành kê khai hoạt động chăn nuôi trên Hệ thống cơ sở dữ liệu quốc gia về chăn nuô"
        "i (đối với tất cả các cơ sở chăn nuôi thuộc đối tượng phải kê khai chăn nuôi)Trực tuyến10 NgàyMi"
        "ễn phíThời hạn giải quyết:\n- 10 ngày làm việc kể từ khi hoàn thành kê khai trên Hệ thống cơ sở "
        "dữ liệu quốc gia về chăn nuôi (đối với cơ sở chăn nuôi không thuộc đối tượng phải kê khai chăn n"
        "uôi, cơ sở thu gom, giết mổ, pha lóc, sơ chế, chế biến, kinh doanh sản phẩm chăn nuôi, cơ sở kin"
        "h doanh chăn nuôi khác)."
    ),
    "1.013097": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1.5 Ngày làm việc40,000 Việt Nam Đồng(- Xe ô tô "
        "trên 10 chỗ)- Trường hợp Giấy chứng nhận cải tạo bị mất, hỏng, sai thông tin: trong thời hạn 01 "
        "ngày làm việc kể từ thời điểm nhận được hồ sơ đối với trường hợp hồ sơ lưu trữ tại cơ sở đăng ki"
        "ểm; trong thời hạn 1,5 ngày làm việc kể từ thời điểm nhận được hồ sơ đối với trường hợp hồ sơ lư"
        "u trữ tại cơ sở đăng kiểm khác.\n- Trường hợp giấy chứng nhận xe cơ giới cải tạo có thời hạn the"
        "o các quy định của pháp luật: ngay trong ngày nhận đủ hồ sơ và kết quả kiểm tra, đánh giá xe thự"
        "c tế đạt yêu cầu.\nDịch vụ bưu chính1.5 Ngày làm việc40,000 Việt Nam Đồng(- Xe ô tô trên 10 chỗ)"
        "- Trường hợp Giấy chứng nhận cải tạo bị mất, hỏng, sai thông tin: trong thời hạn 01 ngày làm việ"
        "c kể từ thời điểm nhận được hồ sơ đối với trường hợp hồ sơ lưu trữ tại cơ sở đăng kiểm; trong th"
        "ời hạn 1,5 ngày làm việc kể từ thời điểm nhận được hồ sơ đối với trường hợp hồ sơ lưu trữ tại cơ"
        " sở đăng kiểm khác.\n- Trường hợp giấy chứng nhận xe cơ giới cải tạo có thời hạn theo các quy đị"
        "nh của pháp luật: ngay trong ngày nhận đủ hồ sơ và kết quả kiểm tra, đánh giá xe thực tế đạt yêu"
        " cầu.\nTrực tiếp1.5 Ngày làm việc40,000 Việt Nam Đồng(- Xe ô tô trên 10 chỗ)- Trường hợp Giấy ch"
        "ứng nhận cải tạo bị mất, hỏng, sai thông tin: trong thời hạn 01 ngày làm việc kể từ thời điểm nh"
        "ận được hồ sơ đối với trường hợp hồ sơ lưu trữ tại cơ sở đăng kiểm; trong thời hạn 1,5 ngày làm "
        "việc kể từ thời điểm nhận được hồ sơ đối với trường hợp hồ sơ lưu trữ tại cơ sở đăng kiểm khác.\n"
        "- Trường hợp giấy chứng nhận xe cơ giới cải tạo có thời hạn theo các quy định của pháp luật: nga"
        "y trong ngày nhận đủ hồ sơ và kết quả kiểm tra, đánh giá xe thực tế đạt yêu cầu."
    ),
    "1.004415": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảDịch vụ bưu chínhKhông có thông tinMiễn phí15 ngày kể từ n"
        "gày nhận được hồ sơ hợp lệTrực tiếpKhông có thông tinMiễn phí15 ngày kể từ ngày nhận được hồ sơ "
        "hợp lệ"
    ),
    "1.014294": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếpKhông có thông tinKhông có thông tin* Cách thực h"
        "iện: Nộp hồ sơ về Bộ phận Tiếp nhận và Trả kết quả giải quyết thủ tục hành chính của Bộ Nông ngh"
        "iệp và Môi trường, địa chỉ tại số 10 Tôn Thất Thuyết, phường Cầu Giấy, thành phố Hà Nội.\n* Thời"
        " hạn giải quyết: 13 ngày làm việc, kể từ ngày tiếp nhận hồ sơ (thời hạn giải quyết không tính th"
        "ời gian lấy ý kiến các Bộ, ngành liên quan và Ủy ban nhân dân cấp tỉnh).Dịch vụ bưu chínhKhông c"
        "ó thông tinKhông có thông tin* Cách thực hiện: Nộp hồ sơ về Bộ phận Tiếp nhận và Trả kết quả giả"
        "i quyết thủ tục hành chính của Bộ Nông nghiệp và Môi trường, địa chỉ tại số 10 Tôn Thất Thuyết, "
        "phường Cầu Giấy, thành phố Hà Nội.\n* Thời hạn giải quyết: 13 ngày làm việc, kể từ ngày tiếp nhậ"
        "n hồ sơ (thời hạn giải quyết không tính thời gian lấy ý kiến các Bộ, ngành liên quan và Ủy ban n"
        "hân dân cấp tỉnh).Trực tuyếnKhông có thông tinKhông có thông tin* Cách thực hiện: Nộp hồ sơ thôn"
        "g qua Cổng Dịch vụ công quốc gia (địa chỉ http://dichvucong.gov.vn) hoặc Hệ thống thông tin giải"
        " quyết thủ tục hành chính của Bộ Nông nghiệp và Môi trường (địa chỉ http://dichvucong.mae.gov.vn"
        ").\n* Thời hạn giải quyết: 13 ngày làm việc, kể từ ngày tiếp nhận hồ sơ (thời hạn giải quyết khô"
        "ng tính thời gian lấy ý kiến các Bộ, ngành liên quan và Ủy ban nhân dân cấp tỉnh)."
    ),
    "1.003956": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông có thông tinMiễn phía) Thông báo Phương án"
        " bảo vệ và khai thác nguồn lợi thủy sản: 02 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ; b) "
        "Thẩm định hồ sơ và trình Chủ tịch Ủy ban nhân dân cấp xã xem xét, quyết định: 33 ngày làm việc.D"
        "ịch vụ bưu chínhKhông có thông tinMiễn phía) Thông báo Phương án bảo vệ và khai thác nguồn lợi t"
        "hủy sản: 02 ngày làm việc kể từ ngày nhận được hồ sơ đầy đủ; b) Thẩm định hồ sơ và trình Chủ tịc"
        "h Ủy ban nhân dân cấp xã xem xét, quyết định: 33 ngày làm việc.Trực tiếpKhông có thông tinMiễn p"
        "hía) Thông báo Phương án bảo vệ và khai thác nguồn lợi thủy sản: 02 ngày làm việc kể từ ngày nhậ"
        "n được hồ sơ đầy đủ; b) Thẩm định hồ sơ và trình Chủ tịch Ủy ban nhân dân cấp xã xem xét, quyết "
        "định: 33 ngày làm việc."
    ),
    "1.000221": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông có thông tinMiễn phíCấp mới và hủy mã khóa"
        " truy cập, mã chữ ký điện tử cho các chức danh tham gia nghiệp vụ chiết khấu của tổ chức tín dụn"
        "g, chi nhánh ngân hàng nước ngoài. Chậm nhất vào ngày 20 tháng đầu tiên hàng quýDịch vụ bưu chín"
        "hKhông có thông tinMiễn phíChậm nhất vào ngày 20 tháng đầu tiên hàng quý . Qua faxTrực tiếpKhông"
        " có thông tinMiễn phíChậm nhất vào ngày 20 tháng đầu tiên hàng quý. Chậm nhất vào ngày 20 tháng "
        "đầu tiên hàng quý"
    ),
    "1.003934": (
        "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyếnKhông có thông tinMiễn phí(1) Cách thức thực hiệ"
        "n:\n- Thời hạn làm thủ tục cho tàu thuyền xuất cảnh tại cảng dầu khí ngoài khơi và hoạt động tro"
        "ng vùng biển Việt Nam được coi là kết thúc khi đại lý của chủ tàu nộp cho các cơ quan quản lý nh"
        "à nước chuyên ngành đầy đủ hồ sơ, giấy tờ theo quy định tại trụ sở Cảng vụ hàng hải/Cảng vụ đườn"
        "g thủy nội địa. - Trường hợp tàu biển đã được cấp giấy phép rời cảng mà vẫn lưu lại tại cảng quá"
        " 24 giờ kể từ thời điểm tàu biển được phép rời cảng, tàu biển đó phải làm lại thủ tục xuất cảnh "
        "theo quy định.\n(2) Phí, lệ phí:\nPhí : Thông tư số 261/2016/TT-BTC ngày 05/01/2016 của Bộ trưởn"
        "g Bộ Tài chính quy định về phí, lệ phí hàng hải và biểu mức thu phí, lệ phí hàng hải\nPhí : Thôn"
        "g tư số 90/2019/TT-BTC ngày 31/12/2019 Thông tư sửa đổi, bổ sung một số điều của Thông tư số 261"
        "/2016/TT-BTC ngày 14 tháng 11 năm 2016 quy định về phí, lệ phí hàng hải và biểu mức thu phí, lệ "
        "phí hàng hải và Thông tư số 17/2017/TT-BTC ngày 28 tháng 02 năm 2017 hướng dẫn thu, nộp, quản lý"
        " và sử dụng phí, lệ phí hàng hải\nPhí : Thông tư số 74/2021/TT-BTC ngày 27/8/2021 sửa đổi, bổ su"
        "ng một số điều của Thông tư số 261/2016/TT-BTC ngày 14 tháng 11 năm 2016 quy định về phí, lệ phí"
        " hàng hải và biểu mức thu phí, lệ phí hàng hải\nLệ phí : theo quy định tại Điều 11 Thông tư số 2"
        "61/2016/TT-BTC ngày 14/11/2016 của Bộ trưởng Bộ Tài chính Lệ phí rời cảng biểnDịch vụ bưu chínhK"
        "hông có thông tinMiễn phí(1) Cách thức thực hiện:\n- Thời hạn làm thủ tục cho tàu thuyền xuất cả"
        "nh tại cảng dầu khí ngoài khơi và hoạt động trong vùng biển Việt Nam được coi là kết thúc khi đạ"
        "i lý của chủ tàu nộp cho các cơ quan quản lý nhà nước chuyên ngành đầy đủ hồ sơ, giấy tờ theo qu"
        "y định tại trụ sở Cảng vụ hàng hải/Cảng vụ đường thủy nội địa. - Trường hợp tàu biển đã được cấp"
        " giấy phép rời cảng mà vẫn lưu lại tại cảng quá 24 giờ kể từ thời điểm tàu biển được phép rời cả"
        "ng, tàu biển đó phải làm lại thủ tục xuất cảnh theo quy định.\n(2) Phí, lệ phí:\nPhí : Thông tư "
        "số 261/2016/TT-BTC ngày 05/01/2016 của Bộ trưởng Bộ Tài chính quy định về phí, lệ phí hàng hải v"
        "à biểu mức thu phí, lệ phí hàng hải\nPhí : Thông tư số 90/2019/TT-BTC ngày 31/12/2019 Thông tư s"
        "ửa đổi, bổ sung một số điều của Thông tư số 261/2016/TT-BTC ngày 14 tháng 11 năm 2016 quy định v"
        "ề phí, lệ phí hàng hải và biểu mức thu phí, lệ phí hàng hải và Thông tư số 17/2017/TT-BTC ngày 2"
        "8 tháng 02 năm 2017 hướng dẫn thu, nộp, quản lý và sử dụng phí, lệ phí hàng hải\nPhí : Thông tư "
        "số 74/2021/TT-BTC ngày 27/8/2021 sửa đổi, bổ sung một số điều của Thông tư số 261/2016/TT-BTC ng"
        "ày 14 tháng 11 năm 2016 quy định về phí, lệ phí hàng hải và biểu mức thu phí, lệ phí hàng hải\nL"
        "ệ phí : theo quy định tại Điều 11 Thông tư số 261/2016/TT-BTC ngày 14/11/2016 của Bộ trưởng Bộ T"
        "ài chính Lệ phí rời cảng biểnTrực tiếpKhông có thông tinMiễn phí(1) Cách thức thực hiện:\n- Thời"
        " hạn làm thủ tục cho tàu thuyền xuất cảnh tại cảng dầu khí ngoài khơi và hoạt động trong vùng bi"
        "ển Việt Nam được coi là kết thúc khi đại lý của chủ tàu nộp cho các cơ quan quản lý nhà nước chu"
        "yên ngành đầy đủ hồ sơ, giấy tờ theo quy định tại trụ sở Cảng vụ hàng hải/Cảng vụ đường thủy nội"
        " địa. - Trường hợp tàu biển đã được cấp giấy phép rời cảng mà vẫn lưu lại tại cảng quá 24 giờ kể"
        " từ thời điểm tàu biển được phép rời cảng, tàu biển đó phải làm lại thủ tục xuất cảnh theo quy đ"
        "ịnh.\n(2) Phí, lệ phí:\nPhí : Thông tư số 261/2016/TT-BTC ngày 05/01/2016 của Bộ trưởng Bộ Tài c"
        "hính quy định về phí, lệ phí hàng hải và biểu mức thu phí, lệ phí hàng hải\nPhí : Thông tư số 90"
        "/2019/TT-BTC ngày 31/12/2019 Thông tư sửa đổi, bổ sung một số điều của Thông tư số 261/2016/TT-B"
        "TC ngày 14 tháng 11 năm 2016 quy định về phí, lệ phí hàng hải và biểu mức thu phí, lệ phí hàng h"
        "ải và Thông tư số 17/2017/TT-BTC ngày 28 tháng 02 năm 2017 hướng dẫn thu, nộp, quản lý và sử dụn"
        "g phí, lệ phí hàng hải\nPhí : Thông tư số 74/2021/TT-BTC ngày 27/8/2021 sửa đổi, bổ sung một số "
        "điều của Thông tư số 261/2016/TT-BTC ngày 14 tháng 11 năm 2016 quy định về phí, lệ phí hàng hải "
        "và biểu mức thu phí, lệ phí hàng hải\nLệ phí : theo quy định tại Điều 11 Thông tư số 261/2016/TT"
        "-BTC ngày 14/11/2016 của Bộ trưởng Bộ Tài chính Lệ phí rời cảng biển"
    ),
}
