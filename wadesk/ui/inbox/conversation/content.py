"""What a message shows besides its text: media cards, locations, contact cards, unsupported
types, and the failure explanation. Pure functions over `Message` (no Qt), so they are easy to
test and cheap to call from the model's roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from wadesk.core.enums import MEDIA_TYPES, Direction, MessageStatus, MessageType
from wadesk.core.error_catalogue import LOCAL_CATALOGUE
from wadesk.core.errors import GraphError, LocalError, is_russian
from wadesk.core.models import Message

MEDIA_DOWNLOAD_FAILED = 131052
"""Meta's "media download error": how the engine records an inbound download that failed."""

# Types whose text is the whole content (no card).
TEXT_TYPES: frozenset[MessageType] = frozenset(
    {
        MessageType.TEXT,
        MessageType.NOTE,
        MessageType.BUTTON,
        MessageType.INTERACTIVE,
        MessageType.TEMPLATE,
        MessageType.EDIT,
    }
)


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """The card of a non-text message.

    `kind` is the message type's value (`voice` for voice notes); `path` is the local file once
    downloaded; `details` holds extra lines (a contact card's phones, a location's address).
    """

    kind: str
    title: str = ""
    mime: str | None = None
    size: int | None = None
    path: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    details: tuple[str, ...] = ()

    @property
    def downloaded(self) -> bool:
        return bool(self.path)


def _inner(message: Message) -> Mapping[str, Any]:
    """The type object of the payload (inbound webhook item, or the outbound send body)."""
    payload = message.payload
    key = message.type.value
    for candidate in (payload.get(key), (payload.get("body") or {}).get(key)):
        if isinstance(candidate, Mapping):
            return candidate
    return payload if key in ("location",) and "latitude" in payload else {}


def _num(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _size(value: object) -> int | None:
    number = _num(value)
    return int(number) if number is not None else None


def media_info(message: Message, mime: str | None = None, size: int | None = None) -> MediaInfo:
    """The card for media, location, contacts, stickers and unsupported types; for text-like
    types a card of kind "" (nothing to draw)."""
    mtype = message.type
    obj = _inner(message)
    if mtype in MEDIA_TYPES:
        kind = "voice" if mtype is MessageType.AUDIO and obj.get("voice") else mtype.value
        filename = obj.get("filename")
        path = message.media_path
        title = str(filename) if isinstance(filename, str) and filename else ""
        if not title and path:
            title = PurePath(path).name
        return MediaInfo(
            kind=kind,
            title=title,
            mime=mime or (obj.get("mime_type") if isinstance(obj.get("mime_type"), str) else None),
            size=size if size is not None else _size(obj.get("file_size")),
            path=path,
        )
    if mtype is MessageType.LOCATION:
        lines = tuple(str(obj[k]) for k in ("address",) if isinstance(obj.get(k), str))
        name = obj.get("name")
        return MediaInfo(
            kind="location",
            title=str(name) if isinstance(name, str) else "",
            latitude=_num(obj.get("latitude")),
            longitude=_num(obj.get("longitude")),
            details=lines,
        )
    if mtype is MessageType.CONTACTS:
        return MediaInfo(kind="contacts", details=_contact_lines(message.payload.get("contacts")))
    if mtype in TEXT_TYPES:
        return MediaInfo(kind="")
    raw = message.payload.get("type")
    shown = raw if isinstance(raw, str) and raw else mtype.value
    return MediaInfo(kind="unsupported", title=str(shown))


def _contact_lines(contacts: object) -> tuple[str, ...]:
    lines: list[str] = []
    if not isinstance(contacts, list):
        return ()
    for contact in contacts:
        if not isinstance(contact, Mapping):
            continue
        name = contact.get("name")
        formatted = name.get("formatted_name") if isinstance(name, Mapping) else None
        phones = [
            str(p.get("phone"))
            for p in contact.get("phones") or []
            if isinstance(p, Mapping) and p.get("phone")
        ]
        line = str(formatted or "?")
        if phones:
            line += " · " + ", ".join(phones)
        lines.append(line)
    return tuple(lines)


def explain_failure(message: Message, lang: str) -> str | None:
    """The catalogue's explanation of why a message failed, in `lang` (or why an inbound
    message's media could not be downloaded); None otherwise."""
    if message.direction is Direction.INBOUND:
        if message.error_code == MEDIA_DOWNLOAD_FAILED and not message.media_path:
            return GraphError(code=MEDIA_DOWNLOAD_FAILED).explain(lang)
        return None
    if message.status is MessageStatus.UNKNOWN:
        if is_russian(lang):
            return "Неизвестно, дошло ли сообщение до WhatsApp. Проверьте и отправьте снова."
        return "It is not known whether WhatsApp got this message. Check, then resend."
    if message.status is not MessageStatus.FAILED:
        return None
    if message.error_code is not None:
        return GraphError(code=message.error_code, message=message.error_title).explain(lang)
    title = message.error_title
    if title and title in LOCAL_CATALOGUE:
        return LocalError(title).explain(lang)
    if title:
        return title
    return "Не отправлено." if is_russian(lang) else "Not sent."


def body_text(message: Message) -> str:
    """The text shown in the bubble (caption for media, the emoji-free fallback for templates)."""
    if message.text:
        return message.text
    if message.type is MessageType.TEMPLATE:
        obj = _inner(message)
        name = obj.get("name")
        return f"[template: {name}]" if isinstance(name, str) else "[template]"
    if message.type is MessageType.REVOKE:
        return ""
    return ""
