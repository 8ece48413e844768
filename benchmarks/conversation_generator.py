"""Conversations generated from the curated catalogue for the conversation benchmark (benchmarks/conversations.py).

Wording varies, not only the names filled in: several phrasings per aspect, in questions that name the
procedure and in follow-ups that do not ("còn lệ phí?", "mất bao lâu vậy", "nộp ở đâu"); names from the
procedure's name and its aliases; styles with diacritics, without (bot.text.fold), teencode (the shorthand
of bot/nlu/generate.py, applied at random, with chat particles) and long (a story of a few sentences, the
question last); switches to another procedure; greetings and thanks that name none; guided checklists.

Expectations are kept honest: a name is used only when the catalogue search (bot/catalogue/search.py) on that
name alone, as typed in the conversation's style, finds that procedure clearly; a story sentence only when
the search finds no procedure in it. The story sentences are not those of the training data.

    PYTHONPATH=. .venv/bin/python benchmarks/conversation_generator.py [--count 160] [--out FILE]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.catalogue.model import Procedure
from bot.catalogue.search import MatchStatus, ProcedureIndex
from bot.catalogue.store import Catalogue, load_procedures
from bot.nlu.generate import SHORTHAND
from bot.settings import CURATED_DIR
from bot.text import fold

SEED = 20261205
STYLES = ("diacritics", "plain", "teencode", "long")
QUESTIONS = {  # a question naming the procedure ({name}) about one aspect
    "documents": [
        "{name} cần giấy tờ gì",
        "muốn {name} thì phải chuẩn bị hồ sơ gì",
        "hồ sơ {name} gồm những gì",
        "cho hỏi {name} cần mang theo những giấy tờ nào",
        "đi {name} thì cần chuẩn bị những gì",
    ],
    "fee": [
        "{name} hết bao nhiêu tiền",
        "lệ phí {name} là bao nhiêu",
        "phí {name} bao nhiêu vậy",
        "{name} có phải đóng tiền không",
    ],
    "time": [
        "{name} mất bao lâu",
        "{name} bao lâu thì có kết quả",
        "thời gian giải quyết {name} là bao lâu",
        "{name} mấy ngày thì xong",
    ],
    "agency": ["{name} nộp ở đâu", "muốn {name} thì lên đâu làm", "{name} làm ở cơ quan nào", "đi đâu để {name}"],
    "steps": [
        "các bước {name} thế nào",
        "trình tự {name} ra sao",
        "hướng dẫn giúp các bước để {name}",
        "quy trình {name} như thế nào",
    ],
    "online": [
        "{name} làm online được không",
        "có nộp hồ sơ {name} trực tuyến được không",
        "{name} có làm qua mạng được không",
    ],
    "forms": ["{name} có mẫu đơn không", "mẫu tờ khai {name} lấy ở đâu", "xin mẫu đơn {name}"],
    "overview": ["cho hỏi về thủ tục {name}", "mình muốn tìm hiểu {name}", "{name}"],
}
FOLLOW_UPS = {  # the same procedure, not named
    "documents": ["cần giấy tờ gì", "vậy hồ sơ gồm những gì", "phải chuẩn bị những gì", "cần mang theo gì"],
    "fee": ["còn lệ phí?", "phí bao nhiêu vậy", "có tốn tiền không", "hết bao nhiêu tiền"],
    "time": ["mất bao lâu vậy", "bao lâu thì xong", "mấy ngày thì có kết quả"],
    "agency": ["nộp ở đâu", "lên đâu làm vậy", "làm ở cơ quan nào"],
    "steps": ["các bước làm sao", "trình tự thế nào", "làm theo những bước nào"],
    "online": ["làm online được không", "có nộp qua mạng được không"],
    "forms": ["có mẫu đơn không", "tờ khai theo mẫu nào"],
}
SWITCHES = ["còn {name} thì sao", "thế còn {name}?", "vậy {name} thì sao ạ"]  # the last aspect, another procedure
CHECKLISTS = [  # a request to go through the papers, said by "em" (or "tôi", in some stories)
    "hướng dẫn em chuẩn bị hồ sơ {name}",
    "kiểm tra giúp em đủ giấy tờ {name} chưa",
    "giúp em rà lại giấy tờ để {name}",
    "check giúp em xem đã đủ giấy tờ {name} chưa",
]
CHECKLIST_ANSWERS = ["có rồi", "có", "rồi", "chưa có", "có rồi ạ"]
GREETINGS = ["xin chào", "chào bạn", "alo", "chào em", "hello ad", "ad ơi"]
THANKS = ["cảm ơn nhé", "cảm ơn em", "ok cảm ơn", "dạ em cảm ơn ạ"]
STORY = [  # background that names no procedure (checked against the search); "em" becomes "tôi" in some
    "Tuần này em xin nghỉ phép được hai hôm.",
    "Em đi làm ca sáng, chiều mới rảnh.",
    "Lần trước em lên hỏi thì đã hết giờ làm việc.",
    "Em không rành mấy chuyện này nên hỏi trước cho chắc.",
    "Chị hàng xóm chỉ em nhắn vào đây.",
    "Em lớn tuổi rồi, con cái đi làm hết nên phải tự lo.",
    "Mấy hôm nay trời mưa suốt, em ngại đi lại nhiều lần.",
    "Em sợ lên đó thiếu giấy lại phải về lấy.",
    "Em có đọc trên mạng nhưng mỗi trang nói một kiểu.",
    "Sáng mai em định ghé ủy ban luôn.",
    "Bạn em làm rồi mà giờ bạn đi công tác, không hỏi được.",
    "Em mới chuyển việc được hai tháng nên hơi bận.",
    "Nhà em ở gần chợ Bà Chiểu, đi lại cũng tiện.",
    "Tháng sau em phải về quê một chuyến.",
    "Em hỏi mấy người quen mà ai cũng nói không rõ.",
    "Em tính làm cho xong trước Tết.",
    "Chồng em đi làm xa, ở nhà chỉ có hai mẹ con.",
]
STORY_GREETINGS = ["Em chào anh chị ạ.", "Dạ chào ad.", "Chào bạn."]
STORY_ASKS = ["Cho em hỏi {question}?", "Vậy {question} ạ?", "Không biết {question}?", "Anh chị cho hỏi {question}?"]
STORY_REQUESTS = ["Nhờ anh chị {question} với ạ.", "Anh chị {question} được không ạ?", "Bot ơi, {question} nhé."]
EM = re.compile(r"\b([Ee])m\b")
TEEN_OPENERS = ["ad ơi ", "ad oi ", "", "cho e hỏi ", "alo ad "]
TEEN_CLOSERS = [" ạ", " vs ạ", " nha", " ad", "", " z"]
NAME_MAX_WORDS = 7
QUESTION_WORDS = re.compile(r"\b(gì|sao|nào|phải làm)\b|\bcó\b.*\bkhông$")
# Aliases that carry an aspect of their own ("gia hạn tạm trú online", "mẫu ct07") would blur the expected one.
ASPECT_WORDS = re.compile(r"\b(online|truc tuyen|qua mang|vneid|dich vu cong|toan trinh|mau|phi|ho so|giay to|o dau)\b")


class Namer:
    """The names a procedure may be called by in each style: its name (when short) and aliases, kept only
    when the catalogue search on the name alone, as typed, finds that procedure clearly."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.index = ProcedureIndex(catalogue)
        self._names: dict[tuple[str, str], tuple[str, ...]] = {}

    def names(self, procedure: Procedure, style: str) -> tuple[str, ...]:
        key = (procedure.code, style)
        if key not in self._names:
            candidates = [*self._spoken(procedure), *procedure.aliases]
            plain = [
                name for name in candidates if not QUESTION_WORDS.search(name) and not ASPECT_WORDS.search(fold(name))
            ]
            typed = [variant for name in plain for variant in STYLE_NAMES[style](name)]
            self._names[key] = tuple(dict.fromkeys(name for name in typed if self.finds(name, procedure.code)))
        return self._names[key]

    def finds(self, text: str, code: str) -> bool:
        result = self.index.search(text)
        return result.status is MatchStatus.CLEAR and result.hits[0].procedure.code == code

    def names_none(self, text: str) -> bool:
        return self.index.search(text).status is MatchStatus.NONE

    @staticmethod
    def _spoken(procedure: Procedure) -> list[str]:
        name = procedure.name
        if "(" in name or len(name.split()) > NAME_MAX_WORDS:
            return []
        return [name[0].lower() + name[1:]]


