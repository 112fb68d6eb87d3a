"""Settings → Connection: which ngrok program the tunnel runs.

Empty means pyngrok's own managed ngrok (downloaded on first use); a path must name an existing
executable file (checked in an executor). Saving goes through `engine.connection.set_ngrok_path`
(`ConnectionSettings` in `connection.json`), which restarts a running tunnel with the new
program; otherwise it is used on the next start. The reserved domain and the user's own public
URL are edited in Numbers → Connection settings…, not duplicated here.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from wadesk.engine.connection import NGROK_PATH_ENV, SETTINGS_FILE, ConnectionSettings
from wadesk.ui.settings.common import Section, card, hint, set_status

log = logging.getLogger("wadesk.ui.settings")


def check_executable(path: str) -> str | None:
    """Why `path` cannot be used as the ngrok program ("missing", "folder", "not-executable"),
    or None when it can (blocking)."""
    file = Path(path).expanduser()
    if not file.exists():
        return "missing"
    if file.is_dir():
        return "folder"
    if not os.access(file, os.X_OK):
        return "not-executable"
    return None


class ConnectionSection(Section):
    """The ngrok binary path (see the module doc).

    Attributes:
        path_edit, browse_button, save_button, default_button, status, file_dialog.
    """

    def __init__(self, engine: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConnectionSection")
        self._engine = engine
        self.connection = getattr(engine, "connection", None)
        self.file_dialog: QFileDialog | None = None
        self.loaded = False

        frame, self._card_title, form = card()
        self.path_edit = QLineEdit()
        self.path_edit.setMinimumWidth(320)
        self.path_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton()
        self._path_label = QLabel()
        self._path_label.setBuddy(self.path_edit)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form.addRow(self._path_label, row)
        self.save_button = QPushButton()
        self.save_button.setProperty("primary", True)
        self.default_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        form.addRow(self.status)
        self._hint = hint()
        form.addRow(self._hint)
        self._env_hint = hint()
        form.addRow(self._env_hint)
        self.add(frame)

        other, self._other_title, other_form = card()
        self._other_hint = hint()
        other_form.addRow(self._other_hint)
        self.add(other)
        self.finish()

        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.default_button.clicked.connect(self._on_default_clicked)
        self.path_edit.returnPressed.connect(self._on_save_clicked)
        self.path_edit.textEdited.connect(lambda _t: set_status(self.status, ""))
        enabled = self.connection is not None
        for widget in (self.path_edit, self.browse_button, self.save_button, self.default_button):
            widget.setEnabled(enabled)
        self.retranslate()

    async def refresh(self) -> None:
        if self.connection is None:
            return
        path = self._engine.settings.paths.data_dir / SETTINGS_FILE
        try:
            settings = await self._engine.blocking(ConnectionSettings.load, path)
        except OSError as exc:  # pragma: no cover - load() already swallows read errors
            log.warning("Reading connection settings failed: %r", exc)
            return
        self.path_edit.setText(settings.ngrok_path or "")
        self.loaded = True

    def problem(self, reason: str | None) -> str | None:
        texts = {
            "missing": self.tr("There is no file at this path."),
            "folder": self.tr("This is a folder; choose the ngrok program itself."),
            "not-executable": self.tr("This file is not a program this computer can run."),
        }
        return texts.get(reason or "")

    async def save(self, path: str | None) -> bool:
        """Check and save the path (None/"" for the managed ngrok); restarts a running tunnel."""
        if self.connection is None:
            return False
        value = (path or "").strip()
        if value:
            reason = await self._engine.blocking(check_executable, value)
            problem = self.problem(reason)
            if problem is not None:
                set_status(self.status, problem, error=True)
                return False
        set_status(self.status, self.tr("Saving…"))
        self.save_button.setEnabled(False)
        try:
            await self.connection.set_ngrok_path(value or None)
        except OSError as exc:
            text = self.tr("Not saved: %1").replace("%1", exc.strerror or str(exc))
            set_status(self.status, text, error=True)
            return False
        finally:
            self.save_button.setEnabled(True)
        self.path_edit.setText(value)
        if value:
            done = self.tr("Saved. The tunnel now uses this ngrok (it restarts if it was running).")
        else:
            done = self.tr("Saved. The tunnel uses wadesk's own ngrok (downloaded when needed).")
        set_status(self.status, done)
        return True

    def _on_save_clicked(self) -> None:
        self.tasks.spawn(self.save(self.path_edit.text()))

    def _on_default_clicked(self) -> None:
        self.path_edit.clear()
        self.tasks.spawn(self.save(None))

    def _on_browse_clicked(self) -> None:
        if self.file_dialog is None:
            self.file_dialog = QFileDialog(self, self.tr("Choose the ngrok program"))
            self.file_dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            self.file_dialog.fileSelected.connect(self._on_file_selected)
        self.file_dialog.open()

    def _on_file_selected(self, path: str) -> None:
        self.path_edit.setText(path)
        self.tasks.spawn(self.save(path))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Connection"))
        self.subtitle.setText(self.tr("How Meta's webhooks reach this computer."))
        self._card_title.setText(self.tr("ngrok program"))
        self._path_label.setText(self.tr("ngrok &path"))
        self.path_edit.setPlaceholderText(self.tr("Empty: wadesk's own ngrok"))
        self.browse_button.setText(self.tr("&Browse…"))
        self.save_button.setText(self.tr("&Save"))
        self.default_button.setText(self.tr("Use wadesk's &own ngrok"))
        self._hint.setText(
            self.tr(
                "Leave empty to let wadesk download and manage ngrok itself. Choose your own "
                "ngrok if downloads are blocked here. A new path takes effect at once if the "
                "tunnel is running, otherwise when it next starts."
            )
        )
        env = os.environ.get(NGROK_PATH_ENV)
        self._env_hint.setText(
            self.tr("Note: the %1 environment variable is set and wins over this setting: %2")
            .replace("%1", NGROK_PATH_ENV)
            .replace("%2", env)
            if env
            else ""
        )
        self._env_hint.setVisible(bool(env))
        self._other_title.setText(self.tr("Public address"))
        self._other_hint.setText(
            self.tr(
                "The ngrok authtoken, a reserved ngrok domain or your own public URL are set in "
                "Numbers → Connection settings…"
            )
        )
