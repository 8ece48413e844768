"""Pure parsers for the National Public Service Portal's flattened record fields.

The portal's tables reach us as text with the cells glued together (see
/work/shared/catalogue/README.md). Each `parse_*` function turns one field into catalogue
structures and says how well it went: parsed, kept as raw text, or empty.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from bot.catalogue.model import (
    AMOUNT_MENTION,
    Channel,
    ChannelOption,
    Duration,
    Fee,
    LegalBasis,
    Level,
    Paper,
    PaperGroup,
    TimeUnit,
)

T = TypeVar("T")


class Status(str, Enum):
    """How a field came out of parsing."""

    PARSED = "parsed"
    RAW = "raw"
    EMPTY = "empty"


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """A parsed field: its items, its status, and text kept beside them (raw text or leftover notes)."""

    items: list[T]
    status: Status
    text: str | None = None


EMPTY: Parsed = Parsed([], Status.EMPTY)

# ---------------------------------------------------------------- plain text

PLACEHOLDERS = frozenset({"không có thông tin", "không", "không có", "không quy định", "-", "--"})
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060\ufeff]")
_PAGE_TAIL = re.compile(r"Từ khóa.*?Chọn cơ quan thực hiện.*", re.S)  # the rest of the web page
_SPACES = re.compile(r"[ \t\xa0]+")


def normalise(text: str | None) -> str:
    """NFC text without invisible marks or page tail; spaces collapsed, blank lines dropped."""
    if not text:
        return ""
    text = _PAGE_TAIL.sub("", unicodedata.normalize("NFC", _INVISIBLE.sub("", text)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def clean_text(text: str | None) -> str | None:
    """Normalised text, or None when empty or a placeholder such as 'Không có thông tin'."""
    text = normalise(text)
    if not text or text.rstrip(".").strip().lower() in PLACEHOLDERS:
        return None
    return text


def one_line(text: str | None) -> str | None:
    """`clean_text` on a single line."""
    text = clean_text(text)
    return " ".join(text.split()) if text else None


def _in_brackets(text: str, index: int) -> bool:
    """Whether text[index] lies inside brackets."""
    return text.count("(", 0, index) > text.count(")", 0, index)


def split_list(text: str | None) -> list[str]:
    """Split a comma-joined list; an item starts with a capital letter, outside brackets.

    'Cán bộ, công chức, viên chức, Doanh nghiệp' -> ['Cán bộ, công chức, viên chức', 'Doanh nghiệp'].
    """
    text = one_line(text)
    if not text:
        return []
    commas = (m.start() for m in re.finditer(r", (?=\w)", text) if text[m.end()].isupper())
    cuts = [comma for comma in commas if not _in_brackets(text, comma)]
    bounds = zip([0, *(c + 2 for c in cuts)], [*cuts, len(text)], strict=True)
    return [item for start, end in bounds if (item := text[start:end].strip(" ,."))]


_LEVELS = {"cấp bộ": Level.MINISTRY, "cấp tỉnh": Level.PROVINCE, "cấp xã": Level.COMMUNE, "cơ quan khác": Level.OTHER}


def parse_levels(text: str | None) -> list[Level]:
    """'Cấp bộ, Cấp tỉnh' -> [bo, tinh]; unknown parts are ignored."""
    parts = (_LEVELS.get(part.strip().lower()) for part in (one_line(text) or "").split(","))
    return list(dict.fromkeys(level for level in parts if level))


_CODE_LABEL = r"Mã\s*thủ\s*tục\s*"


def page_code(raw_text: str | None) -> str | None:
    """The procedure code the page text names after 'Mã thủ tục', if any."""
    match = re.search(rf"{_CODE_LABEL}(\d\s*\.\s*(?:\d\s*){{6}})", unicodedata.normalize("NFC", raw_text or ""))
    return re.sub(r"\s+", "", match.group(1)) if match else None


def names_code(raw_text: str | None, code: str) -> bool:
    """Whether the page text holds 'Mã thủ tục' followed by `code`, whitespace ignored."""
    spaced = r"\s*".join(map(re.escape, code))
    return re.search(rf"{_CODE_LABEL}{spaced}(?!\s*\d)", unicodedata.normalize("NFC", raw_text or "")) is not None


# ---------------------------------------------------------------- fees and times

MIN_FEE = 1000  # smaller figures are slips ('145 VNĐ' for USD) or thousands, see THOUSAND
THOUSAND = 1000  # some cells count in thousands: '20 VNĐ' whose description says '20.000 đ/tờ khai'
_VND = r"Việt Nam Đồng|VNĐ|VND|Đồng|đồng"
_CURRENCY = rf"(?:{_VND}|USD)"
_AMOUNT = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*|\d+")
_GROUPED = r"\d{1,3}(?:[.,]\d{3})+"
# '20.000 đ', '400000 Đồng', '02 triệu đồng', and a grouped figure priced per unit: '160.000/hộ chiếu'
_NAMED_AMOUNT = re.compile(
    rf"(?<![\d.,])(?:({_GROUPED}|\d+)\s*(triệu\s*)?(?:đồng|đ\b|vnđ|vnd)|({_GROUPED})(?=\s*/))", re.I
)
_FREE_NOTE = re.compile(r"(?:không|miễn phí|miễn lệ phí)\b", re.I)
_PARTIAL_NOTE = re.compile(r"đối với|trừ\b|trường hợp", re.I)
_NO_FEE_RULE = re.compile(r"không quy định (?:về )?(?:thời hạn giải quyết, )?phí, lệ phí", re.I)


def parse_amount(text: str) -> int | None:
    """The first amount in `text`: '10,000 Việt Nam Đồng' -> 10000, '135.000 đồng' -> 135000."""
    match = _AMOUNT.search(text)
    return int(re.sub(r"[.,]", "", match.group())) if match else None


def named_amounts(text: str | None) -> set[int]:
    """The VND amounts a text names: '20.000 đ/tờ khai; 02 triệu đồng' -> {20000, 2000000}."""
    amounts = set()
    for match in _NAMED_AMOUNT.finditer(text or ""):
        amount = int(re.sub(r"[.,]", "", match.group(1) or match.group(3)))
        amounts.add(amount * 1_000_000 if match.group(2) else amount)
    return amounts


def parse_fee(cell: str | None, description: str | None = None) -> Fee | None:
    """A fee cell with its bracketed description.

    'Miễn phí' is amount 0 only when the description (if any) just says there is no fee;
    a description that names an amount or a rule ('Miễn phí(Lệ phí cấp GPLX: 135.000 đồng…)')
    keeps the whole wording as text. An amount is kept only when the description names no amount
    or names that one; other currencies stay text.
    """
    cell, description = one_line(cell), one_line(description)
    if cell is None:
        return Fee(text=description) if description else None
    if cell.lower() == "miễn phí":
        if description is None or _says_free(description):
            return Fee(amount=0, text=description)
        return Fee(text=f"{cell} ({description})")
    if not re.search(r"\d", cell):
        return Fee(text=description) if description else None
    amount = _cell_amount(cell, description)
    if amount is not None:
        return Fee(amount=amount, text=description)
    return Fee(text=f"{cell} ({description})" if description else cell)


def _cell_amount(cell: str, description: str | None) -> int | None:
    """The VND amount of a fee cell that its description does not contradict.

    A figure below MIN_FEE counts in thousands when the description names that many thousands
    ('20 VNĐ' with '20.000 đ/tờ khai'); otherwise it is a slip and gives no amount.
    """
    amount = parse_amount(cell) if re.search(rf"(?:{_VND})$", cell) else None
    if amount is None:
        return None
    named = named_amounts(description)
    if amount < MIN_FEE:
        return amount * THOUSAND if amount * THOUSAND in named else None
    return amount if not named or amount in named else None


def _says_free(description: str) -> bool:
    return bool(_FREE_NOTE.match(description)) and not (
        AMOUNT_MENTION.search(description) or _PARTIAL_NOTE.search(description)
    )


def fee_in_text(text: str | None) -> Fee | None:
    """The fee a row's description states when its fee cell is empty: 'Không quy định phí, lệ phí' is free.

    Amounts written only in a description stay in the row's note.
    """
    match = _NO_FEE_RULE.search(one_line(text) or "")
    return Fee(amount=0, text=match.group()[:1].upper() + match.group()[1:]) if match else None


_UNITS = {"ngày làm việc": TimeUnit.WORKING_DAY, "ngày": TimeUnit.DAY, "giờ": TimeUnit.HOUR, "tháng": TimeUnit.MONTH}
_UNIT_WORDS = "ngày làm việc|ngày|giờ|tháng"
# A stated period, not a date: '05 ngày làm việc', '1,5 ngày'; not 'ngày 20 tháng 6', '01/7/2025'
_PERIOD = re.compile(rf"(?<!ngày )(?<![\d/.,])(\d+(?:[.,]5)?)\s*({_UNIT_WORDS})(?!\s*(?:năm|/))", re.I)

_LIMIT_CUE = re.compile(
    r"(?:^[\s*+-]*|(?:thời hạn|thời gian)(?: giải quyết)?\s*:?\s*|trong(?: thời hạn| vòng)?\s*|"
    r"không quá\s*|tối đa(?: là)?\s*|chậm nhất\s*)$",
    re.I,
)


def parse_duration(cell: str | None, context: str | None = None) -> Duration | None:
    """A time cell: '7 Ngày làm việc' -> 7 working days.

    A bare number ('1') gets a unit only when `context` (the row's own description) states
    that number with a unit ('01 ngày làm việc'); otherwise it is kept as text.
    """
    cell = one_line(cell)
    if not cell:
        return None
    match = re.fullmatch(rf"(\d+(?:[.,]\d+)?)\s*({_UNIT_WORDS})?", cell, re.I)
    if not match:
        return Duration(text=cell)
    unit = match.group(2) or _stated_unit(match.group(1), context or "")
    if not unit:
        return Duration(text=cell)
    return _duration(match.group(1), unit)


def duration_in_text(text: str | None) -> Duration | None:
    """The time limit a row's description states when its time cell is empty, if it states one period only.

    '15 ngày kể từ ngày nhận được hồ sơ hợp lệ', 'Thời hạn giải quyết: 13 ngày làm việc' -> that period;
    two periods (steps, cases) or one not introduced as a limit ('lưu lại tại cảng quá 24 giờ') give None.
    """
    text = one_line(text) or ""
    periods = list(_PERIOD.finditer(text))
    if len(periods) != 1 or not _LIMIT_CUE.search(text[: periods[0].start()]):
        return None
    return _duration(*periods[0].groups())


def _duration(number: str, unit: str) -> Duration:
    return Duration(value=float(number.replace(",", ".")), unit=_UNITS[unit.lower()])


def _stated_unit(number: str, context: str) -> str | None:
    if not number.isdigit():
        return None
    periods = (unit for value, unit in _PERIOD.findall(context) if value.isdigit() and int(value) == int(number))
    return next(periods, None)


# ---------------------------------------------------------------- channels (cách thức thực hiện)

_CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_CHANNELS = {"Trực tuyến": Channel.ONLINE, "Trực tiếp": Channel.IN_PERSON, "Dịch vụ bưu chính": Channel.POSTAL}
_CHANNEL_NAME = re.compile("|".join(_CHANNELS))
_NO_INFO = "Không có thông tin"
_TIME_WITH_UNIT = re.compile(r"\d+(?:[.,]\d+)? ?(?:Ngày làm việc|Ngày|Giờ|Tháng)")
_GLUED_AMOUNT = re.compile(rf"(\d[\d,.]*) ?({_CURRENCY})")  # a bare time glued to an amount: '120 VNĐ'
_FEE_CELL = re.compile(rf"Miễn phí|{_NO_INFO}|\d[\d,.]* ?{_CURRENCY}| ?VNĐ")


def parse_channels(text: str | None) -> Parsed[ChannelOption]:
    """The 'cách thức thực hiện' table: one option per channel with its time, fee and description.

    Rows of the same channel (one per case) are merged; differing times or fees are then kept as text.
    """
    body = normalise(text).removeprefix(_CHANNEL_HEADER).strip()
    if clean_text(body) is None:
        return EMPTY
    rows = list(_channel_rows(body))
    if not rows:
        return Parsed([], Status.RAW, body)
    by_channel: dict[Channel, list[ChannelOption]] = {}
    for channel, segment in rows:
        by_channel.setdefault(channel, []).append(_channel_option(channel, segment))
    return Parsed([_merge_rows(options) for options in by_channel.values()], Status.PARSED)


def _channel_rows(body: str) -> Iterator[tuple[Channel, str]]:
    """(channel, rest of row); a row starts with a channel name glued to a digit or capital."""
    starts = [m for m in _CHANNEL_NAME.finditer(body) if _opens_cell(body[m.end() : m.end() + 1])]
    if not starts or starts[0].start() != 0:
        return
    ends = [m.start() for m in starts[1:]] + [len(body)]
    for match, end in zip(starts, ends, strict=True):
        yield _CHANNELS[match.group()], body[match.end() : end]


def _opens_cell(char: str) -> bool:
    return char.isdigit() or char.isupper()


def _channel_option(channel: Channel, segment: str) -> ChannelOption:
    """One row; an empty time or fee cell falls back to what the row's description states."""
    time_cell, fee_cell, rest = _split_row(segment)
    description, note = _bracketed(rest) if fee_cell != _NO_INFO else (None, rest)
    note = clean_text(note)
    context = " ".join(filter(None, (description, note)))
    time = parse_duration(time_cell, context) if clean_text(time_cell) else duration_in_text(context)
    fee = parse_fee(fee_cell, description) if clean_text(fee_cell) else fee_in_text(context)
    return ChannelOption(channel=channel, time=time, fee=fee, note=note)


def _split_row(segment: str) -> tuple[str, str, str]:
    """(time cell, fee cell, rest) of one row."""
    if match := _TIME_WITH_UNIT.match(segment):
        time_cell, rest = match.group(), segment[match.end() :]
    elif match := _GLUED_AMOUNT.match(segment):
        time_cell, amount = _split_glued(match.group(1))
        return time_cell, f"{amount} {match.group(2)}", segment[match.end() :]
    elif segment.startswith(_NO_INFO):
        time_cell, rest = "", segment[len(_NO_INFO) :]
    else:
        fee = _FEE_CELL.search(segment)
        cut = fee.start() if fee else len(segment)
        time_cell, rest = segment[:cut], segment[cut:]
    fee = _FEE_CELL.match(rest)
    return (time_cell, fee.group(), rest[fee.end() :]) if fee else (time_cell, "", rest)


def _split_glued(digits: str) -> tuple[str, str]:
    """Split '1100,000' into time '1' and amount '100,000': the time cell is never empty."""
    for cut in range(1, len(digits)):
        time_cell, amount = digits[:cut], digits[cut:]
        if time_cell.isdigit() and _AMOUNT.fullmatch(amount) and (amount == "0" or not amount.startswith("0")):
            return time_cell, amount
    return "", digits


def _bracketed(text: str) -> tuple[str | None, str]:
    """Split '(description)rest' at the matching bracket; enumerators like 'a)' do not close it."""
    if not text.startswith("("):
        return None, text
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")" and not re.search(r"(?:^|[\s(;:,.\-])[a-zđ0-9ivx]{1,3}$", text[:index]):
            depth -= 1
            if depth == 0:
                return text[1:index], text[index + 1 :]
    return text[1:], ""


def _distinct(values: list[T | None]) -> list[T]:
    found: list[T] = []
    for value in values:
        if value is not None and value not in found:
            found.append(value)
    return found


_UNIT_LABELS = {unit: label for label, unit in _UNITS.items()}


def describe_duration(time: Duration) -> str:
    """'7 ngày làm việc', or the duration's text."""
    if time.value is None or time.unit is None:
        return time.text or ""
    return f"{time.value:g} {_UNIT_LABELS[time.unit]}"


def describe_fee(fee: Fee) -> str:
    """'20.000 đồng (text)', 'Miễn phí', or the fee's text."""
    if fee.amount is None:
        return fee.text or ""
    amount = "Miễn phí" if fee.amount == 0 else f"{fee.amount:,}".replace(",", ".") + " đồng"
    return f"{amount} ({fee.text})" if fee.text else amount


def _merge_rows(options: list[ChannelOption]) -> ChannelOption:
    if len(options) == 1:
        return options[0]
    times = _distinct([o.time for o in options])
    fees = _distinct([o.fee for o in options])
    notes = _distinct([o.note for o in options])
    if len(times) > 1:
        times = [Duration(text="; ".join(map(describe_duration, times)))]
    if len(fees) > 1:
        fees = [_merged_fee(fees)]
    time, fee = next(iter(times), None), next(iter(fees), None)
    return ChannelOption(channel=options[0].channel, time=time, fee=fee, note="\n".join(notes) or None)


def _merged_fee(fees: list[Fee]) -> Fee:
    """Fees of one channel's rows: their common amount with the wordings joined, else all as text."""
    amounts = {fee.amount for fee in fees}
    if len(amounts) == 1 and None not in amounts:
        return Fee(amount=amounts.pop(), text="; ".join(_distinct([fee.text for fee in fees])) or None)
    return Fee(text="; ".join(map(describe_fee, fees)))


def doubtful_aspects(options: list[ChannelOption]) -> list[str]:
    """Aspects ('time', 'fee') whose portal cells could not be trusted as figures.

    A time is doubtful when only a bare number without unit was given; a fee when the cell said
    'Miễn phí' but its description did not, or when the figure was implausible.
    """
    doubtful = []
    if any(o.time and o.time.value is None and re.fullmatch(r"[\d.,]+", o.time.text or "") for o in options):
        doubtful.append("time")
    if any(o.fee and o.fee.amount is None and re.match(r"Miễn phí \(|\d", o.fee.text or "") for o in options):
        doubtful.append("fee")
    return doubtful


# ---------------------------------------------------------------- documents (thành phần hồ sơ)

_DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_QUANTITY = re.compile(r"(\d) bản (chính|sao)(?:, ?(\d) bản (chính|sao))?")
_NOT_NEEDED = re.compile(r"không phải (?:nộp|xuất trình|tải lên|cung cấp)|khai thác được", re.I)
_LEADING_MARKS = re.compile(r"^(?:[-–+*•]+\s*|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[ivx]{1,4})[.)]+(?!\d)\s*)+", re.I)
_FILE_EXTENSION = re.compile(r"\.(?:docx?|pdf|xlsx?|rar|zip)", re.I)
_FORM_WINDOW = 90  # file names of forms are shorter than this
MIN_KEY = 10  # shortest paper name that a 'không phải nộp' note may be matched against


def parse_quantity(text: str) -> tuple[int, int]:
    """('1 bản chính,1 bản sao') -> (originals, copies)."""
    counts = {"chính": 0, "sao": 0}
    for number, kind in re.findall(r"(\d+) bản (chính|sao)", text):
        counts[kind] += int(number)
    return counts["chính"], counts["sao"]


def parse_documents(text: str | None) -> Parsed[PaperGroup]:
    """The dossier table: papers grouped by case; notes that are not papers go to `text`.

    Titles before each table header name a case, or a section ('* Giấy tờ phải nộp:',
    '* Giấy tờ phải xuất trình:', '* Lưu ý:'); items end with their quantity ('1 bản chính').
    Items with no copy at all are notes; 'không phải nộp…' notes become the `not_needed_reason`
    of the paper they name. Without a table header, or without papers, the text is kept raw.
    """
    body = one_line(text)
    if body is None or not body.strip("- "):
        return EMPTY
    if _DOC_HEADER not in body:
        return Parsed([], Status.RAW, clean_text(text))
    dossier = _Dossier()
    chunks = body.split(_DOC_HEADER)
    dossier.open(chunks[0])
    for number, chunk in enumerate(chunks[1:], 2):
        end = 0
        for match in _quantities(chunk):
            dossier.add(chunk[end : match.start()], *parse_quantity(match.group()))
            end = match.end()
        if number < len(chunks):
            dossier.open(chunk[end:])
        else:
            dossier.note(chunk[end:])
    groups, notes = dossier.groups(), clean_text("\n".join(dossier.notes))
    if groups:
        return Parsed(groups, Status.PARSED, notes)
    return Parsed([], Status.RAW, notes) if notes else EMPTY


def _quantities(chunk: str) -> Iterator[re.Match[str]]:
    """Quantity cells; '01 bản sao giấy khai sinh' inside a sentence is not one."""
    for match in _QUANTITY.finditer(chunk):
        following = chunk[match.end() : match.end() + 8]
        if not (following[:1] == " " and following.lstrip()[:1].islower()):
            yield match


class _Dossier:
    """Collects papers while walking the flattened dossier table."""

    def __init__(self) -> None:
        self.papers: dict[str | None, list[Paper]] = {}
        self.notes: list[str] = []
        self.reasons: list[str] = []
        self.case: str | None = None
        self.present_only = False
        self.notes_only = False

    def open(self, title: str) -> None:
        """Start the table titled `title`: a case, a section, or nothing ('--')."""
        title = _strip_marks(title).rstrip(" :")
        self.case, self.present_only, self.notes_only = None, False, False
        if self._section(title) or len(title) < 3:
            return
        if title.lower().startswith("lưu ý"):
            self.notes_only = True
            self.note(title)
        else:
            self.case = title

    def _section(self, text: str) -> bool:
        """Switch section when `text` is only a section marker."""
        lowered = text.lower().rstrip(" :.")
        if lowered == "lưu ý":
            self.notes_only = True
        elif lowered in ("giấy tờ phải nộp", "giấy tờ phải xuất trình"):
            self.present_only = lowered.endswith("xuất trình")
        else:
            return False
        return True

    def note(self, text: str) -> None:
        if text := _strip_marks(text):
            (self.reasons if _NOT_NEEDED.search(text) else self.notes).append(text)

    def add(self, item: str, originals: int, copies: int) -> None:
        """One item with its quantity: a paper, or a note when nothing is to be handed over."""
        text = _strip_marks(item)
        if not text or self._section(text):
            return
        if self.notes_only or originals + copies == 0:
            self.note(text)
            return
        case, text = _case_of(text) or (self.case, text)
        paper = _paper(text, originals, copies, self.present_only)
        if paper:
            self.papers.setdefault(case, []).append(paper)
        else:
            self.note(text)

    def groups(self) -> list[PaperGroup]:
        """The paper groups, common papers first, with 'không phải nộp' notes attached."""
        for reason in self.reasons:
            paper = _named_paper(reason, [p for papers in self.papers.values() for p in papers])
            if paper:
                paper.not_needed_reason = reason
            else:
                self.notes.append(reason)
        cases = sorted(self.papers, key=lambda case: case is not None)
        return [PaperGroup(case=case, papers=self.papers[case]) for case in cases]


def _strip_marks(text: str) -> str:
    text = " ".join(text.split())
    return _LEADING_MARKS.sub("", text).strip(" ;,") if text.strip("- ") else ""


def _case_of(text: str) -> tuple[str, str] | None:
    """'Trường hợp X thì phải có Y' -> ('Trường hợp X', 'Y')."""
    match = re.match(r"(Trường hợp .+?),? (?:thì |phải có |phải nộp |cần có )(.+)", text)
    if not match:
        return None
    paper = re.sub(r"^(?:phải |cần )?(?:có|nộp|gửi|bổ sung|kèm theo|xuất trình)\s+", "", match.group(2))
    if paper.lower().startswith("không"):
        return None
    return match.group(1), paper[:1].upper() + paper[1:]


def _paper(text: str, originals: int, copies: int, present_only: bool) -> Paper | None:
    form, text = _take_form(text)
    name, note = _name_and_note(text)
    if len(name) < 3 and form:
        name = form
    if len(name) < 3:
        return None
    return Paper(name=name, originals=originals, copies=copies, form=form, note=note, present_only=present_only)


def _take_form(text: str) -> tuple[str | None, str]:
    """Split off the form file names glued to the end of an item ('…theo mẫuMẫu số 03.docx')."""
    if not re.search(rf"{_FILE_EXTENSION.pattern}$", text, re.I):
        return None, text
    first = _FILE_EXTENSION.search(text)
    window_start = max(first.start() - _FORM_WINDOW, 1)
    cut = next((i for i in range(window_start, first.start()) if _glued_boundary(text, i)), None)
    if cut is None:
        cut = text.rfind(" ", 0, first.start()) + 1
    return text[cut:].strip() or None, text[:cut].strip()


def _glued_boundary(text: str, index: int) -> bool:
    """Whether a new cell starts at `index` with no space: 'CP;Mẫu', 'an)Mẫu', 'sảnMau', '2026Mẫu'."""
    before, char = text[index - 1], text[index]
    if before.isspace() or not char.isalnum():
        return False
    if before in ";)":
        return True
    if before == ".":
        return index > 1 and (text[index - 2].isalpha() or text[index - 2] == ")")
    return (before.islower() or before.isdigit()) and char.isupper()


def _name_and_note(text: str) -> tuple[str, str | None]:
    """Split a paper's name from the explanation after its first ';' or sentence end."""
    for match in re.finditer(r";\s*|(?<=[^\W_)]{2})(?<![Tt][Pp])\.\s+(?=[^\W\d_])", text):
        if not _in_brackets(text, match.start()):
            name, note = text[: match.start()].strip(" .;,"), text[match.end() :].strip(" .;,")
            if len(name) >= 3:
                return name, (note[:1].upper() + note[1:]) or None
    return text.strip(" .;,"), None


def _named_paper(reason: str, papers: list[Paper]) -> Paper | None:
    """The paper a 'không phải nộp' note is about: the longest paper name the note mentions."""
    lowered = reason.lower()
    candidates = [
        (len(key), paper)
        for paper in papers
        if paper.not_needed_reason is None and len(key := _paper_key(paper.name)) >= MIN_KEY and key in lowered
    ]
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


def _paper_key(name: str) -> str:
    return re.split(r"\s*[(,;:]|\s+(?:theo|do|của)\s+", name.lower(), maxsplit=1)[0].strip()


# ---------------------------------------------------------------- steps (trình tự thực hiện)

_STEP_MARK = re.compile(r"Bước\s*\d+\s*[:.\-–]\s*")
_NOTES_HEAD = re.compile(r"^[\s*•+-]*Lưu ý\s*:?\s*", re.M | re.I)  # not '(Lưu ý: …)' inside a step
_STEP_BULLET = re.compile(r"(?:[-–•]\s+|\d{1,2}[.)](?!\d)\s*|[a-zđ]\)\s+)")


def parse_steps(text: str | None) -> Parsed[str]:
    """Ordered steps from 'Bước N:' marks, else from '- ' / '1.' / 'a)' lines, else from paragraphs.

    A trailing 'Lưu ý' section becomes one last item; a single block is kept raw.
    """
    body = clean_text(text)
    if body is None:
        return EMPTY
    head = _NOTES_HEAD.search(body)
    main, notes = (body[: head.start()], body[head.end() :]) if head else (body, "")
    steps = _by_step_marks(main) or _by_lines(main)
    if len(steps) < 2:
        return Parsed([_join_lines(body)], Status.RAW)
    if notes.strip():
        steps.append("Lưu ý: " + _LEADING_MARKS.sub("", _join_lines(notes)))
    return Parsed(steps, Status.PARSED)


def _by_step_marks(text: str) -> list[str]:
    marks = [m for m in _STEP_MARK.finditer(text) if _opens_step(text[: m.start()])]
    if len(marks) < 2:
        return []
    ends = [m.start() for m in marks[1:]] + [len(text)]
    steps = [_clean_step(text[m.end() : end]) for m, end in zip(marks, ends, strict=True)]
    preamble = _clean_step(text[: marks[0].start()])
    if preamble and not (preamble.endswith(":") and len(preamble) < 80):  # a heading is dropped
        steps.insert(0, preamble)
    return [step for step in steps if step]


def _opens_step(before: str) -> bool:
    """Whether a 'Bước N' mark preceded by `before` starts a step, not a reference inside a sentence."""
    line = before[before.rfind("\n") + 1 :].rstrip(" \t-+*•")
    return not line or line[-1] in ".;:" or bool(re.fullmatch(r"\W*\S{0,3}", line))


def _by_lines(text: str) -> list[str]:
    """Steps from bullet lines ('- ', '1.', 'a)'), other lines continuing them; else one per paragraph."""
    lines = _join_lines(text).split("\n")
    bulleted = any(_STEP_BULLET.match(line) for line in lines)
    steps: list[str] = []
    for line in lines:
        if steps and steps[-1].endswith(":"):  # a heading takes the line that follows
            steps[-1] += "\n" + _strip_marks(line)
        elif not steps or not bulleted or _STEP_BULLET.match(line):
            steps.append(_strip_marks(line))
        else:
            steps[-1] += "\n" + line
    return [step for step in steps if step]


def _clean_step(text: str) -> str:
    text = re.sub(r"\s*(?:[-+*]|[a-zđ]\)|\(?[ivx]+\))\s*$", "", _join_lines(text))
    return _LEADING_MARKS.sub("", text).strip(" ;,")


def _join_lines(text: str) -> str:
    """Join lines broken inside a sentence (the next line starts in lower case, not with 'a) ')."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    joined: list[str] = []
    for line in lines:
        if joined and line[0].islower() and not _STEP_BULLET.match(line):
            joined[-1] += " " + line
        else:
            joined.append(line)
    return "\n".join(joined)


# ---------------------------------------------------------------- results and legal basis

_RESULT_CODE = re.compile(r"\s*Mã:\s*[A-Z0-9][A-Z0-9.\-]*\d(?![\d.\-])\s*")  # KQ.G15.000031, BQP-CCS.KQ0001


def parse_results(text: str | None) -> Parsed[str]:
    """'Giấy khai sinhMã: KQ.G15.000031Từ khóa…' -> ['Giấy khai sinh']; text without result codes is raw."""
    body = clean_text(normalise(text).split("Từ khóa")[0])
    if body is None:
        return EMPTY
    names = [name.rstrip(" .;") for part in _RESULT_CODE.split(body) if (name := one_line(part))]
    status = Status.PARSED if _RESULT_CODE.search(body) else Status.RAW
    return Parsed(list(dict.fromkeys(names)), status)


_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# A 'Mã văn bản' cell written 'Thông tư số 03/2023/TT-BTP' leaves its prefix glued to the title.
_CODE_PREFIX = re.compile(r"(?<=\S)(?:Thông tư|Nghị định|Luật|Quyết định|Nghị quyết|Pháp lệnh)(?: số)?\s*$")
_CODE_PART = r"(?:(?:UBTVQH|QH)\d{2}|TTg|[A-ZĐ]+(?:\d+(?![\d/]))?)"  # digits before '/' start the next number
_LEGAL_NUMBER = re.compile(rf"\d+(?:\.\d+)?/(?:\d{{4}}/)?{_CODE_PART}(?:-{_CODE_PART})*")
# Issuer codes, to tell 'NĐ-CPThông tư…' (code 'CP' + next title) from 'TT-BCAngày…' (a typo inside a title):
# a final part that is not an issuer but starts with one is cut back to it.
ISSUERS = frozenset(
    "CP TTg BCA BTC BTP BXD BYT BCT BQP BNV BNG NHNN BNNMT BNNPTNT BTNMT BGTVT BKHĐT BKHCN BTTTT BGDĐT "
    "BLĐTBXH BVHTTDL HĐND UBND VPCP TANDTC VKSNDTC KTNN HĐTP CTN UBTVQH BHXH".split()
)


def parse_legal_basis(text: str | None) -> Parsed[LegalBasis]:
    """The flattened 'Tên văn bản pháp lý | Mã văn bản' table -> [LegalBasis(number, title)].

    A row ends at a number glued to the next title (or the end); text left over after the last
    such number is reported as raw.
    """
    body = (one_line(text) or "").removeprefix(_LEGAL_HEADER).strip()
    if not body:
        return EMPTY
    found: dict[str, LegalBasis] = {}
    start = 0
    for match in _LEGAL_NUMBER.finditer(body):
        end = _number_end(match)
        if not _ends_row(body, match.start(), end):
            continue
        number_start = _number_start(body, match.start())
        title = _CODE_PREFIX.sub("", body[start:number_start]).strip(" ,;:-") or None
        found.setdefault(body[number_start:end], LegalBasis(number=body[number_start:end], title=title))
        start = end
    status = Status.PARSED if found and not body[start:].strip() else Status.RAW
    return Parsed(list(found.values()), status)


def _ends_row(body: str, start: int, end: int) -> bool:
    """Whether the number at body[start:end] is a 'Mã văn bản' cell: followed by the next title or the end.

    The cell may end with a full stop; a number glued to the text before it may also be followed by a
    space ('…Bộ Tư pháp18/2026/NĐ-CP Nghị định…').
    """
    following = body[end : end + 3].removeprefix(".")
    if following[:1] == " " and start > 0 and not body[start - 1].isspace():
        following = following[1:]
    return not following or following[0].isupper() or following[0] in '("“'


def _number_end(match: re.Match[str]) -> int:
    """End of a number, giving back capitals that start the next title ('NĐ-CPThông', 'NĐ-CPQUY ĐỊNH' -> 'NĐ-CP')."""
    last = re.split(r"[-/]", match.group())[-1]
    sizes = range(len(last), 1, -1)
    known = next((size for size in sizes if last[:size] in ISSUERS and last[size:].isalpha()), len(last))
    return match.end() - (len(last) - known)


def _number_start(body: str, start: int) -> int:
    """Start of a number, skipping a year glued before it ('Luật Cư trú 202068/2020/QH14')."""
    digits = re.match(r"\d+", body[start : start + 12]).group()
    return start + 4 if len(digits) > 4 and digits[:2] in ("19", "20") else start
