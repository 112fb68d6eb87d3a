"""Store functions for inbound media downloads: where the file of a message is, or why it
could not be downloaded (sync functions on a `Connection`, run through `Store.write`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from wadesk.core.enums import Direction
from wadesk.core.events import EngineEvent, MessageUpdated
from wadesk.core.models import Message
from wadesk.engine.store.convert import to_message
from wadesk.engine.store.errors import NotFoundError
from wadesk.engine.store.tables import message_t

MEDIA_DOWNLOAD_FAILED = 131052
"""The catalogue code a failed download is recorded with (Meta's "media download error")."""


def _message(conn: Connection, message_id: int) -> Message:
    row = conn.execute(select(message_t).where(message_t.c.id == message_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no message with id {message_id}")
    return to_message(row)


def set_media_file(
    conn: Connection,
    message_id: int,
    path: str,
    size: int,
    mime: str | None,
    *,
    now: datetime | None = None,
) -> list[EngineEvent]:
    """The media of a message is stored at `path`; an earlier download failure is cleared."""
    current = _message(conn, message_id)
    values: dict[str, Any] = {
        "media_path": path,
        "media_size": size,
        "updated_at": now or datetime.now(UTC),
    }
    if mime:
        values["media_mime"] = mime
    if current.direction is Direction.INBOUND and current.error_code == MEDIA_DOWNLOAD_FAILED:
        values.update(error_code=None, error_title=None, error_details=None)
    conn.execute(update(message_t).where(message_t.c.id == message_id).values(**values))
    return [MessageUpdated(_message(conn, message_id))]


def set_media_failure(
    conn: Connection,
    message_id: int,
    title: str,
    details: str,
    *,
    now: datetime | None = None,
) -> list[EngineEvent]:
    """Downloading the media of a message failed: recorded as error 131052 with the cause."""
    _message(conn, message_id)
    conn.execute(
        update(message_t)
        .where(message_t.c.id == message_id)
        .values(
            error_code=MEDIA_DOWNLOAD_FAILED,
            error_title=title[:300],
            error_details=details[:1000],
            updated_at=now or datetime.now(UTC),
        )
    )
    return [MessageUpdated(_message(conn, message_id))]
