"""`MessageListView`: the scrolling list of bubbles, with chat-style scrolling.

- Sticks to the bottom while the user is there; when rows are added above (older history) or
  rows above change height, it keeps the distance from the bottom, so what the user looks at
  does not move; new messages while scrolled up leave the view where it is (the conversation
  view shows a "new messages" pill instead).
- Tells the model when the top is in sight, so history is fetched as the user scrolls up
  (`canFetchMore`/`fetchMore`), and only then; when the model's row window slid up
  (`has_newer`), newer rows are fetched as the user scrolls down, and "the bottom" means the
  newest message, not the last loaded row. Around a page the row at the top of the viewport
  stays where it was.
- A row whose data changed is laid out again only when its height changed (a status tick
  repaints one row; it does not re-lay out the whole list).
- Turns clicks into actions via the delegate's hit test: links, reply quotes, Retry, Open,
  Save, Open in map (`activated(kind, row, arg)`); right click asks for a context menu.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QPointF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from wadesk.ui.inbox.conversation.delegate import MessageDelegate
from wadesk.ui.inbox.conversation.model import MessageListModel
from wadesk.ui.inbox.conversation.painting import colors_for
from wadesk.ui.inbox.conversation.roles import Role

TOP_FETCH_MARGIN = 300
BOTTOM_SLACK = 8


class MessageListView(QListView):
    """A list of message bubbles.

    Attributes:
        stick_to_bottom: the user is at the bottom (new rows keep it there).

    Signals:
        activated(str, int, str): a clickable part was clicked: kind, row, argument.
        menu_requested(int, QPoint): right click on a row (global position).
        at_bottom_changed(bool): the user reached / left the bottom.
    """

    activated = Signal(str, int, str)
    menu_requested = Signal(int, QPoint)
    at_bottom_changed = Signal(bool)

    def __init__(self, model: MessageListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageList")
        self._model = model
        self.delegate = MessageDelegate(self)
        self.setModel(model)
        self.setItemDelegate(self.delegate)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.verticalScrollBar().setSingleStep(24)
        self._stick = True
        self.stick_to_bottom = True
        self._from_bottom = 0
        self._hold_value: int | None = None
        self._anchor: tuple[int, int] | None = None
        self._layout_pending = False
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_bar_range_changed)
        bar.valueChanged.connect(self._on_bar_value_changed)
        model.rowsAboutToBeInserted.connect(self._on_model_rows_about_to_be_inserted)
        model.rowsInserted.connect(self._on_model_rows_changed)
        model.rowsRemoved.connect(self._on_model_rows_changed)
        model.dataChanged.connect(self._on_model_data_changed)
        model.modelReset.connect(self._on_model_reset)
        model.older_loaded.connect(self._on_model_older_loaded)
        model.newer_loaded.connect(self._on_model_newer_loaded)
        model.paging.connect(self._on_model_paging)
        model.loaded.connect(self._on_model_loaded)

    # -- scrolling ----------------------------------------------------------------------------

    @property
    def stick_to_bottom(self) -> bool:
        """The user is at the newest message: new rows keep the view there (and the model
        keeps fewer rows: `MessageListModel.following`)."""
        return self._stick

    @stick_to_bottom.setter
    def stick_to_bottom(self, value: bool) -> None:
        self._stick = value
        self._model.following = value

    def scroll_to_end(self) -> None:
        """Go to the newest message and stay there."""
        self.stick_to_bottom = True
        if self._model.has_newer:
            self._model.show_latest()  # the newest page loads; `loaded` scrolls down again
            return
        self.doItemsLayout()
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - BOTTOM_SLACK and not self._model.has_newer

    def _on_bar_range_changed(self, _minimum: int, maximum: int) -> None:
        bar = self.verticalScrollBar()
        if self.stick_to_bottom:
            bar.setValue(maximum)
        elif self._hold_value is not None:
            bar.setValue(min(self._hold_value, maximum))
            self._hold_value = None
        else:
            bar.setValue(max(0, maximum - self._from_bottom))

    def _on_bar_value_changed(self, value: int) -> None:
        bar = self.verticalScrollBar()
        was = self.stick_to_bottom
        self.stick_to_bottom = self.at_bottom()
        self._from_bottom = bar.maximum() - value
        if was != self.stick_to_bottom:
            self.at_bottom_changed.emit(self.stick_to_bottom)
        self._check_top()
        if self._model.has_newer and value >= bar.maximum() - TOP_FETCH_MARGIN:
            self._model.fetch_newer()

    def _check_top(self) -> None:
        bar = self.verticalScrollBar()
        near_top = bar.value() <= TOP_FETCH_MARGIN
        self._model.set_top_in_view(near_top)
        if near_top and self._model.canFetchMore(QModelIndex()):
            self._model.fetchMore(QModelIndex())

    def _on_model_rows_about_to_be_inserted(
        self, _parent: QModelIndex, first: int, _last: int
    ) -> None:
        if first >= self._model.rowCount() and not self.stick_to_bottom:
            self._hold_value = self.verticalScrollBar().value()  # appended: do not move

    def doItemsLayout(self) -> None:
        self._layout_pending = False
        super().doItemsLayout()

    def _on_model_rows_changed(self, *_args: object) -> None:
        self._layout_pending = True  # Qt lays every row out again soon
        QTimer.singleShot(0, self, self._clear_layout_pending)  # in case it did not go here

    def _clear_layout_pending(self) -> None:
        self._layout_pending = False

    def _on_model_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        if self._layout_pending:
            return  # the pending layout measures every row anyway
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        # the delegate remembers the last size it gave per (message, width): what Qt laid out
        known: dict[tuple[int, int], QSize] = getattr(self.delegate, "_sizes", {})
        for row in range(top_left.row(), bottom_right.row() + 1):
            index = self._model.index(row)
            before = known.get((index.data(Role.ID), self.delegate.width))
            after = self.delegate.sizeHint(option, index)
            if before is None or before.height() != after.height():
                self.delegate.sizeHintChanged.emit(index)  # relayout (one for the batch)
                return
            self.update(index)

    def _on_model_paging(self) -> None:
        """Remember the row at the top of the viewport and its offset (restored after)."""
        index = self.indexAt(QPoint(4, 1))
        if index.isValid() and self._anchor is None:
            self._anchor = (int(index.data(Role.ID)), self.visualRect(index).top())

    def _restore_anchor(self) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is None or self.stick_to_bottom:
            return
        row = self._model.row_of(anchor[0])
        if row is None:
            return
        top = self.visualRect(self._model.index(row)).top()
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + top - anchor[1])

    def _on_model_reset(self) -> None:
        self._layout_pending = True
        self.stick_to_bottom = True
        self._hold_value = None
        self._anchor = None
        self._from_bottom = 0

    def _on_model_older_loaded(self, _count: int) -> None:
        self.doItemsLayout()
        self._restore_anchor()
        QTimer.singleShot(0, self, self._check_top)

    def _on_model_newer_loaded(self, _count: int) -> None:
        self.doItemsLayout()
        self._restore_anchor()

    def _on_model_loaded(self) -> None:
        self.scroll_to_end()
        QTimer.singleShot(0, self, self._check_top)

    # -- geometry and input -------------------------------------------------------------------

    def apply_background(self) -> None:
        """The chat wallpaper colour of the current (light or dark) palette."""
        colour = colors_for(self.palette()).background
        self.setStyleSheet(f"QListView#messageList {{ background: {colour}; border: none; }}")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            colour = colors_for(self.palette()).background
            if colour not in self.styleSheet():
                QTimer.singleShot(0, self, self.apply_background)
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self.apply_background()
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = self.viewport().width()
        if not self.verticalScrollBar().isVisible():
            # rows are laid out as if the scroll bar were there: when the first page makes it
            # appear, the width stays the same and no row is laid out twice
            width -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        if width != self.delegate.width:
            self.delegate.width = width
            self.scheduleDelayedItemsLayout()
        super().resizeEvent(event)

    def hit_at(self, pos: QPoint) -> tuple[int, str, str] | None:
        """(row, kind, arg) of what is under the viewport position `pos`."""
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        rect = self.visualRect(index)
        found = self.delegate.hit(index, QPointF(pos - rect.topLeft()))
        return (index.row(), found[0], found[1]) if found else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.hit_at(event.position().toPoint())
        clickable = hit is not None and hit[1] not in ("bubble",)
        self.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        )
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.RightButton:
            index = self.indexAt(pos)
            if index.isValid():
                self.setCurrentIndex(index)
                self.menu_requested.emit(index.row(), self.viewport().mapToGlobal(pos))
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.hit_at(pos)
        if hit is not None and hit[1] != "bubble":
            self.activated.emit(hit[1], hit[0], hit[2])
