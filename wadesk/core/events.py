"""Events the Engine publishes to its subscribers after each commit.

Subscribers (the UI bridge, the bot runtime, tests) get these plain dataclasses; they never see
store rows or sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.models import Contact, Conversation, Message
from wadesk.core.webhook import FieldEvent, InboundMessage


@dataclass(frozen=True, slots=True)
class RawEventRecorded:
    """A webhook POST was received and stored (whatever its verdict)."""

    raw_event_id: int
    received_at: datetime
    verdict: SignatureVerdict
    result: ProcessingResult
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class RawEventProcessed:
    """A stored raw event was parsed and applied (or flagged)."""

    raw_event_id: int
    result: ProcessingResult
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class MessageAdded:
    """A new message row exists (inbound from a webhook, or outbound queued by the outbox).

    `inbound` carries the parsed webhook item for inbound messages (the bot runtime needs the
    reply ids and context), None for outbound ones.
    """

    message: Message
    conversation: Conversation
    contact: Contact
    inbound: InboundMessage | None = None


@dataclass(frozen=True, slots=True)
class MessageUpdated:
    """A message changed: status moved forward, a reaction arrived, media was downloaded…"""

    message: Message


@dataclass(frozen=True, slots=True)
class ConversationUpdated:
    conversation: Conversation


@dataclass(frozen=True, slots=True)
class FieldEventReceived:
    """A non-message webhook field (template status, quality update, account_update…)."""

    event: FieldEvent


@dataclass(frozen=True, slots=True)
class TemplatesSynced:
    """The message templates of a number were fetched from the Graph API and stored."""

    number_id: int
    count: int


@dataclass(frozen=True, slots=True)
class MediaProgress:
    """An inbound media download advanced: `done` bytes of `total` (None when unknown)."""

    message_id: int
    done: int
    total: int | None = None


EngineEvent = (
    RawEventRecorded
    | RawEventProcessed
    | MessageAdded
    | MessageUpdated
    | ConversationUpdated
    | FieldEventReceived
    | TemplatesSynced
    | MediaProgress
)
