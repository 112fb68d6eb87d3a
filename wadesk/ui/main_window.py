"""The main window: left navigation, a stack of pages, a banner, menus and the status bar.

Pages are registered by key with `add_page(key, widget, title, icon)`; registering a key again
replaces the page in place (feature pages replace the shell's placeholders). `StatusPanel` shows
the webhook server, the tunnel, the last webhook and the error count; the composition root
feeds it from the bridge and from periodic `engine.health()` calls. Closing the window either
hides it (keep running in the tray) or emits `quit_requested`; the app then quits by letting its
main coroutine return. Geometry, window state and the current page live in `QSettings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wadesk import __version__
from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.events import RawEventProcessed, RawEventRecorded
from wadesk.ui.pages.settings_page import Preferences
from wadesk.ui.resources import resource_path
from wadesk.ui.theme import ThemeManager, app_icon

Title = Callable[[], str]
_FAILED_RESULTS = (
    ProcessingResult.REJECTED,
    ProcessingResult.ERROR,
    ProcessingResult.UNKNOWN_NUMBER,
)


def format_time(moment: datetime | None, now: datetime | None = None) -> str:
    """`14:03:12` for today, `27.11 14:03` otherwise, in local time; empty for None."""
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo else moment
    now = now or datetime.now().astimezone()
    if local.date() == now.date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%d.%m %H:%M")


def is_error_event(event: RawEventRecorded | RawEventProcessed) -> bool:
    """Whether a raw-event notification counts as an error in the status bar."""
    if isinstance(event, RawEventRecorded) and event.verdict is not SignatureVerdict.VALID:
        return True
    return event.result in _FAILED_RESULTS


class StatusPanel:
    """The status bar's labels and the state behind them (re-rendered on language change).

    Attributes:
        server_state: "starting", "running", "stopped" or "failed".
        server_url: the webhook URL while running.
        tunnel_state: "not_started" until the tunnel is wired; "connected" with `tunnel_url`.
        last_webhook: when the last webhook arrived.
        errors: webhooks rejected or failed this session.
    """

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.server_state = "starting"
        self.server_url: str | None = None
        self.tunnel_state = "not_started"
        self.tunnel_url: str | None = None
        self.last_webhook: datetime | None = None
        self.errors = 0
        bar = window.statusBar()
        bar.setSizeGripEnabled(False)
        self.server_label = self._label()
        self.tunnel_label = self._label()
        self.webhook_label = self._label()
        self.errors_label = self._label()
        for label in (self.server_label, self.tunnel_label, self.webhook_label):
            bar.addWidget(label)
        bar.addPermanentWidget(self.errors_label)

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setObjectName("StatusItem")
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    def set_server(self, state: str, url: str | None = None) -> None:
        self.server_state = state
        self.server_url = url
        self.render()

    def set_tunnel(self, state: str, url: str | None = None) -> None:
        self.tunnel_state = state
        self.tunnel_url = url
        self.render()

    def set_last_webhook(self, moment: datetime | None, *, render: bool = True) -> None:
        if moment is not None and (self.last_webhook is None or moment > self.last_webhook):
            self.last_webhook = moment
            if render:
                self.render()

    def on_raw_events(self, events: list[RawEventRecorded | RawEventProcessed]) -> None:
        """Bridge slot: update the last webhook time and the error count (one render per batch:
        a render per event was most of the GUI thread's time at 1,000 webhooks/s; and none
        when what the bar shows — the time to the second, the count — stays the same)."""
        shown = (format_time(self.last_webhook), self.errors)
        for event in events:
            if isinstance(event, RawEventRecorded):
                self.set_last_webhook(event.received_at, render=False)
            if is_error_event(event):
                self.errors += 1
        if (format_time(self.last_webhook), self.errors) != shown:
            self.render()

    def update_health(self, health: dict[str, Any]) -> None:
        """Apply an `engine.health()` answer (the last event time survives restarts)."""
        last = health.get("last_event_at")
        if isinstance(last, str):
            try:
                self.set_last_webhook(datetime.fromisoformat(last))
            except ValueError:
                pass

    def render(self) -> None:
        dots = {"running": "ok", "connected": "ok", "failed": "error", "starting": "warn"}
        server_texts = {
            "starting": QCoreApplication.translate("StatusPanel", "Server: starting…"),
            "running": QCoreApplication.translate("StatusPanel", "Server: listening on %1").replace(
                "%1", self.server_url or ""
            ),
            "stopped": QCoreApplication.translate("StatusPanel", "Server: stopped"),
            "failed": QCoreApplication.translate("StatusPanel", "Server: not running"),
        }
        tunnel_texts = {
            "not_started": QCoreApplication.translate("StatusPanel", "Tunnel: not started"),
            "connecting": QCoreApplication.translate("StatusPanel", "Tunnel: connecting…"),
            "connected": QCoreApplication.translate("StatusPanel", "Tunnel: %1").replace(
                "%1", self.tunnel_url or ""
            ),
            "failed": QCoreApplication.translate("StatusPanel", "Tunnel: failed"),
        }
        self.server_label.setText(
            _dot(dots.get(self.server_state, "off")) + server_texts.get(self.server_state, "")
        )
        self.tunnel_label.setText(
            _dot(dots.get(self.tunnel_state, "off")) + tunnel_texts.get(self.tunnel_state, "")
        )
        when = format_time(self.last_webhook) or QCoreApplication.translate(
            "StatusPanel", "none yet"
        )
        self.webhook_label.setText(
            QCoreApplication.translate("StatusPanel", "Last webhook: %1").replace("%1", when)
        )
        self.errors_label.setText(
            _dot("error" if self.errors else "off")
            + QCoreApplication.translate("StatusPanel", "Errors: %1").replace(
                "%1", str(self.errors)
            )
        )
        self.server_label.setToolTip(
            QCoreApplication.translate(
                "StatusPanel",
                "The local address Meta's webhooks are forwarded to (through the tunnel).",
            )
        )

    def plain_text(self) -> str:
        """Everything the status bar says, without markup (for tests and logs)."""
        labels = (self.server_label, self.tunnel_label, self.webhook_label, self.errors_label)
        return " | ".join(_strip_tags(label.text()) for label in labels)


def _constant(text: str) -> Title:
    return lambda: text


def _dot(kind: str) -> str:
    path = resource_path("icons", f"status-{kind}.svg").as_posix()
    return f'<img src="{path}" width="10" height="10">&nbsp;&nbsp;'


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).replace("&nbsp;", " ").strip()


class Banner(QFrame):
    """A non-modal message strip above the pages (errors such as "port busy", or info)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setProperty("kind", "info")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 10, 8, 10)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, text: str, kind: str, icon: QIcon) -> None:
        self.setProperty("kind", kind)
        self.label.setText(text)
        self.close_button.setIcon(icon)
        self.style().unpolish(self)
        self.style().polish(self)
        for child in (self.label, self.close_button):
            child.style().unpolish(child)
            child.style().polish(child)
        self.show()