def shorthand(text: str, rng: random.Random) -> str:
    """Chat shorthand (bot/nlu/generate.py's SHORTHAND) where it applies, each at random."""
    for long, short in SHORTHAND:
        if rng.random() < 0.8:
            text = re.sub(rf"(?<!\w){re.escape(long)}(?!\w)", short, text)
    return text


def _shorthand_names(name: str) -> list[str]:
    short = shorthand(name, random.Random(name))
    return [short, fold(short)]


STYLE_NAMES: dict[str, Callable[[str], list[str]]] = {  # the ways a name is typed in each style
    "diacritics": lambda name: [name],
    "plain": lambda name: [fold(name)],
    "teencode": _shorthand_names,
    "long": lambda name: [name],
}


class Writer:
    """Writes conversations of one style with a seeded random generator."""

    def __init__(self, namer: Namer, procedures: list[Procedure], rng: random.Random) -> None:
        self.namer = namer
        self.procedures = procedures
        self.rng = rng
        self.story = [sentence for sentence in STORY if namer.names_none(sentence)]

    def typed(self, text: str, style: str, folded: bool | None = None, chatty: bool = True) -> str:
        """`text` as typed in `style`; teencode folds it when `folded` says so (at random when None) and, when
        `chatty`, adds chat particles; long conversations type their short turns either way."""
        if style == "plain" or (style == "long" and self.rng.random() < 0.5):
            return fold(text)
        if style == "teencode":
            text = shorthand(text, self.rng)
            text = fold(text) if (self.rng.random() < 0.5 if folded is None else folded) else text
            return self.rng.choice(TEEN_OPENERS) + text + self.rng.choice(TEEN_CLOSERS) if chatty else text
        return text

    def small_talk(self, choices: list[str], style: str) -> dict[str, Any]:
        """A greeting or thanks: it names no procedure."""
        return _turn(self.typed(self.rng.choice(choices), style, chatty=False), no_procedure=True)

    def pick(self, style: str, besides: set[str]) -> tuple[Procedure, str] | None:
        """A procedure (not in `besides`) and one of its honest names in `style`."""
        for _ in range(50):
            procedure = self.rng.choice(self.procedures)
            names = self.namer.names(procedure, "diacritics" if style == "long" else style)
            if names and procedure.code not in besides:
                return procedure, self.rng.choice(names)
        return None

    def question(self, aspect: str, name: str, style: str, first: bool) -> str:
        """A question naming the procedure; a long conversation tells its story first."""
        template = self.rng.choice(QUESTIONS[aspect])
        if style == "long":
            return self.told(template.format(name=name)) if first else template.format(name=name)
        return self.named(template, name, style)

    def named(self, template: str, name: str, style: str) -> str:
        """`template` typed in `style` around `name`, which is already typed so (its search was checked)."""
        return self.typed(template, style, folded=name == fold(name)).format(name=name)

    def told(self, question: str, endings: list[str] = STORY_ASKS) -> str:
        """A story of 1–4 sentences (a greeting first, sometimes), then the question; told by "em" or "tôi"."""
        sentences = self.rng.sample(self.story, self.rng.randint(1, 4))
        story = " ".join([*sentences, self.rng.choice(endings).format(question=question)])
        if self.rng.random() < 0.4:
            story = EM.sub(lambda m: "Tôi" if m.group(1) == "E" else "tôi", story)
        return f"{self.rng.choice(STORY_GREETINGS)} {story}" if self.rng.random() < 0.3 else story

    def follow_up(self, aspect: str, style: str) -> str:
        return self.typed(self.rng.choice(FOLLOW_UPS[aspect]), style)

    def questions(self, number: int, style: str) -> dict[str, Any] | None:
        """Greeting?, a named question, follow-ups, maybe a switch to another procedure, thanks?"""
        picked = self.pick(style, set())
        if picked is None:
            return None
        procedure, name = picked
        turns = []
        if self.rng.random() < 0.25:
            turns.append(self.small_talk(GREETINGS, style))
        aspect = self.rng.choice(list(QUESTIONS))
        turns.append(_turn(self.question(aspect, name, style, first=True), procedure=procedure.code, aspect=aspect))
        turns += self._follow_ups(procedure.code, aspect, style, self.rng.randint(1, 3))
        if self.rng.random() < 0.45 and (switched := self._switch(procedure.code, turns[-1]["expect"], style)):
            turns += switched
        if self.rng.random() < 0.3:
            turns.append(self.small_talk(THANKS, style))
        return {"id": f"gen-q-{number:03d}", "topic": "questions", "style": style, "turns": turns}

    def _follow_ups(self, code: str, asked: str, style: str, count: int) -> list[dict[str, Any]]:
        aspects = self.rng.sample([a for a in FOLLOW_UPS if a != asked], count)
        return [_turn(self.follow_up(aspect, style), procedure=code, aspect=aspect) for aspect in aspects]

    def _switch(self, code: str, last: dict[str, Any], style: str) -> list[dict[str, Any]]:
        """Another procedure: "còn X thì sao" (the last aspect) or a question of its own, then a follow-up."""
        picked = self.pick("diacritics" if style == "long" else style, {code})
        if picked is None:
            return []
        other, name = picked
        if self.rng.random() < 0.5:
            template, aspect = self.rng.choice(SWITCHES), last["aspect"]
        else:
            aspect = self.rng.choice([a for a in QUESTIONS if a != "overview"])
            template = self.rng.choice(QUESTIONS[aspect])
        text = self.named(template, name, "diacritics" if style == "long" else style)
        return [_turn(text, procedure=other.code, aspect=aspect), *self._follow_ups(other.code, aspect, style, 1)]

    def checklist(self, number: int, style: str) -> dict[str, Any] | None:
        """A guided checklist: the request, a few answers, the same answer until the summary, a follow-up."""
        picked = self.pick(style, set())
        if picked is None:
            return None
        procedure, name = picked
        template = self.rng.choice(CHECKLISTS)
        if style == "long":
            request = self.told(template.format(name=name), STORY_REQUESTS)
        else:
            request = self.named(template, name, style)
        turns = [_turn(request, procedure=procedure.code, checklist="question")]
        answer = self.typed(self.rng.choice(CHECKLIST_ANSWERS), style, chatty=False)
        turns.append({**_turn(answer, checklist="summary"), "until": "summary"})
        aspect = self.rng.choice(["agency", "fee", "time"])
        turns.append(_turn(self.follow_up(aspect, style), procedure=procedure.code, aspect=aspect))
        return {"id": f"gen-c-{number:03d}", "topic": "checklists", "style": style, "turns": turns}


