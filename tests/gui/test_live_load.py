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
from wadesk.ui.main_window import format_time


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


def test_status_bar_skips_batches_that_change_nothing_it_shows(
    shell: WadeskApp, monkeypatch: Any
) -> None:
    status = shell.window.status
    start = datetime.now(UTC).replace(microsecond=0)
    status.on_raw_events(
        [RawEventRecorded(1, start, SignatureVerdict.VALID, ProcessingResult.PENDING)]
    )
    renders: list[int] = []
    original = status.render
    monkeypatch.setattr(status, "render", lambda: (renders.append(1), original())[1])
    same_second = start + timedelta(milliseconds=400)
    status.on_raw_events(
        [RawEventRecorded(2, same_second, SignatureVerdict.VALID, ProcessingResult.PENDING)]
    )
    assert renders == []  # the bar shows seconds: nothing changed
    status.on_raw_events(
        [RawEventRecorded(3, same_second, SignatureVerdict.INVALID, ProcessingResult.REJECTED)]
    )
    assert renders == [1] and "1" in status.errors_label.text()
    later = start + timedelta(seconds=2)
    status.on_raw_events(
        [RawEventRecorded(4, later, SignatureVerdict.VALID, ProcessingResult.PENDING)]
    )
    assert renders == [1, 1] and format_time(later) in status.plain_text()
