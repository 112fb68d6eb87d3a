"""GcCollector: young collections on each tick, a full one every `full_every` ticks, put off
while the app is busy (a webhook burst) but never forever; frozen start-up objects."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from wadesk.ui.app import GcCollector


@pytest.mark.usefixtures("qapp")
def test_young_collections_each_tick_full_ones_rarely_and_not_while_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    was_enabled = gc.isenabled()
    busy = [False]
    collector = GcCollector(interval_ms=60_000, full_every=3, busy=lambda: busy[0])
    generations: list[int] = []
    real = gc.collect

    def spy(generation: int = 2) -> Any:
        generations.append(generation)
        return real(generation)

    try:
        monkeypatch.setattr(gc, "collect", spy)
        collector.collect()  # the first: full, then frozen
        assert generations == [2] and gc.get_freeze_count() > 1000
        generations.clear()
        for _ in range(3):
            collector.collect()
        assert generations == [1, 1, 2]  # young, young, full on the third tick
        generations.clear()
        busy[0] = True  # a burst: the full collection waits…
        for _ in range(6):
            collector.collect()
        assert generations == [1] * 6
        busy[0] = False  # …until the burst is over
        collector.collect()
        assert generations[-1] == 2
        generations.clear()
        busy[0] = True  # but not forever: forced after 10 * full_every ticks
        for _ in range(30):
            collector.collect()
        assert generations.count(2) == 1 and generations[-1] == 2
        assert collector.full_collections == 4
    finally:
        monkeypatch.undo()
        collector.stop()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled() == was_enabled
