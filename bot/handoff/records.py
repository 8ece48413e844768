"""The handoff desk's SQL store: staff accounts and sessions, conversations and their transcripts, handoffs,
ratings, the audit log and admin settings. SQLite by default, PostgreSQL in production (DATABASE_URL).

A conversation's `state` changes in one place, `_move`: a conditional `UPDATE … WHERE state IN (…)` whose
rowcount says whether this caller made the change. Claiming is that UPDATE from 'waiting', so of two officers
claiming at once exactly one wins, on either database, across processes.

Schema management follows bot/dossiers/sql.py: `metadata.create_all` plus a one-row version table of our
own (`handoff_schema_version`). Times are stored as UTC and read back timezone-aware. Methods are synchronous;
async callers use `asyncio.to_thread`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    exists,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from bot.database import ensure_schema, open_engine
from bot.messages import Button

SCHEMA_VERSION = 1
ROLES = ("officer", "admin")
REASONS = ("request_human", "fallback", "complain", "dossier")
AUTHORS = ("citizen", "bot", "staff", "system", "note")  # who wrote a transcript row; notes never reach citizens
AUDIT_ACTIONS = (
    "claim",
    "reply",
    "note",
    "transfer",
    "hand_back",
    "close",
    "login",
    "logout",
    "create_staff",
    "change_password",
    "deactivate_staff",
    "office_hours",
    "canned_replies",
    "import_catalogue",
)


class State(str, Enum):
    BOT = "bot"  # the bot answers
    WAITING = "waiting"  # in the staff queue; the bot is silent
    WITH_STAFF = "with_staff"  # an officer holds it; the bot is silent
    CLOSED = "closed"  # an officer closed it; the bot answers again


# For each target state, the states it may be reached from.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.WAITING: frozenset({State.BOT, State.CLOSED}),  # a handoff begins
    State.WITH_STAFF: frozenset({State.WAITING, State.WITH_STAFF}),  # claim; transfer
    State.BOT: frozenset({State.WAITING, State.WITH_STAFF}),  # the citizen cancels; hand back
    State.CLOSED: frozenset({State.WAITING, State.WITH_STAFF}),  # close
}
BOT_STATES = frozenset({State.BOT, State.CLOSED})


class UtcDateTime(TypeDecorator):
    """A timezone-aware datetime stored as naive UTC, read back aware, the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware one")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=timezone.utc) if value is not None else None


