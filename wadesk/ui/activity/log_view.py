"""`LogView`: the tail of wadesk's rotating log file, refreshed while visible.

The file is read in the engine's executor (`engine.blocking`) and every line passes through
`engine.redactor.redact` again before it is shown: the file was redacted when written, but a
secret registered later (or a log written by an older version) is caught here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QFontDatabase, QHideEvent, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.engine.activity import tail_lines
from wadesk.engine.logs import SecretRedactor
from wadesk.ui.tasks import Tasks

DEFAULT_LINES = 500
REFRESH_MS = 2_000


def read_redacted(path: Path, n: int, redactor: SecretRedactor) -> list[str]:
    """The last `n` lines of the log, redacted (blocking: runs in an executor)."""
    return [redactor.redact(line) for line in tail_lines(path, n)]


class LogView(QWidget):
    """Shows the last lines of the log file; "Refresh" and a timer while visible.

    Attributes:
        lines: the (redacted) lines shown.
        text: the text widget.
    """

    def __init__(
        self,
        engine: Any,
        *,
        max_lines: int = DEFAULT_LINES,
        refresh_ms: int = REFRESH_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self.max_lines = max_lines
        self.lines: list[str] = []
        self._tasks = Tasks()
        self._loading = False

        self.path_label = QLabel()
        self.path_label.setObjectName("Hint")
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.path_label, 1)
        top.addWidget(self.refresh_button)

        self.text = QPlainTextEdit()
        self.text.setObjectName("LogText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setMaximumBlockCount(max_lines + 10)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)

        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.retranslate()

    @property
    def log_file(self) -> Path | None:
        path = getattr(self._engine, "log_file", None)
        return path if isinstance(path, Path) else None

    async def refresh(self) -> None:
        """Re-read the tail of the log file (in the executor) and show it."""
        path = self.log_file
        if path is None or self._loading:
            return
        self._loading = True
        try:
            lines = await self._engine.blocking(
                read_redacted, path, self.max_lines, self._engine.redactor
            )
        finally:
            self._loading = False
        if lines == self.lines:
            return
        self.lines = lines
        bar = self.text.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 2
        self.text.setPlainText("\n".join(lines) if lines else self._empty_text())
        if at_bottom:
            self.text.moveCursor(QTextCursor.MoveOperation.End)
            bar.setValue(bar.maximum())

    def _empty_text(self) -> str:
        return self.tr("The log is empty so far.")

    def _on_refresh_clicked(self) -> None:
        self._tasks.spawn(self.refresh())

    def _on_timer_timeout(self) -> None:
        self._tasks.spawn(self.refresh())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._timer.start()
        self._tasks.spawn(self.refresh())

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh"))
        path = self.log_file
        if path is None:
            self.path_label.setText(self.tr("wadesk does not write a log file in this mode."))
        else:
            self.path_label.setText(self.tr("Log file: %1").replace("%1", str(path)))
        if not self.lines:
            self.text.setPlainText(self._empty_text())

    def close_tasks(self) -> None:
        self._timer.stop()
        self._tasks.cancel_all()

    async def wait_idle(self) -> None:
        await self._tasks.wait()
