"""Service settings, read from `PROCTOR_*` environment variables (or a `.env` file).

Nothing here touches the disk or the network; `Settings()` only reads and validates.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from proctor.cases.deadlines import ComplaintRules
from proctor.exam.policy import ObservationPolicy
from proctor.exam.retention_rules import RetentionRules
from proctor.survey.rules import SurveyRules


class PublicContacts(BaseModel):
    """The complaint channels besides the web form, as the public pages name them (an empty
    one is not shown)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    whatsapp: str = Field("", max_length=40, description="WhatsApp number, e.g. 0811-1234-5678.")
    email: str = Field("", max_length=120, description="Complaint e-mail address.")
    phone: str = Field("", max_length=40, description="Complaint telephone line.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PROCTOR_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="forbid",
    )

    data_dir: Path = Field(
        Path("proctor-data"),
        description="Folder for the embedded SQLite database and the generated NIK key.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db. Unset: SQLite file "
        "`proctor.db` in data_dir.",
    )
    nik_key: SecretStr | None = Field(
        None,
        description="Secret key for the NIK keyed hash (HMAC-SHA256), at least 32 characters. "
        "Unset: read from, or created once in, data_dir/nik.key. Every server of one deployment "
        "must share it.",
    )
    engine: str = Field(
        "fused",
        description="Face engine for checkpoints and registration templates: sface, dlib or fused.",
    )
    station_engine: str = Field(
        "sface",
        description="Face engine the station agents run; its model-card threshold is the default "
        "mismatch threshold for observations.",
    )
    max_upload_bytes: int = Field(
        8 * 1024 * 1024, ge=64 * 1024, description="Largest accepted photo upload, in bytes."
    )
    max_snapshot_bytes: int = Field(
        512 * 1024, ge=16 * 1024, description="Largest accepted observation snapshot (JPEG)."
    )
    max_batch: int = Field(200, ge=1, le=5000, description="Most observations in one batch.")
    database_pool_size: int = Field(
        20,
        ge=1,
        le=200,
        description="Database connections each server process keeps open (and as many more "
        "it may open for a burst). Requests run on up to 40 threads, each with a session for "
        "its caller and one for its work: a smaller pool opens and closes connections under "
        "load, each a new PostgreSQL backend. Mind PostgreSQL's max_connections across "
        "servers.",
    )
    policy: ObservationPolicy = Field(
        default_factory=ObservationPolicy, description="When observations pause an attempt."
    )
    notify_channel: str = Field(
        "proctor_station",
        pattern=r"^[a-z_][a-z0-9_]{0,62}$",
        description="PostgreSQL LISTEN/NOTIFY channel for station events.",
    )
    sse_heartbeat_seconds: float = Field(
        15.0, gt=0, le=300, description="Keep-alive and state re-send interval of event streams."
    )
    complaints: ComplaintRules = Field(
        default_factory=ComplaintRules,
        description="Deadlines, escalation, calendar and public holidays of the complaint "
        "procedure.",
    )
    retention: RetentionRules = Field(
        default_factory=RetentionRules,
        description="How long biometric data is kept (JSON, e.g. PROCTOR_RETENTION="
        '\'{"live_days": 30, "registration_until": "2026-12-31"}\').',
    )
    survey: SurveyRules = Field(
        default_factory=SurveyRules,
        description="The satisfaction survey's elements and grade bands (PermenPAN-RB 14/2017 "
        "by default) and how long a station offers it after the exam (JSON in PROCTOR_SURVEY).",
    )
    public_contacts: PublicContacts = Field(
        default_factory=PublicContacts,
        description="WhatsApp, e-mail and telephone shown on the public pages "
        "(PROCTOR_PUBLIC_CONTACTS__WHATSAPP, ...).",
    )
    whatsapp_webhook_secret: SecretStr | None = Field(
        None,
        description="Shared secret the WhatsApp gateway sends in the X-Webhook-Secret header; "
        "unset: the webhook refuses every message.",
    )
    audit_signing_key: SecretStr | None = Field(
        None,
        description="The service's Ed25519 key for the audit log's signed heads (base64 seed, "
        "from `proctor audit keygen`). Required on PostgreSQL unless audit_signing_key_file "
        "is set.",
    )
    audit_signing_key_file: Path | None = Field(
        None,
        description="A file holding that key, outside data_dir and readable by the service's "
        "user only. Unset on SQLite: made once at $XDG_CONFIG_HOME/proctor/audit-signing.key "
        "(~/.config/proctor/), never beside the database.",
    )
    data_key: SecretStr | None = Field(
        None,
        description="The master key that wraps the keys of every stored image and face "
        "template (32 bytes, base64, from `proctor data-key create`). Required on PostgreSQL "
        "unless data_key_file is set.",
    )
    data_key_file: Path | None = Field(
        None,
        description="A file holding that key, outside data_dir and readable by the service's "
        "user only. Unset on SQLite: made once at $XDG_CONFIG_HOME/proctor/data.key.",
    )
    data_previous_key_file: Path | None = Field(
        None,
        description="The master key before the last rotation, accepted for opening while "
        "`proctor data-key rotate` re-wraps what it wrapped (servers may keep running).",
    )
    audit_head_seconds: float = Field(
        0.5,
        gt=0,
        le=1,
        description="How often the service looks for new audit records and signs a head over "
        "them: every change is covered by a signed head within a second.",
    )
    proxy_search_seconds: float = Field(
        5,
        ge=0,
        description="How often the service searches the live faces of new face_mismatch "
        "incidents against every enrolled candidate, to name a proxy who is himself enrolled "
        "(0: never).",
    )
    index_save_seconds: float = Field(
        600,
        ge=0,
        description="The service builds (or loads from data_dir/face-index) the registry's face "
        "index at start, and saves it this often when it changed, and at shutdown (0: built on "
        "first use, never saved).",
    )
    audit_checkpoint_seconds: float = Field(
        300,
        ge=5,
        description="How often the service checks the whole audit chain against its signed "
        "heads (the console shows the latest check).",
    )
    custodian_public_key: str | None = Field(
        None,
        description="The identity custodian's X25519 public key (base64, from `proctor "
        "custodian keygen`). Whistleblowers' optional identities are sealed to it; unset: "
        "reports are accepted only without an identity.",
    )

    @field_validator("engine", "station_engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value not in ("sface", "dlib", "fused"):
            raise ValueError("choose one of sface, dlib, fused")
        return value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'proctor.db').as_posix()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url().startswith("sqlite")
