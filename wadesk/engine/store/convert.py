"""Converters from store rows (SQLAlchemy `RowMapping`s or plain mappings of column values)
to the plain dataclasses of `wadesk.core.models`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping

from wadesk.core.enums import (
    ConversationMode,
    ConversationState,
    Direction,
    MessageStatus,
    MessageType,
)
from wadesk.core.models import Contact, Conversation, Message, Number
from wadesk.engine.store.columns import loads_json

Row = Mapping[str, Any] | RowMapping
"""A row as SQLAlchemy returns it (`.mappings()`), or a plain mapping of column values."""


def to_number(row: Row) -> Number:
    return Number(
        id=int(row["id"]),
        label=row["label"],
        phone=row["phone"],
        phone_number_id=row["phone_number_id"],
        waba_id=row["waba_id"],
        active=bool(row["active"]),
        created_at=row["created_at"],
    )


def to_contact(row: Row) -> Contact:
    return Contact(
        id=int(row["id"]),
        wa_id=row["wa_id"],
        user_id=row["user_id"],
        username=row["username"],
        profile_name=row["profile_name"],
        local_name=row["local_name"],
    )


def to_conversation(row: Row) -> Conversation:
    return Conversation(
        id=int(row["id"]),
        number_id=int(row["number_id"]),
        contact_id=int(row["contact_id"]),
        last_inbound_at=row["last_inbound_at"],
        last_message_at=row["last_message_at"],
        last_message_preview=row["last_message_preview"],
        unread_count=int(row["unread_count"]),
        state=ConversationState(row["state"]),
        mode=ConversationMode(row["mode"]),
    )


def to_message(row: Row) -> Message:
    return Message(
        id=int(row["id"]),
        conversation_id=int(row["conversation_id"]),
        wamid=row["wamid"],
        direction=Direction(row["direction"]),
        type=MessageType.from_wire(row["type"]),
        status=MessageStatus(row["status"]),
        timestamp=row["timestamp"],
        text=row["text"],
        payload=loads_json(row["payload_json"]),
        media_id=row["media_id"],
        media_path=row["media_path"],
        reply_to=row["reply_to"],
        reaction=row["reaction"],
        error_code=row["error_code"],
        error_title=row["error_title"],
        updated_at=row["updated_at"],
    )
