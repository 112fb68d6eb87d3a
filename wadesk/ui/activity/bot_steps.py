"""The Activity page's "Bot steps" tab: every traced step of the bots, filterable, with a
readable detail (which node, what came in, what was sent, the error).

History is loaded from `engine.bots.traces()` when the tab is first shown (once the store is
open); live `BotTraced` batches from the bridge (`on_bot_traced`) add rows on top without
resetting the view. The detail is rendered from the selected entry whenever the language
changes, never kept as a rendered string.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.events import BotTraced, BotTraceEntry
from wadesk.ui.activity.bot_model import (
    COL_BOT,
    COL_CONVERSATION,
    COL_NODE,
    COL_RESULT,
    COL_STEP,
    COL_TIME,
    BotFilter,
    BotTraceModel,
    action_text,
    compact,
    is_error,
)
from wadesk.ui.activity.table import activity_table
from wadesk.ui.tasks import Tasks

log = logging.getLogger("wadesk.ui.activity")

HISTORY = 500


class BotStepsView(QWidget):
    """See the module docstring.

    Attributes:
        model, table, detail, filter_combo, search_edit, count_label: the parts.
        loaded: whether the history was loaded.
    """

    def __init__(self, engine: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._tasks = Tasks()
        self.loaded = False
        self._error: str | None = None
        self.model = BotTraceModel(self)

        self.filter_combo = QComboBox()
        for choice in BotFilter:
            self.filter_combo.addItem("", choice.value)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_combo_changed)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.count_label = QLabel()
        self.count_label.setObjectName("Hint")
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        tools.addWidget(self.filter_combo)
        tools.addWidget(self.search_edit, 1)
        tools.addWidget(self.count_label)

        widths = {COL_CONVERSATION: 90, COL_BOT: 76, COL_NODE: 110, COL_STEP: 118}
        self.table = activity_table(self.model, "BotStepTable", widths)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TIME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_RESULT, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.modelReset.connect(self._on_model_reset)

        self.detail = QTextBrowser()
        self.detail.setObjectName("BotStepDetail")
        self.detail.setOpenLinks(False)
        self.detail.setMinimumWidth(320)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([700, 320])
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(tools)
        layout.addWidget(self.splitter, 1)
        self.retranslate()

    # -- state ------------------------------------------------------------------------------------

    def engine_ready(self) -> bool:
        store = getattr(self._engine, "store", None)
        return bool(getattr(store, "is_open", False)) and hasattr(self._engine, "bots")

    def selected_entry(self) -> BotTraceEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    # -- loading ----------------------------------------------------------------------------------

    async def reload(self) -> None:
        """Load the bot names and the newest steps (replaces the rows)."""
        if not self.engine_ready():
            return
        try:
            bots = await self._engine.list_bots()
            entries = await self._engine.bots.traces(limit=HISTORY)
        except Exception as exc:
            log.warning("Loading bot steps failed: %r", type(exc).__name__)
            self._error = type(exc).__name__
            self._render_count()
            return
        self._error = None
        selected = self.selected_entry()
        self.model.set_bot_names({b.id: b.name for b in bots})
        self.model.reset_entries(entries)
        if selected is not None and (row := self.model.row_of(selected.id)) >= 0:
            self.select_row(row)
        await self._refresh_chats()
        self.loaded = True
        self._render_count()

    def on_bot_traced(self, events: list[BotTraced]) -> None:
        """Bridge slot: live steps go on top; unknown bots get their names on the next load."""
        entries = [entry for event in events for entry in event.entries]
        if self.model.add_entries(entries):
            self._render_count()
            known = {e.bot_id for e in entries if e.bot_id is not None}
            if self.loaded and any(b not in self.model.bot_names() for b in known):
                self._tasks.spawn(self._refresh_names())
            if self.loaded and any(
                e.conversation_id not in self.model.chat_names() for e in entries
            ):
                self._tasks.spawn(self._refresh_chats())

    async def _refresh_chats(self) -> None:
        """Look up the contact names of conversations shown without one."""
        missing = sorted(self.model.chat_ids() - set(self.model.chat_names()))
        inbox = getattr(self._engine, "inbox", None)
        if not missing or inbox is None:
            return
        try:
            rows = await inbox.rows(missing)
        except Exception as exc:
            log.debug("Contact names for bot steps failed: %r", type(exc).__name__)
            return
        self.model.set_chat_names({row.id: row.contact.display_name for row in rows})
        self._render_detail()

    async def _refresh_names(self) -> None:
        try:
            bots = await self._engine.list_bots()
        except Exception as exc:
            log.debug("list_bots failed: %r", type(exc).__name__)
            return
        self.model.set_bot_names({b.id: b.name for b in bots})
        self._render_detail()

    # -- detail -----------------------------------------------------------------------------------

    def _on_table_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._render_detail()

    def _on_model_reset(self) -> None:
        self._render_detail()

    def _render_detail(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            self.detail.setHtml(
                "<p style='color:#808080'>"
                + html.escape(self.tr("Select a step to see what the bot did."))
                + "</p>"
            )
            return
        self.detail.setHtml(self.detail_html(entry))

    def detail_html(self, entry: BotTraceEntry) -> str:
        """The readable detail of one step, in the current language."""
        esc = html.escape
        model = self.model
        node = entry.node_id or "·"
        title = self.tr("Node %1").replace("%1", node)
        if entry.node_type:
            title += f" ({entry.node_type})"
        rows = [
            (self.tr("Step"), esc(model.step_text(entry.type))),
            (self.tr("Chat"), esc(model.chat_text(entry))),
            (self.tr("Bot"), esc(model.bot_text(entry))),
            (self.tr("Time"), esc(entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"))),
        ]
        if entry.output:
            rows.append((self.tr("Next"), esc(entry.output)))
        out = [f"<h3 style='margin:0 0 6px 0'>{esc(title)}</h3>", "<table cellspacing='3'>"]
        for caption, value in rows:
            out.append(
                f"<tr><td style='color:#808080; padding-right:10px'>{esc(caption)}</td>"
                f"<td>{value}</td></tr>"
            )
        out.append("</table>")
        error_title = esc(self.tr("Error"))
        came_in = esc(self.tr("What came in"))
        sent = esc(self.tr("What was sent or done"))
        nothing = "<p style='color:#808080'>" + esc(self.tr("Nothing")) + "</p>"
        if entry.error or is_error(entry):
            error = entry.error or model.step_text(entry.type)
            out.append(f"<h4 style='color:#c62828'>{error_title}</h4>")
            out.append(f"<p style='color:#c62828'>{esc(error)}</p>")
        out.append(f"<h4>{came_in}</h4>")
        if entry.inputs:
            out.append("<ul style='margin-left:-20px'>")
            for key, value in entry.inputs.items():
                out.append(f"<li><b>{esc(str(key))}</b>: {esc(compact(value, 400))}</li>")
            out.append("</ul>")
        else:
            out.append(nothing)
        out.append(f"<h4>{sent}</h4>")
        if entry.actions:
            out.append("<ul style='margin-left:-20px'>")
            for action in entry.actions:
                out.append(f"<li>{esc(action_text(action))}</li>")
            out.append("</ul>")
        else:
            out.append(nothing)
        return "".join(out)

    def detail_text(self) -> str:
        """The detail as plain text (tests, accessibility)."""
        return self.detail.toPlainText()

    # -- Qt events --------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded:
            self._tasks.spawn(self.reload())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_filter_combo_changed(self, _index: int) -> None:
        self.model.set_filter(self.filter_combo.currentData())
        self._render_count()

    def _on_search_edit_text_changed(self, text: str) -> None:
        self.model.set_search(text)
        self._render_count()

    # -- texts --------------------------------------------------------------------------------------

    def _render_count(self) -> None:
        if self._error is not None:
            self.count_label.setText(
                self.tr("Could not read the bot steps: %1").replace("%1", self._error)
            )
            return
        self.count_label.setText(
            self.tr("%1 of %2 steps shown")
            .replace("%1", str(self.model.rowCount()))
            .replace("%2", str(self.model.total()))
        )

    def retranslate(self) -> None:
        names = {
            BotFilter.ALL: self.tr("All steps"),
            BotFilter.ERRORS: self.tr("Errors"),
            BotFilter.HANDOFFS: self.tr("Hand-offs to a person"),
        }
        for i in range(self.filter_combo.count()):
            self.filter_combo.setItemText(i, names[BotFilter(self.filter_combo.itemData(i))])
        self.search_edit.setPlaceholderText(self.tr("Search nodes, steps, texts and errors"))
        self.model.retranslate()
        self._render_count()
        self._render_detail()

    def close_tasks(self) -> None:
        self._tasks.cancel_all()

    async def wait_idle(self) -> None:
        await self._tasks.wait()
