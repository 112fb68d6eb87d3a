"""`EventLoop`: the qasync loop the desktop app runs on, with a cheaper `call_soon`.

qasync runs every `call_soon` callback through a Qt timer of its own (`startTimer`, a timer
event, `killTimer`: ~10 µs of GUI-thread time each, with the GIL held). Under a stream of
webhooks that is several callbacks per request (the socket read, the acknowledgement, the
answer): ~4,000 a second at 1,000 webhooks/s, GUI-thread time that the store's writer thread
then waits for. Here ready callbacks wait in a queue that one zero-timer drains, like asyncio's
own ready queue: a drain runs, in order, the callbacks queued before it started; those queued
while it runs wait for the next turn of the Qt loop, so paint and input events still get theirs.
Timers (`call_later`/`call_at`) and I/O stay qasync's.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from contextvars import Context
from typing import Any

import qasync
from PySide6.QtCore import QTimer


class EventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """A `qasync.QEventLoop` whose ready callbacks share one zero-timer (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ready_handles: deque[asyncio.Handle] = deque()
        self._drain_timer = QTimer()
        self._drain_timer.setSingleShot(True)
        self._drain_timer.setInterval(0)
        self._drain_timer.timeout.connect(self._drain)
        self.drains = 0
        """How many times the queue was drained (tests, diagnostics)."""

    def call_soon(
        self, callback: Callable[..., Any], *args: Any, context: Context | None = None
    ) -> asyncio.Handle:
        """Run `callback(*args)` on the next turn of the loop (in the order of the calls)."""
        self._check_closed()
        if asyncio.iscoroutinefunction(callback):
            raise TypeError("coroutines cannot be used with call_soon()")
        if not callable(callback):
            raise TypeError(f"a callable object was expected, got {callback!r}")
        handle = asyncio.Handle(callback, args, self, context=context)
        self._ready_handles.append(handle)
        if not self._drain_timer.isActive():
            self._drain_timer.start()
        return handle

    def _drain(self) -> None:
        self.drains += 1
        ready = self._ready_handles
        count = len(ready)  # not those queued meanwhile: they wait for the next turn
        try:
            while count > 0 and ready:  # (a nested event loop may have drained some)
                count -= 1
                handle = ready.popleft()
                if not handle.cancelled():
                    handle._run()  # errors go to the loop's exception handler, as in asyncio
        finally:
            if ready and not self._drain_timer.isActive():
                self._drain_timer.start()

    def close(self) -> None:
        super().close()
        self._drain_timer.stop()
        self._ready_handles.clear()
