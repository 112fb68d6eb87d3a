"""Where the message model gets its rows: read queries on the store and file reads, all run off
the event loop (`engine.store.read` on the reader threads, `engine.blocking` for files).

`StoreSource` is the only part of the conversation view that queries the store directly (reads
only; every change goes through Engine commands). Its functions return plain data
(`Item`s: the `Message` plus the media columns the dataclass does not carry); they never touch
a Qt object. Reaction rows are not listed: a reaction is shown under the message it targets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from wadesk.core.enums import Direction, MessageType
from wadesk.core.models import Message
from wadesk.engine.store.convert import to_message
from wadesk.engine.store.tables import message_t

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

THUMB_MAX_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Item:
    """One message row as the view needs it."""

    message: Message
    media_mime: str | None = None
    media_size: int | None = None


@dataclass(slots=True)
class Page:
    """A page of messages (oldest first) and the owner's reactions to them (wamid → emoji)."""

    items: list[Item]
    own_reactions: dict[str, str] = field(default_factory=dict)


def _item(row: Any) -> Item:
    return Item(to_message(row), row["media_mime"], row["media_size"])


def reaction_emoji(message: Message) -> str:
    """The emoji of a reaction row (outbound rows keep it in the payload, inbound in text)."""
    payload = message.payload
    inner = payload.get("reaction") if isinstance(payload, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("emoji"), str):
        return str(inner["emoji"])
    if isinstance(payload.get("emoji"), str):
        return str(payload["emoji"])
    return message.reaction or message.text or ""


def reaction_target(message: Message) -> str | None:
    """The wamid a reaction row reacts to."""
    inner = message.payload.get("reaction")
    if isinstance(inner, dict) and isinstance(inner.get("message_id"), str):
        return str(inner["message_id"])
    return message.reply_to


def _visible() -> Any:
    return message_t.c.type != MessageType.REACTION.value


def read_page(conn: Connection, conversation_id: int, before_id: int | None, limit: int) -> Page:
    query = select(message_t).where(message_t.c.conversation_id == conversation_id, _visible())
    if before_id is not None:
        query = query.where(message_t.c.id < before_id)
    rows = conn.execute(query.order_by(message_t.c.id.desc()).limit(limit)).mappings().all()
    items = [_item(row) for row in reversed(rows)]
    wamids = {i.message.wamid for i in items if i.message.wamid}
    own: dict[str, str] = {}
    if items:
        reactions = conn.execute(
            select(message_t)
            .where(
                message_t.c.conversation_id == conversation_id,
                message_t.c.type == MessageType.REACTION.value,
                message_t.c.direction == Direction.OUTBOUND.value,
                message_t.c.id > items[0].message.id,
            )
            .order_by(message_t.c.id)
            .limit(2000)
        ).mappings()
        for row in reactions:
            reaction = to_message(row)
            target = reaction_target(reaction)
            if target in wamids:
                own[target] = reaction_emoji(reaction)
    return Page(items, own)


def read_rows(conn: Connection, ids: Sequence[int]) -> list[Item]:
    if not ids:
        return []
    rows = conn.execute(select(message_t).where(message_t.c.id.in_(list(ids)))).mappings()
    return [_item(row) for row in rows]


def read_ids_between(
    conn: Connection, conversation_id: int, from_id: int, before_id: int | None
) -> list[int]:
    query = select(message_t.c.id).where(
        message_t.c.conversation_id == conversation_id, message_t.c.id >= from_id, _visible()
    )
    if before_id is not None:
        query = query.where(message_t.c.id < before_id)
    return [int(r[0]) for r in conn.execute(query.order_by(message_t.c.id))]


def read_by_wamid(conn: Connection, wamid: str) -> Item | None:
    row = conn.execute(select(message_t).where(message_t.c.wamid == wamid)).mappings().first()
    return _item(row) if row is not None else None


def read_file(path: str, max_bytes: int = THUMB_MAX_BYTES) -> bytes | None:
    """The bytes of a downloaded media file (for thumbnails); None if missing or too big."""
    file = Path(path)
    try:
        if not file.is_file() or file.stat().st_size > max_bytes:
            return None
        return file.read_bytes()
    except OSError:
        return None


class StoreSource:
    """Async reads for `MessageListModel` over an Engine's store."""

    def __init__(
        self,
        read: Callable[[Callable[[Connection], Any]], Awaitable[Any]],
        blocking: Callable[..., Awaitable[Any]],
    ) -> None:
        self._read = read
        self._blocking = blocking

    @classmethod
    def for_engine(cls, engine: Engine) -> StoreSource:
        # looked up on use: the view can be built before (or without) a started store
        return cls(lambda fn: engine.store.read(fn), lambda *a: engine.blocking(*a))

    async def page(self, conversation_id: int, before_id: int | None, limit: int) -> Page:
        result: Page = await self._read(
            partial(read_page, conversation_id=conversation_id, before_id=before_id, limit=limit)
        )
        return result

    async def rows(self, ids: Sequence[int]) -> list[Item]:
        result: list[Item] = await self._read(partial(read_rows, ids=list(ids)))
        return result

    async def ids_between(
        self, conversation_id: int, from_id: int, before_id: int | None
    ) -> list[int]:
        result: list[int] = await self._read(
            partial(
                read_ids_between,
                conversation_id=conversation_id,
                from_id=from_id,
                before_id=before_id,
            )
        )
        return result

    async def by_wamid(self, wamid: str) -> Item | None:
        result: Item | None = await self._read(partial(read_by_wamid, wamid=wamid))
        return result

    async def file_bytes(self, path: str) -> bytes | None:
        result: bytes | None = await self._blocking(read_file, path)
        return result
