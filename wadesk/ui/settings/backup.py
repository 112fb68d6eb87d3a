"""Settings → Backup: export everything to one archive, restore from one.

Export asks for a file (QFileDialog with `open()`), runs `engine.backup` (the archive is built
in the engine's executor and checked against every secret the keyring holds) with a progress
bar, then says where it went and that no secret is in it.

Restore never leaves a half-restored store: after a confirmation that says what the archive
holds, `wadesk.engine.backup.prepare_restore` unpacks and checks it in a staging folder while
the engine still runs; only then is the engine stopped (`release_engine`, given by the app)
and `StagedRestore.apply()` swaps the files in (the old ones are kept in `previous-<time>/`,
any failure puts them back). The app then says that secrets must be entered again and that
wadesk closes now and has to be started again (`request_quit`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from wadesk.engine.backup import (
    BackupError,
    Manifest,
    StagedRestore,
    prepare_restore,
    read_manifest,
)
from wadesk.ui.settings.common import Section, ask, card, english_plural, hint, set_status

log = logging.getLogger("wadesk.ui.settings")
PROGRESS_STEPS = 1000


class BackupSection(Section):
    """Export and restore (see the module doc).

    Attributes:
        export_button, restore_button, progress, status: the controls.
        file_dialog, confirm, result_box: what is open (None otherwise).
        last_archive: where the last export went; previous_dir: where the replaced data went.
    """

    restored = Signal(str)

    def __init__(
        self,
        engine: Any,
        *,
        release_engine: Callable[[], Awaitable[None]] | None = None,
        request_quit: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("BackupSection")
        self._engine = engine
        self._release_engine = release_engine
        self._request_quit = request_quit
        paths = getattr(getattr(engine, "settings", None), "paths", None)
        self.data_dir: Path | None = paths.data_dir if paths is not None else None
        self.available = self.data_dir is not None and hasattr(engine, "backup")
        self.file_dialog: QFileDialog | None = None
        self.confirm: QMessageBox | None = None
        self.result_box: QMessageBox | None = None
        self.last_archive: Path | None = None
        self.previous_dir: Path | None = None
        self._busy = False

        export, self._export_title, form = card()
        self._export_hint = hint()
        form.addRow(self._export_hint)
        self.export_button = QPushButton()
        self.export_button.setProperty("primary", True)
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.export_button)
        row.addStretch(1)
        form.addRow(row)
        self.add(export)

        restore, self._restore_title, form = card()
        self._restore_hint = hint()
        form.addRow(self._restore_hint)
        self.restore_button = QPushButton()
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        form.addRow(row)
        self.add(restore)

        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setMaximumWidth(820)
        self.progress.hide()
        self.add(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setMaximumWidth(820)
        self.status.hide()
        self.add(self.status)
        self.finish()

        self.export_button.clicked.connect(self._on_export_clicked)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self._set_busy(False)
        self.retranslate()

    # -- helpers ------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.export_button.setEnabled(self.available and not busy)
        self.restore_button.setEnabled(self.available and not busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(int(PROGRESS_STEPS * done / total) if total else 0)

    def _thread_progress(self) -> Callable[[int, int], None]:
        """A progress callback for executor threads: it hops to the loop (Qt on this thread)."""
        loop = asyncio.get_running_loop()

        def report(done: int, total: int) -> None:
            loop.call_soon_threadsafe(self._on_progress, done, total)

        return report

    def _failure(self, exc: BaseException) -> str:
        """The reason in the UI language (BackupError texts are English: match them)."""
        if isinstance(exc, OSError):
            return exc.strerror or str(exc)
        message = str(exc)
        known = (
            ("not a wadesk backup", self.tr("this file is not a wadesk backup")),
            ("newer", self.tr("the backup was made by a newer wadesk; update wadesk first")),
            (
                "contains a secret",
                self.tr("a secret was found in the data, so nothing was written"),
            ),
            ("nothing to back up", self.tr("there is no data to back up yet")),
            ("does not exist", self.tr("the file does not exist")),
            ("cannot read", self.tr("the file cannot be read")),
            ("already contains data", self.tr("the data folder is not empty")),
        )
        for needle, text in known:
            if needle in message:
                return text
        damaged = ("damaged", "incomplete", "cannot be opened", "no database", "unsafe")
        if any(word in message for word in damaged):
            return self.tr("the backup file is damaged or incomplete")
        return message

    def _open_file_dialog(self, save: bool) -> QFileDialog:
        if self.file_dialog is not None:
            self.file_dialog.deleteLater()
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        title = self.tr("Export backup") if save else self.tr("Restore from backup")
        dialog = QFileDialog(self, title, documents)
        dialog.setNameFilter(self.tr("wadesk backups (*.zip)"))
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("zip")
            dialog.selectFile(f"wadesk-backup-{datetime.now():%Y-%m-%d-%H%M}.zip")
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self.file_dialog = dialog
        return dialog

    # -- export -------------------------------------------------------------------------------

    def _on_export_clicked(self) -> None:
        dialog = self._open_file_dialog(save=True)
        dialog.fileSelected.connect(lambda path: self.tasks.spawn(self.export(Path(path))))
        dialog.open()

    async def export(self, out: Path) -> Manifest | None:
        """Write the archive to `out`; shows progress, then the result or the reason."""
        if not self.available or self._busy:
            return None
        self._set_busy(True)
        set_status(self.status, self.tr("Writing the backup…"))
        try:
            manifest: Manifest = await self._engine.backup(out, self._on_progress)
        except (BackupError, OSError) as exc:
            log.warning("Backup failed: %s", type(exc).__name__)
            text = self.tr("The backup was not written: %1").replace("%1", self._failure(exc))
            set_status(self.status, text, error=True)
            return None
        finally:
            self._set_busy(False)
        self.last_archive = out
        counts = manifest.counts
        text = (
            self.tr("Backup saved to %1.").replace("%1", str(out))
            + " "
            + self.tr("It holds %1.").replace("%1", self._counts(counts))
            + "\n"
            + self.tr(
                "Secrets (access tokens, app secrets, the ngrok authtoken) are not in the "
                "backup; keep them somewhere safe."
            )
        )
        set_status(self.status, text)
        return manifest

    # -- restore ------------------------------------------------------------------------------

    def _on_restore_clicked(self) -> None:
        dialog = self._open_file_dialog(save=False)
        dialog.fileSelected.connect(lambda path: self.tasks.spawn(self.restore_from(Path(path))))
        dialog.open()

    def _describe(self, manifest: Manifest) -> str:
        return (
            self.tr("The backup was made on %1 and holds %2.")
            .replace("%1", manifest.created_at.replace("T", " "))
            .replace("%2", self._counts(manifest.counts))
        )

    def _counts(self, counts: dict[str, int]) -> str:
        conversations, messages = counts.get("conversation", 0), counts.get("message", 0)
        flows = counts.get("flow", 0)
        parts = (
            english_plural(self.tr("%n conversation(s)", "", conversations), conversations),
            english_plural(self.tr("%n message(s)", "", messages), messages),
            english_plural(self.tr("%n flow(s)", "", flows), flows),
        )
        return ", ".join(parts)

    async def restore_from(self, archive: Path) -> bool:
        """Confirm, stage and check, stop the engine, swap in, then ask for a restart."""
        if not self.available or self._busy or self.data_dir is None:
            return False
        try:
            manifest = await self._engine.blocking(read_manifest, archive)
        except BackupError as exc:
            text = self.tr("This file cannot be restored: %1").replace("%1", self._failure(exc))
            set_status(self.status, text, error=True)
            return False
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        self.confirm, answer = ask(
            self,
            QMessageBox.Icon.Warning,
            self.tr("Restore from backup"),
            self.tr("Replace the data of wadesk on this computer with this backup?"),
            buttons,
            QMessageBox.StandardButton.Cancel,
            self._describe(manifest)
            + "\n\n"
            + self.tr(
                "Your current data is kept in a “previous-…” folder inside the data folder. "
                "wadesk closes when the restore is done; start it again. Secrets are not in "
                "backups: you will enter the access tokens, app secrets and the ngrok "
                "authtoken again."
            ),
        )
        choice = await answer
        self.confirm = None
        if choice != QMessageBox.StandardButton.Yes:
            return False
        self._set_busy(True)
        set_status(self.status, self.tr("Checking the backup…"))
        try:
            staged: StagedRestore = await self._engine.blocking(
                prepare_restore, archive, self.data_dir, progress=self._thread_progress()
            )
        except (BackupError, OSError) as exc:
            self._set_busy(False)
            text = self.tr("Nothing was changed: %1").replace("%1", self._failure(exc))
            set_status(self.status, text, error=True)
            return False
        set_status(self.status, self.tr("Replacing the data…"))
        try:
            if self._release_engine is not None:
                await self._release_engine()
            loop = asyncio.get_running_loop()
            self.previous_dir = await loop.run_in_executor(None, staged.apply)
        except (BackupError, OSError) as exc:
            staged.discard()
            self._set_busy(False)
            text = self.tr("The restore failed and your data was left as it was: %1").replace(
                "%1", self._failure(exc)
            )
            set_status(self.status, text + "\n" + self.tr("Start wadesk again."), error=True)
            return False
        self.progress.hide()
        done = self.tr("The backup was restored.")
        set_status(self.status, done)
        self.restored.emit(str(archive))
        self.result_box, closed = ask(
            self,
            QMessageBox.Icon.Information,
            self.tr("Backup restored"),
            done,
            QMessageBox.StandardButton.Ok,
            informative=self._describe(manifest)
            + "\n\n"
            + self.tr(
                "wadesk closes now; start it again. Then enter each number's access token and "
                "app secret again (Numbers page) and the ngrok authtoken (Numbers → Connection "
                "settings…): backups never contain secrets."
            ),
        )
        await closed
        self.result_box = None
        if self._request_quit is not None:
            self._request_quit()
        return True

    def retranslate(self) -> None:
        self.title.setText(self.tr("Backup"))
        self.subtitle.setText(
            self.tr("Conversations, contacts, media, quick replies, flows and bots in one file.")
        )
        self._export_title.setText(self.tr("Export"))
        self._export_hint.setText(
            self.tr(
                "Saves everything to one .zip archive while wadesk keeps running. Secrets are "
                "never included: they stay in this computer's keyring."
            )
            if self.available
            else self.tr("Backups are available once wadesk has a data folder.")
        )
        self.export_button.setText(self.tr("&Export backup…"))
        self._restore_title.setText(self.tr("Restore"))
        self._restore_hint.setText(
            self.tr(
                "Replaces the data on this computer with a backup (for example on a new "
                "computer). The backup is checked first; your current data is kept in a "
                "“previous-…” folder. wadesk then closes and you start it again."
            )
        )
        self.restore_button.setText(self.tr("&Restore from backup…"))
