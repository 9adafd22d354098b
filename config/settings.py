"""Settings from the environment (prefix ``SURGERYBOT_``, nested with ``__``), a ``.env`` file, or a TOML file
named by ``SURGERYBOT_CONFIG_FILE``. Tokens are secrets: they never print, log or appear in a repr."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from vocabulary.errors import ConfigurationError

ENV_PREFIX = "SURGERYBOT_"


class LogFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class TelegramMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class Language(StrEnum):
    """What the bot writes in: English, Welsh, or both in one message (Welsh first)."""

    EN = "en"
    CY = "cy"
    BOTH = "both"


class CouncilSettings(BaseModel):
    name: str = "Example Borough Council"
    # The default for every community and person that has not chosen (Welsh Language Standards: cy or both).
    language: Language = Language.EN
    timezone: str = "Europe/London"
    privacy_url: str = "https://example.gov.uk/privacy/surgerybot"
    contact_email: str = "surgeries@example.gov.uk"
    safeguarding_contact: str = "the council's safeguarding team on 0300 000 0000"
    # Chat accounts of the council's safeguarding team ("telegram:<user id>", "discord:<user id>"): a safeguarding
    # alert in a community with no facilitators goes to them, and to the session's host, instead of nowhere.
    safeguarding_accounts: list[str] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (use a name like Europe/London)") from None
        return value

    @field_validator("safeguarding_accounts")
    @classmethod
    def _accounts(cls, value: list[str]) -> list[str]:
        for account in value:
            platform, _, user_id = account.partition(":")
            if platform not in ("telegram", "discord", "local") or not user_id.isascii() or not user_id.isdigit():
                raise ValueError(f"{account!r} is not an account like telegram:123456789 or discord:123456789")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class TelegramSettings(BaseModel):
    token: SecretStr | None = None
    api_base_url: str = "https://api.telegram.org/bot"
    # Defaults to the file twin of api_base_url (".../bot" -> ".../file/bot").
    api_file_base_url: str | None = None
    bot_username: str | None = None  # learned from getMe when not set
    mode: TelegramMode = TelegramMode.POLLING
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    poll_timeout: int = Field(default=30, ge=0, le=50)


class DiscordSettings(BaseModel):
    token: SecretStr | None = None
    api_base_url: str = "https://discord.com/api/v10"
    application_id: str | None = None
    shard_count: int | None = Field(default=None, ge=1)
    # Several instances on one database: each claims at most this many shards (through the database) and
    # receives only their servers' events. None: every instance connects every shard.
    shards_per_instance: int | None = Field(default=None, ge=1)


class ConsentSettings(BaseModel):
    acceptance_window_minutes: int = Field(default=10, ge=1, le=24 * 60)
    invitation_expiry_days: int = Field(default=14, ge=1, le=365)


class SessionSettings(BaseModel):
    """Surgery timings (SPEC §4). Reminders are minutes before the start; the rest are minutes or days."""

    reminder_minutes: list[int] = Field(default_factory=lambda: [24 * 60, 60])
    floor_minutes: int = Field(default=3, ge=1, le=60)
    time_box_minutes: int = Field(default=5, ge=1, le=120)
    close_warning_minutes: int = Field(default=5, ge=1, le=60)
    casework_reply_days: int = Field(default=10, ge=1, le=60)
    # Working days after the reply date when the resident is asked whether a reply came (same calendar).
    casework_check_days: int = Field(default=5, ge=1, le=60)
    min_duration_minutes: int = Field(default=10, ge=1)
    max_duration_minutes: int = Field(default=240, ge=10)
    queue_shown: int = Field(default=20, ge=1, le=50)  # a page of /queue; more are counted ("…and 3 more")
    ask_draft_minutes: int = Field(default=30, ge=1, le=24 * 60)


class LimitSettings(BaseModel):
    """How many commands one person may send at once, and how fast the allowance comes back; how many wrong
    invitation or `/link` codes one person, or one chat, may try before waiting out a cool-down."""

    command_burst: int = Field(default=10, ge=1, le=1000)
    command_refill_seconds: float = Field(default=1.0, gt=0, le=3600)
    code_attempts_per_person: int = Field(default=5, ge=1, le=100)
    code_attempts_per_chat: int = Field(default=10, ge=1, le=1000)
    code_attempt_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    code_cool_down_minutes: int = Field(default=15, ge=1, le=24 * 60)


class RetentionSettings(BaseModel):
    """How long things are kept (SPEC §6), in days. The purge runs daily at `purge_hour` council time."""

    session_days: int = Field(default=180, ge=1, le=3650)  # questions, votes, session reports, casework notes
    case_days: int = Field(default=365, ge=1, le=3650)  # moderation cases
    audit_days: int = Field(default=730, ge=1, le=3650)  # audit rows
    left_community_days: int = Field(default=30, ge=0, le=3650)  # everything about a group that removed the bot
    processed_update_days: int = Field(default=3, ge=1, le=90)  # at-most-once keys, finished timers
    purge_hour: int = Field(default=3, ge=0, le=23)


DEFAULT_LISTENING_THEMES: dict[str, list[str]] = {
    "housing": ["housing", "rent", "landlord", "damp", "mould", "repairs", "council house", "homeless", "eviction"],
    "transport": ["bus", "buses", "train", "parking", "traffic", "road", "roads", "pothole", "potholes", "cycle lane"],
    "waste": ["bins", "bin", "rubbish", "recycling", "fly tipping", "litter", "collection"],
    "parks": ["park", "parks", "playground", "green space", "trees", "allotment"],
    "safety": ["crime", "antisocial", "anti social", "speeding", "streetlight", "street light", "burglary"],
}


class ListeningSettings(BaseModel):
    """The council's themes for opt-in listening: theme → keywords (whole words, matched after normalisation).
    From the environment as JSON: SURGERYBOT_LISTENING__THEMES='{"housing": ["rent", "damp"]}'."""

    themes: dict[str, list[str]] = Field(default_factory=lambda: {k: list(v) for k, v in
                                                                  DEFAULT_LISTENING_THEMES.items()})

    @field_validator("themes")
    @classmethod
    def _usable_themes(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if len(value) > 50:
            raise ValueError("at most 50 themes")
        for theme, words in value.items():
            if not theme.strip() or len(theme) > 40:
                raise ValueError("each theme needs a name of at most 40 characters")
            if not any(word.strip() for word in words):
                raise ValueError(f"theme {theme!r} needs at least one keyword")
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database_url: str = "sqlite+aiosqlite:///surgerybot.db"
    log_level: str = "INFO"
    log_format: LogFormat = LogFormat.TEXT
    council: CouncilSettings = CouncilSettings()
    telegram: TelegramSettings = TelegramSettings()
    discord: DiscordSettings = DiscordSettings()
    consent: ConsentSettings = ConsentSettings()
    sessions: SessionSettings = SessionSettings()
    retention: RetentionSettings = RetentionSettings()
    limits: LimitSettings = LimitSettings()
    listening: ListeningSettings = ListeningSettings()
    # Where `surgerybot run` writes its health every few seconds, for `surgerybot health` (none: not written).
    health_file: Path | None = None

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("use one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return upper

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///path.db or postgresql+asyncpg://user@host/db")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings, dotenv_settings]
        toml_file = os.environ.get(f"{ENV_PREFIX}CONFIG_FILE")
        if toml_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(toml_file)))
        sources.append(file_secret_settings)
        return tuple(sources)

    @property
    def configured_platforms(self) -> list[str]:
        platforms = []
        if self.telegram.token and self.telegram.token.get_secret_value():
            platforms.append("telegram")
        if self.discord.token and self.discord.token.get_secret_value():
            platforms.append("discord")
        return platforms


def _variable_name(location: tuple[Any, ...]) -> str:
    return ENV_PREFIX + "__".join(str(part).upper() for part in location if not isinstance(part, int))


def describe_validation_error(error: ValidationError) -> str:
    """One plain sentence per bad setting, naming the environment variable an operator would set."""
    sentences = []
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        sentences.append(f"Setting {_variable_name(problem['loc'])} is invalid: {message}.")
    return " ".join(sentences)


def load_settings(**overrides: Any) -> Settings:
    """Read settings, turning pydantic's report into a `ConfigurationError` a person can act on."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigurationError(describe_validation_error(error)) from None
    except (OSError, ValueError) as error:  # an unreadable or malformed TOML file
        raise ConfigurationError(f"Could not read the settings file: {error}.") from None
