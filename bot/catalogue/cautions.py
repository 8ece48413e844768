"""Cautions attached to what an answer shows: facts the catalogue marks unverified, and bodies the 2025
reform abolished. Each view says which facts it shows; the caution names exactly those."""

from __future__ import annotations

from bot.catalogue.model import Procedure
from bot.catalogue.reform import reform_block

FACT_NAMES = {
    "fee": "lệ phí",
    "time": "thời hạn giải quyết",
    "documents": "thành phần hồ sơ",
    "agencies": "cơ quan giải quyết",
    "steps": "các bước thực hiện",
    "conditions": "điều kiện thực hiện",
    "results": "kết quả giải quyết",
    "legal_basis": "căn cứ pháp lý",
}


def unverified_caution(procedure: Procedure, shown: set[str], link: bool) -> str | None:
    """'⚠️ …' naming the shown facts the catalogue marks unverified; the official link itself when `link`,
    else a pointer to the answer's own link."""
    facts = [name for fact, name in FACT_NAMES.items() if fact in shown & procedure.unverified_facts]
    if not facts:
        return None
    where = procedure.official_link if link else "trang chính thức (đường dẫn bên dưới)"
    return (
        f"⚠️ Thông tin về {', '.join(facts)} chưa được đối chiếu đầy đủ với văn bản gốc; "
        f"anh/chị vui lòng kiểm tra lại tại {where} hoặc nơi nộp hồ sơ ạ."
    )


def agency_texts(procedure: Procedure) -> list[str | None]:
    """Every agency the record names."""
    agencies = procedure.agencies
    return [*agencies.executing, *agencies.competent, agencies.receiving, *agencies.authorised, *agencies.coordinating]


def reform_caution(procedure: Procedure, shown: set[str]) -> str | None:
    """What replaced the abolished bodies named in the shown facts (agencies, steps, conditions)."""
    texts: list[str | None] = []
    if "agencies" in shown:
        texts += agency_texts(procedure)
    if "steps" in shown:
        texts += procedure.steps
    if "conditions" in shown:
        texts.append(procedure.conditions)
    return reform_block(texts)


def cautions(procedure: Procedure, shown: set[str], link: bool = False) -> list[str]:
    """Every caution for a view showing the facts `shown`."""
    found = (unverified_caution(procedure, shown, link), reform_caution(procedure, shown))
    return [caution for caution in found if caution]
