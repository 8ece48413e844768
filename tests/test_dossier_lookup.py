"""The lookup service: outcomes, the per-conversation rate limit (in memory and in Redis), the lookup log."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import redis

from bot.dossiers.codes import Problem
from bot.dossiers.lookup import DossierLookup, LookupLimits, LookupResult, Outcome, conversation_key
from bot.dossiers.model import Applicant, Dossier, LogEntry, ProcedureRef, Status
from bot.dossiers.replies import lookup_replies
from bot.dossiers.source import SourceUnavailable
from bot.dossiers.sql import SqlDossierStore
from bot.ratelimit import InMemoryRateLimiter, RateLimiter, RedisRateLimiter
from bot.settings import Settings
from tests.conftest import GATEWAY_REDIS_URL

TODAY = date(2026, 11, 26)
CODE = "000.00.31.H29-261120-0012"
DOSSIER = Dossier(
    code=CODE,
    procedure=ProcedureRef("1.001193", "Đăng ký khai sinh"),
    applicant=Applicant("Nguyễn Văn An", "0903123456"),
    received=date(2026, 11, 20),
    appointment=date(2026, 11, 23),
    office="Ủy ban nhân dân phường Sài Gòn",
    status=Status.PROCESSING,
    log=(LogEntry(datetime(2026, 11, 20, 8, 30), "Bộ phận Một cửa", "Tiếp nhận hồ sơ"),),
)


class DictSource:
    """A DossierSource over a dict, with a switch to fail."""

    def __init__(self, *dossiers: Dossier) -> None:
        self.by_code = {d.code: d for d in dossiers}
        self.down = False
        self.gets = 0

    def get(self, code: str) -> Dossier | None:
        self.gets += 1
        if self.down:
            raise SourceUnavailable("down for the test")
        return self.by_code.get(code)

    def close(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def service(
    limiter: RateLimiter | None = None, source: DictSource | None = None, limits: LookupLimits | None = None, **options
) -> DossierLookup:
    limits = limits or LookupLimits(limiter or InMemoryRateLimiter(10))
    return DossierLookup(source or DictSource(DOSSIER), limits, today=lambda: TODAY, **options)


def test_a_code_in_a_message_is_found() -> None:
    result = service().lookup("telegram:1", "cho em tra hồ sơ 0.0.31.h29 - 261120 - 12 ạ")
    assert result.outcome is Outcome.FOUND
    assert result.dossier == DOSSIER
    assert result.code is not None and result.code.code == CODE
    assert result.today == TODAY


def test_an_unknown_code_is_not_found_and_a_near_miss_is_not_revealed() -> None:
    for code in ("000.00.31.H29-261120-0013", "000.00.31.H29-251120-0099"):  # one character off, and far
        result = service().lookup("c", code)
        assert result == LookupResult(Outcome.NOT_FOUND, TODAY, result.code)
        assert "gõ nhầm" not in lookup_replies(result)[0].text


def test_new_conversations_from_one_client_share_its_limit() -> None:
    limits = LookupLimits(InMemoryRateLimiter(10), client=InMemoryRateLimiter(3), overall=InMemoryRateLimiter(5))
    lookup = service(limits=limits)
    outcomes = [lookup.lookup(f"rest:sender-{i}", CODE, client="addr:one").outcome for i in range(4)]
    assert outcomes == [Outcome.FOUND] * 3 + [Outcome.RATE_LIMITED]
    assert lookup.lookup("rest:other", CODE, client="addr:two").outcome is Outcome.FOUND
    # the deployment's budget (5) is spent now, whoever asks
    assert lookup.lookup("rest:third", CODE, client="addr:three").outcome is Outcome.RATE_LIMITED


def test_reading_again_a_dossier_found_counts_only_against_the_deployment() -> None:
    limits = LookupLimits(InMemoryRateLimiter(1), client=InMemoryRateLimiter(1), overall=InMemoryRateLimiter(4))
    lookup = service(limits=limits)
    assert lookup.lookup("rest:a", CODE, client="addr:one").outcome is Outcome.FOUND
    follow_ups = [lookup.lookup("rest:a", CODE, client="addr:one", known=True).outcome for _ in range(4)]
    assert follow_ups == [Outcome.FOUND] * 3 + [Outcome.RATE_LIMITED]  # the deployment's 4 are spent
    assert lookup.lookup("rest:a", "000.00.31.H29-261120-0013", client="addr:one").outcome is Outcome.RATE_LIMITED


def test_a_malformed_code_is_explained_and_not_looked_up() -> None:
    source = DictSource(DOSSIER)
    result = service(source=source).lookup("c", "mã 000.00.31.H29-261320-0012")
    assert (result.outcome, result.problem, result.fragment) == (
        Outcome.MALFORMED,
        Problem.DATE,
        CODE.replace("1120", "1320"),
    )
    assert source.gets == 0


def test_a_failing_source_is_unavailable() -> None:
    source = DictSource(DOSSIER)
    source.down = True
    assert service(source=source).lookup("c", CODE).outcome is Outcome.UNAVAILABLE


def test_the_full_details_need_the_setting_and_the_right_last_four_digits() -> None:
    enabled = service(full_details_with_phone=True)
    assert enabled.lookup("c", CODE, phone_last4="3456").full_details
    assert not enabled.lookup("c", CODE, phone_last4="1234").full_details
    assert enabled.lookup("c", CODE).phone_check_offered
    disabled = service()
    assert not disabled.lookup("c", CODE, phone_last4="3456").full_details
    assert not disabled.lookup("c", CODE).phone_check_offered


def _exercise_limit(make_limiter, clock: Clock) -> None:
    """Three lookups an hour per conversation: the fourth waits, malformed text is free, the window slides."""
    lookup = service(make_limiter(3))
    for _ in range(3):
        clock.now += 60
        assert lookup.lookup("alice", CODE).outcome is Outcome.FOUND
    assert lookup.lookup("alice", "chưa có mã").outcome is Outcome.MALFORMED
    limited = lookup.lookup("alice", "000.00.31.H29-261120-0099")
    assert limited.outcome is Outcome.RATE_LIMITED
    assert 3600 - 180 < limited.retry_after <= 3600 - 120
    assert lookup.lookup("bob", CODE).outcome is Outcome.FOUND
    clock.now += 3600 - 120 + 1  # the first lookup has left the window
    assert lookup.lookup("alice", CODE).outcome is Outcome.FOUND
    assert lookup.lookup("alice", CODE).outcome is Outcome.RATE_LIMITED
    # a second process sharing the store sees the same count
    assert service(make_limiter(3)).lookup("alice", CODE).outcome is Outcome.RATE_LIMITED


def test_the_in_memory_rate_limit() -> None:
    clock = Clock()
    shared: dict[int, InMemoryRateLimiter] = {}
    _exercise_limit(lambda limit: shared.setdefault(limit, InMemoryRateLimiter(limit, clock=clock)), clock)


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError as exc:
        pytest.skip(f"Redis unreachable on 127.0.0.1:6379: {exc}")
    yield client
    client.close()


def test_the_redis_rate_limit(redis_client: redis.Redis) -> None:
    clock, prefix = Clock(), f"motcua:test:{uuid.uuid4().hex}:"
    try:
        _exercise_limit(lambda limit: RedisRateLimiter(redis_client, limit, prefix=prefix, clock=clock), clock)
        keys = redis_client.keys(f"{prefix}*")
        assert keys and all(0 < redis_client.ttl(key) <= 3600 for key in keys)
    finally:
        for key in redis_client.keys(f"{prefix}*"):
            redis_client.delete(key)


def test_an_unreachable_redis_makes_lookups_unavailable_not_unlimited() -> None:
    broken = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    assert service(RedisRateLimiter(broken, 3)).lookup("c", CODE).outcome is Outcome.UNAVAILABLE


def test_limits_from_settings_are_shared_through_redis(clean_gateway_redis: None) -> None:
    settings = Settings(redis_url=GATEWAY_REDIS_URL, client_lookups_per_hour=2)
    first, second = LookupLimits.from_settings(settings), LookupLimits.from_settings(settings)  # two processes
    assert [first.wait("c1", "addr:x"), second.wait("c2", "addr:x")] == [0, 0]
    assert first.wait("c3", "addr:x") > 0


def test_every_lookup_is_logged_without_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    lookup = service(InMemoryRateLimiter(1))
    with caplog.at_level(logging.INFO, logger="motcua.dossiers.lookups"):
        lookup.lookup("zalo:84903123456", CODE)
        lookup.lookup("zalo:84903123456", "000.00.31.H29-261120-0013")
        lookup.lookup("zalo:84903123456", "mã gì đâu")
    records = [r for r in caplog.records if r.name == "motcua.dossiers.lookups"]
    assert [r.getMessage().split("outcome=")[1].split()[0] for r in records] == [
        "found",
        "rate_limited",
        "malformed",
    ]
    text = "\n".join(r.getMessage() for r in records)
    assert f"conversation={conversation_key('zalo:84903123456')}" in text
    assert "office=000.00.31.H29 date=261120" in text
    for secret in ("84903123456", "0903123456", "Nguyễn", "-0012", "-0013", CODE):
        assert secret not in text


def test_the_service_is_built_from_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'motcua.db'}"
    store = SqlDossierStore(url)
    store.save([DOSSIER])
    store.close()
    lookup = DossierLookup.from_settings(Settings(database_url=url, dossier_lookups_per_hour=1))
    try:
        assert lookup.lookup("c", CODE).dossier == DOSSIER
        assert lookup.lookup("c", CODE).outcome is Outcome.RATE_LIMITED
    finally:
        lookup.close()


def test_settings_read_the_dossier_variables() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://bot@db/motcua",
            "DOSSIER_SOURCE": "http",
            "DOSSIER_API_URL": "https://dichvucong.hochiminhcity.gov.vn/api",
            "DOSSIER_API_TOKEN": "t",
            "DOSSIER_API_TIMEOUT": "2.5",
            "DOSSIER_API_RETRIES": "4",
            "DOSSIER_LOOKUPS_PER_HOUR": "5",
            "DOSSIER_FULL_DETAILS_WITH_PHONE": "true",
        }
    )
    assert (settings.database_url, settings.dossier_source, settings.dossier_api_timeout) == (
        "postgresql://bot@db/motcua",
        "http",
        2.5,
    )
    assert (settings.dossier_api_retries, settings.dossier_lookups_per_hour) == (4, 5)
    assert settings.dossier_full_details_with_phone
    defaults = Settings.from_env({})
    assert defaults.database_url.startswith("sqlite:///") and defaults.database_url.endswith("var/motcua.db")
    assert (defaults.dossier_source, defaults.dossier_lookups_per_hour) == ("sql", 10)
    assert not defaults.dossier_full_details_with_phone
    with pytest.raises(ValueError, match="DOSSIER_SOURCE"):
        Settings.from_env({"DOSSIER_SOURCE": "ftp"})
