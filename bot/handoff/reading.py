"""What the handoff desk reads in a citizen's message: the way back to the bot, a callback phone number, and
whether free text after a rating is a new question for the bot rather than a comment."""

from __future__ import annotations

import re
from itertools import product
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.text import search_tokens

# The way back to the bot, in words: going back to the assistant, or dropping the request for staff. A message
# means it when its words, politeness and particles left out, are one of these phrases (each word compared folded,
# abbreviations expanded, one typo allowed in words of three letters or more).
_GO_BACK = ("tiếp tục với", "quay lại", "quay về", "trở lại", "trở về", "về", "chuyển về", "nói chuyện với")
_ASSISTANT = ("trợ lý ảo", "trợ lý", "bot", "chatbot")
_DROP = ("hủy", "hủy bỏ", "không cần", "không muốn", "khỏi")
_REQUEST = ("yêu cầu", "yêu cầu gặp cán bộ", "gặp cán bộ", "gặp nhân viên", "gặp người thật")
_ALONE = ("hủy", "hủy bỏ", "không gặp cán bộ")
# Folded politeness, particles and pronouns, and the glue words of "cho tôi", "với", "muốn".
_FILLERS = frozenset("a da vang oi nhe nha nhen nhi di nua thoi em anh chi toi tui minh xin vui long lam on".split())
_FILLERS |= {"giup", "gium", "hay", "cho", "voi", "muon"}
_Y_AFTER_CONSONANT = re.compile(r"^([b-df-hj-np-tv-xz]+)i$")  # "lí" is also spelt "lý"


def _words(text: str) -> tuple[str, ...]:
    words = (token for token in search_tokens(text) if token not in _FILLERS)
    return tuple(_Y_AFTER_CONSONANT.sub(r"\1y", word) for word in words)


BACK_TO_BOT = frozenset(
    _words(f"{verb} {what}") for verb, what in (*product(_GO_BACK, _ASSISTANT), *product(_DROP, _REQUEST))
) | frozenset(_words(phrase) for phrase in _ALONE)
_VOCABULARY = sorted({word for command in BACK_TO_BOT for word in command})


def _snapped(word: str) -> str:
    """The command word `word` is a typo of (one edit, words of three letters or more), else `word`."""
    if len(word) < 3:
        return word
    match = process.extractOne(word, _VOCABULARY, scorer=DamerauLevenshtein.distance, score_cutoff=1)
    return match[0] if match else word


def means_back_to_bot(text: str) -> bool:
    """True when the message asks to go back to the bot or to drop the request for staff ("tiep tuc voi tro ly
    ao", "hủy yêu cầu", "thôi không cần gặp cán bộ nữa ạ"), typos and missing diacritics allowed."""
    return tuple(_snapped(word) for word in _words(text)) in BACK_TO_BOT


# A Vietnamese mobile number anywhere in a message: 0 or (+)84, then 9 digits starting 3, 5, 7, 8 or 9; spaces,
# dots or dashes between digits. Never part of a longer number or code: no letter, digit, "+", "." or "-" just before
# it, no digit just after it, nor a digit one separator away on either side.
_SEP = r"[ .\-]?"
PHONE = re.compile(rf"(?<![\w+.\-])(?<!\d )(?:\+?84|0){_SEP}([35789](?:{_SEP}\d){{8}})(?!\w|{_SEP}\d)")


def find_phone(text: str) -> str | None:
    """The first Vietnamese mobile number in `text` ("sdt 090.123 4567 nhé", "+84 912 345 678") as 0XXXXXXXXX."""
    match = PHONE.search(text)
    return "0" + re.sub(r"\D", "", match.group(1)) if match else None


# After a rating, a message the bot's NLU reads as one of these (confidently) is a new question, not a comment.
# Not `complain`: feedback on what was just rated reads as one ("cán bộ thiếu nhiệt tình", even "rất hài lòng"),
# and would be handed to staff as a complaint instead of kept as the comment.
QUESTION_INTENTS = frozenset({"check_dossier_status", "start_document_checklist", "request_human", "greet"})
QUESTION_CONFIDENCE = 0.6


def asks_the_bot(parse: dict[str, Any]) -> bool:
    """Whether Rasa's parse of a message (`/model/parse`) is a question or request for the bot: an ask_* intent,
    a dossier, checklist or staff request, a greeting, or a procedure named (inform)."""
    intent = parse.get("intent") or {}
    name, confidence = str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)
    if confidence < QUESTION_CONFIDENCE:
        return False
    names_procedure = any(entity.get("entity") == "procedure" for entity in parse.get("entities") or [])
    return name.startswith("ask_") or name in QUESTION_INTENTS or (name == "inform" and names_procedure)
