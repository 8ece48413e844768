"""The dossier record: one application (hồ sơ) received by a one-stop shop, and its progress.

Deadlines count working days (`bot.dossiers.workdays`). While a dossier waits for the applicant's
supplements or is suspended, its deadline clock is stopped: the office sets a new appointment when
it resumes, so such a dossier is neither counting down nor late. A withdrawn dossier has no deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from bot.dossiers.codes import parse_code
from bot.dossiers.workdays import working_days_between


class Status(str, Enum):
    """Where a dossier stands (trạng thái hồ sơ)."""

    RECEIVED = "da_tiep_nhan"
    PROCESSING = "dang_xu_ly"
    AWAITING_SUPPLEMENT = "cho_bo_sung"
    SUSPENDED = "tam_dung"
    RESULT_READY = "da_co_ket_qua"
    RESULT_RETURNED = "da_tra_ket_qua"
    REJECTED = "tu_choi"
    WITHDRAWN = "da_rut"

    @property
    def label(self) -> str:
        """The Vietnamese name shown to citizens."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.RECEIVED: "đã tiếp nhận",
    Status.PROCESSING: "đang xử lý",
    Status.AWAITING_SUPPLEMENT: "chờ bổ sung",
    Status.SUSPENDED: "tạm dừng",
    Status.RESULT_READY: "đã có kết quả",
    Status.RESULT_RETURNED: "đã trả kết quả",
    Status.REJECTED: "từ chối",
    Status.WITHDRAWN: "đã rút",
}
FINISHED = frozenset({Status.RESULT_READY, Status.RESULT_RETURNED, Status.REJECTED, Status.WITHDRAWN})
PAUSED = frozenset({Status.AWAITING_SUPPLEMENT, Status.SUSPENDED})


@dataclass(frozen=True)
class ProcedureRef:
    """The procedure applied for: its catalogue code and name."""

    code: str
    name: str


@dataclass(frozen=True)
class Applicant:
    """Who applied. Shown only masked (`bot.dossiers.privacy`); the phone is never shown."""

    full_name: str
    phone: str | None = None


@dataclass(frozen=True)
class LogEntry:
    """One step of processing: when (Vietnam local time, naive), which office and officer role, what was done."""

    time: datetime
    office: str
    action: str
    role: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Dossier:
    """A dossier and its progress; `code` is canonical (`bot.dossiers.codes`)."""

    code: str
    procedure: ProcedureRef
    applicant: Applicant
    received: date
    appointment: date
    office: str
    status: Status
    completed: date | None = None
    log: tuple[LogEntry, ...] = ()
    supplements: tuple[str, ...] = ()
    pickup_place: str | None = None

    def __post_init__(self) -> None:
        if parse_code(self.code).code != self.code:
            raise ValueError(f"dossier code {self.code!r} is not in canonical form")
        if self.appointment < self.received:
            raise ValueError("the appointment date is before the received date")
        if self.completed is not None and self.completed < self.received:
            raise ValueError("the completed date is before the received date")

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def _measured_on(self, today: date) -> date | None:
        """The day compared with the appointment: completion if finished, else today; None without a deadline."""
        if self.status is Status.WITHDRAWN or self.status in PAUSED:
            return None
        return self.completed if self.is_finished else today

    def is_late(self, today: date) -> bool:
        """Finished after the appointment, or unfinished and today is past it."""
        measured = self._measured_on(today)
        return measured is not None and measured > self.appointment

    def days_late(self, today: date) -> int:
        """Working days past the appointment (0 when not late, or when only a weekend has passed)."""
        measured = self._measured_on(today)
        return working_days_between(self.appointment, measured) if measured else 0

    def days_left(self, today: date) -> int | None:
        """Working days until the appointment for a dossier still in progress; None otherwise."""
        if self.is_finished or self.status in PAUSED or today > self.appointment:
            return None
        return working_days_between(today, self.appointment)

    def latest_log(self, count: int | None = 3) -> list[LogEntry]:
        """The last `count` log entries (all of them when None), oldest first."""
        entries = sorted(self.log, key=lambda entry: entry.time)
        return entries if count is None else entries[max(len(entries) - count, 0) :]
