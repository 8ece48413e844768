"""Sample dossiers for trying the bot and for tests: realistic, and the same for the same day and count.

Dossier i has status `list(Status)[i % 8]` and the i-th procedure of the given list (shuffled once,
so as many dossiers as procedures cover them all). Dates count back from today in working days; the
appointment adds the procedure's processing time (calendar days converted at 5 working days a week).
Every other dossier in progress (đang xử lý) is late, and every third with a result or a rejection.
Supplements requested are papers of the procedure's own dossier list. Offices are HCMC one-stop
shops (`H29`); the handling office comes from the procedure's executing agencies.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.catalogue.model import Procedure, TimeUnit
from bot.dossiers.model import Applicant, Dossier, LogEntry, ProcedureRef, Status
from bot.dossiers.workdays import add_working_days, is_working_day, today_in_vietnam

SEED = 2026
DEFAULT_COUNT = 60
STATUSES = list(Status)
_MAY_END_LATE = frozenset({Status.RESULT_READY, Status.RESULT_RETURNED, Status.REJECTED})
_DEFAULT_WORKING_DAYS = 3  # procedures whose time is only described in words ("trong ngày", …)
Sequences = dict[tuple[str, date], int]  # the next sequence number per (office code, day)


@dataclass(frozen=True)
class OneStopShop:
    """A receiving office: its code (the first part of dossier codes) and the area it serves."""

    code: str
    area: str

    @property
    def place(self) -> str:
        return f"Trung tâm Phục vụ hành chính công {self.area}"


CITY = OneStopShop("000.00.31.H29", "Thành phố Hồ Chí Minh")
WARDS = [
    OneStopShop("000.21.31.H29", "phường Sài Gòn"),
    OneStopShop("000.22.31.H29", "phường Tân Định"),
    OneStopShop("000.23.31.H29", "phường Bến Thành"),
    OneStopShop("000.24.31.H29", "phường Bàn Cờ"),
    OneStopShop("000.25.31.H29", "phường Chợ Lớn"),
    OneStopShop("000.26.31.H29", "phường Thủ Đức"),
    OneStopShop("000.27.31.H29", "xã Bình Chánh"),
    OneStopShop("38.98.H29", "phường Gia Định"),  # printed in the shortened form
]
FAMILY_NAMES = {  # approximate shares of the population
    "Nguyễn": 38,
    "Trần": 11,
    "Lê": 9,
    "Phạm": 7,
    "Huỳnh": 5,
    "Hoàng": 3,
    "Phan": 4,
    "Võ": 4,
    "Vũ": 2,
    "Đặng": 2,
    "Bùi": 2,
    "Đỗ": 1,
    "Hồ": 1,
    "Ngô": 1,
    "Dương": 1,
    "Lý": 1,
}
MIDDLE_NAMES = {"nam": ["Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Hoàng"], "nữ": ["Thị", "Ngọc", "Thu", "Thanh"]}
GIVEN_NAMES = {
    "nam": ["An", "Bình", "Dũng", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quân", "Tuấn", "Sơn", "Trí", "Vinh"],
    "nữ": ["Anh", "Châu", "Hà", "Hạnh", "Lan", "Linh", "Mai", "Ngân", "Thảo", "Trang", "Vy", "Yến", "Hương"],
}
PHONE_PREFIXES = ["090", "091", "093", "094", "097", "098", "032", "035", "038", "070", "077", "079", "086", "089"]
REJECTIONS = [
    "Hồ sơ không đáp ứng điều kiện theo quy định của thủ tục",
    "Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan; đề nghị nộp tại cơ quan có thẩm quyền",
    "Quá thời hạn bổ sung hồ sơ theo Phiếu yêu cầu bổ sung",
]
SUSPENSIONS = [
    "Chờ kết quả xác minh của cơ quan có liên quan",
    "Chờ ý kiến của cơ quan phối hợp",
]


def sample_dossiers(
    procedures: Sequence[Procedure], count: int = DEFAULT_COUNT, today: date | None = None, seed: int = SEED
) -> list[Dossier]:
    """`count` sample dossiers over all statuses and the given procedures, received up to today."""
    if not procedures:
        raise ValueError("sample dossiers need at least one procedure")
    rng = random.Random(seed)
    today = today or today_in_vietnam()
    ordered = sorted(procedures, key=lambda p: p.code)
    rng.shuffle(ordered)
    sequences: Sequences = {}
    return [_dossier(i, ordered[i % len(ordered)], today, rng, sequences) for i in range(count)]


def _dossier(i: int, procedure: Procedure, today: date, rng: random.Random, sequences: Sequences) -> Dossier:
    status = STATUSES[i % len(STATUSES)]
    round_ = i // len(STATUSES)
    late = round_ % 2 == 1 if status is Status.PROCESSING else round_ % 3 == 1 and status in _MAY_END_LATE
    shop, office = _offices(procedure, rng)
    duration = _working_days(procedure)
    received, completed = _dates(status, late, duration, today, rng)
    supplements = _supplements(procedure, rng) if status is Status.AWAITING_SUPPLEMENT else ()
    return Dossier(
        code=_code(shop, received, rng, sequences),
        procedure=ProcedureRef(procedure.code, procedure.name),
        applicant=_applicant(rng),
        received=received,
        appointment=add_working_days(received, duration),
        completed=completed,
        office=office,
        status=status,
        log=_log(status, shop, office, received, completed, today, supplements, rng),
        supplements=supplements,
        pickup_place=shop.place,
    )


def _offices(procedure: Procedure, rng: random.Random) -> tuple[OneStopShop, str]:
    """Where the dossier was received, and the office handling it (a catalogue executing agency)."""
    agencies = [a.replace(" (xã, phường, đặc khu)", "") for a in procedure.agencies.executing]
    local = [a for a in agencies if "cấp xã" in a]
    citywide = [a for a in agencies if "cấp xã" not in a]
    if local and (not citywide or rng.random() < 0.5):
        shop = rng.choice(WARDS)
        agency = local[0].replace("cấp xã", shop.area)
    else:
        shop, agency = CITY, citywide[0] if citywide else "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    return shop, agency.removeprefix("Chủ tịch ").replace("cấp tỉnh", "Thành phố Hồ Chí Minh")


def _working_days(procedure: Procedure) -> int:
    """The procedure's processing time in working days (its first channel with a time value)."""
    time_ = next((c.time for c in procedure.channels if c.time and c.time.value is not None), None)
    if time_ is None or time_.value is None:
        return _DEFAULT_WORKING_DAYS
    per_unit = {TimeUnit.WORKING_DAY: 1.0, TimeUnit.DAY: 5 / 7, TimeUnit.HOUR: 0.0, TimeUnit.MONTH: 22.0}
    return max(1, math.ceil(time_.value * per_unit[time_.unit or TimeUnit.WORKING_DAY]))


