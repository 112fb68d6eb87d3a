"""Fixtures for GUI tests: an isolated QSettings file, a stand-in engine, and a built shell.

`FakeEngine` has the parts of `wadesk.engine.service.Engine` that the shell uses (subscribe,
start/stop, health, server.url, secrets.status, blocking, redactor, settings); tests that need
the real engine build it on a tmp data dir with port 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from wadesk.core.enums import Direction, MessageStatus, MessageType
from wadesk.core.events import EngineEvent, MessageAdded
from wadesk.core.models import Contact, Conversation, Message
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.ui.app import WadeskApp, configure_application


@dataclass
class _Status:
    ok: bool = True
    backend: str = "memory"
    message: str = ""


class _Secrets:
    def __init__(self, status: _Status) -> None:
        self._status = status

    def status(self) -> _Status:
        return self._status


class _Server:
    def __init__(self, url: str) -> None:
        self.url = url


@dataclass
class FakeEngine:
    """Just enough of the Engine facade for the shell; records what the shell did."""

    data_dir: Path
    start_error: BaseException | None = None
    keyring_ok: bool = True
    started: bool = False
    stopped: bool = False
    health_calls: int = 0
    last_event_at: str | None = None
    subscribers: list[Callable[[EngineEvent], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.settings = Settings(paths=Paths(self.data_dir, self.data_dir / "logs"), port=0)
        self.redactor = SecretRedactor()
        self.secrets = _Secrets(_Status(ok=self.keyring_ok, message="Install a keyring."))
        self.server: _Server | None = None

    async def blocking(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args)

    def subscribe(self, callback: Callable[[EngineEvent], None]) -> Callable[[], None]:
        self.subscribers.append(callback)
        return lambda: self.subscribers.remove(callback)

    def publish(self, event: EngineEvent) -> None:
        for callback in list(self.subscribers):
            callback(event)

    async def start(self, *, serve: bool = True) -> None:
        if self.start_error is not None:
            raise self.start_error
        self.started = True
        self.server = _Server("http://127.0.0.1:8765/api/v1/webhooks/whatsapp")

    async def stop(self) -> None:
        self.stopped = True
        self.server = None

    async def health(self) -> dict[str, Any]:
        self.health_calls += 1
        return {"status": "ok", "last_event_at": self.last_event_at, "numbers": 0, "counts": {}}


def message_added(
    conversation_id: int = 7,
    *,
    text: str | None = "Hello, is the salon open on Sunday?",
    name: str = "Maria",
    direction: Direction = Direction.INBOUND,
    message_id: int = 1,
) -> MessageAdded:
    now = datetime.now(UTC)
    contact = Contact(id=3, wa_id="34600111222", profile_name=name)
    conversation = Conversation(
        id=conversation_id, number_id=1, contact_id=3, last_message_preview=text
    )
    message = Message(
        id=message_id,
        conversation_id=conversation_id,
        wamid=f"wamid.{message_id}",
        direction=direction,
        type=MessageType.TEXT,
        status=MessageStatus.RECEIVED,
        timestamp=now,
        text=text,
    )
    return MessageAdded(message=message, conversation=conversation, contact=contact)


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "wadesk-ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def app() -> QApplication:
    instance = QApplication.instance() or QApplication([])
    assert isinstance(instance, QApplication)
    configure_application(instance)
    return instance


@pytest.fixture
def fake_engine(tmp_path: Path) -> FakeEngine:
    return FakeEngine(tmp_path / "data")


@pytest.fixture
def shell(
    app: QApplication, qsettings: QSettings, fake_engine: FakeEngine, qtbot: Any
) -> Iterator[WadeskApp]:
    """The whole shell built around a fake engine, window shown, no event loop running."""
    root = WadeskApp(app, lambda: fake_engine, settings=qsettings, tray_available=False)
    data_dir = root._create_engine()
    root._add_pages(data_dir)
    qtbot.addWidget(root.window)
    root.window.show()
    yield root
    teardown_shell(root)


def teardown_shell(root: WadeskApp) -> None:
    """Put the process-wide Qt state (translators, style) back to English/light."""
    root.bridge.close()
    root.translator.set_language("en")
    root.theme.apply("light")
    root.window.close_for_quit()
    root.window.deleteLater()
    root.tray.close()
    root.deleteLater()
