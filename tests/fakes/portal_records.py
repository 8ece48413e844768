"""Record files as the National Public Service Portal publishes them (flattened tables, the page's text), written
into a folder the way a city's catalogue source holds them (one JSON object per file, by sector)."""

from __future__ import annotations

import json
from pathlib import Path


def portal_record(code: str, name: str) -> dict[str, str]:
    """A portal record: a commune-level hộ tịch procedure, in person, 5 working days, 50.000 đồng."""
    return {
        "ma_thu_tuc": code,
        "ten_thu_tuc": name,
        "so_quyet_dinh": "163/QĐ-BTP",
        "cap_thuc_hien": "Cấp xã",
        "linh_vuc": "Hộ tịch",
        "doi_tuong_thuc_hien": "Công dân Việt Nam",
        "co_quan_thuc_hien": "Ủy ban nhân dân xã, phường, thị trấn",
        "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcLệ phí : 50.000 Đồng",
        "thanh_phan_ho_so": "* Giấy tờ phải nộp:Tên giấy tờMẫu đơn, tờ khaiSố lượng- Tờ khai đăng ký1 bản chính",
        "detail_url": f"https://dichvucong.gov.vn/thu-tuc-hanh-chinh/{code}",
        "raw_text": f"{name}Tên thủ tục{name}Mã thủ tục{code}Số quyết định163/QĐ-BTP",
    }


def write_portal_record(folder: Path, code: str, name: str) -> Path:
    """Write one record file under `folder`/bo-tu-phap/ and return its path."""
    path = folder / "bo-tu-phap" / f"{code}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(portal_record(code, name), ensure_ascii=False), encoding="utf-8")
    return path
