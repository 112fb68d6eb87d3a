"""Plain domain dataclasses the Engine hands to its clients (UI, CLI, bot runtime).

They mirror the store's rows but carry no database machinery, so the UI and a future
out-of-process transport can use them as they are. Secrets are never part of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wadesk.core.enums import (
    ConversationMode,
    ConversationState,
    Direction,
    MessageStatus,
    MessageType,
)


@dataclass(frozen=True, slots=True)
class Number:
    """A WhatsApp business phone number configured in wadesk (no secrets)."""

    id: int
    label: str
    phone: str
    phone_number_id: str
    waba_id: str
    active: bool = True
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    id: int
    wa_id: str | None
    user_id: str | None = None
    username: str | None = None
    profile_name: str | None = None
    local_name: str | None = None

    @property
    def display_name(self) -> str:
        return (
            self.local_name
            or self.profile_name
            or self.username
            or self.wa_id
            or self.user_id
            or "?"
        )


@dataclass(frozen=True, slots=True)
class Conversation:
    id: int
    number_id: int
    contact_id: int
    last_inbound_at: datetime | None = None
    last_message_at: datetime | None = None
    last_message_preview: str | None = None
    unread_count: int = 0
    state: ConversationState = ConversationState.OPEN
    mode: ConversationMode = ConversationMode.BOT


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    conversation_id: int
    wamid: str | None
    direction: Direction
    type: MessageType
    status: MessageStatus
    timestamp: datetime
    text: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    media_id: str | None = None
    media_path: str | None = None
    reply_to: str | None = None
    reaction: str | None = None
    error_code: int | None = None
    error_title: str | None = None
    updated_at: datetime | None = None
