"""Training data generated at training time: lookup tables, synonyms and regexes from the catalogue,
and no-diacritic / abbreviated variants of every hand-written example.

`python -m bot nlu generate` writes `nlu_data/generated/` (not committed; `make` regenerates it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.catalogue.store import Catalogue
from bot.dossiers.codes import CODE_IN_TEXT_PATTERN
from bot.text import fold
from bot.text.segment import segment

# Phrases citizens shorten when chatting, longest first so "căn cước công dân" wins over "căn cước".
SHORTHAND: list[tuple[str, str]] = [
    ("căn cước công dân", "cccd"),
    ("chứng minh nhân dân", "cmnd"),
    ("giấy khai sinh", "gks"),
    ("đăng ký kinh doanh", "đkkd"),
    ("hộ kinh doanh", "hkd"),
    ("giấy phép lái xe", "gplx"),
    ("bằng lái xe", "gplx"),
    ("bảo hiểm y tế", "bhyt"),
    ("bảo hiểm xã hội", "bhxh"),
    ("bảo hiểm thất nghiệp", "bhtn"),
    ("lý lịch tư pháp", "lltp"),
    ("giấy phép xây dựng", "gpxd"),
    ("tình trạng hôn nhân", "tthn"),
    ("an toàn thực phẩm", "attp"),
    ("như thế nào", "ntn"),
    ("bao nhiêu", "bn"),
    ("hồ sơ", "hs"),
    ("không", "ko"),
    ("được", "đc"),
    ("rồi", "r"),
    ("vậy", "z"),
    ("với", "vs"),
    ("mình", "mik"),
    ("gì", "j"),
]
_SHORTHAND_RE = re.compile(
    "|".join(rf"(?<!\w){re.escape(long)}(?!\w)" for long, _ in SHORTHAND)
    + "|"
    + "|".join(rf"(?<!\w){re.escape(fold(long))}(?!\w)" for long, _ in SHORTHAND),
    re.IGNORECASE,
)
_SHORT_FOR = {long: short for long, short in SHORTHAND} | {fold(long): fold(short) for long, short in SHORTHAND}


def _fold_case_preserving_length(text: str) -> str:
    """Fold diacritics character by character: offsets of entity annotations stay valid."""
    return "".join(fold(ch) if len(fold(ch)) == 1 else ch for ch in text)


def _abbreviate(text: str) -> str:
    return _SHORTHAND_RE.sub(lambda m: _SHORT_FOR.get(m.group(0).lower(), m.group(0)), text)


def _fold_and_abbreviate(text: str) -> str:
    return _abbreviate(_fold_case_preserving_length(text))


def _variant(message: Message, rewrite: Callable[[str], str]) -> Message | None:
    """The message with `rewrite` applied outside and inside each entity span, offsets recomputed."""
    text = message.get("text")
    entities = sorted(message.get("entities", []), key=lambda e: e["start"])
    new_entities, cursor, new_text = [], 0, ""
    for entity in entities:
        new_text += rewrite(text[cursor : entity["start"]])
        value = rewrite(text[entity["start"] : entity["end"]])
        new_entities.append({**entity, "start": len(new_text), "end": len(new_text) + len(value), "value": value})
        new_text += value
        cursor = entity["end"]
    new_text += rewrite(text[cursor:])
    if new_text == text:
        return None
    return Message(data={"text": new_text, "intent": message.get("intent"), "entities": new_entities})


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.text for word in segment(text))


def augment(examples: list[Message]) -> list[Message]:
    """No-diacritic, abbreviated, and no-diacritic abbreviated variants that the tokenizer sees differently.

    The tokenizer folds diacritics and expands abbreviations itself, so many variants come out as the
    same words as their original; only those segmented differently teach the model something.
    """
    seen = {_words(m.get("text")) for m in examples}
    variants: list[Message] = []
    for message in examples:
        for rewrite in (_fold_case_preserving_length, _abbreviate, _fold_and_abbreviate):
            variant = _variant(message, rewrite)
            if variant is not None and (words := _words(variant.get("text"))) not in seen:
                seen.add(words)
                variants.append(variant)
    return variants


def catalogue_data(catalogue: Catalogue) -> TrainingData:
    """Lookup table and synonyms of curated procedure names and aliases, in both typings."""
    lookup: set[str] = set()
    synonyms: dict[str, str] = {}
    for procedure in catalogue:
        if not catalogue.is_curated(procedure.code):
            continue
        for phrase in [procedure.name, *procedure.aliases]:
            for form in (phrase.lower(), fold(phrase)):
                lookup.add(form)
                if form != procedure.name:
                    synonyms.setdefault(form, procedure.name)
    return TrainingData(
        lookup_tables=[{"name": "procedure", "elements": sorted(lookup)}],
        entity_synonyms=synonyms,
        regex_features=[{"name": "dossier_code", "pattern": CODE_IN_TEXT_PATTERN}],
    )


def generate(nlu_dir: Path, out_dir: Path, catalogue: Catalogue) -> dict[str, int]:
    """Write the generated training files; return how many of each were written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    hand_written = [m for f in sorted((nlu_dir).glob("*.yml")) for m in load_data(str(f)).intent_examples]
    variants = augment(hand_written)
    writer = RasaYAMLWriter()
    writer.dump(out_dir / "augmented.yml", TrainingData(training_examples=variants))
    writer.dump(out_dir / "catalogue.yml", catalogue_data(catalogue))
    return {"hand_written": len(hand_written), "variants": len(variants)}
