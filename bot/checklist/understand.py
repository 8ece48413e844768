"""Free-text checklist answers: "có rồi", "chua co", "k", "đủ cả", "thiếu", "quay lại", "bỏ qua", "dừng"."""

from __future__ import annotations

from bot.checklist.flow import Answer
from bot.text.normalize import toned_tokens

# Phrases as folded words; the longest phrase found wins, so "dạ chưa có" is NO although "dạ" is YES.
PHRASES: dict[Answer, list[str]] = {
    Answer.BACK: ["quay lai", "lui lai", "tro lai", "cau truoc", "sua lai", "back"],
    Answer.SKIP: ["bo qua", "de sau", "cau sau", "skip", "qua cau khac"],
    Answer.STOP: ["dung lai", "tam dung", "thoi khong lam", "thoi", "ngung", "huy", "stop", "ket thuc"],
    Answer.CONTINUE: ["tiep tuc", "tiep di", "lam tiep", "hoi tiep", "tiep"],
    Answer.UNSURE: ["chua ro", "khong ro", "khong biet", "chua biet", "khong chac", "chua chac", "ko ro", "hok biet"],
    Answer.NONE: ["khong thuoc", "khong thuoc truong hop nao", "khong co truong hop nao", "khong ai", "binh thuong"],
    Answer.MORE: ["truong hop khac", "xem them", "con nua", "khac"],
    Answer.NO: [
        "chua co", "khong co", "chua lam", "chua xin", "chua", "khong", "mat roi", "bi mat", "no",
        "thieu", "con thieu", "thieu mot so", "chua du", "khong du",
    ],
    Answer.YES: [
        "co roi", "da co", "co san", "co", "roi", "ok", "oke", "yes", "u", "uh", "vang", "da", "san roi",
        "du", "du roi", "du ca", "du het", "co du", "co het", "co ca",
    ],
}  # fmt: skip


def understand(text: str) -> Answer | None:
    """The answer a short free-text reply gives, or None when it is not a checklist answer."""
    toned = toned_tokens(text)
    words = [token for token, _ in toned]
    if not words or len(words) > 8:
        return None
    if words[0] == "dung" and len(words) == 1:
        # "đúng" is yes, "dừng" is stop; typed without diacritics it could be either
        return {"\u0301": Answer.YES, "\u0300": Answer.STOP}.get(toned[0][1] or "")
    joined = " " + " ".join(words) + " "
    matches = [
        (-len(phrase), joined.index(f" {phrase} "), answer)
        for answer, phrases in PHRASES.items()
        for phrase in phrases
        if f" {phrase} " in joined
    ]
    return min(matches)[2] if matches else None
