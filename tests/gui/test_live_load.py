"""GUI-thread work under a webhook flood (issue 5, live latency): the status bar renders once
per bridge batch, not once per event, and the GC collector freezes the start-up objects so a
later collection on the GUI thread does not walk them."""

from __future__ import annotations

import gc
from datetime import UTC, datetime, timedelta
from typing import Any

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.events import RawEventRecorded
from wadesk.ui.app import GcCollector, WadeskApp


def test_status_bar_renders_once_per_batch(shell: WadeskApp, monkeypatch: Any) -> None:
    status = shell.window.status
    renders: list[int] = []
    original = status.render
    monkeypatch.setattr(status, "render", lambda: (renders.append(1), original())[1])
    start = datetime.now(UTC)
    batch = [
        RawEventRecorded(
            i, start + timedelta(seconds=i), SignatureVerdict.VALID, ProcessingResult.PENDING
        )
        for i in range(200)
    ]
    status.on_raw_events(batch)
    assert len(renders) == 1
    assert status.last_webhook == start + timedelta(seconds=199)
    assert "none yet" not in status.plain_text()


def test_gc_collector_freezes_start_up_objects_once() -> None:
    was_enabled = gc.isenabled()
    collector = GcCollector(interval_ms=60_000)
    try:
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
        collector.collect()
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # modules, Qt wrappers, ... now skipped by later collections
        later = [[i] for i in range(100)]
        collector.collect()
        assert gc.get_freeze_count() == frozen  # only once
        del later
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled() == was_enabled
