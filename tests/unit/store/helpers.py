"""Builders of parsed webhook items for the store tests (the JSON parser is not needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from wadesk.core.enums import MessageStatus, MessageType
from wadesk.core.webhook import (
    ContactInfo,
    GraphErrorInfo,
    InboundMessage,
    ParsedWebhook,
    Reaction,
    StatusUpdate,
    WebhookItem,
)

PNID = "PNID1"
WABA = "WABA1"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def text_message(
    wamid: str,
    *,
    text: str = "hello",
    wa_id: str | None = "15551234567",
    user_id: str | None = None,
    name: str | None = "Ann",
    ts: datetime = T0,
    pnid: str = PNID,
) -> InboundMessage:
    payload: dict[str, Any] = {"id": wamid, "type": "text", "text": {"body": text}}
    return InboundMessage(
        phone_number_id=pnid,
        display_phone_number="15550001111",
        waba_id=WABA,
        wamid=wamid,
        type=MessageType.TEXT,
        raw_type="text",
        timestamp=ts,
        from_wa_id=wa_id,
        from_user_id=user_id,
        contact=ContactInfo(wa_id=wa_id, user_id=user_id, profile_name=name),
        text=text,
        payload=payload,
    )


def reaction_message(
    wamid: str, target: str, emoji: str | None, *, ts: datetime = T0, wa_id: str = "15551234567"
) -> InboundMessage:
    return InboundMessage(
        phone_number_id=PNID,
        display_phone_number="15550001111",
        waba_id=WABA,
        wamid=wamid,
        type=MessageType.REACTION,
        raw_type="reaction",
        timestamp=ts,
        from_wa_id=wa_id,
        contact=ContactInfo(wa_id=wa_id),
        reaction=Reaction(message_id=target, emoji=emoji),
        payload={"id": wamid, "type": "reaction", "reaction": {"message_id": target}},
    )


def status(
    wamid: str,
    value: MessageStatus,
    *,
    ts: datetime = T0,
    error: GraphErrorInfo | None = None,
    pnid: str = PNID,
) -> StatusUpdate:
    return StatusUpdate(
        phone_number_id=pnid,
        waba_id=WABA,
        wamid=wamid,
        status=value,
        timestamp=ts,
        recipient_id="15551234567",
        errors=(error,) if error else (),
        payload={"id": wamid, "status": value.value},
    )


def parsed(*items: WebhookItem, problems: tuple[str, ...] = ()) -> ParsedWebhook:
    return ParsedWebhook(items=tuple(items), problems=problems)
