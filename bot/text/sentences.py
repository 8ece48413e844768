"""Sentences of a citizen's message, and which of them asks the question.

Long messages tell a story first and ask at the end ("Con em mới sinh… Giờ làm giấy khai sinh ở đâu?").
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?…;])\s+|\n+")
MIN_WORDS = 3  # a shorter piece ("Dạ.", "Cảm ơn!") is no sentence of its own: it joins the next one


def sentences(text: str) -> list[str]:
    """The message cut at sentence ends and line breaks; short pieces are kept with what follows."""
    pieces = [piece.strip() for piece in _BOUNDARY.split(text) if piece.strip()]
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        piece = f"{carry} {piece}".strip()
        if len(piece.split()) < MIN_WORDS:
            carry = piece
            continue
        merged.append(piece)
        carry = ""
    if carry:
        merged = [*merged[:-1], f"{merged[-1]} {carry}"] if merged else [carry]
    return merged


def question_sentence(text: str) -> str | None:
    """The sentence that asks, in a message of several: the last one with a question mark, else the last one.
    None for a message of one sentence."""
    parts = sentences(text)
    if len(parts) < 2:
        return None
    asking = [part for part in parts if "?" in part]
    return (asking or parts)[-1]