@dataclass
class _Page:
    key: str
    widget: QWidget
    title: Title
    icon: str | QIcon
    item: QListWidgetItem
    action: QAction


class MainWindow(QMainWindow):
    """The app's single main window.

    Attributes:
        status: the status bar panel.
        banner: the non-modal message strip.
        nav: the navigation list; `stack` the pages.

    Signals:
        quit_requested(): the user wants to quit (File → Quit, or closing without the tray).
        hidden_to_tray(): the window was closed but the app keeps running in the tray.
        page_changed(str): another page is shown.
    """

    quit_requested = Signal()
    hidden_to_tray = Signal()
    page_changed = Signal(str)

    def __init__(
        self,
        prefs: Preferences,
        theme: ThemeManager,
        *,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.theme = theme
        self.demo = demo
        self.tray_available = False
        self._closing_for_quit = False
        self._pages: list[_Page] = []
        self._page_policies: dict[QWidget, QSizePolicy.Policy] = {}
        self._about: QMessageBox | None = None
        self._banner_text: Title | None = None
        self._banner_kind = "info"
        self.setWindowIcon(app_icon())
        self.setMinimumSize(QSize(860, 560))
        self._build_ui()
        self._build_menus()
        self.status = StatusPanel(self)
        theme.changed.connect(self._on_theme_changed)
        self.resize(1180, 760)
        self.retranslate()

    # -- construction -------------------------------------------------------------------------

    def _build_ui(self) -> None:
        central = QWidget()
        central.setObjectName("ContentArea")
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        nav_panel = QFrame()
        nav_panel.setObjectName("NavPanel")
        nav_panel.setFixedWidth(212)  # narrow enough for 1024 px with the demo dock
        nav_box = QVBoxLayout(nav_panel)
        nav_box.setContentsMargins(14, 18, 14, 14)
        nav_box.setSpacing(4)
        header = QHBoxLayout()
        header.setSpacing(10)
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(34, 34)))
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self._app_title = QLabel("wadesk")
        self._app_title.setObjectName("AppTitle")
        self._app_subtitle = QLabel()
        self._app_subtitle.setObjectName("AppSubtitle")
        self._app_subtitle.setWordWrap(True)
        titles.addWidget(self._app_title)
        titles.addWidget(self._app_subtitle)
        header.addWidget(logo)
        header.addLayout(titles, 1)
        nav_box.addLayout(header)
        nav_box.addSpacing(18)
        self.nav = QListWidget()
        self.nav.setObjectName("NavList")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setUniformItemSizes(True)
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        nav_box.addWidget(self.nav, 1)
        row.addWidget(nav_panel)

        content = QVBoxLayout()
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(0)
        self.banner = Banner()
        banner_box = QVBoxLayout()
        banner_box.setContentsMargins(16, 12, 16, 0)
        banner_box.addWidget(self.banner)
        content.addLayout(banner_box)
        self.stack = QStackedWidget()
        # only the page shown sets the minimum width (a wide hidden page must not squeeze it)
        self.stack.currentChanged.connect(self._on_stack_current_changed)
        content.addWidget(self.stack, 1)
        row.addLayout(content, 1)
        self.setCentralWidget(central)

    def _on_stack_current_changed(self, _index: int) -> None:
        current = self.stack.currentWidget()
        pages = [self.stack.widget(n) for n in range(self.stack.count())]
        # each page's own policy, given back when it is shown (forgotten for removed pages)
        own = {page: self._page_policies.get(page) for page in pages}
        self._page_policies = {}
        for page in pages:
            policy = page.sizePolicy()
            mine = own[page]
            if mine is None:
                mine = policy.horizontalPolicy()
            self._page_policies[page] = mine
            policy.setHorizontalPolicy(mine if page is current else QSizePolicy.Policy.Ignored)
            page.setSizePolicy(policy)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        self._file_menu.addAction(self.quit_action)
        self._view_menu = bar.addMenu("")
        self._view_group = QActionGroup(self)
        self._view_group.setExclusive(True)
        self._help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self._help_menu.addAction(self.about_action)

    # -- pages ------------------------------------------------------------------------------

    def add_page(self, key: str, widget: QWidget, title: Title | str, icon: str | QIcon) -> None:
        """Register a page, or replace the page registered under `key` in place.

        `title` is a callable returning the translated title (e.g. `lambda: page.tr("Inbox")`),
        re-evaluated on every language change; a plain string is shown as it is. `icon` is the
        name of an SVG in resources/icons (tinted for the theme) or a ready QIcon. A page with a
        `retranslate()` method gets it called on every language change.
        """
        title_fn = title if callable(title) else _constant(title)
        existing = self._find(key)
        if existing is not None:
            index = self.stack.indexOf(existing.widget)
            was_current = self.stack.currentIndex() == index
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(existing.widget)
            existing.widget.deleteLater()
            existing.widget, existing.title, existing.icon = widget, title_fn, icon
            if was_current:
                self.stack.setCurrentWidget(widget)
            self._refresh_page(existing)
            return
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(0, 42))
        self.nav.addItem(item)
        self.stack.addWidget(widget)
        self._on_stack_current_changed(self.stack.currentIndex())
        action = QAction(self)
        action.setCheckable(True)
        position = len(self._pages) + 1
        if position <= 9:
            action.setShortcut(QKeySequence(f"Ctrl+{position}"))
        action.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
        self._view_group.addAction(action)
        self._view_menu.addAction(action)
        page = _Page(key, widget, title_fn, icon, item, action)
        self._pages.append(page)
        self._refresh_page(page)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def _find(self, key: str) -> _Page | None:
        return next((p for p in self._pages if p.key == key), None)

    def _refresh_page(self, page: _Page) -> None:
        text = page.title()
        page.item.setText(text)
        page.action.setText(text)
        icon = self.theme.nav_icon(page.icon) if isinstance(page.icon, str) else page.icon
        page.item.setIcon(icon)

    def page(self, key: str) -> QWidget | None:
        found = self._find(key)
        return found.widget if found else None

    def page_keys(self) -> list[str]:
        return [p.key for p in self._pages]

    def current_page(self) -> str | None:
        row = self.nav.currentRow()
        return self._pages[row].key if 0 <= row < len(self._pages) else None

    def show_page(self, key: str) -> None:
        for row, page in enumerate(self._pages):
            if page.key == key:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(f"No page {key!r}; pages are {self.page_keys()}")

    def _on_nav_current_row_changed(self, row: int) -> None:
        if not 0 <= row < len(self._pages):
            return
        page = self._pages[row]
        self.stack.setCurrentWidget(page.widget)
        page.action.setChecked(True)
        self.page_changed.emit(page.key)

    # -- banner -----------------------------------------------------------------------------

    def show_banner(self, text: Title | str, kind: str = "error") -> None:
        """Show a non-modal message above the pages; `text` may be a callable re-translated
        on language change."""
        self._banner_text = text if callable(text) else _constant(text)
        self._banner_kind = kind
        self.banner.show_message(self._banner_text(), kind, self.theme.icon("close", muted=True))

    def hide_banner(self) -> None:
        self._banner_text = None
        self.banner.hide()

    # -- language, theme ------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Re-read every text of the window and its pages in the current language."""
        if self.demo:
            self.setWindowTitle(self.tr("wadesk — demo"))
            self._app_subtitle.setText(self.tr("Demo on the built-in sandbox"))
        else:
            self.setWindowTitle(self.tr("wadesk"))
            self._app_subtitle.setText(self.tr("WhatsApp Business desk"))
        self._file_menu.setTitle(self.tr("&File"))
        self._view_menu.setTitle(self.tr("&View"))
        self._help_menu.setTitle(self.tr("&Help"))
        self.quit_action.setText(self.tr("&Quit"))
        self.about_action.setText(self.tr("&About wadesk"))
        self.banner.close_button.setToolTip(self.tr("Dismiss"))
        for page in self._pages:
            self._refresh_page(page)
            retranslate = getattr(page.widget, "retranslate", None)
            if callable(retranslate):
                retranslate()
        if self._banner_text is not None and self.banner.isVisible():
            self.banner.label.setText(self._banner_text())
        self.status.render()

    def _on_theme_changed(self, _dark: bool) -> None:
        for page in self._pages:
            self._refresh_page(page)
        if self.banner.isVisible():
            self.banner.close_button.setIcon(self.theme.icon("close", muted=True))

    # -- about, quit, geometry --------------------------------------------------------------------

    def show_about(self) -> None:
        """The About box, opened non-modally (no nested event loop)."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About wadesk"))
        box.setIconPixmap(app_icon().pixmap(QSize(64, 64)))
        box.setText(f"<b>wadesk {__version__}</b>")
        box.setInformativeText(
            self.tr(
                "Run a WhatsApp Business number from your computer: inbox, bots and webhooks, "
                "with your data kept on this machine."
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._about = box

    def _on_quit_action_triggered(self) -> None:
        self.quit_requested.emit()

    def save_state(self) -> None:
        store = self.prefs.store
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        page = self.current_page()
        if page is not None:
            store.setValue("window/page", page)
        store.sync()

    def restore_state(self) -> None:
        """Restore geometry, window state and the last page (call after pages are added)."""
        store = self.prefs.store
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes) and geometry:
            self.restoreGeometry(QByteArray(geometry))
        state = store.value("window/state")
        if isinstance(state, QByteArray | bytes) and state:
            self.restoreState(QByteArray(state))
        page = store.value("window/page")
        if isinstance(page, str) and self._find(page) is not None:
            self.show_page(page)

    def close_for_quit(self) -> None:
        """Close for good (the app is quitting), whatever the tray setting says."""
        self._closing_for_quit = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self._closing_for_quit:
            event.accept()
            return
        if self.prefs.keep_in_tray and self.tray_available:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        event.accept()
        self.quit_requested.emit()

    def open_conversation(self, conversation_id: int) -> None:
        """Show the window and the inbox at this conversation (tray notification click)."""
        self.bring_to_front()
        if self._find("inbox") is None:
            return
        self.show_page("inbox")
        opener = getattr(self.page("inbox"), "open_conversation", None)
        if callable(opener):
            opener(conversation_id)

    def bring_to_front(self) -> None:
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()
