"""The one path from engine events to Qt: `EngineBridge` collects and coalesces them.

The Engine calls its subscribers for every event; a burst of 1,000 webhooks would mean 1,000
model updates and repaints. The bridge only queues each event and arms a single-shot timer; it
fires `interval_ms` after the end of the last batch — at once (next turn of the loop) when that
was longer ago, so a lone message is not held back, while a stream still leaves in batches
`interval_ms` apart. When it fires, everything queued so far leaves in one `events_batch`
emission plus one emission per event kind (`message_added`, `message_updated`,
`conversation_updated`, `raw_event`, `field_event`, `bot_traced`, `bot_handed_off`), each
carrying a list in arrival order. Events may arrive from any thread: the queue is locked and
the timer is armed on the bridge's (GUI) thread through a queued signal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal

from wadesk.core.events import (
    BotHandedOff,
    BotTraced,
    ConversationUpdated,
    EngineEvent,
    FieldEventReceived,
    MessageAdded,
    MessageUpdated,
    RawEventProcessed,
    RawEventRecorded,
)

Subscribe = Callable[[Callable[[EngineEvent], None]], Callable[[], None]]

DEFAULT_INTERVAL_MS = 30


class EngineBridge(QObject):
    """Delivers engine events to Qt in coalesced batches.

    Attributes:
        interval_ms: the shortest time between the end of one batch and the next one.
        batches_emitted: how many batches went out (for tests and diagnostics).

    Signals:
        events_batch(list): every event of the batch, in order.
        message_added(list): the `MessageAdded` events of the batch.
        message_updated(list): the `MessageUpdated` events.
        conversation_updated(list): the `ConversationUpdated` events.
        raw_event(list): `RawEventRecorded` and `RawEventProcessed` events.
        field_event(list): `FieldEventReceived` events.
        bot_traced(list): `BotTraced` events (bot steps, for Activity and the simulator).
        bot_handed_off(list): `BotHandedOff` events (a bot passed a conversation to a person).
    """

    events_batch = Signal(list)
    message_added = Signal(list)
    message_updated = Signal(list)
    conversation_updated = Signal(list)
    raw_event = Signal(list)
    field_event = Signal(list)
    bot_traced = Signal(list)
    bot_handed_off = Signal(list)
    _wake = Signal()

    def __init__(
        self,
        subscribe: Subscribe | None = None,
        *,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.batches_emitted = 0
        self._lock = threading.Lock()
        self._pending: list[EngineEvent] = []
        self._armed = False
        self._last_end = -1e9
        """`time.monotonic()` when the last batch was delivered."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.flush)
        self._wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = None
        if subscribe is not None:
            self.attach(subscribe)

    def set_interval(self, interval_ms: int) -> None:
        """Collect events for `interval_ms` after the first one of a batch (from the next one)."""
        self.interval_ms = interval_ms
        self._timer.setInterval(interval_ms)

    def attach(self, subscribe: Subscribe) -> None:
        """Subscribe to an engine (`engine.subscribe`); replaces an earlier subscription."""
        self.detach()
        self._unsubscribe = subscribe(self.post)

    def detach(self) -> None:
        """Stop receiving events; what is queued is still delivered by `flush()`."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def close(self) -> None:
        """Detach and drop the timer; queued events are delivered now."""
        self.detach()
        self._timer.stop()
        self.flush()

    def post(self, event: EngineEvent) -> None:
        """Queue one event (the engine's subscriber callback; any thread)."""
        with self._lock:
            self._pending.append(event)
            if self._armed:
                return
            self._armed = True
        if QThread.currentThread() == self.thread():
            self._on_wake()
        else:
            self._wake.emit()

    def _on_wake(self) -> None:
        if not self._timer.isActive():
            since_ms = (time.monotonic() - self._last_end) * 1000.0
            self._timer.start(int(min(self.interval_ms, max(0.0, self.interval_ms - since_ms))))

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> None:
        """Emit everything queued so far as one batch (no-op when nothing is queued)."""
        with self._lock:
            batch, self._pending = self._pending, []
            self._armed = False
        if not batch:
            return
        self.batches_emitted += 1
        added: list[MessageAdded] = []
        updated: list[MessageUpdated] = []
        conversations: list[ConversationUpdated] = []
        raw: list[RawEventRecorded | RawEventProcessed] = []
        fields: list[FieldEventReceived] = []
        traced: list[BotTraced] = []
        handed_off: list[BotHandedOff] = []
        for event in batch:
            if isinstance(event, MessageAdded):
                added.append(event)
            elif isinstance(event, MessageUpdated):
                updated.append(event)
            elif isinstance(event, ConversationUpdated):
                conversations.append(event)
            elif isinstance(event, RawEventRecorded | RawEventProcessed):
                raw.append(event)
            elif isinstance(event, FieldEventReceived):
                fields.append(event)
            elif isinstance(event, BotTraced):
                traced.append(event)
            elif isinstance(event, BotHandedOff):
                handed_off.append(event)
        self.events_batch.emit(batch)
        for signal, items in (
            (self.message_added, added),
            (self.message_updated, updated),
            (self.conversation_updated, conversations),
            (self.raw_event, raw),
            (self.field_event, fields),
            (self.bot_traced, traced),
            (self.bot_handed_off, handed_off),
        ):
            if items:
                signal.emit(items)
        self._last_end = time.monotonic()
