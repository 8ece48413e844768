"""Follow-up questions about the dossier just looked up ("lên đâu lấy kết quả", "bao giờ xong", "cần bổ sung
gì"), answered from that dossier without asking for its code again."""

from __future__ import annotations

from bot.catalogue.answers import Aspect
from bot.dossiers.lookup import LookupResult, Outcome
from bot.dossiers.model import Dossier, Status
from bot.dossiers.replies import RECEIPT, STAFF, day, deadline, lookup_replies, next_step
from bot.messages import Reply


def follow_up_replies(result: LookupResult, aspect: Aspect) -> list[Reply]:
    """The answer to `aspect` about the dossier found; the whole status when the aspect has no dossier answer
    (or the lookup did not find it this time)."""
    dossier = result.dossier
    if result.outcome is not Outcome.FOUND or dossier is None:
        return lookup_replies(result)
    heading = f"Dạ, hồ sơ {dossier.code} ({dossier.procedure.name}) hiện {dossier.status.label} ạ."
    match aspect:
        case Aspect.AGENCY:
            text = f"{heading}\n{_where(dossier)}"
        case Aspect.TIME:
            text = f"{heading}\nNgày hẹn trả: {day(dossier.appointment)}{deadline(dossier, result.today)}."
        case Aspect.DOCUMENTS:
            text = f"{heading}\n{_papers(dossier)}"
        case _:
            return lookup_replies(result)
    step, buttons = next_step(dossier, result.today)
    if dossier.is_late(result.today) or aspect is Aspect.TIME:
        text = f"{text}\n\n{step}"
    return [Reply(text, buttons or [STAFF])]


def _where(dossier: Dossier) -> str:
    if dossier.status is Status.AWAITING_SUPPLEMENT:
        return f"Anh/chị nộp bổ sung tại nơi đã nộp hồ sơ ({dossier.office}), mang theo {RECEIPT}."
    if dossier.status is Status.RESULT_RETURNED:
        return "Kết quả đã được trả, anh/chị không cần đến nhận nữa ạ."
    place = dossier.pickup_place or dossier.office
    when = "" if dossier.status is Status.RESULT_READY else f" từ ngày hẹn trả {day(dossier.appointment)}"
    return f"Anh/chị nhận kết quả tại {place}{when}, nhớ mang theo {RECEIPT} ạ."


def _papers(dossier: Dossier) -> str:
    if dossier.status is Status.AWAITING_SUPPLEMENT and dossier.supplements:
        return "Anh/chị cần bổ sung:\n" + "\n".join(f"• {paper}" for paper in dossier.supplements)
    if dossier.status is Status.AWAITING_SUPPLEMENT:
        return "Anh/chị vui lòng liên hệ nơi đã nộp hồ sơ để biết giấy tờ cần bổ sung ạ."
    return f"Hồ sơ không cần bổ sung giấy tờ. Khi nhận kết quả, anh/chị mang theo {RECEIPT} ạ."