metadata = MetaData()
staff = Table(
    "staff_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(32), nullable=False, unique=True),
    Column("display_name", String(80), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(10), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("staff_id", Integer, nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("client_ip", String(45), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
)
login_failures = Table(
    "staff_login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("client_ip", String(45), nullable=False, index=True),
    Column("time", UtcDateTime, nullable=False),
)
conversations = Table(
    "handoff_conversations",
    metadata,
    Column("conversation_id", String(200), primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("state", String(12), nullable=False, index=True),
    Column("officer_id", Integer),
    Column("handoff_id", Integer),
    Column("reason", String(20)),
    Column("procedure_code", String(20)),
    Column("dossier_code", String(40)),
    Column("last_message", Text),
    Column("waiting_since", UtcDateTime),
    Column("claimed_at", UtcDateTime),
    Column("callback_phone", String(16)),
    Column("awaiting", String(16)),  # the citizen's next message is: "rating", "rating_comment", "phone"
    Column("rating_handoff_id", Integer),  # what the pending rating is about; null: the bot
    Column("reminded_at", UtcDateTime),
)
messages = Table(
    "handoff_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(200), nullable=False, index=True),
    Column("time", UtcDateTime, nullable=False, index=True),
    Column("who", String(10), nullable=False),
    Column("author", String(80), nullable=False),
    Column("text", Text, nullable=False),
    Column("buttons", JSON, nullable=False),
    Column("unanswered", Boolean, nullable=False),  # a citizen message the bot could not answer
)
handoffs = Table(
    "handoff_handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(200), nullable=False, index=True),
    Column("reason", String(20), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False, index=True),
    Column("claimed_at", UtcDateTime),
    Column("claimed_by", Integer),
    Column("held_by", Integer),  # the officer holding it last (after transfers); ratings go to them
    Column("closed_at", UtcDateTime),
    Column("handed_back", Boolean, nullable=False),
    Column("outside_hours", Boolean, nullable=False),
)
ratings = Table(
    "handoff_ratings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(200), nullable=False, index=True),
    Column("handoff_id", Integer),
    Column("officer_id", Integer),  # null: the rating is for the bot
    Column("score", Integer, nullable=False),
    Column("comment", Text),
    Column("created_at", UtcDateTime, nullable=False, index=True),
)
audit = Table(
    "staff_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("time", UtcDateTime, nullable=False, index=True),
    Column("staff_id", Integer),
    Column("action", String(20), nullable=False),
    Column("conversation_id", String(200)),
    Column("detail", Text, nullable=False),
)
settings = Table("handoff_settings", metadata, Column("key", String(60), primary_key=True), Column("value", JSON))
schema_version = Table(
    "handoff_schema_version", metadata, Column("version", Integer, primary_key=True, autoincrement=False)
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class UsernameTaken(ValueError):
    """Another account has this username."""


@dataclass(frozen=True)
class StaffMember:
    id: int
    username: str
    display_name: str
    role: str  # "officer" or "admin"
    active: bool
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class StoredSession:
    token_hash: str
    staff_id: int
    csrf_token: str
    client_ip: str
    created_at: datetime
    last_seen: datetime


@dataclass(frozen=True)
class Conversation:
    conversation_id: str
    channel: str
    state: State
    officer_id: int | None
    handoff_id: int | None
    reason: str | None
    procedure_code: str | None
    dossier_code: str | None
    last_message: str | None
    waiting_since: datetime | None
    claimed_at: datetime | None
    callback_phone: str | None
    awaiting: str | None
    rating_handoff_id: int | None
    reminded_at: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: str
    time: datetime
    who: str
    author: str
    text: str
    buttons: tuple[Button, ...]
    unanswered: bool

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self) | {"buttons": [button.as_dict() for button in self.buttons]})


@dataclass(frozen=True)
class Handoff:
    id: int
    conversation_id: str
    reason: str
    requested_at: datetime
    claimed_at: datetime | None
    claimed_by: int | None
    held_by: int | None
    closed_at: datetime | None
    handed_back: bool
    outside_hours: bool


@dataclass(frozen=True)
class HandoffRequest:
    """What `open_handoff` needs to put a conversation in the queue."""

    conversation_id: str
    reason: str
    outside_hours: bool
    procedure_code: str | None = None
    dossier_code: str | None = None
    last_message: str | None = None
    awaiting: str | None = None


@dataclass(frozen=True)
class Rating:
    id: int
    conversation_id: str
    handoff_id: int | None
    officer_id: int | None
    score: int
    comment: str | None
    created_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    time: datetime
    staff_id: int | None
    action: str
    conversation_id: str | None
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


class HandoffRecords:
    """Everything the handoff desk keeps, in a SQL database; the schema is created on first use."""

    def __init__(self, url: str) -> None:
        self._engine = open_engine(url)
        ensure_schema(self._engine, metadata, schema_version, SCHEMA_VERSION)

    def close(self) -> None:
        self._engine.dispose()

    # Staff accounts

    def add_staff(self, username: str, display_name: str, password_hash: str, role: str, now: datetime) -> StaffMember:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        values = {"username": username, "display_name": display_name, "role": role, "active": True}
        try:
            with self._engine.begin() as connection:
                insert = staff.insert().values(**values, password_hash=password_hash, created_at=now)
                staff_id = connection.execute(insert).inserted_primary_key[0]
        except IntegrityError as exc:
            raise UsernameTaken(username) from exc
        return StaffMember(id=staff_id, created_at=now, **values)

    def staff_member(self, staff_id: int) -> StaffMember | None:
        row = self._first(select(staff).where(staff.c.id == staff_id))
        return _staff(row) if row else None

    def credentials(self, username: str) -> tuple[StaffMember, str] | None:
        """An account and its password hash, by username."""
        row = self._first(select(staff).where(staff.c.username == username))
        return (_staff(row), row.password_hash) if row else None

    def all_staff(self) -> list[StaffMember]:
        return [_staff(row) for row in self._rows(select(staff).order_by(staff.c.display_name))]

    def set_password_hash(self, staff_id: int, password_hash: str) -> None:
        self._write(staff.update().where(staff.c.id == staff_id).values(password_hash=password_hash))

    def deactivate_staff(self, staff_id: int) -> bool:
        deactivated = self._write(staff.update().where(staff.c.id == staff_id).values(active=False)) == 1
        self._write(sessions.delete().where(sessions.c.staff_id == staff_id))
        return deactivated

    # Login sessions and failed logins

    def add_session(self, session: StoredSession) -> None:
        self._write(sessions.insert().values(**asdict(session)))

    def session(self, token_hash: str) -> StoredSession | None:
        row = self._first(select(sessions).where(sessions.c.token_hash == token_hash))
        return StoredSession(**row._mapping) if row else None

    def touch_session(self, token_hash: str, now: datetime) -> None:
        self._write(sessions.update().where(sessions.c.token_hash == token_hash).values(last_seen=now))

    def delete_session(self, token_hash: str) -> None:
        self._write(sessions.delete().where(sessions.c.token_hash == token_hash))

    def delete_sessions_idle_since(self, cutoff: datetime) -> int:
        return self._write(sessions.delete().where(sessions.c.last_seen < cutoff))

    def add_login_failure(self, username: str, client_ip: str, now: datetime) -> None:
        self._write(login_failures.insert().values(username=username, client_ip=client_ip, time=now))

    def failed_logins(self, since: datetime, username: str = "", client_ip: str = "") -> list[datetime]:
        """The times of failed logins after `since`: for a username, an address, or both together."""
        query = select(login_failures.c.time).where(login_failures.c.time > since)
        if username:
            query = query.where(login_failures.c.username == username)
        if client_ip:
            query = query.where(login_failures.c.client_ip == client_ip)
        return [row.time for row in self._rows(query)]

    def clear_login_failures(self, username: str, client_ip: str) -> None:
        """Forget a username's failures from one address (after it logged in from there)."""
        pair = (login_failures.c.username == username) & (login_failures.c.client_ip == client_ip)
        self._write(login_failures.delete().where(pair))

    # Conversations: the state machine

    def conversation(self, conversation_id: str) -> Conversation | None:
        row = self._first(select(conversations).where(conversations.c.conversation_id == conversation_id))
        return _conversation(row) if row else None

    def open_handoff(self, request: HandoffRequest, now: datetime) -> int | None:
        """Put a conversation in the queue; its new handoff's id, None when it is already waiting or with staff."""
        if request.reason not in REASONS:
            raise ValueError(f"reason must be one of {REASONS}, not {request.reason!r}")
        cid = request.conversation_id
        values = {"reason": request.reason, "procedure_code": request.procedure_code}
        values |= {"dossier_code": request.dossier_code, "awaiting": request.awaiting}
        values["last_message"] = request.last_message or _latest_citizen_text(cid)
        with self._engine.begin() as connection:
            _insert_ignore(connection, conversations, _new_conversation(cid))
            queued = dict(officer_id=None, waiting_since=now, claimed_at=None, callback_phone=None, reminded_at=now)
            if not _move(connection, cid, State.WAITING, TRANSITIONS[State.WAITING], **values, **queued):
                return None
            row = {"conversation_id": cid, "reason": request.reason, "requested_at": now, "handed_back": False}
            insert = handoffs.insert().values(**row, outside_hours=request.outside_hours)
            handoff_id = connection.execute(insert).inserted_primary_key[0]
            connection.execute(_where(cid).values(handoff_id=handoff_id))
        return handoff_id

    def claim(self, conversation_id: str, officer_id: int, now: datetime) -> bool:
        """Take a waiting conversation: True for exactly one of any number of simultaneous claims."""
        with self._engine.begin() as connection:
            values = {"officer_id": officer_id, "claimed_at": now, "awaiting": None}
            if not _move(connection, conversation_id, State.WITH_STAFF, {State.WAITING}, **values):
                return False
            claimed = {"claimed_at": now, "claimed_by": officer_id, "held_by": officer_id}
            connection.execute(_current_handoff(conversation_id).values(**claimed))
        return True

    def transfer(self, conversation_id: str, holder_id: int, to_officer_id: int) -> bool:
        """Hand a conversation held by `holder_id` to another officer; False when someone else holds it now."""
        with self._engine.begin() as connection:
            held = {State.WITH_STAFF}
            if not _move(connection, conversation_id, State.WITH_STAFF, held, holder_id, officer_id=to_officer_id):
                return False
            connection.execute(_current_handoff(conversation_id).values(held_by=to_officer_id))
        return True

    def finish(self, conversation_id: str, target: State, source: State, holder_id: int | None, now: datetime) -> bool:
        """End the current handoff: back to the bot (BOT) or closed by staff (CLOSED); False if it moved meanwhile."""
        with self._engine.begin() as connection:
            values = {"officer_id": None, "awaiting": None}
            if not _move(connection, conversation_id, target, {source}, holder_id, **values):
                return False
            handed_back = target is State.BOT and source is State.WITH_STAFF
            connection.execute(_current_handoff(conversation_id).values(closed_at=now, handed_back=handed_back))
        return True

    def ask_rating(self, conversation_id: str, handoff_id: int | None) -> None:
        """The citizen was asked to rate a handoff (or the bot, when `handoff_id` is None)."""
        with self._engine.begin() as connection:
            _insert_ignore(connection, conversations, _new_conversation(conversation_id))
            connection.execute(_where(conversation_id).values(awaiting="rating", rating_handoff_id=handoff_id))

    def set_callback_phone(self, conversation_id: str, phone: str) -> None:
        self._write(_where(conversation_id).values(callback_phone=phone, awaiting=None))

    def set_reminded(self, conversation_id: str, now: datetime) -> None:
        self._write(_where(conversation_id).values(reminded_at=now))

    def waiting(self) -> list[Conversation]:
        """The queue, longest waiting first."""
        query = select(conversations).where(conversations.c.state == State.WAITING.value)
        return [_conversation(row) for row in self._rows(query.order_by(conversations.c.waiting_since))]

    def held_by(self, officer_id: int) -> list[Conversation]:
        query = select(conversations).where(
            conversations.c.state == State.WITH_STAFF.value, conversations.c.officer_id == officer_id
        )
        return [_conversation(row) for row in self._rows(query.order_by(conversations.c.claimed_at))]

    def recent_waits(self, limit: int = 50) -> list[float]:
        """Seconds from request to claim of the latest claimed handoffs asked for in office hours."""
        query = (
            select(handoffs.c.requested_at, handoffs.c.claimed_at)
            .where(handoffs.c.claimed_at.is_not(None), handoffs.c.outside_hours.is_(False))
            .order_by(handoffs.c.claimed_at.desc())
            .limit(limit)
        )
        return [(row.claimed_at - row.requested_at).total_seconds() for row in self._rows(query)]

    def handoff(self, handoff_id: int) -> Handoff | None:
        row = self._first(select(handoffs).where(handoffs.c.id == handoff_id))
        return Handoff(**row._mapping) if row else None

    # Transcripts

    def add_message(
        self,
        conversation_id: str,
        who: str,
        text: str,
        now: datetime,
        author: str = "",
        buttons: Sequence[Button] = (),
    ) -> Message:
        """Append one transcript row; a citizen's text also becomes the conversation's last message."""
        if who not in AUTHORS:
            raise ValueError(f"who must be one of {AUTHORS}, not {who!r}")
        values = {"conversation_id": conversation_id, "time": now, "who": who, "author": author, "text": text}
        with self._engine.begin() as connection:
            insert = messages.insert().values(**values, buttons=[b.as_dict() for b in buttons], unanswered=False)
            message_id = connection.execute(insert).inserted_primary_key[0]
            if who == "citizen":
                connection.execute(_where(conversation_id).values(last_message=text))
        return Message(id=message_id, buttons=tuple(buttons), unanswered=False, **values)

    def flag_unanswered(self, conversation_id: str, text: str, now: datetime) -> None:
        """Mark the conversation's latest citizen message, when it is `text`, as one the bot could not answer;
        otherwise add `text` as a flagged citizen row."""
        latest = (
            select(func.max(messages.c.id))
            .where(messages.c.conversation_id == conversation_id, messages.c.who == "citizen")
            .scalar_subquery()
        )
        flag = messages.update().where(messages.c.id == latest, messages.c.text == text).values(unanswered=True)
        if self._write(flag) == 0:
            row = {"conversation_id": conversation_id, "time": now, "who": "citizen", "author": "", "text": text}
            self._write(messages.insert().values(**row, buttons=[], unanswered=True))

    def transcript(self, conversation_id: str, limit: int = 500) -> list[Message]:
        """The latest `limit` rows, oldest first."""
        query = select(messages).where(messages.c.conversation_id == conversation_id)
        rows = self._rows(query.order_by(messages.c.id.desc()).limit(limit))
        return [_message(row) for row in reversed(rows)]

    # Ratings

    def add_rating(self, conversation_id: str, handoff_id: int | None, score: int, now: datetime) -> None:
        """Store a 1–5 rating of a handoff (credited to its last holder) or of the bot; a comment may follow."""
        if not 1 <= score <= 5:
            raise ValueError(f"score must be 1 to 5, not {score}")
        officer = select(handoffs.c.held_by).where(handoffs.c.id == handoff_id).scalar_subquery()
        row = {"conversation_id": conversation_id, "handoff_id": handoff_id, "score": score, "created_at": now}
        with self._engine.begin() as connection:
            connection.execute(ratings.insert().values(**row, officer_id=officer if handoff_id else None))
            connection.execute(_where(conversation_id).values(awaiting="rating_comment"))

    def comment_rating(self, conversation_id: str, comment: str | None) -> None:
        """Attach a comment (or none) to the conversation's latest rating; nothing more is awaited."""
        latest = select(func.max(ratings.c.id)).where(ratings.c.conversation_id == conversation_id).scalar_subquery()
        with self._engine.begin() as connection:
            if comment:
                connection.execute(ratings.update().where(ratings.c.id == latest).values(comment=comment))
            connection.execute(_where(conversation_id).values(awaiting=None))

    # Audit log and settings

    def add_audit(
        self, staff_id: int | None, action: str, now: datetime, conversation_id: str | None = None, detail: str = ""
    ) -> None:
        if action not in AUDIT_ACTIONS:
            raise ValueError(f"action must be one of {AUDIT_ACTIONS}, not {action!r}")
        values = {"time": now, "staff_id": staff_id, "action": action, "conversation_id": conversation_id}
        self._write(audit.insert().values(**values, detail=detail))

    def audit_log(self, limit: int = 200, conversation_id: str | None = None) -> list[AuditEntry]:
        """The latest entries, newest first (of one conversation, when given)."""
        query = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if conversation_id is not None:
            query = query.where(audit.c.conversation_id == conversation_id)
        return [AuditEntry(**row._mapping) for row in self._rows(query)]

    def setting(self, key: str) -> Any:
        """A stored JSON value; None when unset."""
        row = self._first(select(settings.c.value).where(settings.c.key == key))
        return row.value if row else None

    def put_setting(self, key: str, value: Any) -> None:
        with self._engine.begin() as connection:
            _insert_ignore(connection, settings, {"key": key, "value": None})
            connection.execute(settings.update().where(settings.c.key == key).values(value=value))

    # Report figures: rows of a time range [since, until)

    def citizen_activity(self, since: datetime, until: datetime) -> list[tuple[str, datetime]]:
        """(conversation, time) of every citizen message in the range."""
        query = select(messages.c.conversation_id, messages.c.time).where(
            messages.c.who == "citizen", messages.c.time >= since, messages.c.time < until
        )
        return [(row.conversation_id, row.time) for row in self._rows(query)]

    def handoffs_between(self, since: datetime, until: datetime) -> list[Handoff]:
        query = select(handoffs).where(handoffs.c.requested_at >= since, handoffs.c.requested_at < until)
        return [Handoff(**row._mapping) for row in self._rows(query.order_by(handoffs.c.id))]

    def ratings_between(self, since: datetime, until: datetime) -> list[Rating]:
        query = select(ratings).where(ratings.c.created_at >= since, ratings.c.created_at < until)
        return [Rating(**row._mapping) for row in self._rows(query.order_by(ratings.c.id))]

    def unanswered_between(self, since: datetime, until: datetime) -> list[str]:
        query = select(messages.c.text).where(
            messages.c.unanswered.is_(True), messages.c.time >= since, messages.c.time < until
        )
        return [row.text for row in self._rows(query)]

    # Retention (bot/retention.py): set-based deletes of what is kept no longer

    def purge_conversations(
        self, bot_cutoff: datetime, handoff_cutoff: datetime, dry_run: bool = False
    ) -> dict[str, int]:
        """Delete, in one transaction, every conversation whose latest transcript row is older than its cutoff
        (`handoff_cutoff` if it ever reached staff, else `bot_cutoff`, which must not be earlier): its messages,
        conversation row, handoffs and ratings. A conversation waiting for or with staff is kept whatever its age.
        With `dry_run`, only count. Returns counts: conversations, messages, handoffs, ratings."""
        if handoff_cutoff > bot_cutoff:
            raise ValueError("handed-off conversations must be kept at least as long as the others")
        stale = _stale_conversations(bot_cutoff, handoff_cutoff)
        with self._engine.begin() as connection:
            found = connection.execute(select(func.count()).select_from(stale.subquery())).scalar()
            _purge(connection, conversations, conversations.c.conversation_id.in_(stale), dry_run)
            # Messages last: the stale set is read from them.
            tables = {"ratings": ratings, "handoffs": handoffs, "messages": messages}
            counts = {
                kind: _purge(connection, t, t.c.conversation_id.in_(stale), dry_run) for kind, t in tables.items()
            }
        return {"conversations": found, **counts}

    def purge_staff_records(
        self, audit_cutoff: datetime, failures_cutoff: datetime, idle_cutoff: datetime, dry_run: bool = False
    ) -> dict[str, int]:
        """Delete, in one transaction, audit entries and failed logins older than their cutoffs and sessions idle
        since `idle_cutoff`. With `dry_run`, only count. Returns counts: audit, login_failures, sessions."""
        with self._engine.begin() as connection:
            return {
                "audit": _purge(connection, audit, audit.c.time < audit_cutoff, dry_run),
                "login_failures": _purge(connection, login_failures, login_failures.c.time < failures_cutoff, dry_run),
                "sessions": _purge(connection, sessions, sessions.c.last_seen < idle_cutoff, dry_run),
            }

    # Plumbing

    def _rows(self, query: Any) -> list[Row]:
        with self._engine.connect() as connection:
            return connection.execute(query).all()

    def _first(self, query: Any) -> Row | None:
        with self._engine.connect() as connection:
            return connection.execute(query).first()

    def _write(self, statement: Any) -> int:
        with self._engine.begin() as connection:
            return connection.execute(statement).rowcount


def _move(
    connection: Connection,
    conversation_id: str,
    target: State,
    sources: set[State] | frozenset[State],
    holder_id: int | None = None,
    **values: Any,
) -> bool:
    """The one place a conversation's state changes: to `target`, only from one of `sources` (and only while
    `holder_id` holds it, when given). True when this call made the change."""
    if not sources <= TRANSITIONS[target]:
        raise ValueError(f"no transition from {sorted(s.value for s in sources)} to {target.value}")
    update = _where(conversation_id).where(conversations.c.state.in_([state.value for state in sources]))
    if holder_id is not None:
        update = update.where(conversations.c.officer_id == holder_id)
    return connection.execute(update.values(state=target.value, **values)).rowcount == 1


def _stale_conversations(bot_cutoff: datetime, handoff_cutoff: datetime) -> Any:
    """SELECT the ids of conversations with no transcript row since `bot_cutoff`, nor since `handoff_cutoff` if they
    have a handoff, and not waiting for or with staff. Only conversations with a row older than `bot_cutoff` are
    examined; each test is an anti-join through an index on `conversation_id`."""
    candidate = select(messages.c.conversation_id).where(messages.c.time < bot_cutoff).distinct().subquery("candidate")
    cid = candidate.c.conversation_id
    recent = exists().where(messages.c.conversation_id == cid, messages.c.time >= bot_cutoff)
    recent_handoff = exists().where(
        handoffs.c.conversation_id == cid, messages.c.conversation_id == cid, messages.c.time >= handoff_cutoff
    )
    with_staff = [state.value for state in State if state not in BOT_STATES]
    busy = exists().where(conversations.c.conversation_id == cid, conversations.c.state.in_(with_staff))
    return select(cid).where(~recent, ~recent_handoff, ~busy)


def _purge(connection: Connection, table: Table, condition: Any, dry_run: bool) -> int:
    """DELETE the rows of `table` matching `condition`, or only count them; how many."""
    if dry_run:
        return connection.execute(select(func.count()).select_from(table).where(condition)).scalar()
    return connection.execute(table.delete().where(condition)).rowcount


def _new_conversation(conversation_id: str) -> dict[str, Any]:
    return {"conversation_id": conversation_id, "channel": conversation_id.partition(":")[0], "state": State.BOT.value}


def _where(conversation_id: str) -> Any:
    return conversations.update().where(conversations.c.conversation_id == conversation_id)


def _latest_citizen_text(conversation_id: str) -> Any:
    query = select(messages.c.text).where(messages.c.conversation_id == conversation_id, messages.c.who == "citizen")
    return query.order_by(messages.c.id.desc()).limit(1).scalar_subquery()


def _current_handoff(conversation_id: str) -> Any:
    current = select(conversations.c.handoff_id).where(conversations.c.conversation_id == conversation_id)
    return handoffs.update().where(handoffs.c.id == current.scalar_subquery())


def _insert_ignore(connection: Connection, table: Table, values: dict[str, Any]) -> None:
    """INSERT unless the primary key exists (one statement, safe against a concurrent insert)."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())


def _staff(row: Row) -> StaffMember:
    fields = row._mapping
    return StaffMember(**{key: fields[key] for key in StaffMember.__dataclass_fields__})


def _conversation(row: Row) -> Conversation:
    return Conversation(**(dict(row._mapping) | {"state": State(row.state)}))


def _message(row: Row) -> Message:
    buttons = tuple(Button(b["title"], b["payload"]) for b in row.buttons)
    return Message(**(dict(row._mapping) | {"buttons": buttons}))


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Datetimes as ISO 8601 strings, enums as their values."""
    return {
        key: value.isoformat() if isinstance(value, datetime) else value.value if isinstance(value, Enum) else value
        for key, value in values.items()
    }
