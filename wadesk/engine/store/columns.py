"""Column helpers shared by the tables and the queries: the UTC timestamp column type,
JSON (de)serialisation of the `*_json` text columns, and the `MessageOrigin` enum."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class MessageOrigin(StrEnum):
    """Who created a message row."""

    WEBHOOK = "webhook"
    USER = "user"
    BOT = "bot"
    CLI = "cli"


def to_utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def utc_text(value: datetime) -> str:
    """The fixed-width text form stored in the database (sorts like the instants it names)."""
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def parse_utc_text(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored as fixed-width UTC text (`YYYY-MM-DD HH:MM:SS.ffffff`).

    Values go in aware (or naive meaning UTC) and come out aware in UTC. Fixed width keeps
    `ORDER BY`, `max()` and comparisons in SQL correct.
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return utc_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return parse_utc_text(str(value))


def dumps_json(value: Mapping[str, Any] | None) -> str:
    """Compact JSON text for a `*_json` column; None becomes `{}`."""
    if value is None:
        return "{}"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def loads_json(value: str | None) -> dict[str, Any]:
    """The mapping stored in a `*_json` column; empty or broken text gives `{}`."""
    if not value:
        return {}
    try:
        loaded = json.loads(value)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {"value": loaded}