def _dates(status: Status, late: bool, duration: int, today: date, rng: random.Random) -> tuple[date, date | None]:
    """Received and completed dates consistent with the status and lateness."""
    base = today if is_working_day(today) else add_working_days(today, -1)
    if status is Status.RECEIVED:
        return add_working_days(base, -rng.randint(0, 1)), None
    if status is Status.PROCESSING and late:  # the appointment passed 1–8 working days ago
        return add_working_days(base, -(duration + rng.randint(1, 8))), None
    if status is Status.PROCESSING:
        return add_working_days(base, -rng.randint(0, duration)), None
    if status in (Status.AWAITING_SUPPLEMENT, Status.SUSPENDED):
        return add_working_days(base, -rng.randint(1, duration + 5)), None
    lateness = rng.randint(1, 6) if late else 0
    received = add_working_days(base, -(duration + lateness + rng.randint(0, 15)))
    if status is Status.WITHDRAWN:
        return received, add_working_days(received, rng.randint(0, duration))
    done = add_working_days(received, duration + lateness if late else rng.randint(max(duration - 2, 0), duration))
    return received, min(done, base)


def _code(shop: OneStopShop, received: date, rng: random.Random, sequences: Sequences) -> str:
    """The shop's next sequence number of the day; other dossiers of the day leave gaps."""
    key = (shop.code, received)
    sequence = sequences.get(key, rng.randint(1, 20))
    if sequence > 9999:
        raise ValueError(f"more than 9999 sample dossiers for {shop.code} on {received}")
    sequences[key] = sequence + rng.randint(1, 4)
    return f"{shop.code}-{received:%y%m%d}-{sequence:04d}"


