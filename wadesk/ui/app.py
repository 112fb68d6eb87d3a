"""The GUI's composition root: QApplication, the qasync loop, the Engine and the windows.

`run_gui(make_engine, argv=...)` is what `wadesk` (no arguments) and `wadesk demo` call. It
creates the QApplication, turns Python's automatic cyclic GC off and collects from a GUI-thread
timer instead (a QObject collected on an executor thread crashes Qt; the pattern Anki uses),
and runs `WadeskApp.run()` on a qasync loop. That main coroutine builds everything and passes
it down (no singletons), starts the Engine on the loop, shows the window, waits until quitting
is requested (window closed without the tray, File → Quit, tray → Quit), then stops the engine
and returns: quitting never happens through `QApplication.quit()` with awaits still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import gc
import logging
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from wadesk.ui.activity.page import ActivityPage
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.event_loop import EventLoop
from wadesk.ui.flows.bots_page import BotsPage
from wadesk.ui.i18n import Translator
from wadesk.ui.inbox.page import InboxPage
from wadesk.ui.main_window import MainWindow
from wadesk.ui.numbers.page import NumbersPage
from wadesk.ui.pages.placeholder import PlaceholderPage
from wadesk.ui.pages.settings_page import Preferences, SettingsPage
from wadesk.ui.settings.links import connect_inbox
from wadesk.ui.templates.page import TemplatesPage
from wadesk.ui.theme import ThemeManager, app_icon
from wadesk.ui.tray import TrayController, contact_name

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.ui")

ORGANIZATION = "wadesk"
APPLICATION = "wadesk"
GC_INTERVAL_MS = 1_000
GC_FULL_EVERY = 60
"""Timer ticks between full collections (young ones run on every tick)."""
HEALTH_INTERVAL_S = 2.0
_ADDRESS_IN_USE = {errno.EADDRINUSE, 48, 10048}


class GcCollector(QObject):
    """Disables automatic cyclic GC and collects on the GUI thread from a timer.

    Each tick collects the young generations only (what was allocated since the last tick: a
    few ms); a full collection, whose walk of a big heap stalled the UI 60 ms and more under a
    webhook burst, runs every `full_every` ticks, put off while `busy()` says the app is under
    load (at most `10 * full_every` ticks). `stop()` restores the previous GC state (tests
    build several apps in one process).
    """

    def __init__(
        self,
        interval_ms: int = GC_INTERVAL_MS,
        parent: QObject | None = None,
        *,
        full_every: int = GC_FULL_EVERY,
        busy: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        self._frozen = False
        self.full_every = max(1, full_every)
        self.busy: Callable[[], bool] = busy or (lambda: False)
        self._ticks = 0
        self.full_collections = 0
        gc.collect()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        self._ticks += 1
        due = self._ticks >= self.full_every and not self.busy()
        if self._frozen and not due and self._ticks < 10 * self.full_every:
            gc.collect(1)
            return
        self._ticks = 0
        self.full_collections += 1
        gc.collect()
        if not self._frozen:
            # what survives the first collection after start-up (modules, Qt wrappers, the
            # engine, the pages) lives as long as the app: frozen, later collections on the GUI
            # thread no longer walk it (a full collection was a ~300 ms stall at scale)
            gc.freeze()
            self._frozen = True

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()


GUI_SWITCH_INTERVAL = 0.001
"""Seconds a thread waiting for the GIL lets the holder run before asking it to let go
(Python's default is 0.005). The GUI thread shares the GIL with the store's writer thread,
and waits for it on many of its calls into and back from Qt: at 1,000 webhooks/s those waits
made UI stalls of 40-70 ms with the default, ~27 ms with 1 ms (bench/live_latency.py)."""


def configure_application(app: QApplication) -> None:
    """Names for QSettings, the window icon, no quit on last window closed, and the GIL's
    switch interval for a process with a UI (`GUI_SWITCH_INTERVAL`)."""
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("wadesk")
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)


def describe_start_error(exc: BaseException, port: int | None) -> str:
    """A sentence a person can act on, in the current language, for an engine start failure."""
    from wadesk.engine.secrets import SecretsUnavailable

    if isinstance(exc, OSError) and exc.errno in _ADDRESS_IN_USE:
        return QCoreApplication.translate(
            "WadeskApp",
            "The webhook server could not start: port %1 is already used by another program "
            "(perhaps another wadesk). Close that program and restart wadesk.",
        ).replace("%1", str(port) if port is not None else "?")
    if isinstance(exc, SecretsUnavailable):
        return QCoreApplication.translate(
            "WadeskApp",
            "No secure credential store (system keyring) is available, so wadesk cannot keep "
            "access tokens. %1",
        ).replace("%1", str(exc))
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "WadeskApp", "wadesk could not open its files: %1"
        ).replace("%1", exc.strerror or str(exc))
    return QCoreApplication.translate("WadeskApp", "wadesk could not start: %1").replace(
        "%1", f"{type(exc).__name__}: {exc}"
    )


def nav_title(key: str) -> str:
    """The navigation label of a built-in page, in the current language."""
    titles = {
        "inbox": QCoreApplication.translate("Navigation", "Inbox"),
        "bots": QCoreApplication.translate("Navigation", "Bots"),
        "templates": QCoreApplication.translate("Navigation", "Templates"),
        "numbers": QCoreApplication.translate("Navigation", "Numbers"),
        "activity": QCoreApplication.translate("Navigation", "Activity"),
        "settings": QCoreApplication.translate("Navigation", "Settings"),
    }
    return titles.get(key, key)


class WadeskApp(QObject):
    """Builds and runs one GUI session around one Engine.

    Attributes:
        window, tray, bridge, translator, theme, prefs: built by `run()`.
        engine: the Engine (None when `make_engine` failed).
        engine_started: whether `engine.start()` succeeded.
        stopped: set when cleanup (including `engine.stop()`) has finished.
    """

    def __init__(
        self,
        app: QApplication,
        make_engine: Callable[[], Engine],
        *,
        settings: QSettings,
        demo: bool = False,
        tray_available: bool | None = None,
        health_interval: float = HEALTH_INTERVAL_S,
        bridge_interval_ms: int = 16,
    ) -> None:
        super().__init__()
        self.app = app
        self._make_engine = make_engine
        self._health_interval = health_interval
        self.demo = demo
        self.prefs = Preferences(settings)
        self.translator = Translator(app, self)
        self.translator.set_language(self.prefs.language)
        self.theme = ThemeManager(app, self)
        self.theme.apply(self.prefs.theme)
        self.bridge = EngineBridge(interval_ms=bridge_interval_ms, parent=self)
        self.tray = TrayController(app_icon(), available=tray_available, parent=self)
        self.window = MainWindow(self.prefs, self.theme, demo=demo)
        self.window.tray_available = self.tray.available
        self.engine: Engine | None = None
        self.engine_started = False
        self.stopped = asyncio.Event()
        self._quit = asyncio.Event()
        self._wire()

    def _wire(self) -> None:
        w, tray, bridge = self.window, self.tray, self.bridge
        w.quit_requested.connect(self.request_quit)
        tray.quit_requested.connect(self.request_quit)
        tray.show_requested.connect(w.bring_to_front)
        tray.open_conversation.connect(w.open_conversation)
        bridge.raw_event.connect(w.status.on_raw_events)
        bridge.message_added.connect(tray.on_messages_added)
        bridge.bot_handed_off.connect(tray.on_handed_off)
        self.translator.language_changed.connect(self._on_translator_language_changed)

    def _add_pages(self, data_dir: str | None) -> None:
        w, theme = self.window, self.theme

        def placeholder(key: str) -> PlaceholderPage:
            return PlaceholderPage(key, theme.icon(key, muted=True, size=64))

        for key, factory in self._page_factories().items():
            page = factory() if factory is not None else placeholder(key)
            w.add_page(key, page, partial(nav_title, key), key)
        settings = SettingsPage(
            self.prefs,
            self.translator,
            self.theme,
            tray_available=self.tray.available,
            data_dir=data_dir,
            engine=self.engine,
            release_engine=self.release_engine,
            request_quit=self.request_quit,
        )
        w.add_page("settings", settings, lambda: nav_title("settings"), "settings")
        connect_inbox(settings, w.page("inbox"))

    def _page_factories(self) -> dict[str, Callable[[], QWidget] | None]:
        """The feature pages, in navigation order; None shows a placeholder.

        Each factory may use `self.engine` (built, not yet started; may be None when it could
        not be created), `self.bridge`, `self.translator` and `self.window`.
        """
        return {
            "inbox": lambda: InboxPage(self.engine, self.bridge, self.translator),
            "bots": lambda: BotsPage(self.engine),
            "templates": lambda: TemplatesPage(
                self.engine, self.bridge, open_conversation=self.window.open_conversation
            ),
            "numbers": lambda: NumbersPage(
                self.engine,
                status=self.window.status,
                is_started=lambda: self.engine_started,
                bridge=self.bridge,
            ),
            "activity": lambda: ActivityPage(self.engine, self.bridge, self.theme),
        }

    def request_quit(self) -> None:
        """Ask the main coroutine to clean up and return."""
        self._quit.set()

    async def release_engine(self) -> None:
        """Stop the engine for good (a restore replaces its files); quitting follows."""
        engine, self.engine = self.engine, None
        self.engine_started = False
        if engine is not None:
            await engine.stop()
        self.window.status.set_server("stopped")

    @property
    def quit_requested(self) -> bool:
        return self._quit.is_set()

    def _on_translator_language_changed(self, _language: str) -> None:
        self.tray.retranslate()

    async def run(self) -> int:
        """The main coroutine: start, show, wait for quit, clean up, return the exit code."""
        health: asyncio.Task[None] | None = None
        try:
            data_dir = self._create_engine()
            self._add_pages(data_dir)
            if self.demo and self.engine is not None:
                from wadesk.ui.demo_panel import add_demo_panel

                self.demo_dock = add_demo_panel(self.window, self.engine)
            self.window.restore_state()
            self.window.show()
            self.tray.show()
            if self.demo:
                self.window.show_banner(
                    lambda: self.tr(
                        "Demo mode: wadesk runs on its built-in sandbox; nothing is sent to "
                        "WhatsApp."
                    ),
                    "info",
                )
            await self._start_engine()
            if self.engine_started:
                health = asyncio.create_task(self._poll_health())
            await self._quit.wait()
        finally:
            await self._cleanup(health)
        return 0

    def _create_engine(self) -> str | None:
        try:
            self.engine = self._make_engine()
        except Exception as exc:
            log.exception("Could not create the engine")
            self.window.status.set_server("failed")
            self.window.show_banner(partial(describe_start_error, exc, None))
            return None
        self.bridge.attach(self.engine.subscribe)
        self.tray.set_contact_lookup(partial(contact_name, self.engine))
        return str(self.engine.settings.paths.data_dir)

    async def _start_engine(self) -> None:
        engine = self.engine
        if engine is None:
            return
        status = await engine.blocking(engine.secrets.status)
        if not status.ok:
            self.window.show_banner(
                lambda: self.tr(
                    "No secure credential store (system keyring) is available, so wadesk cannot "
                    "keep access tokens. %1"
                ).replace("%1", status.message)
            )
        self.window.status.set_server("starting")
        try:
            await engine.start(serve=True)
        except Exception as exc:
            log.error("The engine did not start: %s", engine.redactor.redact(repr(exc)))
            self.window.status.set_server("failed")
            port = engine.settings.port
            self.window.show_banner(partial(describe_start_error, exc, port))
            return
        self.engine_started = True
        url = engine.server.url if engine.server is not None else None
        self.window.status.set_server("running" if url else "stopped", url)

    async def _poll_health(self) -> None:
        engine = self.engine
        assert engine is not None
        while True:
            try:
                health = await engine.health()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("engine.health() failed: %s", engine.redactor.redact(repr(exc)))
            else:
                self.window.status.update_health(health)
            await asyncio.sleep(self._health_interval)

    async def _cleanup(self, health: asyncio.Task[None] | None) -> None:
        if health is not None:
            health.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await health
        self.bridge.close()
        self.window.close_for_quit()
        self.tray.close()
        if self.engine is not None:
            try:
                await self.engine.stop()
            except Exception as exc:
                log.error("Stopping the engine failed: %s", self.engine.redactor.redact(repr(exc)))
            self.window.status.set_server("stopped")
        self.stopped.set()


def run_gui(make_engine: Callable[[], Engine], *, argv: list[str], demo: bool = False) -> int:
    """Run the desktop app until the user quits; returns the process exit code.

    `make_engine` builds the (not yet started) Engine, e.g. on the user data dir, or on the
    sandbox for `wadesk demo`; creating it may fail, and the window then says why.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    configure_application(app)
    collector = GcCollector()
    try:
        root = WadeskApp(app, make_engine, settings=QSettings(), demo=demo)
        collector.busy = lambda: root.engine is not None and root.engine.store.busy
        with asyncio.Runner(loop_factory=EventLoop) as runner:
            return runner.run(root.run())
    finally:
        collector.stop()
