"""Which of the offered options a free-text reply picks: its number, or the words that set it apart."""

from __future__ import annotations

from bot.text.normalize import search_tokens

MIN_WORD = 3  # characters of a word that can pick an option ("một", "hai", "thuê")


def chosen(text: str, options: dict[str, str]) -> str | None:
    """The key of the option (offered in `options`' order) a reply picks: a lone number ("2", "số 2"), or
    the option sharing most of the reply's words that not every option has ("một thành viên" →
    "…một thành viên" rather than "…hai thành viên trở lên"); None when none or a tie."""
    words = search_tokens(text)
    keys = list(options)
    numbers = [int(w) for w in words if w.isdigit()]
    if len(numbers) == 1 and len(words) <= 3 and 1 <= numbers[0] <= len(keys):
        return keys[numbers[0] - 1]
    said = {w for w in words if len(w) >= MIN_WORD and not w.isdigit()}
    vocabularies = {key: set(search_tokens(option)) for key, option in options.items()}
    everywhere = set.intersection(*vocabularies.values()) if len(vocabularies) > 1 else set()
    scored = [(len(said & (words_of - everywhere)), key) for key, words_of in vocabularies.items()]
    best = max((score for score, _ in scored), default=0)
    winners = [key for score, key in scored if score == best]
    return winners[0] if best and len(winners) == 1 else None