def _turn(user: str, **expect: Any) -> dict[str, Any]:
    return {"user": user, "expect": expect}


def generate(catalogue: Catalogue, count: int = 160, checklists: int = 24, seed: int = SEED) -> list[dict[str, Any]]:
    """`count` question conversations and `checklists` checklist ones, styles in turn, from the curated catalogue."""
    rng = random.Random(seed)
    curated = [p for p in catalogue if catalogue.is_curated(p.code)]
    writer = Writer(Namer(catalogue), curated, rng)
    with_papers = Writer(writer.namer, [p for p in curated if p.documents], rng)
    made = [writer.questions(i + 1, STYLES[i % len(STYLES)]) for i in range(count)]
    made += [with_papers.checklist(i + 1, STYLES[i % len(STYLES)]) for i in range(checklists)]
    return [conversation for conversation in made if conversation is not None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=160, help="question conversations (160)")
    parser.add_argument("--checklists", type=int, default=24, help="checklist conversations (24)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, help="write YAML here instead of standard output")
    args = parser.parse_args()
    catalogue = Catalogue(load_procedures([CURATED_DIR]))
    conversations = generate(catalogue, args.count, args.checklists, args.seed)
    text = yaml.safe_dump({"conversations": conversations}, allow_unicode=True, sort_keys=False, width=120)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
