"""The procedure record: one administrative procedure (thủ tục hành chính) of the catalogue.

Field names follow the national database of administrative procedures (CSDL TTHC),
in English. Every fact a citizen is shown comes from one of these fields.
"""

from __future__ import annotations

import re
from enum import Enum
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, HttpUrl, root_validator, validator

CODE_PATTERN = r"^\d\.\d{6}$"
AMOUNT_MENTION = re.compile(r"\d[\d.,]*\s*(?:đồng|đ\b|vnđ|vnd|usd)", re.I)  # '10 USD/bản', '700.000 đồng'
NATIONAL_PORTAL = "https://dichvucong.gov.vn"
OFFICIAL_DOMAIN = "gov.vn"  # the national portal, provincial portals and ministries all live under it


def is_official(url: str) -> bool:
    """True for an address on a government host (…gov.vn): the only links a citizen is sent to."""
    host = (urlsplit(str(url)).hostname or "").lower()
    return host == OFFICIAL_DOMAIN or host.endswith("." + OFFICIAL_DOMAIN)


def _official(url: object) -> object:
    if url is not None and not is_official(str(url)):
        raise ValueError(f"not an official address (a host under {OFFICIAL_DOMAIN}): {url}")
    return url


class Channel(str, Enum):
    """How a dossier can be submitted (hình thức nộp)."""

    IN_PERSON = "truc_tiep"
    ONLINE = "truc_tuyen"
    POSTAL = "buu_chinh"


class Level(str, Enum):
    """Administrative level that handles the procedure (cấp thực hiện)."""

    MINISTRY = "bo"
    PROVINCE = "tinh"
    COMMUNE = "xa"
    OTHER = "khac"


class OnlineLevel(str, Enum):
    """Online public-service level (mức độ dịch vụ công trực tuyến, NĐ 42/2022)."""

    FULL = "toan_trinh"
    PARTIAL = "mot_phan"
    NONE = "khong"
    UNKNOWN = "chua_ro"


class TimeUnit(str, Enum):
    WORKING_DAY = "ngay_lam_viec"
    DAY = "ngay"
    HOUR = "gio"
    MONTH = "thang"


# Facts an `unverified` path may mark; a path names one of them, at any depth ('channels.truc_tuyen.fee').
CHECKABLE_FACTS = ("fee", "time", "documents", "agencies", "steps", "conditions", "results", "legal_basis")


def fact_of(path: str) -> str | None:
    """The fact an `unverified` path marks: 'channels.fee' → 'fee', 'documents.0.papers.2' → 'documents'."""
    channels = {channel.value for channel in Channel}
    parts = [part for part in path.split(".") if part != "channels" and part not in channels and not part.isdigit()]
    return parts[0] if parts and parts[0] in CHECKABLE_FACTS else None


class Strict(BaseModel):
    class Config:
        extra = "forbid"
        anystr_strip_whitespace = True


class Duration(Strict):
    """Processing time; `text` keeps the official wording (e.g. 'trong ngày; sau 15 giờ thì hôm sau')."""

    value: float | None = Field(None, ge=0)
    unit: TimeUnit | None = None
    text: str | None = None

    @root_validator(skip_on_failure=True)
    def _value_or_text(cls, values: dict) -> dict:
        if values.get("value") is None and not values.get("text"):
            raise ValueError("a duration needs a value or a text")
        if values.get("value") is not None and values.get("unit") is None:
            raise ValueError("a duration value needs a unit")
        return values


class Fee(Strict):
    """Fee or charge (phí, lệ phí) in VND; `amount` 0 means free, None means 'see text'."""

    amount: int | None = Field(None, ge=0)
    text: str | None = None
    exemptions: str | None = None

    @root_validator(skip_on_failure=True)
    def _amount_or_text(cls, values: dict) -> dict:
        if values.get("amount") is None and not values.get("text"):
            raise ValueError("a fee needs an amount or a text")
        return values


class ChannelOption(Strict):
    """One row of 'cách thức thực hiện': a submission channel with its time and fee."""

    channel: Channel
    time: Duration | None = None
    fee: Fee | None = None
    note: str | None = None


