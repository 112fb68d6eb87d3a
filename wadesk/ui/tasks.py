"""`Tasks`: coroutines started from Qt slots, kept referenced and cancelled with their owner.

Slots cannot await; they `spawn()` a coroutine on the running (qasync) loop instead. Without a
running loop (a widget used outside the app, e.g. in a plain unit test) nothing is started.
A failing task is logged, never raised into Qt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger("wadesk.ui")


class Tasks:
    """Coroutines spawned from Qt slots: referenced until done, cancellable, errors logged."""

    def __init__(self, owner: str = "UI") -> None:
        self._owner = owner
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any] | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            return None
        task = loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s task failed: %r", self._owner, task.exception())

    def pending(self) -> int:
        return len(self._tasks)

    async def wait(self) -> None:
        """Wait until every task started so far has finished (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def cancel_all(self) -> None:
        """Cancel every task except the one calling (a task may close its own window)."""
        try:
            current = asyncio.current_task()
        except RuntimeError:
            current = None
        for task in list(self._tasks):
            if task is not current:
                task.cancel()
