"""The Inbox page: conversation list | conversation view | contact panel, in one splitter.

The left column has the search box, the filter chips (all / unread / open / resolved / bot /
human, a label picker, and a number picker shown when several numbers exist) and the conversation list (`ConversationListModel` +
`ConversationDelegate`). Typing in the search box (debounced) runs an FTS5 search and shows
contacts and messages instead of the list; choosing a message opens its conversation and, when
the conversation view offers `jump_to(message_id)`, scrolls to it.

The middle is the message view and composer (`wadesk.ui.inbox.conversation.ConversationView`,
built by another part of the app); until it can be imported a placeholder stands in with the
same `set_conversation()` method. `open_conversation(id)` (used by tray notifications) selects
a conversation, switching the filter back to "all" when the current filter hides it.

Layout: each column has a minimum width; below `NARROW_WIDTH` (e.g. a 1180 px window with the
demo simulator docked) the contact panel hides itself, and its toggle (in the message view's
header) then shows it in the list's place, so the messages and the composer keep their room.
With "All numbers" and several numbers, each row names its number (`ConversationDelegate`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.enums import ConversationMode, ConversationState
from wadesk.engine.inbox import MARK_END, MARK_START, InboxFilter, SearchResults
from wadesk.ui.inbox.contact_panel import ContactPanel
from wadesk.ui.inbox.list_delegate import ConversationDelegate, format_list_time
from wadesk.ui.inbox.list_model import ConversationListModel, Role
from wadesk.ui.inbox.placeholder import ConversationPlaceholder as ConversationPlaceholder
from wadesk.ui.inbox.placeholder import make_conversation_view
from wadesk.ui.inbox.widgets import ChipBox
from wadesk.ui.paint_pacer import PaintPacer
from wadesk.ui.theme import render_icon

log = logging.getLogger("wadesk.ui.inbox")

FILTERS: tuple[str, ...] = ("all", "unread", "open", "resolved", "bot", "human")
SEARCH_DELAY_MS = 250
# the splitter's columns: minimum and preferred widths (px); below NARROW_WIDTH (the page's
# width, e.g. a 1180 px window with the demo simulator docked) the contact panel is hidden
# unless asked for, and then it takes the list's place instead of squeezing the messages
LIST_MIN, LIST_WIDTH = 230, 310
VIEW_MIN = 300
PANEL_MIN, PANEL_WIDTH = 240, 270
NARROW_WIDTH = 1000  # list + a comfortable message view (~420) + panel
WINDOW_TICK_MS = 60_000
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
# compact, rounded filter chips; palette() keeps them right in the light and the dark theme
CHIP_STYLE = """
QPushButton#FilterChip {
    padding: 3px 4px;
    min-height: 20px;
    border-radius: 12px;
    border: 1px solid palette(mid);
    background: palette(base);
}
QPushButton#FilterChip:checked {
    background: palette(highlight);
    color: palette(highlighted-text);
    border-color: palette(highlight);
}
"""


def _snippet_text(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


class InboxPage(QWidget):
    """The inbox. `engine` may be None (the app could not build it): the page stays empty."""

    def __init__(
        self,
        engine: Any,
        bridge: Any,
        translator: Any = None,
        parent: QWidget | None = None,
        *,
        conversation_view: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("InboxPage")
        self.engine = engine
        self.source = getattr(engine, "inbox", None)
        self.current_id: int | None = None
        self._several_numbers = False
        self.search_results: SearchResults | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.model = ConversationListModel(self.source, parent=self)
        self.delegate = ConversationDelegate(self)
        if conversation_view is None:
            conversation_view = make_conversation_view(engine, bridge, translator)
        self.conversation_view = conversation_view
        self.contact_panel = ContactPanel(self.source)
        self._build()
        self.retranslate()
        self._wire(bridge)
        QTimer.singleShot(0, self._start)

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter)

        left = QWidget()
        left.setObjectName("InboxListColumn")
        lay = QVBoxLayout(left)
        lay.setContentsMargins(10, 10, 10, 0)
        lay.setSpacing(8)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_text)
        lay.addWidget(self.search_edit)
        self.chips = ChipBox()
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QPushButton] = {}
        for key in FILTERS:
            button = QPushButton()
            button.setCheckable(True)
            button.setObjectName("FilterChip")
            button.setProperty("filter", key)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.filter_group.addButton(button)
            self.filter_buttons[key] = button
            self.chips.add(button)
        self.filter_buttons["all"].setChecked(True)
        self.filter_group.buttonClicked.connect(lambda _b: self._apply_filter())
        lay.addWidget(self.chips)
        self.label_combo = QComboBox()
        self.label_combo.activated.connect(lambda _i: self._apply_filter())
        lay.addWidget(self.label_combo)
        # per-number filter: only shown when more than one number is configured
        self.number_combo = QComboBox()
        self.number_combo.setObjectName("NumberFilter")
        self.number_combo.activated.connect(lambda _i: self._apply_filter())
        self.number_combo.hide()
        lay.addWidget(self.number_combo)

        self.stack = QStackedWidget()
        self.list_view = QListView()
        self.list_view.setObjectName("ConversationList")
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(self.delegate)
        self.list_view.setUniformItemSizes(True)
        self.list_view.setMouseTracking(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("Hint")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.results = QListWidget()
        self.results.setObjectName("SearchResults")
        self.results.itemActivated.connect(self._on_result_activated)
        self.results.itemClicked.connect(self._on_result_activated)
        self.stack.addWidget(self.list_view)
        self.stack.addWidget(self.results)
        self.stack.addWidget(self.empty_label)
        lay.addWidget(self.stack, 1)

        self.list_column = left
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.conversation_view)
        self.splitter.addWidget(self.contact_panel)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([LIST_WIDTH, 560, PANEL_WIDTH])
        left.setMinimumWidth(LIST_MIN)
        left.setStyleSheet(CHIP_STYLE)
        self.conversation_view.setMinimumWidth(VIEW_MIN)
        self.contact_panel.setMinimumWidth(PANEL_MIN)
        # show/hide the contact details: in the message view's header when it has one
        self.panel_button = QToolButton()
        self.panel_button.setObjectName("ContactPanelToggle")
        self.panel_button.setIconSize(QSize(20, 20))
        self.panel_button.setCheckable(True)
        self.panel_button.setChecked(True)
        self.panel_button.setAutoRaise(True)
        self.panel_button.toggled.connect(self._on_panel_button_toggled)
        add_header = getattr(self.conversation_view, "add_header_widget", None)
        if callable(add_header):
            add_header(self.panel_button)
        else:
            lay.removeWidget(self.search_edit)
            search_row = QHBoxLayout()
            search_row.addWidget(self.search_edit, 1)
            search_row.addWidget(self.panel_button)
            lay.insertLayout(0, search_row)
        self.panel_wanted = True
        self.narrow = False
        self._paint_panel_icon()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self._spawn(self.run_search()))
        self._window_timer = QTimer(self)
        self._window_timer.setInterval(WINDOW_TICK_MS)
        self._window_timer.timeout.connect(self.model.windows_changed)
        self._window_timer.start()

    def retranslate(self) -> None:
        self.search_edit.setPlaceholderText(self.tr("Search messages and contacts"))
        self.panel_button.setToolTip(self.tr("Show or hide the contact details"))
        texts = {
            "all": self.tr("All"),
            "unread": self.tr("Unread"),
            "open": self.tr("Open"),
            "resolved": self.tr("Resolved"),
            "bot": self.tr("Bot"),
            "human": self.tr("Human"),
        }
        for key, button in self.filter_buttons.items():
            button.setText(texts[key])
        if self.label_combo.count():
            self.label_combo.setItemText(0, self.tr("Any label"))
        if self.number_combo.count():
            self.number_combo.setItemText(0, self.tr("All numbers"))
        self._update_empty()
        if self.search_results is not None:
            self._show_results(self.search_results)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._paint_panel_icon()
        super().changeEvent(event)

    def _paint_panel_icon(self) -> None:
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()
        self.panel_button.setIcon(render_icon("contact", colour, 20))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < NARROW_WIDTH
        if narrow != self.narrow:
            self.narrow = narrow
            if narrow:
                self.panel_wanted = self.contact_panel.isVisibleTo(self)
            self._show_panel(self.panel_wanted and not narrow)

    def _show_panel(self, show: bool) -> None:
        """Show or hide the contact panel; when narrow it replaces the list while shown."""
        self.contact_panel.setVisible(show)
        self.list_column.setVisible(not (show and self.narrow))
        self.panel_button.blockSignals(True)
        self.panel_button.setChecked(show)
        self.panel_button.blockSignals(False)

    def _on_panel_button_toggled(self, checked: bool) -> None:
        if not self.narrow:
            self.panel_wanted = checked
        self._show_panel(checked)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.number_combo.count():  # after the first load: numbers may have been added
            self._spawn(self.reload_numbers())

    def _wire(self, bridge: Any) -> None:
        # both lists repaint at most ~15 times a second while batches stream in
        painted: list[QWidget] = [self.list_view.viewport()]
        messages = getattr(self.conversation_view, "list", None)
        if isinstance(messages, QAbstractItemView):
            painted.append(messages.viewport())
        self.paint_pacer = PaintPacer(painted, parent=self)
        if bridge is not None:
            bridge.events_batch.connect(self.paint_pacer.on_batch)
            bridge.message_added.connect(self.model.on_messages_added)
            bridge.message_updated.connect(self.model.on_messages_updated)
            bridge.conversation_updated.connect(self.model.on_conversations_updated)
        self.model.loaded.connect(self._on_model_loaded)
        self.model.refreshed.connect(self._on_model_refreshed)
        self.model.rowsInserted.connect(lambda *_: self._update_empty())
        self.model.rowsRemoved.connect(lambda *_: self._update_empty())
        self.contact_panel.changed.connect(self._on_panel_changed)

    # -- async plumbing ---------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            return
        task = loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def shutdown(self) -> None:
        """Cancel everything the page, its model and its panel still run in the background."""
        self._search_timer.stop()
        self._window_timer.stop()
        self.paint_pacer.release()
        for task in list(self._tasks):
            task.cancel()
        self.model.shutdown()
        self.contact_panel.shutdown()

    def _start(self) -> None:
        self._spawn(self.start())

    async def start(self, max_wait: float = 120.0) -> None:
        """First load, once the engine's store is open (the page is built before it starts)."""
        if self.source is None:
            self._update_empty()
            return
        store = getattr(self.engine, "store", None)
        waited = 0.0
        while store is not None and not getattr(store, "is_open", True) and waited < max_wait:
            await asyncio.sleep(0.05)
            waited += 0.05
        await self.reload_labels()
        await self.reload_numbers()
        await self.model.load(self.current_filter())

    async def reload_labels(self) -> None:
        if self.source is None:
            return
        try:
            labels = await self.source.labels()
        except Exception as exc:
            log.warning("Loading labels failed: %r", exc)
            return
        current = self.label_combo.currentData()
        self.label_combo.clear()
        self.label_combo.addItem(self.tr("Any label"), None)
        for label in labels:
            self.label_combo.addItem(label.name, label.id)
        found = self.label_combo.findData(current)
        self.label_combo.setCurrentIndex(max(0, found))

    async def reload_numbers(self) -> None:
        """Fill the number filter (kept as chosen); it is shown only with several numbers."""
        list_numbers = getattr(self.engine, "list_numbers", None)
        if not callable(list_numbers):
            return
        try:
            numbers = await list_numbers()
        except Exception as exc:
            log.warning("Loading numbers failed: %r", exc)
            return
        current = self.number_combo.currentData()
        self.number_combo.clear()
        self.number_combo.addItem(self.tr("All numbers"), None)
        for number in numbers:
            self.number_combo.addItem(number.label, number.id)
        found = self.number_combo.findData(current)
        self.number_combo.setCurrentIndex(max(0, found))
        self.number_combo.setVisible(len(numbers) > 1)
        self._several_numbers = len(numbers) > 1
        if current is not None and found < 0:
            self._apply_filter()  # the chosen number is gone: show all again
        self._update_number_chips()

    def _update_number_chips(self) -> None:
        """Rows name their number while "All numbers" lists conversations of several."""
        show = self._several_numbers and self.number_combo.currentData() is None
        if show != self.delegate.show_number:
            self.delegate.show_number = show
            self.list_view.viewport().update()

    # -- filters ----------------------------------------------------------------------------

    def current_filter(self) -> InboxFilter:
        checked = self.filter_group.checkedButton()
        key = str(checked.property("filter")) if checked is not None else "all"
        label_id = self.label_combo.currentData()
        number_id = self.number_combo.currentData()
        return InboxFilter(
            number_id=int(number_id) if number_id is not None else None,
            unread=key == "unread",
            state={"open": ConversationState.OPEN, "resolved": ConversationState.RESOLVED}.get(key),
            mode={"bot": ConversationMode.BOT, "human": ConversationMode.HUMAN}.get(key),
            label_id=int(label_id) if label_id is not None else None,
        )

    def set_filter(
        self, key: str, label_id: int | None = None, number_id: int | None = None
    ) -> None:
        """Check the chip `key` (and pick the label and the number) and reload the list."""
        self.filter_buttons[key].setChecked(True)
        found = self.label_combo.findData(label_id)
        self.label_combo.setCurrentIndex(max(0, found))
        found = self.number_combo.findData(number_id)
        self.number_combo.setCurrentIndex(max(0, found))
        self._apply_filter()

    def _apply_filter(self) -> None:
        self._update_number_chips()
        self._spawn(self.model.load(self.current_filter()))

    # -- selection --------------------------------------------------------------------------

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        conv_id = current.data(Role.ID) if current.isValid() else None
        if conv_id is None or conv_id == self.current_id:
            return
        self._show_conversation(int(conv_id))

    def _show_conversation(self, conv_id: int) -> None:
        self.current_id = conv_id
        setter = getattr(self.conversation_view, "set_conversation", None)
        if callable(setter):
            setter(conv_id)
        self._spawn(self._load_panel(conv_id))

    async def _load_panel(self, conv_id: int) -> None:
        if self.source is None:
            return
        row = self.model.cached(conv_id)
        try:
            if row is None:
                row = await self.source.row(conv_id)
            if row.conversation.unread_count:
                await self.source.mark_read(conv_id)
        except Exception as exc:
            log.warning("Opening conversation %s failed: %r", conv_id, exc)
            return
        if self.current_id == conv_id:
            await self.contact_panel.set_row(row)

    def select(self, conversation_id: int) -> bool:
        """Select a shown conversation in the list; False when it is not shown."""
        index = self.model.index_of(conversation_id)
        if not index.isValid():
            return False
        self.stack.setCurrentWidget(self.list_view)
        self.list_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.list_view.scrollTo(index)
        return True

    def open_conversation(self, conversation_id: int) -> None:
        """Show this conversation (tray notifications, search results)."""
        self._spawn(self.open(conversation_id))

    async def open(self, conversation_id: int, message_id: int | None = None) -> None:
        if not self.select(conversation_id):
            if (
                conversation_id not in self.model.all_ids()
                or self.current_filter() != InboxFilter()
            ):
                self.filter_buttons["all"].setChecked(True)
                self.label_combo.setCurrentIndex(0)
                self.number_combo.setCurrentIndex(0)
                self._update_number_chips()
                await self.model.load(InboxFilter())
            while not self.select(conversation_id) and self.model.canFetchMore():
                self.model.fetchMore()
            if self.model.row_of(conversation_id) < 0:
                self._show_conversation(conversation_id)
        if message_id is not None:
            jump = getattr(self.conversation_view, "jump_to", None)
            if callable(jump):
                jump(message_id)

    # -- search -----------------------------------------------------------------------------

    def _on_search_text(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self.search_results = None
            self.stack.setCurrentWidget(self.list_view)
            self._update_empty()

    async def run_search(self, text: str | None = None) -> SearchResults | None:
        query = self.search_edit.text() if text is None else text
        if self.source is None or not query.strip():
            return None
        try:
            results: SearchResults = await self.source.search(query, 50)
        except Exception as exc:
            log.warning("Search failed: %r", exc)
            return None
        if query != self.search_edit.text() and text is None:
            return None  # the user typed on; a newer search follows
        self.search_results = results
        self._show_results(results)
        return results

    def _show_results(self, results: SearchResults) -> None:
        self.results.clear()

        def header(text: str) -> None:
            item = QListWidgetItem(text)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.results.addItem(item)

        if results.contacts:
            header(self.tr("Contacts"))
            for hit in results.contacts:
                item = QListWidgetItem(hit.contact.display_name)
                item.setData(HIT_ROLE, (hit.conversation_id, None))
                self.results.addItem(item)
        if results.messages:
            header(self.tr("Messages"))
            for msg in results.messages:
                when = format_list_time(msg.timestamp)
                item = QListWidgetItem(f"{msg.contact_name} · {when}\n{_snippet_text(msg.snippet)}")
                item.setData(HIT_ROLE, (msg.conversation_id, msg.message_id))
                self.results.addItem(item)
        if not results.contacts and not results.messages:
            header(self.tr("Nothing found."))
        self.stack.setCurrentWidget(self.results)

    def _on_result_activated(self, item: QListWidgetItem) -> None:
        hit = item.data(HIT_ROLE)
        if not hit or hit[0] is None:
            return
        conv_id, message_id = hit
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.search_results = None
        self._spawn(self.open(int(conv_id), message_id))

    # -- model feedback ---------------------------------------------------------------------

    def _update_empty(self) -> None:
        if self.search_results is not None:
            return
        if self.model.rowCount() == 0:
            if self.source is None:
                text = self.tr("The inbox is not available: the engine did not start.")
            elif self.current_filter() == InboxFilter():
                text = self.tr("No conversations yet. Messages your customers send appear here.")
            else:
                text = self.tr("No conversations match this filter.")
            self.empty_label.setText(text)
            self.stack.setCurrentWidget(self.empty_label)
        else:
            self.stack.setCurrentWidget(self.list_view)

    def _on_model_loaded(self) -> None:
        self._update_empty()
        if self.current_id is not None:
            index = self.model.index_of(self.current_id)
            if index.isValid():
                self.list_view.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )

    def _on_model_refreshed(self) -> None:
        self._update_empty()
        if self.current_id is None:
            return
        row = self.model.cached(self.current_id)
        if row is not None and row != self.contact_panel.row:
            self.contact_panel.update_row(row)

    def _on_panel_changed(self, conversation_id: int) -> None:
        self.model.touch([conversation_id])
        self._spawn(self.reload_labels())
