"""The apply's view of the rows it changes: contacts and conversations as mutable states (from
SQLAlchemy rows or the prefetch's JSON arrays, with a `snapshot()` for the events), and what it
reads off an inbound message (its text, its preview line, its sender's ids)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wadesk.core.enums import ConversationMode, ConversationState, MessageType
from wadesk.core.models import Contact, Conversation
from wadesk.core.webhook import InboundMessage
from wadesk.engine.store.columns import parse_utc_text
from wadesk.engine.store.convert import Row

PREVIEW_LENGTH = 120


@dataclass(slots=True)
class ContactState:
    """A contact as the apply reads and changes it."""

    id: int
    wa_id: str | None
    user_id: str | None
    parent_user_id: str | None
    username: str | None
    profile_name: str | None
    local_name: str | None

    def snapshot(self) -> Contact:
        return Contact(
            id=self.id,
            wa_id=self.wa_id,
            user_id=self.user_id,
            username=self.username,
            profile_name=self.profile_name,
            local_name=self.local_name,
        )


@dataclass(slots=True)
class ConvState:
    """A conversation as the apply reads and changes it (`dirty`: to be written back)."""

    id: int
    number_id: int
    contact_id: int
    last_inbound_at: datetime | None
    last_message_at: datetime | None
    last_message_preview: str | None
    unread_count: int
    state: str
    mode: str
    dirty: bool = False

    def snapshot(self) -> Conversation:
        return Conversation(
            id=self.id,
            number_id=self.number_id,
            contact_id=self.contact_id,
            last_inbound_at=self.last_inbound_at,
            last_message_at=self.last_message_at,
            last_message_preview=self.last_message_preview,
            unread_count=self.unread_count,
            state=ConversationState(self.state),
            mode=ConversationMode(self.mode),
        )


def preview_text(text: str | None, type_: MessageType) -> str:
    """One line of at most PREVIEW_LENGTH characters for the conversation list."""
    if not text:
        return f"[{type_.value}]"
    line = " ".join(text.split())
    if len(line) > PREVIEW_LENGTH:
        line = line[: PREVIEW_LENGTH - 1] + "…"
    return line


def message_text(item: InboundMessage) -> str | None:
    if item.text is not None:
        return item.text
    if item.media is not None and item.media.caption:
        return item.media.caption
    if item.choice is not None and item.choice.title:
        return item.choice.title
    return None


def sender_ids(item: InboundMessage) -> tuple[str | None, str | None]:
    info = item.contact
    wa_id = item.from_wa_id or (info.wa_id if info else None)
    user_id = item.from_user_id or (info.user_id if info else None)
    return wa_id, user_id


def contact_state(row: Row) -> ContactState:
    return ContactState(
        id=row["id"],
        wa_id=row["wa_id"],
        user_id=row["user_id"],
        parent_user_id=row["parent_user_id"],
        username=row["username"],
        profile_name=row["profile_name"],
        local_name=row["local_name"],
    )


def conversation_state(row: Row) -> ConvState:
    return ConvState(
        id=row["id"],
        number_id=row["number_id"],
        contact_id=row["contact_id"],
        last_inbound_at=row["last_inbound_at"],
        last_message_at=row["last_message_at"],
        last_message_preview=row["last_message_preview"],
        unread_count=row["unread_count"],
        state=row["state"],
        mode=row["mode"],
    )


def _time_or_none(value: str | None) -> datetime | None:
    return None if value is None else parse_utc_text(value)


def conversation_from_json(row: list[Any]) -> ConvState:
    """A conversation from one array of `rows.PREFETCH_CONVERSATIONS_SQL` (times as text)."""
    return ConvState(
        row[0],
        row[1],
        row[2],
        _time_or_none(row[3]),
        _time_or_none(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
    )
