"""The Numbers page: configured numbers with their state, add / edit / remove / activate,
re-run checks, copy the callback URL and verify token for manual set-up, and the tunnel
status with the callback registration result. It also drives the status bar's tunnel item,
opens the setup wizard by itself on first run (no numbers), and re-runs checks that could not
run offline (periodically, until the network is back).

The table follows the traffic: with the bridge given, webhooks and new messages (last webhook,
business-initiated count) reload it — at most every `REFRESH_DELAY_MS` while the page is shown,
else once when it is shown again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wadesk.engine.connection import ConnectionStatus
from wadesk.engine.tunnel import TunnelState
from wadesk.ui.numbers.model import NumbersModel
from wadesk.ui.setup.common import status_bar_state, tunnel_text, ui_language
from wadesk.ui.setup.messages import render_message
from wadesk.ui.setup.wizard import SetupDialog
from wadesk.ui.tasks import Tasks

if TYPE_CHECKING:
    from wadesk.engine.number_admin import NumberOverview
    from wadesk.engine.service import Engine
    from wadesk.ui.main_window import StatusPanel

log = logging.getLogger("wadesk.ui.numbers")

RECHECK_INTERVAL_MS = 60_000
REFRESH_DELAY_MS = 500


class NumbersPage(QWidget):
    """Signals: `refreshed()` after the table was reloaded (tests)."""

    refreshed = Signal()

    def __init__(
        self,
        engine: Engine | None,
        *,
        status: StatusPanel | None = None,
        is_started: Callable[[], bool] = lambda: True,
        auto_wizard: bool = True,
        recheck_interval_ms: int = RECHECK_INTERVAL_MS,
        bridge: Any = None,
        refresh_delay_ms: int = REFRESH_DELAY_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NumbersPage")
        self.engine = engine
        self._status_panel = status
        self._is_started = is_started
        self._auto_wizard = auto_wizard
        self.tasks = Tasks()
        self.model = NumbersModel(self)
        self.wizard: SetupDialog | None = None
        self.connection_status: ConnectionStatus | None = None
        self._attached = False
        self._unlisten: Callable[[], None] | None = None
        self._build()
        self.retranslate()
        self._update_buttons()
        self._start_timer = QTimer(self)
        self._start_timer.setInterval(200)
        self._start_timer.timeout.connect(self._maybe_attach)
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setInterval(recheck_interval_ms)
        self._recheck_timer.timeout.connect(self.start_recheck)
        self._stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(refresh_delay_ms)
        self._refresh_timer.timeout.connect(self._refresh_if_stale)
        if bridge is not None:
            bridge.raw_event.connect(self._on_traffic)
            bridge.message_added.connect(self._on_traffic)
        if self._supported():
            self._start_timer.start()

    def _supported(self) -> bool:
        engine = self.engine
        return engine is not None and hasattr(engine, "number_overview")

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("PageTitle")
        self.title.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(self.title)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.active_button = QPushButton(self)
        self.recheck_button = QPushButton(self)
        for button in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.active_button,
            self.recheck_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.open_edit())
        layout.addWidget(self.table, 1)

        self.webhook_box = QGroupBox(self)
        wl = QVBoxLayout(self.webhook_box)
        self.tunnel_label = QLabel(self.webhook_box)
        self.tunnel_label.setWordWrap(True)
        self.registration_label = QLabel(self.webhook_box)
        self.registration_label.setWordWrap(True)
        self.manual_hint = QLabel(self.webhook_box)
        self.manual_hint.setWordWrap(True)
        wl.addWidget(self.tunnel_label)
        wl.addWidget(self.registration_label)
        wl.addWidget(self.manual_hint)
        row = QHBoxLayout()
        self.copy_url_button = QPushButton(self.webhook_box)
        self.copy_token_button = QPushButton(self.webhook_box)
        self.restart_button = QPushButton(self.webhook_box)
        self.connection_button = QPushButton(self.webhook_box)
        for button in (
            self.copy_url_button,
            self.copy_token_button,
            self.restart_button,
            self.connection_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        wl.addLayout(row)
        layout.addWidget(self.webhook_box)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)

        self.add_button.clicked.connect(lambda: self.open_wizard())
        self.edit_button.clicked.connect(self.open_edit)
        self.remove_button.clicked.connect(self.ask_remove)
        self.active_button.clicked.connect(self.start_toggle_active)
        self.recheck_button.clicked.connect(self.start_recheck_selected)
        self.copy_url_button.clicked.connect(self.copy_callback_url)
        self.copy_token_button.clicked.connect(self.copy_verify_token)
        self.restart_button.clicked.connect(self.start_restart_tunnel)
        self.connection_button.clicked.connect(self.open_connection_settings)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Numbers"))
        self.add_button.setText(self.tr("Add number…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.remove_button.setText(self.tr("Remove"))
        self.recheck_button.setText(self.tr("Re-run checks"))
        self.webhook_box.setTitle(self.tr("Webhook and tunnel"))
        self.manual_hint.setText(
            self.tr(
                "For manual set-up in Meta's app dashboard: WhatsApp → Configuration → Webhook → "
                "Edit, paste the callback URL and the verify token, press “Verify and save”, "
                "then subscribe to the field “messages”."
            )
        )
        self.copy_url_button.setText(self.tr("Copy callback URL"))
        self.copy_token_button.setText(self.tr("Copy verify token"))
        self.restart_button.setText(self.tr("Restart tunnel"))
        self.connection_button.setText(self.tr("Connection settings…"))
        self._update_buttons()
        self._render_connection()
        self.model.headerDataChanged.emit(
            Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
        )
        if rows := self.model.rowCount():
            last = self.model.index(rows - 1, self.model.columnCount() - 1)
            self.model.dataChanged.emit(self.model.index(0, 0), last)
        if self.engine is None:
            self.show_message(self.tr("The engine is not running, so numbers cannot be shown."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_message(self, text: str | None, kind: str = "error") -> None:
        color = {"error": "#c62828", "ok": "#1a7f37", "info": "#555555"}[kind]
        self.message.setStyleSheet(f"color: {color};")
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    # -- engine wiring --------------------------------------------------------------------

    def _maybe_attach(self) -> None:
        if self._attached or not self._is_started():
            return
        if self.tasks.spawn(self.attach()) is not None:
            self._attached = True
            self._start_timer.stop()

    async def attach(self) -> None:
        """Start following the engine: connection status, the table, first-run wizard."""
        engine = self.engine
        assert engine is not None
        self._attached = True
        self._start_timer.stop()
        connection = getattr(engine, "connection", None)
        if connection is not None and self._unlisten is None:
            self._unlisten = connection.add_listener(self.on_connection_status)
            self.on_connection_status(connection.status)
        rows = await self.refresh()
        self._recheck_timer.start()
        if self._auto_wizard and rows is not None and not rows and self.wizard is None:
            self.open_wizard()

    async def refresh(self) -> list[NumberOverview] | None:
        engine = self.engine
        if engine is None:
            return None
        self._stale = False  # what arrives from now on makes it stale again
        try:
            rows = await engine.number_overview()
        except Exception as exc:
            log.warning("Loading numbers failed: %s", engine.redactor.redact(repr(exc)))
            return None
        selected = self.selected_label()
        self.model.set_rows(rows)
        if selected is not None and (row := self.model.row_of(selected)) >= 0:
            self.table.selectRow(row)
        self._update_buttons()
        self.refreshed.emit()
        return rows

    def start_refresh(self) -> None:
        self.tasks.spawn(self.refresh())

    def _on_traffic(self, _events: list[Any]) -> None:
        """Webhooks or messages arrived: the last webhook / 24 h counts are out of date."""
        self._stale = True
        if self.isVisible() and not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh_if_stale(self) -> None:
        if self._stale and self._attached and self.isVisible():
            self.start_refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale and not self._refresh_timer.isActive():
            QTimer.singleShot(0, self, self._refresh_if_stale)

    def on_connection_status(self, status: ConnectionStatus) -> None:
        self.connection_status = status
        self.model.set_registrations(status.registrations)
        self._render_connection()
        if self._status_panel is not None:
            self._status_panel.set_tunnel(
                status_bar_state(status.tunnel.state), status.public_url or None
            )

    def _render_connection(self) -> None:
        status = self.connection_status
        if status is None:
            self.tunnel_label.setText(
                self.tr("Tunnel: %1").replace("%1", tunnel_text(TunnelState.STOPPED))
            )
            self.registration_label.hide()
            return
        tunnel = status.tunnel
        text = self.tr("Tunnel: %1").replace("%1", tunnel_text(tunnel.state))
        if tunnel.public_url:
            text += " — " + tunnel.public_url
        reason = render_message(tunnel.reason_message) or tunnel.reason
        if tunnel.state is TunnelState.DOWN and reason:
            text += "\n" + self.tr("Reason: %1").replace("%1", reason)
        if tunnel.state is TunnelState.STOPPED and status.mode == "off":
            text += "\n" + self.tr(
                "Not configured: add your ngrok authtoken or your own public URL in the "
                "connection settings."
            )
        self.tunnel_label.setText(text)
        lines = []
        for reg in status.registrations:
            if reg.ok:
                lines.append(self.tr("✓ %1: callback registered").replace("%1", reg.label))
            else:
                lines.append(
                    self.tr("✗ %1: %2")
                    .replace("%1", reg.label)
                    .replace("%2", reg.explain(ui_language()))
                )
        self.registration_label.setText("\n".join(lines))
        self.registration_label.setVisible(bool(lines))
        self.copy_url_button.setEnabled(status.callback_url is not None)

    # -- selection ------------------------------------------------------------------------

    def selected_label(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.row_at(rows[0].row())
        return item.number.label if item is not None else None

    def select(self, label: str) -> None:
        row = self.model.row_of(label)
        if row >= 0:
            self.table.selectRow(row)

    def _update_buttons(self) -> None:
        label = self.selected_label()
        item = self.model.row_at(self.model.row_of(label)) if label else None
        usable = self.engine is not None and self._supported()
        self.add_button.setEnabled(usable)
        for button in (self.edit_button, self.remove_button, self.active_button):
            button.setEnabled(usable and item is not None)
        self.recheck_button.setEnabled(usable and item is not None)
        if item is not None and not item.number.active:
            self.active_button.setText(self.tr("Activate"))
        else:
            self.active_button.setText(self.tr("Deactivate"))

    # -- commands -------------------------------------------------------------------------

    def open_wizard(self, number: Any = None) -> SetupDialog | None:
        if self.engine is None:
            return None
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        dialog = SetupDialog(self.engine, self.window(), number=number)
        self.wizard = dialog
        dialog.saved.connect(self._on_saved)
        dialog.finished.connect(lambda _r: self._on_wizard_closed(dialog))
        dialog.show()  # non-modal (open() would make it window-modal); never exec()
        dialog.raise_()
        return dialog

    def open_connection_settings(self) -> SetupDialog | None:
        """The tunnel settings live in the setup form: edit the selected number, else add."""
        return self.open_edit() or self.open_wizard()

    def open_edit(self) -> SetupDialog | None:
        label = self.selected_label()
        item = self.model.row_at(self.model.row_of(label)) if label else None
        if item is None:
            return None
        return self.open_wizard(item.number)

    def _on_wizard_closed(self, dialog: SetupDialog) -> None:
        if self.wizard is dialog:
            self.wizard = None
        dialog.deleteLater()

    def _on_saved(self, label: str) -> None:
        self.show_message(self.tr("Saved “%1”.").replace("%1", label), "ok")
        self.tasks.spawn(self._refresh_and_select(label))

    async def _refresh_and_select(self, label: str) -> None:
        await self.refresh()
        self.select(label)

    def ask_remove(self) -> QMessageBox | None:
        label = self.selected_label()
        if label is None:
            return None
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove number"))
        box.setText(
            self.tr(
                "Remove “%1”? Its access token and app secret are deleted from the keyring."
            ).replace("%1", label)
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.finished.connect(
            lambda result: (
                self.tasks.spawn(self.remove(label))
                if result == QMessageBox.StandardButton.Yes
                else None
            )
        )
        box.open()
        return box

    async def remove(self, label: str) -> bool:
        assert self.engine is not None
        try:
            await self.engine.remove_number(label)
        except Exception as exc:
            from wadesk.engine.store.errors import NumberHasHistoryError

            if isinstance(exc, NumberHasHistoryError):
                self.show_message(
                    self.tr(
                        "“%1” has conversations, so it was not removed. Deactivate it instead."
                    ).replace("%1", label)
                )
            else:
                self.show_message(
                    self.tr("Could not remove “%1”: %2")
                    .replace("%1", label)
                    .replace("%2", str(exc))
                )
            return False
        self.show_message(self.tr("Removed “%1”.").replace("%1", label), "ok")
        await self.refresh()
        return True

    def start_toggle_active(self) -> None:
        label = self.selected_label()
        item = self.model.row_at(self.model.row_of(label)) if label else None
        if item is not None:
            self.tasks.spawn(self.set_active(item.number.label, not item.number.active))

    async def set_active(self, label: str, active: bool) -> None:
        assert self.engine is not None
        await self.engine.set_number_active(label, active)
        await self.refresh()

    def start_recheck_selected(self) -> None:
        label = self.selected_label()
        if label is not None:
            self.tasks.spawn(self.recheck(label))

    async def recheck(self, label: str) -> None:
        """Re-run the checks of a saved number (results appear in the table)."""
        from wadesk.engine import number_admin

        engine = self.engine
        assert engine is not None
        item = self.model.row_at(self.model.row_of(label))
        if item is None:
            return
        draft = await number_admin.draft_for(engine, item.number)
        if draft is None:
            self.show_message(
                self.tr("No access token is stored for “%1”: edit the number.").replace("%1", label)
            )
            return
        self.show_message(self.tr("Checking “%1”…").replace("%1", label), "info")
        results = await engine.check_number(draft)
        failed = [r for r in results if r.state.value == "failed"]
        if failed:
            self.show_message(failed[0].explain(ui_language()))
        else:
            self.show_message(self.tr("Checks of “%1” finished.").replace("%1", label), "ok")
        await self.refresh()

    def start_recheck(self) -> None:
        """Timer: re-run checks that could not run offline."""
        self.tasks.spawn(self._recheck_pending())

    async def _recheck_pending(self) -> None:
        from wadesk.engine import number_admin

        if self.engine is None:
            return
        if await number_admin.recheck_pending(self.engine):
            await self.refresh()

    def start_restart_tunnel(self) -> None:
        connection = getattr(self.engine, "connection", None)
        if connection is not None:
            self.tasks.spawn(connection.restart())

    def copy_callback_url(self) -> str | None:
        status = self.connection_status
        url = status.callback_url if status is not None else None
        if url:
            QGuiApplication.clipboard().setText(url)
            self.show_message(self.tr("Callback URL copied."), "ok")
        return url

    def copy_verify_token(self) -> str | None:
        token = getattr(self.engine, "verify_token", None)
        if token:
            QGuiApplication.clipboard().setText(token)
            self.show_message(self.tr("Verify token copied."), "ok")
        return token

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self._start_timer.stop()
        self._recheck_timer.stop()
        self._refresh_timer.stop()
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        self.tasks.cancel_all()
