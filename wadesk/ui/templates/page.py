"""The Templates page: a number's synced message templates (a number picker when there are
several), searchable and filterable by status, with the selected one's facts (status with the
rejection reason, category, language, quality) and its rendered preview; "Sync now" fetches
them from the WhatsApp Business Account (busy indicator, then the count or the catalogue's
explanation); "Send to a contact…" opens `SendTemplateDialog` for an approved template (other
statuses say why they cannot be sent). With nothing synced it shows "No templates yet — Sync
now".

It reloads when the engine publishes `TemplatesSynced` for the shown number, and re-reads the
numbers whenever it is shown.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.errors import WadeskError
from wadesk.core.events import TemplatesSynced
from wadesk.core.validation import format_phone
from wadesk.ui.setup.common import ui_language
from wadesk.ui.tasks import Tasks
from wadesk.ui.templates.form import TemplatePreview
from wadesk.ui.templates.model import (
    STATUS_COLOURS,
    TEMPLATE_ROLE,
    TemplateFilter,
    TemplateTableModel,
    category_text,
    quality_text,
    status_line,
)
from wadesk.ui.templates.send_dialog import SendTemplateDialog

log = logging.getLogger("wadesk.ui.templates")

STATUS_FILTERS = ("", "APPROVED", "PENDING", "REJECTED", "PAUSED")


class TemplatesPage(QWidget):
    """Signals: `loaded()` after the list was (re)read; `synced(str)` after "Sync now" ended
    (the status text shown)."""

    loaded = Signal()
    synced = Signal(str)

    def __init__(
        self,
        engine: Any,
        bridge: Any = None,
        *,
        open_conversation: Callable[[int], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TemplatesPage")
        self.engine = engine
        self.open_conversation = open_conversation
        self.tasks = Tasks("Templates page")
        self.numbers: list[Any] = []
        self.dialog: SendTemplateDialog | None = None
        self.syncing = False
        self.model = TemplateTableModel(self)
        self.proxy = TemplateFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.retranslate()
        if bridge is not None:
            bridge.events_batch.connect(self._on_bridge_events_batch)
        QTimer.singleShot(0, self._start)

    # -- layout -------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 16)
        outer.setSpacing(10)
        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("PageSubtitle")
        self.subtitle.setWordWrap(True)
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)

        bar = QHBoxLayout()
        self.number_combo = QComboBox()
        self.number_combo.activated.connect(self._on_number_combo_activated)
        self.number_combo.hide()
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self.proxy.set_search)
        self.status_combo = QComboBox()
        for _ in STATUS_FILTERS:
            self.status_combo.addItem("")
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_current_index_changed)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.sync_status = QLabel()
        self.sync_status.setObjectName("Hint")
        self.sync_status.setWordWrap(True)
        self.sync_button = QPushButton()
        self.sync_button.setProperty("primary", True)
        self.sync_button.clicked.connect(self._on_sync_button_clicked)
        bar.addWidget(self.number_combo)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(self.status_combo)
        bar.addWidget(self.busy)
        bar.addWidget(self.sync_button)
        outer.addLayout(bar)
        outer.addWidget(self.sync_status)

        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)

        empty = QWidget()
        empty_lay = QVBoxLayout(empty)
        empty_lay.addStretch(1)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("PlaceholderTitle")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_hint = QLabel()
        self.empty_hint.setObjectName("PlaceholderText")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_sync = QPushButton()
        self.empty_sync.setProperty("primary", True)
        self.empty_sync.clicked.connect(self._on_sync_button_clicked)
        empty_lay.addWidget(self.empty_label)
        empty_lay.addWidget(self.empty_hint)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.empty_sync)
        row.addStretch(1)
        empty_lay.addLayout(row)
        empty_lay.addStretch(2)
        self.empty = empty
        self.stack.addWidget(empty)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.table = QTableView()
        self.table.setObjectName("TemplateTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.splitter.addWidget(self.table)

        detail = QWidget()
        detail.setObjectName("TemplateDetail")
        d = QVBoxLayout(detail)
        d.setContentsMargins(14, 0, 0, 0)
        self.detail_name = QLabel()
        self.detail_name.setObjectName("CardTitle")
        self.detail_name.setWordWrap(True)
        self.detail_facts = QLabel()
        self.detail_facts.setObjectName("Hint")
        self.detail_facts.setWordWrap(True)
        self.detail_status = QLabel()
        self.detail_status.setWordWrap(True)
        self.preview = TemplatePreview()
        self.preview.setMaximumWidth(420)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        h = QVBoxLayout(holder)
        h.setContentsMargins(0, 4, 0, 4)
        h.addWidget(self.preview)
        h.addStretch(1)
        scroll.setWidget(holder)
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.why_not = QLabel()
        self.why_not.setObjectName("Hint")
        self.why_not.setWordWrap(True)
        d.addWidget(self.detail_name)
        d.addWidget(self.detail_facts)
        d.addWidget(self.detail_status)
        d.addWidget(scroll, 1)
        d.addWidget(self.why_not)
        send_row = QHBoxLayout()
        send_row.addWidget(self.send_button)
        send_row.addStretch(1)
        d.addLayout(send_row)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([560, 420])
        self.stack.addWidget(self.splitter)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Templates"))
        self.subtitle.setText(
            self.tr(
                "Message templates approved by WhatsApp are the only messages you may send "
                "outside the 24-hour window. Create them in WhatsApp Manager, then sync them here."
            )
        )
        self.search_edit.setPlaceholderText(self.tr("Search by name, language or category"))
        names = [
            self.tr("All statuses"),
            self.tr("Approved"),
            self.tr("Pending"),
            self.tr("Rejected"),
            self.tr("Paused"),
        ]
        for i, name in enumerate(names):
            self.status_combo.setItemText(i, name)
        self.sync_button.setText(self.tr("Sync now"))
        self.empty_sync.setText(self.tr("Sync now"))
        self.send_button.setText(self.tr("Send to a contact…"))
        self._update_empty()
        self.show_detail(self.current_template())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.layoutChanged.emit()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.engine is not None and self.numbers:
            self.tasks.spawn(self.reload_numbers())

    # -- loading --------------------------------------------------------------------------------

    def _start(self) -> None:
        self.tasks.spawn(self.start())

    async def start(self, max_wait: float = 120.0) -> None:
        """First load, once the engine's store is open (the page is built before it starts)."""
        if self.engine is None:
            self._update_empty()
            return
        store = getattr(self.engine, "store", None)
        waited = 0.0
        while store is not None and not getattr(store, "is_open", True) and waited < max_wait:
            await asyncio.sleep(0.05)
            waited += 0.05
        await self.reload_numbers()

    @property
    def number_id(self) -> int | None:
        data = self.number_combo.currentData()
        return int(data) if data is not None else None

    async def reload_numbers(self) -> None:
        """Re-read the numbers (keeping the chosen one) and the templates of the chosen one."""
        try:
            numbers = await self.engine.list_numbers()
        except Exception as exc:
            log.warning("Loading numbers failed: %r", exc)
            numbers = []
        current = self.number_id
        self.numbers = list(numbers)
        self.number_combo.clear()
        for number in self.numbers:
            self.number_combo.addItem(f"{number.label} · {format_phone(number.phone)}", number.id)
        found = self.number_combo.findData(current)
        self.number_combo.setCurrentIndex(max(0, found) if self.numbers else -1)
        self.number_combo.setVisible(len(self.numbers) > 1)
        await self.reload()

    async def reload(self) -> None:
        """Re-read the chosen number's templates (selection kept by name and language)."""
        number_id = self.number_id
        before = self.current_template()
        keep = (before.name, before.language) if before is not None else None
        templates: list[Any] = []
        if number_id is not None:
            try:
                templates = list(await self.engine.list_templates(number_id))
            except Exception as exc:
                log.warning("Loading templates failed: %r", exc)
        self.model.set_templates(templates)
        self._update_empty()
        row = 0
        if keep is not None:
            for r in range(self.proxy.rowCount()):
                t = self.proxy.index(r, 0).data(TEMPLATE_ROLE)
                if (t.name, t.language) == keep:
                    row = r
                    break
        self.select_row(row)
        self.loaded.emit()

    def select_row(self, row: int) -> None:
        if 0 <= row < self.proxy.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.show_detail(None)

    def select(self, name: str, language: str | None = None) -> bool:
        """Select the template with this name (and language); False if it is not shown."""
        for r in range(self.proxy.rowCount()):
            t = self.proxy.index(r, 0).data(TEMPLATE_ROLE)
            if t.name == name and (language is None or t.language == language):
                self.select_row(r)
                return True
        return False

    def current_template(self) -> Any | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(TEMPLATE_ROLE) if index.isValid() else None

    def _update_empty(self) -> None:
        if self.model.rowCount() == 0:
            if self.engine is None:
                self.empty_label.setText(self.tr("Templates are not available"))
                self.empty_hint.setText(self.tr("The engine did not start."))
            elif self.number_id is None:
                self.empty_label.setText(self.tr("No numbers yet"))
                self.empty_hint.setText(
                    self.tr("Add a WhatsApp number on the Numbers page, then sync its templates.")
                )
            else:
                self.empty_label.setText(self.tr("No templates yet — Sync now"))
                self.empty_hint.setText(
                    self.tr(
                        "Fetch this number's message templates from your WhatsApp Business Account."
                    )
                )
            self.empty_sync.setVisible(self.engine is not None and self.number_id is not None)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.splitter)
        self.search_edit.setVisible(self.model.rowCount() > 0)
        self.status_combo.setVisible(self.model.rowCount() > 0)
        self.sync_button.setEnabled(self.number_id is not None and not self.syncing)
        self.empty_sync.setEnabled(not self.syncing)

    # -- the selected template --------------------------------------------------------------

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.show_detail(current.data(TEMPLATE_ROLE) if current.isValid() else None)

    def why_not_sendable(self, template: Any) -> str:
        """Why this template cannot be sent ("" when it can)."""
        status = str(template.status).upper()
        if status == "APPROVED":
            return ""
        if status in ("PENDING", "IN_APPEAL"):
            return self.tr(
                "WhatsApp is still reviewing this template; it can be sent once it is approved "
                "(usually within a day)."
            )
        if status == "REJECTED":
            return self.tr(
                "WhatsApp rejected this template, so it cannot be sent. Edit it in WhatsApp "
                "Manager and submit it again (or appeal), then sync."
            )
        if status == "PAUSED":
            return self.tr(
                "WhatsApp paused this template because customers reported or blocked it; "
                "it cannot be sent until the pause ends."
            )
        return self.tr("Only approved templates can be sent; this one is %1.").replace(
            "%1", status_line(template)
        )

    def show_detail(self, template: Any | None) -> None:
        widgets = (self.detail_name, self.detail_facts, self.detail_status, self.send_button)
        for widget in widgets:
            widget.setVisible(template is not None)
        self.preview.show_template(template)
        if template is None:
            self.why_not.hide()
            return
        self.detail_name.setText(f"{template.name}")
        facts = [
            template.language or "?",
            category_text(template.category),
            self.tr("quality: %1").replace("%1", quality_text(template.quality)),
        ]
        self.detail_facts.setText(" · ".join(facts))
        colour = STATUS_COLOURS.get(str(template.status).upper(), "")
        self.detail_status.setStyleSheet(f"color: {colour}; font-weight: 600;" if colour else "")
        self.detail_status.setText(status_line(template))
        why = self.why_not_sendable(template)
        self.why_not.setText(why)
        self.why_not.setVisible(bool(why))
        self.send_button.setEnabled(not why)

    # -- filters ----------------------------------------------------------------------------

    def _on_status_combo_current_index_changed(self, index: int) -> None:
        self.proxy.set_status(STATUS_FILTERS[index] if 0 <= index < len(STATUS_FILTERS) else "")
        if self.current_template() is None:
            self.select_row(0)

    def _on_number_combo_activated(self, _index: int) -> None:
        self.sync_status.clear()
        self.tasks.spawn(self.reload())

    # -- sync -----------------------------------------------------------------------------------

    def _on_sync_button_clicked(self) -> None:
        if self._begin_sync():
            self.tasks.spawn(self._run_sync())

    def _begin_sync(self) -> bool:
        """Show the busy state now (the click's task runs a moment later)."""
        if self.number_id is None or self.engine is None or self.syncing:
            return False
        self.syncing = True
        self.busy.show()
        self.sync_status.setText(self.tr("Syncing templates…"))
        self._update_empty()
        return True

    async def sync(self) -> str:
        """Sync the shown number's templates; returns (and shows) the outcome."""
        if not self._begin_sync():
            return ""
        return await self._run_sync()

    async def _run_sync(self) -> str:
        number_id = self.number_id
        try:
            count = await self.engine.sync_templates(number_id)
            text = self.tr("Synced: %n template(s).", "", count)
        except WadeskError as exc:
            text = exc.explain(ui_language())
        except Exception as exc:
            log.warning("Template sync failed: %r", exc)
            text = str(exc) or type(exc).__name__
        finally:
            self.syncing = False
            self.busy.hide()
        self.sync_status.setText(text)
        await self.reload()
        self.synced.emit(text)
        return text

    def _on_bridge_events_batch(self, events: list[Any]) -> None:
        number_id = self.number_id
        if self.syncing or number_id is None:
            return
        if any(isinstance(e, TemplatesSynced) and e.number_id == number_id for e in events):
            self.tasks.spawn(self.reload())

    # -- send -----------------------------------------------------------------------------------

    def _on_send_button_clicked(self) -> None:
        self.open_send_dialog()

    def open_send_dialog(self) -> SendTemplateDialog | None:
        """Open "Send to a contact…" for the selected approved template (returns the dialog)."""
        template = self.current_template()
        number_id = self.number_id
        if template is None or number_id is None or self.why_not_sendable(template):
            return None
        dialog = SendTemplateDialog(self.engine, number_id, template, self)
        dialog.open_conversation.connect(self._on_dialog_open_conversation)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_open_conversation(self, conversation_id: int) -> None:
        if self.open_conversation is not None:
            self.open_conversation(conversation_id)

    def shutdown(self) -> None:
        self.tasks.cancel_all()
