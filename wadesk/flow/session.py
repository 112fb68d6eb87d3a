"""Data the step engine consumes and produces: the persisted `Session`, inbound events
(`Inbound`, `Resume`), the actions the runtime performs, trace entries and `StepResult`.

Everything here is a plain dataclass; `Session.to_dict()`/`from_dict()` give the JSON the
runtime stores per conversation. Choice ids the engine puts into buttons and list rows are
``f:<node_id>:<choice_id>`` (see `encode_choice`), so a tap can be traced back to its node even
when it comes from an old message.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from wadesk.core.webhook import InboundMessage

SessionStatus = Literal["running", "waiting", "ended", "handed_off", "error"]
WaitKind = Literal["answer", "choice", "delay", "http"]
ResumeKind = Literal["delay", "http", "timeout", "sent"]
CHOICE_PREFIX = "f:"
SESSION_STATUSES = ("running", "waiting", "ended", "handed_off", "error")
WAIT_KINDS = ("answer", "choice", "delay", "http")


class SessionFormatError(ValueError):
    """A stored session could not be read back."""


def encode_choice(node_id: str, choice_id: str) -> str:
    return f"{CHOICE_PREFIX}{node_id}:{choice_id}"


def decode_choice(reply_id: str | None) -> tuple[str, str] | None:
    """(node_id, choice_id) of an id made by `encode_choice`, else None."""
    if not reply_id or not reply_id.startswith(CHOICE_PREFIX):
        return None
    node_id, sep, choice_id = reply_id[len(CHOICE_PREFIX) :].partition(":")
    if not sep or not node_id or not choice_id:
        return None
    return node_id, choice_id


@dataclass(frozen=True, slots=True)
class Inbound:
    """A customer message as the engine sees it.

    `choice_id` is the id of a tapped button / list row / template quick reply, `context_wamid`
    the wamid of the message it answers. `contact_fields` are extra contact attributes
    available as {{contact.<field>}}.
    """

    text: str | None = None
    choice_id: str | None = None
    choice_title: str | None = None
    context_wamid: str | None = None
    message_type: str = "text"
    timestamp: datetime | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_fields: Mapping[str, str] = field(default_factory=dict)
    is_new_contact: bool = False

    @classmethod
    def from_webhook(cls, msg: InboundMessage, *, is_new_contact: bool = False) -> Inbound:
        """Build from a parsed webhook message (what the bot runtime receives)."""
        choice = msg.choice
        text = msg.text
        if text is None and msg.media is not None:
            text = msg.media.caption
        name = msg.contact.profile_name if msg.contact is not None else None
        return cls(
            text=text,
            choice_id=choice.reply_id if choice is not None else None,
            choice_title=choice.title if choice is not None else None,
            context_wamid=msg.context.reply_to if msg.context is not None else None,
            message_type=str(msg.type),
            timestamp=msg.timestamp,
            contact_name=name,
            contact_phone=msg.from_wa_id,
            is_new_contact=is_new_contact,
        )


@dataclass(frozen=True, slots=True)
class Resume:
    """The runtime resumes a waiting session.

    - ``delay``: the delay of `node_id` has passed.
    - ``http``: result of the request: ``{"status": 200, "json": {...}}`` or ``{"error": "..."}``.
    - ``timeout``: the question of `node_id` got no answer in time.
    - ``sent``: the message with buttons/list of `node_id` was accepted: ``{"wamid": "..."}``.
    A resume whose `node_id` is not the node the session waits on is ignored (stale timer).
    """

    kind: ResumeKind
    node_id: str | None = None
    result: Mapping[str, Any] = field(default_factory=dict)


Event = Inbound | Resume


# -- actions (the runtime performs them in order) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class SendText:
    node_id: str
    text: str
    preview_url: bool = False


@dataclass(frozen=True, slots=True)
class SendMedia:
    node_id: str
    media_kind: str
    media: str
    caption: str | None = None
    filename: str | None = None


@dataclass(frozen=True, slots=True)
class SendButtons:
    """Reply buttons; ids are encoded (`encode_choice`). Resume("sent") with the wamid after."""

    node_id: str
    body: str
    buttons: tuple[tuple[str, str], ...]  # (encoded id, title)
    header: str | None = None
    footer: str | None = None


@dataclass(frozen=True, slots=True)
class SendList:
    node_id: str
    body: str
    button: str
    rows: tuple[tuple[str, str, str | None], ...]  # (encoded id, title, description)
    header: str | None = None
    footer: str | None = None
    section_title: str | None = None


@dataclass(frozen=True, slots=True)
class SendTemplate:
    node_id: str
    name: str
    language: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SetContactField:
    node_id: str
    field: str
    value: str


@dataclass(frozen=True, slots=True)
class AddLabel:
    node_id: str
    label: str
    remove: bool = False


@dataclass(frozen=True, slots=True)
class StartDelay:
    """Wake the session with Resume("delay", node_id) after `seconds` (at `session.wake_at`)."""

    node_id: str
    seconds: int


@dataclass(frozen=True, slots=True)
class StartTimeout:
    """Resume("timeout", node_id) if no answer arrives within `seconds`."""

    node_id: str
    seconds: int


@dataclass(frozen=True, slots=True)
class HttpRequest:
    """Perform the request, then Resume("http", node_id, {"status", "json"} | {"error"})."""

    node_id: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: Any
    timeout: float


@dataclass(frozen=True, slots=True)
class HandOff:
    """Mark the conversation human and notify; the bot stays paused."""

    node_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class StartFlow:
    """End this session and start flow `flow_id` with these variables."""

    node_id: str
    flow_id: str
    variables: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class EndSession:
    node_id: str | None
    reason: str


Action = (
    SendText
    | SendMedia
    | SendButtons
    | SendList
    | SendTemplate
    | SetContactField
    | AddLabel
    | StartDelay
    | StartTimeout
    | HttpRequest
    | HandOff
    | StartFlow
    | EndSession
)


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """What happened at one node (or to the session): shown in the activity / simulator."""

    node_id: str | None
    node_type: str | None
    event: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    output: str | None = None
    error: str | None = None


@dataclass(slots=True)
class Session:
    """A conversation's position in a flow, persisted by the runtime as JSON."""

    flow_id: str
    flow_revision: int
    started_at: datetime
    updated_at: datetime
    current_node: str | None = None
    status: SessionStatus = "running"
    waiting_for: WaitKind | None = None
    expected_choices: tuple[str, ...] = ()  # encoded ids of the buttons/rows on screen
    context_wamid: str | None = None  # wamid of the message that carried them
    variables: dict[str, Any] = field(default_factory=dict)
    retry_count: int = 0
    expires_at: datetime | None = None
    wake_at: datetime | None = None  # when a delay / question timeout should resume
    step_count: int = 0  # nodes run since the session last waited for the customer or time
    total_steps: int = 0

    @property
    def active(self) -> bool:
        return self.status in ("running", "waiting")

    def copy(self) -> Session:
        """An independent copy (the variables are copied deeply, as JSON values)."""
        return dataclasses.replace(self, variables=copy_json(self.variables))

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow_id": self.flow_id,
            "flow_revision": self.flow_revision,
            "started_at": self.started_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "current_node": self.current_node,
            "status": self.status,
            "waiting_for": self.waiting_for,
            "expected_choices": list(self.expected_choices),
            "context_wamid": self.context_wamid,
            "variables": copy_json(self.variables),
            "retry_count": self.retry_count,
            "expires_at": _iso(self.expires_at),
            "wake_at": _iso(self.wake_at),
            "step_count": self.step_count,
            "total_steps": self.total_steps,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Session:
        try:
            status = data.get("status", "running")
            waiting = data.get("waiting_for")
            if status not in SESSION_STATUSES or (
                waiting is not None and waiting not in WAIT_KINDS
            ):
                raise SessionFormatError(f"bad session status {status!r} / {waiting!r}")
            variables = data.get("variables", {})
            if not isinstance(variables, dict):
                raise SessionFormatError("session variables must be an object")
            return cls(
                flow_id=str(data["flow_id"]),
                flow_revision=int(data.get("flow_revision", 0)),
                started_at=datetime.fromisoformat(data["started_at"]),
                updated_at=datetime.fromisoformat(data["updated_at"]),
                current_node=data.get("current_node"),
                status=status,
                waiting_for=waiting,
                expected_choices=tuple(str(c) for c in data.get("expected_choices", ())),
                context_wamid=data.get("context_wamid"),
                variables=copy_json(variables),
                retry_count=int(data.get("retry_count", 0)),
                expires_at=_from_iso(data.get("expires_at")),
                wake_at=_from_iso(data.get("wake_at")),
                step_count=int(data.get("step_count", 0)),
                total_steps=int(data.get("total_steps", 0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, SessionFormatError):
                raise
            raise SessionFormatError(f"unreadable session: {exc}") from None


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON-like value (dicts, lists, scalars; anything else is deep-copied)
    — several times faster than `copy.deepcopy` on session variables."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return copy.deepcopy(value)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class StepResult:
    actions: tuple[Action, ...]
    session: Session
    trace: tuple[TraceEntry, ...]
