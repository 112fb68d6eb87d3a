"""`wadesk --self-test`: a smoke test of the installed (or source) app, end to end.

`run_self_test()` starts the real desktop app (`WadeskApp`) with the real Engine on a temporary
data dir, connected to the built-in Cloud API sandbox (`DemoEngine`), with the main window shown
offscreen (`QT_QPA_PLATFORM=offscreen` unless set). Then:

1. a sandbox customer sends a text; it travels as a signed webhook to the engine's server and
   must reach the store and the inbox list model;
2. the app replies through the outbox; the sandbox must accept the message and the store must
   mark it sent;
3. the app quits the normal way (the main coroutine returns) and the engine stops.

It prints one line per step and exits 0, or prints the step that failed and why and exits 1.
Nothing touches the user's data dir, keyring or settings. Works frozen (PyInstaller) and from
source.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

STEP_LIMIT_S = 30.0
WA_ID = "15550101001"
PING = "self-test ping"
PONG = "self-test pong"


class SelfTestFailed(Exception):
    """A step did not succeed; the message says what was expected."""


def _say(text: str) -> None:
    print(f"self-test: {text}", flush=True)


async def _until(what: str, predicate: Callable[[], Any], limit: float = STEP_LIMIT_S) -> Any:
    """Poll an (a)sync predicate until it is truthy; SelfTestFailed(`what`) after `limit`."""
    deadline = time.monotonic() + limit
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise SelfTestFailed(f"timed out after {limit:.0f} s waiting for {what}")
        await asyncio.sleep(0.05)


def _messages(engine: Any) -> Awaitable[list[Any]]:
    from wadesk.engine.store import repo

    def query(conn: Any) -> list[Any]:
        found: list[Any] = []
        for conversation in repo.list_conversations(conn):
            found.extend(repo.list_messages(conn, conversation.id))
        return found

    result: Awaitable[list[Any]] = engine.store.read(query)
    return result


async def _scenario(root: Any, engine: Any, task: asyncio.Future[int]) -> None:
    from wadesk.core import outgoing
    from wadesk.core.enums import Direction, MessageStatus

    await _until("the engine to start", lambda: root.engine_started or task.done(), 60.0)
    if not root.engine_started:
        banner = root.window.banner.label.text() if hasattr(root.window, "banner") else ""
        raise SelfTestFailed(f"the engine did not start: {banner or 'no reason shown'}")
    assert engine.server is not None
    _say(f"engine started, webhooks at {engine.server.url}, sandbox at {engine.sandbox_url}")
    if not root.window.isVisible():
        raise SelfTestFailed("the main window is not shown")
    _say(f"main window shown ({root.app.platformName()})")

    from wadesk.core.validation import normalize_phone

    if normalize_phone("+7 916 123-45-67") != "+79161234567":
        raise SelfTestFailed("phone numbers are not normalised (phonenumbers' data missing?)")

    await engine.sandbox.customer(WA_ID).say(PING)

    async def inbound() -> Any:
        return next(
            (
                m
                for m in await _messages(engine)
                if m.text == PING and m.direction is Direction.INBOUND
            ),
            None,
        )

    message = await _until("the customer's message in the store", inbound)
    inbox = root.window.page("inbox")
    model = getattr(inbox, "model", None)
    if model is not None:
        await _until("the conversation in the inbox list", lambda: model.rowCount() >= 1)
    _say("customer message received through the signed webhook (store and inbox list)")

    await engine.send(message.conversation_id, body=outgoing.text(WA_ID, PONG))

    def accepted() -> bool:
        return any(
            s.to == WA_ID and s.body.get("text", {}).get("body") == PONG
            for s in engine.sandbox.sent_messages
        )

    await _until("the sandbox to accept the reply", accepted)

    sent_states = {MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ}

    async def reply_sent() -> bool:
        return any(
            m.text == PONG and m.direction is Direction.OUTBOUND and m.status in sent_states
            for m in await _messages(engine)
        )

    await _until("the reply to be marked sent in the store", reply_sent)
    _say("reply sent through the outbox and accepted by the sandbox")


async def _run(app: Any, data_dir: Path) -> None:
    from PySide6.QtCore import QSettings

    from wadesk.engine.config import Paths
    from wadesk.engine.demo import DEMO_PHONE_NUMBER_ID, DEMO_WABA_ID, DemoEngine
    from wadesk.engine.sandbox import demo_config
    from wadesk.ui.app import WadeskApp

    config = demo_config(
        phone_number_id=DEMO_PHONE_NUMBER_ID,
        waba_id=DEMO_WABA_ID,
        status_delays=(0.0, 0.0, 0.0),
    )
    paths = Paths(data_dir / "data", data_dir / "data" / "logs")
    engine = DemoEngine(paths, port=0, sandbox_port=0, config=config, greet=False)
    settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    root = WadeskApp(app, lambda: engine, settings=settings, tray_available=False)
    task: asyncio.Future[int] = asyncio.ensure_future(root.run())
    try:
        await _scenario(root, engine, task)
    finally:
        if not task.done():
            root.request_quit()
        try:
            code = await asyncio.wait_for(task, STEP_LIMIT_S)
        except TimeoutError:
            raise SelfTestFailed("the app did not quit within 30 s") from None
        root.window.deleteLater()
    if code != 0 or not root.stopped.is_set():
        raise SelfTestFailed(f"the app quit with code {code}")
    if (paths.data_dir / "sandbox-session.json").exists():
        raise SelfTestFailed("the engine did not stop cleanly (sandbox session left behind)")
    _say("app closed cleanly")


def _no_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_self_test() -> int:
    """Run the self-test (see the module docstring); returns the process exit code."""
    if _no_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    frozen = bool(getattr(sys, "frozen", False))
    from wadesk import __version__

    _say(
        f"wadesk {__version__} ({'frozen' if frozen else 'from source'}, Python {sys.version[:6]})"
    )
    try:
        code = _run_qt()
    except SelfTestFailed as exc:
        _say(f"FAILED: {exc}")
        return 1
    except Exception as exc:
        _say(f"FAILED: {type(exc).__name__}: {exc}")
        return 1
    if code == 0:
        _say(f"OK in {time.monotonic() - started:.1f} s")
    return code


def _run_qt() -> int:
    from PySide6.QtWidgets import QApplication

    from wadesk.ui.app import GcCollector, configure_application
    from wadesk.ui.event_loop import EventLoop

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["wadesk"])
    configure_application(app)
    collector = GcCollector()
    try:
        with tempfile.TemporaryDirectory(prefix="wadesk-selftest-") as tmp:
            with asyncio.Runner(loop_factory=EventLoop) as runner:
                runner.run(_run(app, Path(tmp)))
    finally:
        collector.stop()
    return 0
