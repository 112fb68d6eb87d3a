"""Small widgets of the inbox: `ElidedLabel`, a one-line label that ends in "…" when it does
not fit (a plain QLabel either widens its column or is cut mid-letter), and `ChipBox`, the
filter chips in three or two columns, whichever fits."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """A single line of plain text, elided on the right; the full text is its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(24)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text if text else "")

    def minimumSizeHint(self) -> QSize:
        return QSize(24, super().minimumSizeHint().height())

    def elided(self) -> str:
        """The text as painted at the current width."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, max(0, self.contentsRect().width())
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.elided())
        painter.end()


class ChipBox(QWidget):
    """Chips (buttons) in a grid of `columns[0]` columns, or `columns[1]` when those do not fit
    (Russian labels are long): the box's minimum width is that of the narrow arrangement."""

    def __init__(self, parent: QWidget | None = None, *, columns: tuple[int, int] = (3, 2)) -> None:
        super().__init__(parent)
        self.wide, self.narrow = columns
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        self.buttons: list[QWidget] = []
        self.columns = 0

    def add(self, button: QWidget) -> None:
        self.buttons.append(button)
        self.columns = 0
        self._place(self.wide)

    def needed(self, columns: int) -> int:
        """The width the chips need in `columns` columns (each as wide as its widest chip)."""
        widths = [0] * columns
        for n, button in enumerate(self.buttons):
            widths[n % columns] = max(widths[n % columns], button.sizeHint().width())
        return sum(widths) + (columns - 1) * self.grid.horizontalSpacing()

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for n, button in enumerate(self.buttons):
            self.grid.addWidget(button, n // columns, n % columns)
        self.updateGeometry()

    def _height(self) -> int:
        rows = -(-len(self.buttons) // max(1, self.columns))
        height = max((b.sizeHint().height() for b in self.buttons), default=0)
        return rows * height + (rows - 1) * self.grid.verticalSpacing()

    def minimumSizeHint(self) -> QSize:
        return QSize(self.needed(self.narrow), self._height())

    def sizeHint(self) -> QSize:
        return QSize(self.needed(self.wide), self._height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= self.needed(self.wide)
        self._place(self.wide if wide else self.narrow)