class Paper(Strict):
    """One paper of the dossier (thành phần hồ sơ)."""

    name: str = Field(..., min_length=3)
    originals: int = Field(0, ge=0)
    copies: int = Field(0, ge=0)
    form: str | None = None
    form_url: HttpUrl | None = None
    note: str | None = None
    where_to_get: str | None = None
    present_only: bool = False
    not_needed_reason: str | None = None

    _official_form = validator("form_url", allow_reuse=True)(_official)


class PaperGroup(Strict):
    """Papers that apply together; `case` is None for papers everyone needs. `common` marks a case most
    citizens are in, offered first by the checklist (rare ones wait behind "Trường hợp khác")."""

    case: str | None = None
    common: bool = False
    papers: list[Paper] = Field(..., min_items=1)


class LegalBasis(Strict):
    number: str
    title: str | None = None


class Agencies(Strict):
    executing: list[str] = []
    competent: list[str] = []
    receiving: str | None = None
    authorised: list[str] = []
    coordinating: list[str] = []


class Source(Strict):
    """Where the record comes from: the official record's page, or (with no page) the record's `decision`."""

    url: HttpUrl | None = None
    accessed: str | None = None
    origin: str = "curated"

    _official_url = validator("url", allow_reuse=True)(_official)


class KnownDifference(Strict):
    """A fact deliberately different from the official record (`catalogue diff`), and why."""

    path: str
    reason: str = Field(..., min_length=10)


class Procedure(Strict):
    """A procedure of the catalogue."""

    code: str = Field(..., regex=CODE_PATTERN)
    name: str = Field(..., min_length=3)
    field: str
    levels: list[Level] = Field(..., min_items=1)
    kind: str | None = None
    decision: str | None = None
    agencies: Agencies = Agencies()
    channels: list[ChannelOption] = []
    online_level: OnlineLevel = OnlineLevel.UNKNOWN
    online_url: HttpUrl | None = None
    documents: list[PaperGroup] = []
    documents_text: str | None = None
    steps: list[str] = []
    subjects: list[str] = []
    conditions: str | None = None
    results: list[str] = []
    legal_basis: list[LegalBasis] = []
    aliases: list[str] = []
    source: Source = Source()
    unverified: list[str] = []
    unparsed: list[str] = []
    differences: list[KnownDifference] = []

    _official_online = validator("online_url", allow_reuse=True)(_official)

    @validator("unverified", each_item=True)
    def _known_fact(cls, path: str) -> str:
        if fact_of(path) is None:
            raise ValueError(f"'{path}' names none of the facts {', '.join(CHECKABLE_FACTS)}")
        return path

    @validator("channels")
    def _one_row_per_channel(cls, rows: list[ChannelOption]) -> list[ChannelOption]:
        seen = [row.channel for row in rows]
        if len(seen) != len(set(seen)):
            raise ValueError("each channel may appear once")
        return rows

    @validator("online_level")
    def _online_needs_channel(cls, level: OnlineLevel, values: dict) -> OnlineLevel:
        channels = {row.channel for row in values.get("channels", [])}
        if level in (OnlineLevel.FULL, OnlineLevel.PARTIAL) and channels and Channel.ONLINE not in channels:
            raise ValueError("an online level needs a 'truc_tuyen' channel row")
        return level

    @root_validator(skip_on_failure=True)
    def _traceable(cls, values: dict) -> dict:
        if values["source"].url is None and not values.get("decision"):
            raise ValueError("a record needs its official page (source.url) or the decision that published it")
        return values

    @property
    def submission_link(self) -> str:
        """Where to submit online: the record's own online-service address, else the national portal."""
        return str(self.online_url or NATIONAL_PORTAL)

    @property
    def official_link(self) -> str:
        """The official record's page, else the national portal (where its code finds it)."""
        return str(self.source.url or NATIONAL_PORTAL)

    @property
    def unverified_facts(self) -> set[str]:
        """The facts some `unverified` path marks."""
        return {fact for path in self.unverified if (fact := fact_of(path))}

    def channel(self, channel: Channel) -> ChannelOption | None:
        return next((row for row in self.channels if row.channel == channel), None)
