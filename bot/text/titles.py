"""Short, distinguishable button titles for a list of long names (procedures, cases).

The part every name shares is said once in the question; each button keeps what tells it apart:
"Đăng ký thành lập công ty TNHH một thành viên" / "… hai thành viên trở lên" → shared "Đăng ký thành lập
công ty TNHH", buttons "một thành viên" / "hai thành viên trở lên".
"""

from __future__ import annotations

ELLIPSIS = "…"
MIN_SHARED_WORDS = 2  # a shared beginning shorter than this is not worth saying apart


def short(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:(") + ELLIPSIS


def _common_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n].lower() == b[n].lower():
        n += 1
    return n


def shared_beginning(names: list[str]) -> str:
    """The words every name begins with (empty when fewer than two, or only one name)."""
    if len(names) < 2:
        return ""
    words = [name.split() for name in names]
    n = min(_common_prefix(words[0], other) for other in words[1:])
    n = min(n, min(len(w) for w in words) - 1)  # every title keeps at least one word of its own
    return " ".join(words[0][:n]) if n >= MIN_SHARED_WORDS else ""


def distinct_titles(names: list[str], limit: int) -> list[str]:
    """One title per name, at most `limit` characters: a name that fits is itself; a longer one loses the
    beginning it shares with another (shown as "…") before it is cut, so two titles never read alike."""
    words = [name.split() for name in names]
    titles = []
    for i, own in enumerate(words):
        if len(names[i]) <= limit:
            titles.append(names[i])
            continue
        same = max((_common_prefix(own, other) for j, other in enumerate(words) if j != i), default=0)
        same = min(same, len(own) - 1)
        title = ELLIPSIS + " ".join(own[same:]) if same >= MIN_SHARED_WORDS else " ".join(own)
        titles.append(short(title, limit))
    return titles
