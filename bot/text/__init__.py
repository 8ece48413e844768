"""Vietnamese text normalisation shared by search, NLU and actions."""

from bot.text.normalize import expand_abbreviations, fold, nfc, normalize_tones, search_tokens

__all__ = ["expand_abbreviations", "fold", "nfc", "normalize_tones", "search_tokens"]
