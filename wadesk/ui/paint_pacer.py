"""`PaintPacer`: under a stream of live updates, repaint a few widgets at a steady frame rate.

Every bridge batch changes rows of the inbox's lists, and Qt repaints what changed on the next
turn of the event loop: at 1,000 webhooks/s that is a repaint of both lists ~30 times a second,
Python delegate code holding the GIL the store's writer thread needs (bench/live_latency.py:
painting was ~20 % of the GUI thread). The pacer lets a batch repaint at once when the last
frame is at least `interval_ms` old (a lone message shows immediately); otherwise it switches
the widgets' updates off (the models still change at once, only the pixels wait) and back on
when the frame is due, which repaints them in one go. So a flood paints ~1000/`interval_ms`
frames a second, and a quiet inbox paints as before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

DEFAULT_FRAME_MS = 66
"""~15 frames a second while live updates stream in."""


class PaintPacer(QObject):
    """Holds the repaints of `widgets` to one frame per `interval_ms` while batches stream in.

    Attributes:
        interval_ms: the shortest time between two frames under load.
        held: how many batches were held back to the next frame (tests, diagnostics).
        frames: how many held frames were released.
    """

    def __init__(
        self,
        widgets: Sequence[QWidget],
        *,
        interval_ms: int = DEFAULT_FRAME_MS,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.held = 0
        self.frames = 0
        self._widgets = list(widgets)
        self._clock = clock
        self._last_frame = -1e9
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.release)

    def is_holding(self) -> bool:
        return self._timer.isActive()

    def on_batch(self, _events: Any = None) -> None:
        """A bridge batch is about to change the widgets (connect to `events_batch`, which the
        bridge emits before the per-kind signals)."""
        if self._timer.isActive():
            self.held += 1
            return  # already holding: this batch shows with the frame that is due
        now = self._clock()
        wait_ms = self.interval_ms - (now - self._last_frame) * 1000.0
        if wait_ms <= 0:
            self._last_frame = now  # the last frame is old enough: paint this batch now
            return
        self.held += 1
        for widget in self._widgets:
            widget.setUpdatesEnabled(False)
        self._timer.start(max(1, int(wait_ms)))

    def release(self) -> None:
        """Show what was held (each widget repaints once); also on shutdown."""
        self._timer.stop()
        held = False
        for widget in self._widgets:
            if not widget.updatesEnabled():
                widget.setUpdatesEnabled(True)  # schedules one repaint of the whole widget
                held = True
        if held:
            self.frames += 1
            self._last_frame = self._clock()
