"""Training data generated at training time: lookup tables, synonyms and regexes from the catalogue,
no-diacritic / abbreviated variants of every hand-written example, and story-like long variants.

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


# What citizens tell before they ask: a story of a few sentences, the question at the end. Prefixed to
# some question examples so that the model learns that the story does not change what is asked, and that
# the everyday words in it ("con", "nhà", "công ty", "lại") name no procedure.
STORY_OPENINGS = [
    "Chào anh chị, em ở phường Bến Thành.",
    "Dạ em chào ad, em là sinh viên năm hai, mới lên thành phố học được mấy tháng.",
    "Nhà tôi ở Thủ Đức, tôi đi làm cả ngày nên không có thời gian lên phường nhiều lần.",
    "Con em mới được hai tháng, vợ em còn ở cữ nên em đi lo giấy tờ một mình.",
    "Ba mẹ tôi lớn tuổi rồi, ở quê lên ở với vợ chồng tôi được một thời gian.",
    "Em làm công nhân ở khu công nghiệp, thuê phòng trọ gần công ty.",
    "Hôm trước tôi có lên ủy ban hỏi nhưng đông quá, chờ cả buổi mà chưa hỏi được.",
    "Em mới chuyển nhà từ Bình Dương về, nhiều giấy tờ vẫn còn để địa chỉ cũ.",
    "Tôi có hỏi người quen thì mỗi người nói một kiểu, nên tôi lên đây hỏi cho chắc.",
    "Gia đình em buôn bán nhỏ ở chợ, chồng em đi làm xa.",
    "Dạ cho em hỏi chút, em không rành mấy chuyện giấy tờ này lắm.",
    "Tôi năm nay 60 tuổi, mắt kém nên nhờ con gái nhắn giùm.",
    "Em làm ở công ty may, tuần này được nghỉ phép hai ngày.",
    "Hồi trước nhà em ở quận 5, giờ sáp nhập nên em không biết thuộc phường nào.",
    "Chị gái em đang ở nước ngoài, nhờ em ở nhà lo giúp.",
    "em chao ad, em o Vung Tau moi len thanh pho lam viec duoc nua nam.",
    "nha minh o Di An, di lai cung xa nen muon hoi truoc cho chac.",
    "toi di lam ca dem, ban ngay moi ranh, ma hom nay moi duoc nghi.",
    "con toi nam nay vao lop mot, truong co dan nop giay to truoc thang sau.",
    "ba em moi mat thang truoc, gia dinh con dang lo nhieu viec.",
    "em dang mang bau thang thu bay, chong em thi di cong tac.",
    "Dạ em chào anh chị. Em ở Bình Chánh, ở trọ được hơn một năm rồi.",
    "Tôi là chủ nhà trọ, có mấy phòng cho công nhân thuê. Người thuê hay đổi lắm.",
    "Mình mới nghỉ việc ở công ty cũ. Giờ đang tìm việc mới.",
    "Năm ngoái em có làm giấy tờ một lần rồi mà giờ quên hết. Mấy bữa nay bận quá.",
]
STORY_INTENTS = frozenset(
    {
        "ask_procedure",
        "ask_documents",
        "ask_fee",
        "ask_processing_time",
        "ask_agency",
        "ask_steps",
        "ask_online",
        "ask_forms",
        "check_dossier_status",
        "start_document_checklist",
        "request_human",
        "complain",
    }
)
STORY_EVERY = 3  # one question example in this many gets a story


def with_story(message: Message, opening: str) -> Message:
    """The example told after `opening`; entity offsets shifted."""
    shift = len(opening) + 1
    entities = [{**e, "start": e["start"] + shift, "end": e["end"] + shift} for e in message.get("entities", [])]
    return Message(
        data={"text": f"{opening} {message.get('text')}", "intent": message.get("intent"), "entities": entities}
    )


def stories(examples: list[Message]) -> list[Message]:
    """Story-like long variants of every STORY_EVERY-th question example, openings taken in turn."""
    questions = [m for m in examples if m.get("intent") in STORY_INTENTS][::STORY_EVERY]
    return [with_story(m, STORY_OPENINGS[i % len(STORY_OPENINGS)]) for i, m in enumerate(questions)]


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
    long_variants = stories(hand_written)
    writer = RasaYAMLWriter()
    writer.dump(out_dir / "augmented.yml", TrainingData(training_examples=variants))
    writer.dump(out_dir / "stories.yml", TrainingData(training_examples=long_variants))
    writer.dump(out_dir / "catalogue.yml", catalogue_data(catalogue))
    return {"hand_written": len(hand_written), "variants": len(variants), "stories": len(long_variants)}
