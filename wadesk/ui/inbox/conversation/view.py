"""`ConversationView`: one conversation — header, message list, notices and the composer.

The Inbox page embeds it and calls `set_conversation(id)` / `jump_to(message_id)`. Everything
it does goes through the Engine (`ConversationActions`): sending (local echo through the
outbox's `MessageAdded`), retry, reactions, notes, templates, marking read on WhatsApp when a
conversation is opened (`mark_read_on_open`, a setting), and the bot/human switch. Typing a
reply while the bot runs pauses the bot for that conversation and says so, with a Resume
button. Errors show as the catalogue's explanation in the UI language, never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QSettings, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.enums import ConversationMode, Direction, MessageStatus, MessageType
from wadesk.core.errors import WadeskError
from wadesk.core.events import ConversationUpdated, MessageAdded
from wadesk.core.window import window_open, window_remaining
from wadesk.ui.inbox.conversation.actions import ConversationActions, ConversationInfo
from wadesk.ui.inbox.conversation.composer import EMOJI, Composer
from wadesk.ui.inbox.conversation.formatting import map_url
from wadesk.ui.inbox.conversation.listview import MessageListView
from wadesk.ui.inbox.conversation.model import MessageListModel
from wadesk.ui.inbox.conversation.progress import MediaProgressTracker
from wadesk.ui.inbox.conversation.roles import Role
from wadesk.ui.inbox.conversation.source import StoreSource
from wadesk.ui.inbox.widgets import ElidedLabel

if TYPE_CHECKING:
    from wadesk.engine.service import Engine
    from wadesk.ui.bridge import EngineBridge
    from wadesk.ui.i18n import Translator

log = logging.getLogger("wadesk.ui.conversation")
MARK_READ_KEY = "inbox/mark_read_on_open"
QUICK_REACTIONS = ("👍", "❤️", "😂", "😮", "😢", "🙏")


class ConversationView(QWidget):
    """The open conversation.

    Attributes:
        model, list, composer: the parts.
        info: the conversation, contact and number shown (None: none).
        mark_read_on_open: tell WhatsApp "read" when a conversation is opened.
        open_url: how links, files and maps are opened (tests replace it).
        reply_to: the message being replied to (its id), if any.
    """

    def __init__(
        self,
        engine: Engine,
        bridge: EngineBridge,
        translator: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conversationView")
        self.engine = engine
        self.translator = translator
        self.actions = ConversationActions(engine)
        self.info: ConversationInfo | None = None
        self.reply_to: int | None = None
        self.mark_read_on_open = bool(QSettings().value(MARK_READ_KEY, True, type=bool))
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self._tasks: set[asyncio.Task[Any]] = set()
        self._quick_replies_loaded = False
        self._pause_pending = False
        self.model = MessageListModel(
            StoreSource.for_engine(engine), language=lambda: translator.language, parent=self
        )
        self._build()
        self.media_progress = MediaProgressTracker(bridge, self.list, parent=self)
        bridge.message_added.connect(self._on_bridge_message_added)
        bridge.message_updated.connect(self.model.on_messages_updated)
        bridge.conversation_updated.connect(self._on_bridge_conversation_updated)
        self.model.appended.connect(self._on_model_appended)
        self.model.load_failed.connect(self.composer.show_status)
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)
        self._clock.timeout.connect(self._refresh_header)
        self._clock.start()
        self.retranslate()
        self._refresh_header()

    def _build(self) -> None:
        self.title = ElidedLabel()
        self.title.setObjectName("conversationTitle")
        self.window_label = ElidedLabel()
        self.window_label.setObjectName("windowState")
        self.mode_button = QPushButton()
        self.mode_button.setCheckable(True)
        self.mode_button.clicked.connect(self._on_mode_button_clicked)
        header = QWidget()
        header.setObjectName("conversationHeader")
        row = QHBoxLayout(header)
        row.setContentsMargins(12, 6, 12, 6)
        # long names and window texts must not widen the column: they end in "…"
        row.addWidget(self.title, 2)
        row.addWidget(self.window_label, 3)
        row.addWidget(self.mode_button)
        self.header_row = row
        self.notice = QWidget()
        self.notice.setObjectName("botPausedNotice")
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.resume_button = QPushButton()
        self.resume_button.clicked.connect(self._on_resume_button_clicked)
        nrow = QHBoxLayout(self.notice)
        nrow.setContentsMargins(12, 4, 12, 4)
        nrow.addWidget(self.notice_label, 1)
        nrow.addWidget(self.resume_button)
        self.notice.hide()
        self.list = MessageListView(self.model)
        self.list.activated.connect(self._on_list_activated)
        self.list.menu_requested.connect(self._on_list_menu_requested)
        self.list.at_bottom_changed.connect(self._on_list_at_bottom_changed)
        self.pill = QPushButton(self.list.viewport())
        self.pill.setObjectName("newMessagesPill")
        self.pill.clicked.connect(self._on_pill_clicked)
        self.pill.hide()
        self.composer = Composer()
        self.composer.text_submitted.connect(self._on_composer_text_submitted)
        self.composer.note_submitted.connect(self._on_composer_note_submitted)
        self.composer.files_chosen.connect(self._on_composer_files_chosen)
        self.composer.image_pasted.connect(self._on_composer_image_pasted)
        self.composer.template_requested.connect(self._on_composer_template_requested)
        self.composer.typing.connect(self._on_composer_typing)
        self.composer.reply_cancelled.connect(self._on_composer_reply_cancelled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.notice)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.composer)

    def retranslate(self) -> None:
        self.resume_button.setText(self.tr("Resume bot"))
        self.notice_label.setText(
            self.tr("The bot is paused in this chat because you are replying.")
        )
        self.pill.setText(self.tr("New messages ↓"))
        self.pill.adjustSize()
        self.composer.retranslate()
        self.composer.templates.language = self.translator.language
        self.list.delegate.clear_cache()
        self.list.scheduleDelayedItemsLayout()
        self._refresh_header()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- public API ---------------------------------------------------------------------------

    def add_header_widget(self, widget: QWidget) -> None:
        """Put a small control (the page's contact-panel toggle) at the right of the header."""
        self.header_row.addWidget(widget)

    def set_conversation(self, conversation_id: int | None) -> None:
        """Show a conversation (None: nothing). Loads in the background."""
        self.info = None
        self.reply_to = None
        self.notice.hide()
        self.pill.hide()
        self.composer.clear()
        self.model.set_conversation(conversation_id)
        self._refresh_header()
        if conversation_id is not None:
            self._run(self._open(conversation_id))

    def jump_to(self, message_id: int) -> None:
        """Scroll to a message (loading older history as needed) and select it."""
        self._run(self._jump(message_id))

    async def settle(self) -> None:
        """Wait for background work (tests and screenshots)."""
        for _ in range(50):
            pending = [t for t in self._tasks if not t.done()]
            if pending:
                await asyncio.wait(pending, timeout=5)
            await self.model.settle()
            if not any(not t.done() for t in self._tasks):
                return

    # -- loading ------------------------------------------------------------------------------

    async def _open(self, conversation_id: int) -> None:
        info = await self.actions.info(conversation_id)
        if info is None or self.model.conversation_id != conversation_id:
            return
        self.info = info
        self.model.contact_name = info.contact.display_name
        name = info.contact.display_name
        self.composer.variables = {
            "name": name,
            "first_name": name.split()[0] if name.split() else name,
            "phone": f"+{info.contact.wa_id}" if info.contact.wa_id else None,
        }
        self.composer.templates.recipient = info.recipient
        self._refresh_header()
        if not self._quick_replies_loaded:
            self.composer.quick_replies = await self.actions.load_quick_replies()
            self._quick_replies_loaded = True
        if not window_open(info.conversation.last_inbound_at):
            await self._load_templates(info)
        if self.mark_read_on_open and info.conversation.unread_count:
            await self.actions.mark_read(conversation_id)

    async def _load_templates(self, info: ConversationInfo) -> None:
        if not self.actions.templates_available():
            self.composer.templates.set_templates(None)
            return
        templates = await self.actions.templates(info.number.id)
        self.composer.templates.set_templates(list(templates))

    async def _jump(self, message_id: int) -> None:
        row = await self.model.ensure_row(message_id)
        if row is None:
            return
        self.list.stick_to_bottom = False
        index = self.model.index(row)
        self.list.doItemsLayout()
        self.list.scrollTo(index, MessageListView.ScrollHint.PositionAtCenter)
        self.list.setCurrentIndex(index)

    def _refresh_header(self) -> None:
        info = self.info
        if info is None:
            self.title.setText("")
            self.window_label.setText("")
            self.mode_button.setVisible(False)
            return
        self.title.setText(info.contact.display_name)
        last = info.conversation.last_inbound_at
        is_open = window_open(last)
        if is_open:
            left = window_remaining(last)
            hours, rest = divmod(int(left.total_seconds()), 3600)
            self.window_label.setText(
                self.tr("24-hour window open · %1 h %2 min left")
                .replace("%1", str(hours))
                .replace("%2", str(rest // 60))
            )
        else:
            self.window_label.setText(self.tr("24-hour window closed · templates only"))
        if is_open != self.composer.window_open:
            self.composer.set_window_open(is_open)
            if not is_open:
                self._run(self._load_templates(info))
        bot = info.conversation.mode is ConversationMode.BOT
        self.mode_button.setVisible(True)
        self.mode_button.setChecked(bot)
        self.mode_button.setText(self.tr("Bot: on") if bot else self.tr("Bot: paused"))
        self.mode_button.setToolTip(
            self.tr("Click to pause the bot in this chat")
            if bot
            else self.tr("Click to let the bot answer in this chat again")
        )

    # -- engine events ------------------------------------------------------------------------

    def _on_bridge_message_added(self, events: list[MessageAdded]) -> None:
        mine = [e for e in events if e.message.conversation_id == self.model.conversation_id]
        if not mine:
            return
        for event in mine:
            if self.info is not None:
                self.info = ConversationInfo(event.conversation, event.contact, self.info.number)
        self.model.on_messages_added(mine)
        self._refresh_header()
        inbound = any(e.message.direction is Direction.INBOUND for e in mine)
        if inbound and self.mark_read_on_open and self.isVisible() and self.list.at_bottom():
            self._run(self.actions.mark_read(mine[-1].message.conversation_id))

    def _on_bridge_conversation_updated(self, events: list[ConversationUpdated]) -> None:
        for event in events:
            if self.info is not None and event.conversation.id == self.info.conversation.id:
                self.info = ConversationInfo(
                    event.conversation, self.info.contact, self.info.number
                )
                self._refresh_header()

    def _on_model_appended(self, _count: int) -> None:
        if self.list.stick_to_bottom:
            QTimer.singleShot(0, self.list, self.list.scroll_to_end)
        else:
            self._place_pill()
            self.pill.show()

    def _on_list_at_bottom_changed(self, at_bottom: bool) -> None:
        if at_bottom:
            self.pill.hide()

    def _on_pill_clicked(self) -> None:
        self.pill.hide()
        self.list.scroll_to_end()

    def _place_pill(self) -> None:
        self.pill.adjustSize()
        vp = self.list.viewport()
        self.pill.move((vp.width() - self.pill.width()) // 2, vp.height() - self.pill.height() - 12)
        self.pill.raise_()

    # -- composer -----------------------------------------------------------------------------

    def _reply_wamid(self) -> str | None:
        if self.reply_to is None:
            return None
        item = self.model.item(self.reply_to)
        return item.message.wamid if item is not None else None

    def _on_composer_text_submitted(self, text: str) -> None:
        info = self.info
        if info is None:
            return
        reply = self._reply_wamid()
        self.reply_to = None
        self.composer.set_reply(None)
        self.list.stick_to_bottom = True
        self._run(self._send_echo(self.actions.send_text(info, text, reply)))

    async def _send_echo(self, send: Coroutine[Any, Any, Any]) -> None:
        message = await send
        if self.model.add_message(message):
            self.model.appended.emit(1)
        self.composer.show_status(None)

    def _on_composer_note_submitted(self, text: str) -> None:
        if self.info is None:
            return
        self.list.stick_to_bottom = True
        self._run(self._send_echo(self.actions.add_note(self.info.conversation.id, text)))

    def _on_composer_template_requested(self, body: dict[str, Any], preview: str) -> None:
        if self.info is None:
            return
        self.list.stick_to_bottom = True
        self._run(self._send_echo(self.actions.send_template(self.info, body, preview)))

    def _on_composer_files_chosen(self, files: list[str]) -> None:
        self._run(self._attach([Path(f) for f in files]))

    async def _attach(self, files: list[Path]) -> None:
        info = self.info
        if info is None:
            return
        checked = [await self.actions.check_file(path) for path in files]
        reply = self._reply_wamid()
        try:
            for attachment in checked:
                self.composer.set_progress(0, attachment.size)
                message = await self.actions.send_attachment(
                    info, attachment, None, reply, self.composer.set_progress
                )
                if self.model.add_message(message):
                    self.model.appended.emit(1)
        finally:
            self.composer.set_progress(None)

    def _on_composer_image_pasted(self, image: QImage) -> None:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QBuffer.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        folder = self.engine.settings.paths.data_dir / "outgoing"
        self._run(self._attach_bytes(folder / f"pasted-{stamp}.png", bytes(data.data())))

    async def _attach_bytes(self, path: Path, data: bytes) -> None:
        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        await self.engine.blocking(write)
        await self._attach([path])

    def _on_composer_typing(self) -> None:
        info = self.info
        if info is None or info.conversation.mode is not ConversationMode.BOT:
            return
        if self._pause_pending:
            return
        self._pause_pending = True
        self._run(self._pause_bot(info.conversation.id))

    async def _pause_bot(self, conversation_id: int) -> None:
        try:
            conversation = await self.actions.set_mode(conversation_id, ConversationMode.HUMAN)
        finally:
            self._pause_pending = False
        if self.info is not None and self.info.conversation.id == conversation_id:
            self.info = ConversationInfo(conversation, self.info.contact, self.info.number)
            self.notice.show()
            self._refresh_header()

    def _on_resume_button_clicked(self) -> None:
        self._set_mode(ConversationMode.BOT)

    def _on_mode_button_clicked(self, checked: bool) -> None:
        self._set_mode(ConversationMode.BOT if checked else ConversationMode.HUMAN)

    def _set_mode(self, mode: ConversationMode) -> None:
        info = self.info
        if info is None:
            return

        async def run() -> None:
            conversation = await self.actions.set_mode(info.conversation.id, mode)
            if self.info is not None and self.info.conversation.id == conversation.id:
                self.info = ConversationInfo(conversation, self.info.contact, self.info.number)
            self.notice.setVisible(False)
            self._refresh_header()

        self._run(run())

    def _on_composer_reply_cancelled(self) -> None:
        self.reply_to = None

    # -- message actions ----------------------------------------------------------------------

    def start_reply(self, row: int) -> None:
        index = self.model.index(row)
        self.reply_to = index.data(Role.ID)
        text = index.data(Role.TEXT) or f"[{index.data(Role.TYPE)}]"
        self.composer.set_reply(text)
        self.composer.edit.setFocus()

    def react(self, row: int, emoji: str) -> None:
        info = self.info
        message = self.model.index(row).data(Role.MESSAGE)
        if info is None or message is None or not message.wamid:
            return
        self._run(self.actions.react(info, message.wamid, emoji))

    def retry(self, row: int) -> None:
        message = self.model.index(row).data(Role.MESSAGE)
        if message is not None and message.direction is Direction.INBOUND:
            self._run(self.engine.download_media(message.id))  # its media failed to download
            return
        message_id = self.model.index(row).data(Role.ID)
        self._run(self.actions.retry(message_id))

    def _on_list_activated(self, kind: str, row: int, arg: str) -> None:
        index = self.model.index(row)
        message = index.data(Role.MESSAGE)
        media = index.data(Role.MEDIA)
        if kind == "link":
            self.open_url(QUrl(arg))
        elif kind == "quote":
            quote = index.data(Role.REPLY_QUOTE)
            if quote is not None and quote.message_id is not None:
                self.jump_to(quote.message_id)
        elif kind == "retry":
            self.retry(row)
        elif kind == "open" and media is not None and media.path:
            self.open_url(QUrl.fromLocalFile(media.path))
        elif kind == "save" and media is not None and media.path:
            self._save_as(media.path)
        elif kind == "map" and media is not None and media.latitude is not None:
            self.open_url(QUrl(map_url(media.latitude, media.longitude or 0.0)))
        del message

    def _save_as(self, source: str) -> None:
        dialog = QFileDialog(self, self.tr("Save file"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(Path(source).name)
        dialog.fileSelected.connect(lambda dest: self._run(self.actions.save_file(source, dest)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def context_menu(self, row: int) -> QMenu:
        """The actions for one message (shown on right click; tests inspect it)."""
        index = self.model.index(row)
        message = index.data(Role.MESSAGE)
        menu = QMenu(self)
        if message is None:
            return menu
        if message.type is not MessageType.NOTE and message.wamid:
            menu.addAction(self.tr("Reply"), lambda: self.start_reply(row))
            react = menu.addMenu(self.tr("React"))
            for emoji in (*QUICK_REACTIONS, *EMOJI[:6]):
                react.addAction(emoji, lambda e=emoji: self.react(row, e))
        text = index.data(Role.TEXT)
        if text:
            menu.addAction(self.tr("Copy text"), lambda: QGuiApplication.clipboard().setText(text))
        if message.status in (MessageStatus.FAILED, MessageStatus.UNKNOWN):
            label = (
                self.tr("Resend") if message.status is MessageStatus.UNKNOWN else self.tr("Retry")
            )
            menu.addAction(label, lambda: self.retry(row))
        media = index.data(Role.MEDIA)
        if media is not None and media.path:
            menu.addAction(self.tr("Open"), lambda: self._on_list_activated("open", row, ""))
            menu.addAction(self.tr("Save as…"), lambda: self._save_as(media.path))
        if media is not None and media.latitude is not None:
            menu.addAction(self.tr("Open in map"), lambda: self._on_list_activated("map", row, ""))
        return menu

    def _on_list_menu_requested(self, row: int, pos: Any) -> None:
        menu = self.context_menu(row)
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(pos)

    # -- async plumbing -----------------------------------------------------------------------

    def _run(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            task = asyncio.get_running_loop().create_task(self._guard(coro))
        except RuntimeError:
            coro.close()
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except WadeskError as exc:
            self.composer.show_status(exc.explain(self.translator.language))
        except Exception as exc:
            log.warning("Conversation action failed: %s", self.engine.redactor.redact(repr(exc)))
            self.composer.show_status(str(exc) or type(exc).__name__)
