"""EngineBridge: bursts of engine events become a handful of coalesced Qt emissions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QThread

from tests.gui.conftest import FakeEngine, message_added
from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.events import (
    BotHandedOff,
    BotTraced,
    ConversationUpdated,
    MessageAdded,
    MessageUpdated,
    RawEventProcessed,
    RawEventRecorded,
)
from wadesk.ui.bridge import EngineBridge


class Collector:
    def __init__(self, bridge: EngineBridge) -> None:
        self.batches: list[list[Any]] = []
        self.added: list[list[MessageAdded]] = []
        self.updated: list[list[MessageUpdated]] = []
        self.conversations: list[list[ConversationUpdated]] = []
        self.raw: list[list[Any]] = []
        self.threads: list[QThread] = []
        bridge.events_batch.connect(self._on_batch)
        bridge.message_added.connect(self.added.append)
        bridge.message_updated.connect(self.updated.append)
        bridge.conversation_updated.connect(self.conversations.append)
        bridge.raw_event.connect(self.raw.append)

    def _on_batch(self, batch: list[Any]) -> None:
        self.batches.append(batch)
        self.threads.append(QThread.currentThread())


def test_a_burst_of_1000_events_is_a_handful_of_emissions(
    fake_engine: FakeEngine, qtbot: Any
) -> None:
    bridge = EngineBridge(fake_engine.subscribe, interval_ms=20)
    seen = Collector(bridge)
    events = [message_added(i % 7, message_id=i) for i in range(1000)]
    for event in events:
        fake_engine.publish(event)
    assert seen.batches == []  # nothing is emitted synchronously
    qtbot.waitUntil(lambda: sum(len(b) for b in seen.batches) == 1000, timeout=2000)
    assert len(seen.batches) <= 3
    assert bridge.batches_emitted == len(seen.batches)
    delivered = [e for batch in seen.added for e in batch]
    assert delivered == events  # everything, in order
    assert len(seen.added) == len(seen.batches)
    assert seen.updated == [] and seen.raw == []
    bridge.close()


def test_events_are_sorted_into_typed_signals(fake_engine: FakeEngine, qtbot: Any) -> None:
    bridge = EngineBridge(fake_engine.subscribe, interval_ms=5)
    seen = Collector(bridge)
    added = message_added()
    updated = MessageUpdated(added.message)
    conversation = ConversationUpdated(added.conversation)
    recorded = RawEventRecorded(
        1, datetime.now(UTC), SignatureVerdict.VALID, ProcessingResult.PENDING
    )
    processed = RawEventProcessed(1, ProcessingResult.APPLIED)
    for event in (recorded, added, updated, conversation, processed):
        fake_engine.publish(event)
    with qtbot.waitSignal(bridge.events_batch, timeout=1000):
        pass
    assert seen.batches == [[recorded, added, updated, conversation, processed]]
    assert seen.added == [[added]]
    assert seen.updated == [[updated]]
    assert seen.conversations == [[conversation]]
    assert seen.raw == [[recorded, processed]]
    bridge.close()


def test_bot_events_have_their_own_signals(fake_engine: FakeEngine, qtbot: Any) -> None:
    bridge = EngineBridge(fake_engine.subscribe, interval_ms=5)
    traced_seen: list[list[BotTraced]] = []
    handed_seen: list[list[BotHandedOff]] = []
    bridge.bot_traced.connect(traced_seen.append)
    bridge.bot_handed_off.connect(handed_seen.append)
    traced = BotTraced(3, 1, ())
    handed = BotHandedOff(3, 1, "customer asked for a person")
    fake_engine.publish(traced)
    fake_engine.publish(message_added())
    fake_engine.publish(handed)
    with qtbot.waitSignal(bridge.events_batch, timeout=1000):
        pass
    assert traced_seen == [[traced]]
    assert handed_seen == [[handed]]
    bridge.close()


def test_events_from_a_worker_thread_arrive_on_the_gui_thread(
    fake_engine: FakeEngine, qtbot: Any
) -> None:
    bridge = EngineBridge(fake_engine.subscribe, interval_ms=5)
    seen = Collector(bridge)
    worker = threading.Thread(
        target=lambda: [fake_engine.publish(message_added(message_id=i)) for i in range(50)]
    )
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: sum(len(b) for b in seen.batches) == 50, timeout=2000)
    assert all(t == bridge.thread() for t in seen.threads)
    bridge.close()


def test_close_flushes_and_unsubscribes(fake_engine: FakeEngine) -> None:
    bridge = EngineBridge(fake_engine.subscribe, interval_ms=10_000)
    seen = Collector(bridge)
    assert len(fake_engine.subscribers) == 1
    fake_engine.publish(message_added())
    assert bridge.pending() == 1
    bridge.close()
    assert fake_engine.subscribers == []
    assert len(seen.batches) == 1 and bridge.pending() == 0
    bridge.flush()  # nothing queued: no empty batch
    assert len(seen.batches) == 1


def test_set_interval_changes_how_long_a_batch_gathers(fake_engine: FakeEngine, qtbot: Any) -> None:
    bridge = EngineBridge(fake_engine.subscribe, interval_ms=10_000)
    seen = Collector(bridge)
    bridge.set_interval(5)  # e.g. `live_latency.py --bridge-interval 5`
    assert bridge.interval_ms == 5
    fake_engine.publish(message_added(1, message_id=1))
    qtbot.waitUntil(lambda: len(seen.batches) == 1, timeout=1000)  # not after 10 s
    bridge.close()


def test_a_lone_event_leaves_at_once_and_a_stream_in_batches_apart(
    fake_engine: FakeEngine, qtbot: Any
) -> None:
    bridge = EngineBridge(fake_engine.subscribe, interval_ms=2_000)
    seen = Collector(bridge)
    fake_engine.publish(message_added(1, message_id=1))
    # a quiet bridge delivers on the next turn of the loop, not 2 s later
    qtbot.waitUntil(lambda: len(seen.batches) == 1, timeout=500)
    fake_engine.publish(message_added(1, message_id=2))
    fake_engine.publish(message_added(1, message_id=3))
    qtbot.wait(200)
    assert len(seen.batches) == 1 and bridge.pending() == 2  # within 2 s of the last batch
    bridge.close()
    assert [len(b) for b in seen.batches] == [1, 2]
