"""Typed items parsed out of a WhatsApp webhook body.

These plain dataclasses are the contract between the webhook parser
(`wadesk.engine.cloudapi.parser`), the store and ingest. Every identity field is optional:
since 2026 a contact may come with a business-scoped user id (BSUID) and no `wa_id`.
Each item keeps `payload`, the exact JSON object it came from, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wadesk.core.enums import MessageStatus, MessageType

JSON = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class GraphErrorInfo:
    """An error object as it appears in webhooks (`{"code","title","message","error_data"}`)."""

    code: int | None
    title: str | None = None
    message: str | None = None
    details: str | None = None


@dataclass(frozen=True, slots=True)
class ContactInfo:
    """A `contacts[]` entry of a webhook value."""

    wa_id: str | None = None
    user_id: str | None = None
    parent_user_id: str | None = None
    username: str | None = None
    profile_name: str | None = None


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A media object of an inbound message: only ids, never bytes."""

    media_id: str | None
    mime_type: str | None = None
    sha256: str | None = None
    filename: str | None = None
    caption: str | None = None
    url: str | None = None
    voice: bool = False
    animated: bool = False


@dataclass(frozen=True, slots=True)
class MessageContext:
    """`context` of an inbound message: what it replies to, forwarding, product inquiry."""

    reply_to: str | None = None
    reply_from: str | None = None
    forwarded: bool = False
    frequently_forwarded: bool = False
    referred_product: JSON | None = None


@dataclass(frozen=True, slots=True)
class ReplyChoice:
    """A tap on a reply button, a list row, a template quick reply, or a WhatsApp Flow reply.

    kind is one of `button_reply`, `list_reply`, `nfm_reply`, `button` (template quick reply).
    `reply_id` is the id the business put in the button (or the template payload).
    """

    kind: str
    reply_id: str | None
    title: str | None = None
    description: str | None = None
    response_json: str | None = None


@dataclass(frozen=True, slots=True)
class Reaction:
    """A reaction to `message_id`; `emoji` None or "" means the reaction was removed."""

    message_id: str | None
    emoji: str | None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One `messages[]` item of a `messages` change."""

    phone_number_id: str | None
    display_phone_number: str | None
    waba_id: str | None
    wamid: str
    type: MessageType
    raw_type: str | None
    timestamp: datetime
    from_wa_id: str | None = None
    from_user_id: str | None = None
    contact: ContactInfo | None = None
    text: str | None = None
    media: MediaRef | None = None
    context: MessageContext | None = None
    referral: JSON | None = None
    reaction: Reaction | None = None
    choice: ReplyChoice | None = None
    errors: tuple[GraphErrorInfo, ...] = ()
    payload: JSON = field(default_factory=dict)

    @property
    def sender_key(self) -> str | None:
        """The identity the conversation is keyed on: wa_id when present, else the BSUID."""
        return self.from_wa_id or self.from_user_id


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """One `statuses[]` item: the delivery state of a message the business sent."""

    phone_number_id: str | None
    waba_id: str | None
    wamid: str
    status: MessageStatus
    timestamp: datetime
    recipient_id: str | None = None
    recipient_user_id: str | None = None
    contact: ContactInfo | None = None
    errors: tuple[GraphErrorInfo, ...] = ()
    pricing: JSON | None = None
    conversation: JSON | None = None
    biz_opaque_callback_data: str | None = None
    payload: JSON = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SystemErrors:
    """`value.errors[]` of a `messages` change: system-level problems reported by Meta."""

    phone_number_id: str | None
    waba_id: str | None
    errors: tuple[GraphErrorInfo, ...]
    payload: JSON = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldEvent:
    """A change of any other field (template status, quality, account_update, …), kept as is."""

    waba_id: str | None
    field: str
    value: JSON
    time: datetime | None = None


WebhookItem = InboundMessage | StatusUpdate | SystemErrors | FieldEvent


@dataclass(frozen=True, slots=True)
class ParsedWebhook:
    """Everything found in one webhook body, in order, plus problems met on the way.

    A problem (a malformed entry, a message without id, …) never stops the parse: the rest of
    the body is still read, and the problem text is recorded with the raw event.
    """

    items: tuple[WebhookItem, ...]
    problems: tuple[str, ...] = ()

    @property
    def phone_number_ids(self) -> frozenset[str]:
        ids = set()
        for item in self.items:
            pid = getattr(item, "phone_number_id", None)
            if pid:
                ids.add(pid)
        return frozenset(ids)


class WebhookParseError(ValueError):
    """The body is not a WhatsApp webhook at all (not JSON, not an object, no `entry`)."""
