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
    """Filter chips in a grid of three columns, or two when three do not fit (Russian labels
    are long): the box never sets the list column's minimum width above two chips' width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(4)
        self.buttons: list[QWidget] = []
        self.columns = 0

    def add(self, button: QWidget) -> None:
        self.buttons.append(button)
        self._place(3)

    def needed(self, columns: int) -> int:
        """The width the chips need in `columns` columns (each as wide as its widest chip)."""
        widths = [0] * columns
        for n, button in enumerate(self.buttons):
            widths[n % columns] = max(widths[n % columns], button.sizeHint().width())
        return sum(widths) + (columns - 1) * self.grid.horizontalSpacing()

    def _place(self, columns: int) -> None:
        if columns == self.columns and all(self.grid.indexOf(b) >= 0 for b in self.buttons):
            return
        self.columns = columns
        for button in self.buttons:
            self.grid.removeWidget(button)
        for n, button in enumerate(self.buttons):
            self.grid.addWidget(button, n // columns, n % columns)

    def minimumSizeHint(self) -> QSize:
        rows = -(-len(self.buttons) // 2)
        height = max((b.sizeHint().height() for b in self.buttons), default=0)
        return QSize(self.needed(2), rows * height + (rows - 1) * self.grid.verticalSpacing())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place(3 if event.size().width() >= self.needed(3) else 2)
