"""The Activity page: every webhook event with its verdict and result, the raw JSON, replay,
the health of the server and the tunnel, the bots' steps (`BotStepsView`, fed by the bridge's
`bot_traced`), the log, and "Copy diagnostics".

The page is built before the engine starts; it loads when first shown once the engine's store
is open (the health timer retries until then). Engine calls run as tasks from slots
(`Tasks.spawn`); the bridge's `raw_event` batches mark ids as new or changed, and one sync task
at a time fetches exactly those rows (`engine.list_raw_events(ids=…)`) and the rows above the
newest one shown, so live events never reset the view.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.errors import WadeskError
from wadesk.core.events import RawEventProcessed, RawEventRecorded
from wadesk.engine.activity import DEFAULT_PAGE, EventFilter, describe_tunnel, filter_args
from wadesk.ui.activity.bot_steps import BotStepsView
from wadesk.ui.activity.detail import EventDetailPane
from wadesk.ui.activity.health import HealthStrip
from wadesk.ui.activity.log_view import LogView
from wadesk.ui.activity.model import (
    COL_DETAIL,
    COL_FIELD,
    COL_ID,
    COL_NUMBER,
    COL_RESULT,
    COL_TIME,
    COL_VERDICT,
    RawEventModel,
)
from wadesk.ui.activity.table import activity_table
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.setup.common import ui_language
from wadesk.ui.tasks import Tasks
from wadesk.ui.theme import ThemeManager

log = logging.getLogger("wadesk.ui.activity")

HEALTH_MS = 2_000
SEARCH_DELAY_MS = 300
_MAX_CATCH_UP_PAGES = 5


class ActivityPage(QWidget):
    """See the module docstring.

    Attributes:
        model, table, detail, health, log_view, filter_combo, search_edit: the parts.
        loaded: whether the first page of events was loaded.
    """

    def __init__(
        self,
        engine: Any,
        bridge: EngineBridge,
        theme: ThemeManager,
        *,
        health_ms: int = HEALTH_MS,
        page_size: int = DEFAULT_PAGE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ActivityPage")
        self._engine = engine
        self._theme = theme
        self._page_size = page_size
        self._tasks = Tasks()
        self._generation = 0
        self._new_ids: set[int] = set()
        self._changed_ids: set[int] = set()
        self._syncing = False
        self.loaded = False
        self.model = RawEventModel(self)
        self.model.more_requested.connect(self._on_model_more_requested)

        self._title = QLabel()
        self._title.setObjectName("PageTitle")
        self._subtitle = QLabel()
        self._subtitle.setObjectName("PageSubtitle")
        self.health = HealthStrip()
        self.health.copy_requested.connect(self._on_health_copy_requested)

        self.filter_combo = QComboBox()
        for choice in EventFilter:
            self.filter_combo.addItem("", choice.value)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(320)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload_soon)
        self.count_label = QLabel()
        self.count_label.setObjectName("Hint")
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.filter_combo)
        tools.addWidget(self.search_edit, 1)
        tools.addWidget(self.count_label)

        widths = {
            COL_ID: 40,
            COL_TIME: 72,
            COL_NUMBER: 84,
            COL_FIELD: 84,
            COL_VERDICT: 118,
            COL_RESULT: 118,
        }
        self.table = activity_table(self.model, "EventTable", widths)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_DETAIL, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(32)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

        self.detail = EventDetailPane(self.model, dark=theme.is_dark)
        self.detail.setMinimumWidth(380)
        self.detail.replay_requested.connect(self._on_detail_replay_requested)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        events_tab = QWidget()
        events_box = QVBoxLayout(events_tab)
        events_box.setContentsMargins(0, 10, 0, 0)
        events_box.setSpacing(10)
        events_box.addLayout(tools)
        events_box.addWidget(self.splitter, 1)
        self.log_view = LogView(engine)
        self.bot_steps = BotStepsView(engine)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(events_tab, "")
        self.tabs.addTab(self.bot_steps, "")
        self.tabs.addTab(self.log_view, "")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(10)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self.health)
        layout.addWidget(self.tabs, 1)

        self._health_timer = QTimer(self)
        self._health_timer.setInterval(health_ms)
        self._health_timer.timeout.connect(self._on_health_timer_timeout)
        bridge.raw_event.connect(self._on_bridge_raw_event)
        bridge.bot_traced.connect(self.bot_steps.on_bot_traced)
        theme.changed.connect(self._on_theme_changed)
        self.retranslate()

    # -- state ----------------------------------------------------------------------------------

    def engine_ready(self) -> bool:
        store = getattr(self._engine, "store", None)
        return bool(getattr(store, "is_open", False)) and hasattr(self._engine, "list_raw_events")

    def current_filter(self) -> EventFilter:
        return EventFilter(self.filter_combo.currentData())

    def query_args(self) -> dict[str, Any]:
        args = filter_args(self.current_filter())
        search = self.search_edit.text().strip()
        if search:
            args["search"] = search
        return args

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        summary = self.model.summary(rows[0].row())
        return summary.id if summary is not None else None

    def select_id(self, raw_event_id: int) -> bool:
        row = self.model.row_of(raw_event_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # -- loading ----------------------------------------------------------------------------------

    def reload_soon(self) -> None:
        self._tasks.spawn(self.reload())

    async def reload(self) -> None:
        """Load the newest page for the current filter and search (replaces the rows)."""
        if not self.engine_ready():
            return
        self._generation += 1
        generation = self._generation
        args = self.query_args()
        self.model.begin_loading()
        try:
            numbers = await self._engine.list_numbers()
            rows = await self._engine.list_raw_events(limit=self._page_size, **args)
        except Exception as exc:
            self._show_error(exc)
            return
        if generation != self._generation:
            return
        selected = self.selected_id()
        self.model.set_number_labels({n.phone_number_id: n.label for n in numbers})
        self.model.reset_rows(rows, exhausted=len(rows) < self._page_size)
        self.loaded = True
        self._new_ids.clear()
        self._changed_ids.clear()
        if selected is None or not self.select_id(selected):
            self.detail.clear()
        self._render_count()

    async def load_more(self, before_id: int) -> None:
        generation = self._generation
        try:
            rows = await self._engine.list_raw_events(
                before_id=before_id or None, limit=self._page_size, **self.query_args()
            )
        except Exception as exc:
            self._show_error(exc)
            self.model.append_page([], exhausted=True)
            return
        if generation == self._generation:
            self.model.append_page(rows, exhausted=len(rows) < self._page_size)
            self._render_count()

    def _on_model_more_requested(self, before_id: int) -> None:
        if self._tasks.spawn(self.load_more(before_id)) is None:
            self.model.append_page([], exhausted=False)

    # -- live events ---------------------------------------------------------------------------------

    def _on_bridge_raw_event(self, events: list[RawEventRecorded | RawEventProcessed]) -> None:
        for event in events:
            if isinstance(event, RawEventRecorded):
                self._new_ids.add(event.raw_event_id)
            self._changed_ids.add(event.raw_event_id)
        if self.loaded and not self._syncing:
            self._tasks.spawn(self.sync_live())

    async def sync_live(self) -> None:
        """Fetch the rows that arrived or changed since the last sync (one sync at a time)."""
        if self._syncing:
            return
        self._syncing = True
        try:
            while self._new_ids or self._changed_ids:
                generation = self._generation
                new, changed = self._new_ids, self._changed_ids
                self._new_ids, self._changed_ids = set(), set()
                await self._sync_once(generation, new, changed)
        except Exception as exc:
            self._show_error(exc)
        finally:
            self._syncing = False

    async def _sync_once(self, generation: int, new: set[int], changed: set[int]) -> None:
        args = self.query_args()
        top = self.model.top_id()
        fresh: list[Any] = []
        if any(i > top for i in new):
            before: int | None = None
            for _ in range(_MAX_CATCH_UP_PAGES):
                page = await self._engine.list_raw_events(
                    before_id=before, limit=self._page_size, **args
                )
                fresh += [r for r in page if r.id > top]
                if len(page) < self._page_size or page[-1].id <= top:
                    break
                before = page[-1].id
            else:  # a burst larger than a few pages: start again from the newest
                await self.reload()
                return
        known = [i for i in changed if self.model.row_of(i) >= 0 or i <= top]
        updated = (
            await self._engine.list_raw_events(ids=known, limit=len(known), **args) if known else []
        )
        if generation != self._generation:
            return
        self.model.upsert(fresh + updated)
        gone = {i for i in known if self.model.row_of(i) >= 0} - {r.id for r in updated}
        self.model.remove_ids(gone)
        shown = self.detail.shown_id
        if shown is not None and shown in {r.id for r in updated}:
            await self.show_detail(shown)
        self._render_count()

    # -- detail and replay ------------------------------------------------------------------------------

    def _on_table_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        raw_event_id = self.selected_id()
        if raw_event_id is None:
            self.detail.clear()
            return
        self._tasks.spawn(self.show_detail(raw_event_id))

    async def show_detail(self, raw_event_id: int) -> None:
        try:
            detail = await self._engine.raw_event(raw_event_id)
        except Exception as exc:
            self._show_error(exc)
            return
        if self.selected_id() == raw_event_id:
            self.detail.show_detail(detail)

    def _on_detail_replay_requested(self, raw_event_id: int) -> None:
        self._tasks.spawn(self.replay(raw_event_id))

    async def replay(self, raw_event_id: int) -> None:
        self.detail.set_busy(True)
        self.detail.set_replay_result(partial(self.replay_text, "running", raw_event_id))
        try:
            detail = await self._engine.replay(raw_event_id)
        except Exception as exc:
            self.detail.set_replay_result(partial(self.replay_text, "failed", raw_event_id, exc))
            self.detail.set_busy(False)
            return
        self.model.upsert([detail.summary])
        if self.detail.shown_id == raw_event_id:
            self.detail.show_detail(detail)
        self.detail.set_busy(False)
        result = detail.result
        self.detail.set_replay_result(partial(self.replay_text, "done", raw_event_id, result))

    def replay_text(self, code: str, raw_event_id: int, value: Any = None) -> str:
        """A replay result in the current language (re-rendered on a language switch):
        `code` is "running", "failed" (`value`: the exception) or "done" (`value`: result)."""
        number = str(raw_event_id)
        if code == "running":
            return self.tr("Replaying event #%1…").replace("%1", number)
        if code == "failed":
            text = self.tr("Replay of event #%1 failed: %2").replace("%1", number)
            return text.replace("%2", self._error_text(value))
        return (
            self.tr("Replayed event #%1: %2 (nothing already stored was changed twice).")
            .replace("%1", number)
            .replace("%2", self.model.result_text(value))
        )

    # -- health and diagnostics ------------------------------------------------------------------------

    async def refresh_health(self) -> None:
        engine = self._engine
        server = getattr(engine, "server", None)
        url = getattr(server, "url", None) if server is not None else None
        health: dict[str, Any] | None = None
        if self.engine_ready():
            try:
                health = await engine.health()
            except Exception as exc:
                log.debug("health failed: %r", exc)
        self.health.update_state(server_url=url, health=health, tunnel=describe_tunnel(engine))

    def _on_health_timer_timeout(self) -> None:
        self._tasks.spawn(self.refresh_health())
        if not self.loaded and self.engine_ready():
            self.reload_soon()

    def _on_health_copy_requested(self) -> None:
        self._tasks.spawn(self.copy_diagnostics())

    async def copy_diagnostics(self) -> None:
        self.health.copy_button.setEnabled(False)
        self.health.set_copy_result(partial(self.copy_text, "running"))
        try:
            text = await self._engine.diagnostics()
        except Exception as exc:
            self.health.set_copy_result(partial(self.copy_text, "failed", exc))
        else:
            QGuiApplication.clipboard().setText(text)
            self.health.set_copy_result(partial(self.copy_text, "done", text.count("\n")))
        finally:
            self.health.copy_button.setEnabled(True)

    def copy_text(self, code: str, value: Any = None) -> str:
        """The "Copy diagnostics" result in the current language: `code` is "running",
        "failed" (`value`: the exception) or "done" (`value`: the number of lines)."""
        if code == "running":
            return self.tr("Collecting diagnostics…")
        if code == "failed":
            return self.tr("Could not collect diagnostics: %1").replace(
                "%1", self._error_text(value)
            )
        return self.tr(
            "Diagnostics copied to the clipboard (%1 lines, secrets removed). Paste them "
            "into your support request."
        ).replace("%1", str(value))

    # -- Qt events ------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._health_timer.start()
        self._tasks.spawn(self.refresh_health())
        if not self.loaded:
            self.reload_soon()

    def hideEvent(self, event: QHideEvent) -> None:
        self._health_timer.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_filter_combo_changed(self, _index: int) -> None:
        self.reload_soon()

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_theme_changed(self, dark: bool) -> None:
        self.detail.json_view.set_dark(dark)

    # -- texts ----------------------------------------------------------------------------------------

    def _error_text(self, exc: BaseException) -> str:
        if isinstance(exc, WadeskError):
            return exc.explain(ui_language())
        redactor = getattr(self._engine, "redactor", None)
        text = str(exc) or type(exc).__name__
        return redactor.redact(text) if redactor is not None else text

    def _show_error(self, exc: BaseException) -> None:
        log.warning("Activity page: %s", self._error_text(exc))
        self.count_label.setText(
            self.tr("Could not read the events: %1").replace("%1", self._error_text(exc))
        )

    def _render_count(self) -> None:
        n = self.model.rowCount()
        more = "" if self.model.exhausted else "+"
        self.count_label.setText(self.tr("%1 events shown").replace("%1", f"{n}{more}"))

    def retranslate(self) -> None:
        self._title.setText(self.tr("Activity"))
        self._subtitle.setText(
            self.tr(
                "Every webhook that reached wadesk, what the bots did, the health of the "
                "connection, and the log."
            )
        )
        names = {
            EventFilter.ALL: self.tr("All events"),
            EventFilter.ACCEPTED: self.tr("Accepted (signed)"),
            EventFilter.REJECTED: self.tr("Rejected"),
            EventFilter.ERRORS: self.tr("Errors"),
            EventFilter.UNKNOWN_NUMBER: self.tr("Unknown number"),
        }
        for i in range(self.filter_combo.count()):
            self.filter_combo.setItemText(i, names[EventFilter(self.filter_combo.itemData(i))])
        self.search_edit.setPlaceholderText(
            self.tr("Search bodies, types, numbers and details (or #id)")
        )
        self.tabs.setTabText(0, self.tr("Webhook events"))
        self.tabs.setTabText(1, self.tr("Bot steps"))
        self.tabs.setTabText(2, self.tr("Log"))
        self.model.retranslate()
        if self.loaded:
            self._render_count()
        else:
            self.count_label.setText(self.tr("Waiting for the engine…"))

    def close_tasks(self) -> None:
        """Stop timers and cancel running engine calls (the app is quitting)."""
        self._health_timer.stop()
        self._search_timer.stop()
        self.log_view.close_tasks()
        self.bot_steps.close_tasks()
        self._tasks.cancel_all()

    async def wait_idle(self) -> None:
        """Wait for every engine call started so far (tests)."""
        await self._tasks.wait()
        await self.log_view.wait_idle()
        await self.bot_steps.wait_idle()
