"""EventLoop: the app's qasync loop with one queue of ready callbacks — order, cancellation,
errors, fairness (callbacks queued by a drain wait for the next one), other threads, close.
Every `qasync`-marked test of the suite runs on it too (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from wadesk.ui.event_loop import EventLoop


@pytest.mark.qasync
async def test_ready_callbacks_run_in_order_and_cancelled_ones_not_at_all() -> None:
    loop = asyncio.get_running_loop()
    assert isinstance(loop, EventLoop)
    ran: list[int] = []
    handles = [loop.call_soon(ran.append, n) for n in range(5)]
    handles[2].cancel()
    done = loop.create_future()
    loop.call_soon(done.set_result, None)
    await done
    assert ran == [0, 1, 3, 4]


@pytest.mark.qasync
async def test_callbacks_queued_by_a_drain_wait_for_the_next_one() -> None:
    loop = asyncio.get_running_loop()
    assert isinstance(loop, EventLoop)
    seen: list[tuple[str, int]] = []

    def first() -> None:
        seen.append(("first", loop.drains))
        loop.call_soon(second)

    def second() -> None:
        seen.append(("second", loop.drains))
        done.set_result(None)

    done = loop.create_future()
    loop.call_soon(first)
    await done
    assert [name for name, _ in seen] == ["first", "second"]
    assert seen[1][1] > seen[0][1]  # a later turn of the Qt loop, not the same drain


@pytest.mark.qasync
async def test_an_error_goes_to_the_exception_handler_and_the_rest_still_runs() -> None:
    loop = asyncio.get_running_loop()
    errors: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    try:
        ran: list[str] = []

        def broken() -> None:
            raise ValueError("boom")

        done = loop.create_future()
        loop.call_soon(broken)
        loop.call_soon(ran.append, "after")
        loop.call_soon(done.set_result, None)
        await done
        assert ran == ["after"]
        assert len(errors) == 1 and isinstance(errors[0]["exception"], ValueError)
    finally:
        loop.set_exception_handler(previous)


@pytest.mark.qasync
async def test_other_threads_hand_callbacks_over_safely() -> None:
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    where: list[bool] = []

    def on_loop(value: int) -> None:
        where.append(threading.current_thread() is threading.main_thread())
        done.set_result(value)

    worker = threading.Thread(target=lambda: loop.call_soon_threadsafe(on_loop, 42))
    worker.start()
    assert await asyncio.wait_for(done, 5) == 42
    worker.join()
    assert where == [True]


def test_coroutines_are_refused_and_a_closed_loop_takes_nothing(qapp: QApplication) -> None:
    loop = EventLoop(qapp)

    async def coroutine() -> None:
        return None

    with pytest.raises(TypeError):
        loop.call_soon(coroutine)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        loop.call_soon(42)  # type: ignore[arg-type]
    ran: list[int] = []
    loop.run_until_complete(asyncio.sleep(0))
    loop.call_soon(ran.append, 1)
    loop.run_until_complete(asyncio.sleep(0.01))
    assert ran == [1]
    loop.close()
    with pytest.raises(RuntimeError):
        loop.call_soon(ran.append, 2)


def test_the_app_shortens_the_gil_switch_interval(qapp: QApplication) -> None:
    import sys

    from wadesk.ui.app import GUI_SWITCH_INTERVAL, configure_application

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        configure_application(qapp)
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL)
        assert GUI_SWITCH_INTERVAL < 0.005  # shorter than Python's default
    finally:
        sys.setswitchinterval(before)
