"""Plain dataclasses of the bot side of the engine (flows, revisions, bots, sessions, stats)
and its error type. The UI's flow list and Bots page read these; they carry no rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wadesk.flow import Problem, Session

DEFAULT_STALE_AFTER = 600.0  # seconds: older inbound messages don't start or advance a bot
DEFAULT_BUBBLE_DELAY = 1.0  # seconds between consecutive bot messages to one customer


class BotError(Exception):
    """A bot command was refused; str() says why, `problems` lists validation problems."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems: tuple[Problem, ...] = tuple(problems)


@dataclass(frozen=True, slots=True)
class FlowInfo:
    """A flow in the flow list: its draft is edited, its revisions are what bots run."""

    id: int
    name: str
    created_at: datetime
    updated_at: datetime
    latest_revision: int | None = None  # revision number of the last publish
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FlowRevision:
    id: int
    flow_id: int
    revision: int
    published_at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class BotSettings:
    """Per-bot runtime settings (stored as the bot's settings_json)."""

    stale_after: float = DEFAULT_STALE_AFTER
    process_stale: bool = False
    bubble_delay: float | None = None  # None: the runtime's default

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BotSettings:
        def num(key: str, default: float | None) -> float | None:
            value = data.get(key, default)
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            return float(value) if ok else default

        stale = num("stale_after", DEFAULT_STALE_AFTER)
        return cls(
            stale_after=stale if stale is not None else DEFAULT_STALE_AFTER,
            process_stale=bool(data.get("process_stale", False)),
            bubble_delay=num("bubble_delay", None),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"stale_after": self.stale_after, "process_stale": self.process_stale}
        if self.bubble_delay is not None:
            out["bubble_delay"] = self.bubble_delay
        return out


@dataclass(frozen=True, slots=True)
class Bot:
    """A bot: a flow attached to a number. It runs `published_revision_id` when active."""

    id: int
    name: str
    flow_id: int
    number_id: int
    active: bool
    priority: int
    published_revision_id: int | None
    revision: int | None  # the revision number of published_revision_id
    settings: BotSettings = field(default_factory=BotSettings)
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class BotStats:
    running: int = 0  # sessions active now (running or waiting)
    completed: int = 0  # sessions that reached an end
    handed_off: int = 0  # sessions handed to a person
    errors_today: int = 0  # traced errors since local midnight


@dataclass(slots=True)
class SessionRecord:
    """The stored session of one conversation (`bot_session` row)."""

    conversation_id: int
    bot_id: int
    revision_id: int
    session: Session
    status: str  # the flow session's status, or "paused" when the owner took over
    started_at: datetime
    updated_at: datetime
    id: int | None = None

    @property
    def active(self) -> bool:
        return self.status in ("running", "waiting")
