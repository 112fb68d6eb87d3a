"""The conversation view's calls into the Engine, in one small adapter.

Sending goes through the outbox (`engine.send`, `engine.retry_message`, `engine.mark_read`),
the bot/human switch through `engine.inbox.set_mode`, notes through `engine.add_note`, and
templates through `engine.list_templates` when the templates feature is there (guarded with
`getattr`: the view then says "Sync templates first"). Send bodies are built with
`wadesk.core.outgoing`, so WhatsApp's limits are checked before anything is stored; every
error that reaches the user is a `WadeskError` (it explains itself) or a plain sentence.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from wadesk.core import outgoing
from wadesk.core.enums import ConversationMode
from wadesk.core.models import Contact, Conversation, Message, Number
from wadesk.core.outgoing import LimitError, check_media, kind_for_mime
from wadesk.engine.quick_replies import QuickReply, QuickReplyStore
from wadesk.engine.store import repo

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class ConversationInfo:
    conversation: Conversation
    contact: Contact
    number: Number

    @property
    def recipient(self) -> str:
        return self.contact.wa_id or self.contact.user_id or ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A local file checked against WhatsApp's limits, ready to upload."""

    path: Path
    mime: str
    kind: str
    size: int


def _read_info(conn: Connection, conversation_id: int) -> ConversationInfo | None:
    conversation = repo.get_conversation(conn, conversation_id)
    if conversation is None:
        return None
    contact = repo.get_contact(conn, conversation.contact_id)
    assert contact is not None
    return ConversationInfo(conversation, contact, repo.get_number(conn, conversation.number_id))


def guess_mime(path: Path) -> str:
    mime, _ = mimetypes.guess_type(path.name)
    return mime or "application/octet-stream"


def check_attachment(path: Path, size: int, mime: str | None = None) -> Attachment:
    """The attachment if WhatsApp accepts its type and size; `LimitError` (with the reason in
    both languages) otherwise."""
    mime = mime or guess_mime(path)
    kind = kind_for_mime(mime)
    if kind is None:
        raise LimitError(
            "mime_type",
            f"{path.name}: WhatsApp does not accept files of type {mime} (photos JPEG/PNG, "
            "MP4 video, audio, PDF and Office documents are accepted)",
            f"{path.name}: WhatsApp не принимает файлы типа {mime} (можно фото JPEG/PNG, "
            "видео MP4, аудио, PDF и документы Office)",
        )
    check_media(kind, mime, size)
    return Attachment(path, mime, kind, size)


class ConversationActions:
    """Engine commands for one view (any conversation); all coroutines."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.quick_replies = QuickReplyStore(engine.settings.paths.data_dir)

    async def info(self, conversation_id: int) -> ConversationInfo | None:
        result: ConversationInfo | None = await self.engine.store.read(
            partial(_read_info, conversation_id=conversation_id)
        )
        return result

    async def send_text(self, info: ConversationInfo, text: str, reply_to: str | None) -> Message:
        body = outgoing.text(info.recipient, text, preview_url=True)
        return await self.engine.send(
            info.conversation.id, body=body, text=text, type="text", reply_to=reply_to
        )

    async def check_file(self, path: Path) -> Attachment:
        size = (await self.engine.blocking(path.stat)).st_size
        return check_attachment(path, size)

    async def send_attachment(
        self,
        info: ConversationInfo,
        attachment: Attachment,
        caption: str | None,
        reply_to: str | None,
        progress: Progress | None = None,
    ) -> Message:
        number = info.number
        client = await self.engine.clients.get(number.phone_number_id, number.waba_id)
        media_id = await client.upload_media(
            attachment.path, attachment.mime, attachment.path.name, progress
        )
        kind = attachment.kind
        body = outgoing.media(
            info.recipient,
            kind,
            media_id=media_id,
            caption=caption if caption and kind in ("image", "video", "document") else None,
            filename=attachment.path.name if kind == "document" else None,
        )
        body[kind]["file_size"] = attachment.size
        body[kind]["mime_type"] = attachment.mime
        return await self.engine.send(info.conversation.id, body=body, type=kind, reply_to=reply_to)

    async def react(self, info: ConversationInfo, wamid: str, emoji: str) -> Message:
        body = outgoing.reaction(info.recipient, wamid, emoji)
        return await self.engine.send(info.conversation.id, body=body, type="reaction")

    async def send_template(
        self, info: ConversationInfo, body: Mapping[str, Any], preview: str
    ) -> Message:
        return await self.engine.send(
            info.conversation.id, body=dict(body), text=preview, type="template"
        )

    async def add_note(self, conversation_id: int, text: str) -> Message:
        return await self.engine.add_note(conversation_id, text)

    async def retry(self, message_id: int) -> Message:
        return await self.engine.retry_message(message_id)

    async def mark_read(self, conversation_id: int) -> bool:
        return await self.engine.mark_read(conversation_id)

    async def set_mode(self, conversation_id: int, mode: ConversationMode) -> Conversation:
        return await self.engine.inbox.set_mode(conversation_id, mode)

    def templates_available(self) -> bool:
        return callable(getattr(self.engine, "list_templates", None))

    async def templates(self, number_id: int) -> Sequence[Any]:
        """The synced templates of a number (every status; the picker keeps approved ones)."""
        list_templates = getattr(self.engine, "list_templates", None)
        if not callable(list_templates):
            return []
        result: Sequence[Any] = await list_templates(number_id)
        return result

    async def load_quick_replies(self) -> list[QuickReply]:
        return await self.quick_replies.aload(self.engine.blocking)

    async def save_file(self, source: str, dest: str) -> None:
        import shutil

        await self.engine.blocking(shutil.copyfile, source, dest)
