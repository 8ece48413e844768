"""Settings from the environment, in one typed object. Every variable has an embedded default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CURATED_DIR = Path(__file__).resolve().parent / "catalogue" / "curated"
IMPORTED_CATALOGUE = PROJECT_ROOT / "var" / "catalogue" / "imported.json"
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'motcua.db'}"
DOSSIER_SOURCES = ("sql", "http")


def _paths(value: str) -> list[Path]:
    return [Path(part.strip()) for part in value.split(",") if part.strip()]


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _choice(value: str, choices: tuple[str, ...], name: str) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


@dataclass(frozen=True)
class Settings:
    """What a deployment configures. Read with `Settings.from_env()`."""

    curated_dir: Path = CURATED_DIR
    catalogue_imports: list[Path] = field(default_factory=list)
    # Portal records (a folder or file) imported into `imported_catalogue` when they change; None: curated only.
    catalogue_source: Path | None = None
    imported_catalogue: Path = IMPORTED_CATALOGUE
    database_url: str = DEFAULT_DATABASE_URL
    dossier_source: str = "sql"  # "sql": the database above; "http": the portal's lookup API
    dossier_api_url: str = ""
    dossier_api_token: str = ""
    dossier_api_timeout: float = 5.0  # seconds per attempt
    dossier_api_retries: int = 2
    dossier_lookups_per_hour: int = 10  # per conversation
    dossier_full_details_with_phone: bool = False
    # Gateway (bot/gateway, connectors/): the one process exposed to the internet.
    gateway_port: int = 8000
    public_url: str = ""  # the gateway's public https address; empty on a laptop
    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    redis_url: str = ""  # empty: in-memory stores, lost on restart
    rasa_timeout: float = 15.0  # seconds before the citizen gets an apology and the message waits
    rasa_concurrency: int = 8  # turns sent to Rasa at once; the rest wait in order in the gateway
    retry_interval: float = 5.0  # seconds between attempts to deliver waiting messages to Rasa
    messages_per_minute: int = 20  # per conversation
    max_message_chars: int = 2000
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    zalo_app_id: str = ""
    zalo_app_secret: str = ""  # "App Secret Key": refreshes the access token
    zalo_oa_secret_key: str = ""  # "OA Secret Key": verifies webhook signatures
    zalo_access_token: str = ""
    zalo_refresh_token: str = ""
    zalo_api_url: str = "https://openapi.zalo.me"
    zalo_oauth_url: str = "https://oauth.zaloapp.com"
    zalo_max_event_age: float = 300.0  # seconds; older webhook events are refused as stale
    widget_origins: list[str] = field(default_factory=lambda: ["*"])
    # Security (bot/gateway/edge.py, bot/gateway/limits.py, bot/secrets.py): see the README's "Security".
    gateway_host: str = "0.0.0.0"  # the gateway's bind address: the one process exposed
    internal_host: str = "127.0.0.1"  # where Rasa and the action server listen (a container network in production)
    rasa_token: str = ""  # Rasa's --auth-token, sent by the gateway; empty: `make run` makes one per run
    action_server_token: str = ""  # the secret Rasa sends to the action server; empty: one per run
    secret_key: str = ""  # keys conversation ids and client hashes; empty: var/secret.key, created once
    trusted_proxies: list[str] = field(default_factory=list)  # addresses/CIDRs whose X-Forwarded-For is believed
    allowed_hosts: list[str] = field(default_factory=list)  # Host headers served; empty: localhost + PUBLIC_URL's
    api_docs: bool = False  # /docs, /redoc, /openapi.json
    max_body_bytes: int = 256 * 1024  # larger request bodies get 413 before they are read
    client_messages_per_minute: int = 60  # per client address (or Telegram/Zalo user)
    client_conversations_per_hour: int = 30  # new conversations per client address
    client_lookups_per_hour: int = 20  # dossier lookups per client address
    client_handoffs_per_hour: int = 3  # requests for staff per client address
    lookups_per_minute: int = 300  # dossier lookups of the whole deployment
    # Data retention (bot/retention.py): what is kept, and for how long.
    retention_days: int = 30  # conversations never handed off: transcripts, histories, Rasa trackers
    handoff_retention_days: int = 365  # handed-off conversations, ratings and the audit log
    retention_sweep_interval: float = 3600.0  # seconds between purges in the gateway

    @property
    def catalogue_files(self) -> list[Path]:
        """The imported catalogues to load: the configured ones, and the source's import once it exists."""
        synced = [self.imported_catalogue] if self.catalogue_source and self.imported_catalogue.exists() else []
        return [*self.catalogue_imports, *synced]

    @property
    def uses_sample_database(self) -> bool:
        """True on the embedded default: dossiers from the local SQLite file, which `make run` seeds."""
        return self.dossier_source == "sql" and self.database_url == DEFAULT_DATABASE_URL

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            curated_dir=Path(env.get("MOTCUA_CURATED_DIR", str(CURATED_DIR))),
            catalogue_imports=_paths(env.get("MOTCUA_CATALOGUE_IMPORTS", "")),
            catalogue_source=Path(env["MOTCUA_CATALOGUE_SOURCE"]) if env.get("MOTCUA_CATALOGUE_SOURCE") else None,
            imported_catalogue=Path(env.get("MOTCUA_IMPORTED_CATALOGUE", str(IMPORTED_CATALOGUE))),
            database_url=env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
            dossier_source=_choice(env.get("DOSSIER_SOURCE", "sql"), DOSSIER_SOURCES, "DOSSIER_SOURCE"),
            dossier_api_url=env.get("DOSSIER_API_URL", ""),
            dossier_api_token=env.get("DOSSIER_API_TOKEN", ""),
            dossier_api_timeout=float(env.get("DOSSIER_API_TIMEOUT", "5")),
            dossier_api_retries=int(env.get("DOSSIER_API_RETRIES", "2")),
            dossier_lookups_per_hour=int(env.get("DOSSIER_LOOKUPS_PER_HOUR", "10")),
            dossier_full_details_with_phone=_flag(env.get("DOSSIER_FULL_DETAILS_WITH_PHONE", "")),
            gateway_port=int(env.get("GATEWAY_PORT", "8000")),
            public_url=env.get("PUBLIC_URL", "").rstrip("/"),
            rasa_url=env.get("RASA_URL", "http://127.0.0.1:5005").rstrip("/"),
            action_server_url=env.get("ACTION_SERVER_URL", "http://127.0.0.1:5055").rstrip("/"),
            redis_url=env.get("REDIS_URL", ""),
            rasa_timeout=float(env.get("RASA_TIMEOUT", "15")),
            rasa_concurrency=int(env.get("RASA_CONCURRENCY", "8")),
            retry_interval=float(env.get("PENDING_RETRY_INTERVAL", "5")),
            messages_per_minute=int(env.get("MESSAGES_PER_MINUTE", "20")),
            max_message_chars=int(env.get("MAX_MESSAGE_CHARS", "2000")),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", ""),
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_api_url=env.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/"),
            zalo_app_id=env.get("ZALO_APP_ID", ""),
            zalo_app_secret=env.get("ZALO_APP_SECRET", ""),
            zalo_oa_secret_key=env.get("ZALO_OA_SECRET_KEY", ""),
            zalo_access_token=env.get("ZALO_ACCESS_TOKEN", ""),
            zalo_refresh_token=env.get("ZALO_REFRESH_TOKEN", ""),
            zalo_api_url=env.get("ZALO_API_URL", "https://openapi.zalo.me").rstrip("/"),
            zalo_oauth_url=env.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com").rstrip("/"),
            zalo_max_event_age=float(env.get("ZALO_MAX_EVENT_AGE", "300")),
            widget_origins=_list(env.get("WIDGET_ORIGINS", "*")),
            gateway_host=env.get("GATEWAY_HOST", "0.0.0.0"),
            internal_host=env.get("INTERNAL_HOST", "127.0.0.1"),
            rasa_token=env.get("RASA_TOKEN", ""),
            action_server_token=env.get("ACTION_SERVER_TOKEN", ""),
            secret_key=env.get("SECRET_KEY", ""),
            trusted_proxies=_list(env.get("TRUSTED_PROXIES", "")),
            allowed_hosts=_list(env.get("ALLOWED_HOSTS", "")),
            api_docs=_flag(env.get("API_DOCS", "")),
            max_body_bytes=int(env.get("MAX_BODY_BYTES", str(256 * 1024))),
            client_messages_per_minute=int(env.get("CLIENT_MESSAGES_PER_MINUTE", "60")),
            client_conversations_per_hour=int(env.get("CLIENT_CONVERSATIONS_PER_HOUR", "30")),
            client_lookups_per_hour=int(env.get("CLIENT_LOOKUPS_PER_HOUR", "20")),
            client_handoffs_per_hour=int(env.get("CLIENT_HANDOFFS_PER_HOUR", "3")),
            lookups_per_minute=int(env.get("LOOKUPS_PER_MINUTE", "300")),
            retention_days=int(env.get("RETENTION_DAYS", "30")),
            handoff_retention_days=int(env.get("HANDOFF_RETENTION_DAYS", "365")),
            retention_sweep_interval=float(env.get("RETENTION_SWEEP_INTERVAL", "3600")),
        )