def _applicant(rng: random.Random) -> Applicant:
    gender = rng.choice(["nam", "nữ"])
    family = rng.choices(list(FAMILY_NAMES), weights=list(FAMILY_NAMES.values()))[0]
    name = f"{family} {rng.choice(MIDDLE_NAMES[gender])} {rng.choice(GIVEN_NAMES[gender])}"
    phone = f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7):07d}"
    return Applicant(name, phone)


def _supplements(procedure: Procedure, rng: random.Random) -> tuple[str, ...]:
    papers = [paper.name for group in procedure.documents for paper in group.papers]
    return tuple(rng.sample(papers, k=min(len(papers), rng.randint(1, 2))))


def _log(
    status: Status,
    shop: OneStopShop,
    office: str,
    received: date,
    completed: date | None,
    today: date,
    supplements: tuple[str, ...],
    rng: random.Random,
) -> tuple[LogEntry, ...]:
    """Processing steps that lead to the status, at plausible office hours."""
    desk = f"Bộ phận Một cửa, {shop.place}"
    steps = [LogEntry(_at(received, 8), desk, "Tiếp nhận hồ sơ", "Cán bộ tiếp nhận")]
    if status is Status.WITHDRAWN:
        note = "Theo đơn đề nghị rút hồ sơ của người nộp"
        steps.append(LogEntry(_at(completed or received, 14), desk, "Rút hồ sơ", "Cán bộ tiếp nhận", note))
    if status in (Status.RECEIVED, Status.WITHDRAWN):
        return _with_minutes(steps, rng)
    steps.append(LogEntry(_at(received, 10), desk, "Chuyển hồ sơ đến cơ quan giải quyết", "Cán bộ tiếp nhận"))
    review = min(add_working_days(received, 1), completed or today)
    steps.append(LogEntry(_at(review, 9), office, "Thẩm định hồ sơ", "Chuyên viên xử lý"))
    last = completed or min(add_working_days(review, 1), today)
    if status is Status.AWAITING_SUPPLEMENT:
        note = "Đề nghị bổ sung: " + "; ".join(supplements)
        steps.append(LogEntry(_at(last, 15), office, "Yêu cầu bổ sung hồ sơ", "Chuyên viên xử lý", note))
    elif status is Status.SUSPENDED:
        steps.append(LogEntry(_at(last, 15), office, "Tạm dừng xử lý hồ sơ", "Lãnh đạo phòng", rng.choice(SUSPENSIONS)))
    elif status is Status.REJECTED:
        steps.append(LogEntry(_at(last, 15), office, "Từ chối giải quyết hồ sơ", "Lãnh đạo", rng.choice(REJECTIONS)))
    elif status in (Status.RESULT_READY, Status.RESULT_RETURNED):
        steps.append(LogEntry(_at(last, 10), office, "Phê duyệt kết quả", "Lãnh đạo"))
        steps.append(LogEntry(_at(last, 14), desk, "Nhận kết quả từ cơ quan giải quyết", "Cán bộ trả kết quả"))
    if status is Status.RESULT_RETURNED:
        returned = min(add_working_days(last, rng.randint(0, 2)), today)
        steps.append(LogEntry(_at(returned, 16), desk, "Trả kết quả cho người nộp", "Cán bộ trả kết quả"))
    return _with_minutes(steps, rng)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour))


def _with_minutes(steps: list[LogEntry], rng: random.Random) -> tuple[LogEntry, ...]:
    """Random minutes make the times look real; the hours keep the order within a day."""
    return tuple(
        LogEntry(step.time + timedelta(minutes=rng.randrange(60)), step.office, step.action, step.role, step.note)
        for step in steps
    )
