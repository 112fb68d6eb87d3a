"""Builders for outgoing WhatsApp messages: each checks WhatsApp's limits locally and returns the
JSON body for `POST /{phone-number-id}/messages`.

A limit violation raises `LimitError` (a `ValueError`) whose message names the field and the
limit; `explain("ru")` gives the same in Russian. `MEDIA_LIMITS` and `check_media` hold the
supported MIME types and maximum sizes per media kind (reference §5).

Recipients: a phone number / wa_id (digits, optional "+") goes into `to`; a business-scoped
user id (BSUID, contains a ".") goes into `recipient`.

Pure: no I/O imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from wadesk.core import outgoing_limits as lim
from wadesk.core.outgoing_limits import (
    MEDIA_KINDS,
    MEDIA_LIMITS,
    LimitError,
    MediaKind,
    MediaLimit,
    base_mime,
    check_kind,
    check_media,
    kind_for_mime,
)

__all__ = [
    "MEDIA_KINDS",
    "MEDIA_LIMITS",
    "Body",
    "LimitError",
    "ListRow",
    "ListSection",
    "MediaKind",
    "MediaLimit",
    "TemplateButton",
    "base_mime",
    "check_media",
    "contacts",
    "cta_url",
    "currency_param",
    "date_time_param",
    "kind_for_mime",
    "list_message",
    "location",
    "mark_read",
    "media",
    "media_header",
    "media_param",
    "reaction",
    "recipient_fields",
    "reply_buttons",
    "template",
    "text",
    "text_param",
]

Body = dict[str, Any]


def _too_long(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise LimitError(
            field,
            f"{field} is {len(value)} characters; the limit is {limit}",
            f"{field}: {len(value)} символов, допустимо не больше {limit}",
        )


def _required(field: str, value: str | None) -> str:
    if value is None or not value.strip():
        raise LimitError(field, f"{field} must not be empty", f"{field}: поле не может быть пустым")
    return value


def _text(field: str, value: str | None, limit: int) -> str:
    text = _required(field, value)
    _too_long(field, text, limit)
    return text


def _https(field: str, url: str) -> str:
    _required(field, url)
    if not re.match(r"^https://[^\s/]+\.[^\s]+$", url.strip()):
        raise LimitError(
            field,
            f"{field} must be an https:// URL",
            f"{field}: нужен адрес, начинающийся с https://",
        )
    return url.strip()


_PHONE_RE = re.compile(r"^\+?\d{5,20}$")
_BSUID_RE = re.compile(r"^[A-Za-z]{2}(\.[A-Za-z]+)?\.[A-Za-z0-9]+$")


def recipient_fields(to: str) -> Body:
    """`{"to": ...}` for a phone number / wa_id, `{"recipient": ...}` for a BSUID."""
    value = (to or "").strip()
    if "." in value:
        if not _BSUID_RE.match(value) or len(value) > 128:
            raise LimitError(
                "to",
                f"to: {value!r} is not a valid business-scoped user id (like US.1349…)",
                f"to: {value!r} — недопустимый BSUID (вида US.1349…)",
            )
        return {"recipient": value}
    phone = re.sub(r"[\s\-()]", "", value)
    if not _PHONE_RE.match(phone):
        raise LimitError(
            "to",
            f"to: {value!r} is not a phone number or WhatsApp id (digits, optional +)",
            f"to: {value!r} — не номер телефона и не WhatsApp ID (цифры, можно с +)",
        )
    return {"to": phone}


def _envelope(to: str, kind: str, reply_to: str | None, tracker: str | None) -> Body:
    body: Body = {"messaging_product": "whatsapp", "recipient_type": "individual"}
    body.update(recipient_fields(to))
    body["type"] = kind
    if reply_to is not None:
        body["context"] = {"message_id": _required("reply_to", reply_to)}
    if tracker is not None:
        _too_long("tracker (biz_opaque_callback_data)", tracker, lim.TRACKER_MAX)
        body["biz_opaque_callback_data"] = tracker
    return body


def text(
    to: str,
    body: str,
    preview_url: bool = False,
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """A text message (body ≤ 4096 characters)."""
    msg = _envelope(to, "text", reply_to, tracker)
    msg["text"] = {"body": _text("text body", body, lim.TEXT_MAX), "preview_url": bool(preview_url)}
    return msg


def _media_object(kind: str, media_id: str | None, link: str | None) -> Body:
    if (media_id is None) == (link is None):
        raise LimitError(
            f"{kind}", f"{kind}: give exactly one of media_id or link",
            f"{kind}: укажите ровно одно из media_id или link",
        )  # fmt: skip
    if media_id is not None:
        return {"id": _required(f"{kind} media_id", media_id)}
    assert link is not None
    return {"link": _https(f"{kind} link", link)}


def media(
    to: str,
    kind: str,
    media_id: str | None = None,
    link: str | None = None,
    caption: str | None = None,
    filename: str | None = None,
    voice: bool = False,
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """An image / video / audio / document / sticker message, by media id or https link."""
    check_kind(kind)
    obj = _media_object(kind, media_id, link)
    if caption is not None:
        if kind not in ("image", "video", "document"):
            raise LimitError(
                "caption", f"a caption is not allowed on {kind}",
                f"подпись недопустима для типа {kind}",
            )  # fmt: skip
        _too_long("caption", caption, lim.CAPTION_MAX)
        obj["caption"] = caption
    if filename is not None:
        if kind != "document":
            raise LimitError(
                "filename", "filename is only allowed on documents",
                "имя файла допустимо только для документов",
            )  # fmt: skip
        obj["filename"] = _required("filename", filename)
    if voice:
        if kind != "audio":
            raise LimitError(
                "voice", "voice is only allowed on audio", "voice допустимо только для аудио"
            )
        obj["voice"] = True
    msg = _envelope(to, kind, reply_to, tracker)
    msg[kind] = obj
    return msg


def location(
    to: str,
    latitude: float,
    longitude: float,
    name: str | None = None,
    address: str | None = None,
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """A location pin."""
    if not -90.0 <= float(latitude) <= 90.0:
        raise LimitError("latitude", "latitude must be between -90 and 90",
                         "широта должна быть от -90 до 90")  # fmt: skip
    if not -180.0 <= float(longitude) <= 180.0:
        raise LimitError("longitude", "longitude must be between -180 and 180",
                         "долгота должна быть от -180 до 180")  # fmt: skip
    obj: Body = {"latitude": float(latitude), "longitude": float(longitude)}
    if name is not None:
        obj["name"] = name
    if address is not None:
        obj["address"] = address
    msg = _envelope(to, "location", reply_to, tracker)
    msg["location"] = obj
    return msg


def contacts(
    to: str,
    cards: Sequence[Mapping[str, Any]],
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """Contact cards (1–257), each with `name.formatted_name`; cards are passed through."""
    if not cards:
        raise LimitError("contacts", "contacts: give at least one card",
                         "contacts: нужна хотя бы одна карточка")  # fmt: skip
    if len(cards) > lim.CONTACTS_MAX:
        raise LimitError(
            "contacts", f"contacts: {len(cards)} cards; the limit is {lim.CONTACTS_MAX}",
            f"contacts: {len(cards)} карточек, допустимо не больше {lim.CONTACTS_MAX}",
        )  # fmt: skip
    out = []
    for i, card in enumerate(cards):
        name = card.get("name") if isinstance(card, Mapping) else None
        formatted = name.get("formatted_name") if isinstance(name, Mapping) else None
        if not isinstance(formatted, str) or not formatted.strip():
            raise LimitError(
                "contacts", f"contacts[{i}]: name.formatted_name is required",
                f"contacts[{i}]: обязательно поле name.formatted_name",
            )  # fmt: skip
        out.append(dict(card))
    msg = _envelope(to, "contacts", reply_to, tracker)
    msg["contacts"] = out
    return msg


def media_header(kind: str, media_id: str | None = None, link: str | None = None) -> Body:
    """An interactive header with an image, video or document (for reply buttons / CTA)."""
    if kind not in ("image", "video", "document"):
        raise LimitError("header", f"header kind {kind!r} must be image, video or document",
                         f"тип заголовка {kind!r}: только image, video или document")  # fmt: skip
    return {"type": kind, kind: _media_object(kind, media_id, link)}


def _header(header: str | Mapping[str, Any] | None, text_only: bool = False) -> Body | None:
    if header is None:
        return None
    if isinstance(header, str):
        return {"type": "text", "text": _text("header", header, lim.HEADER_MAX)}
    kind = header.get("type")
    if text_only and kind != "text":
        raise LimitError("header", "a list message header must be text",
                         "заголовок списка может быть только текстом")  # fmt: skip
    if kind == "text":
        return {"type": "text", "text": _text("header", header.get("text"), lim.HEADER_MAX)}
    if kind in ("image", "video", "document") and isinstance(header.get(kind), Mapping):
        return dict(header)
    raise LimitError("header", "header must be text or an image/video/document header",
                     "заголовок: текст или изображение/видео/документ")  # fmt: skip


def _interactive(
    to: str,
    kind: str,
    body: str,
    header: Body | None,
    footer: str | None,
    action: Body,
    reply_to: str | None,
    tracker: str | None,
) -> Body:
    obj: Body = {"type": kind}
    if header is not None:
        obj["header"] = header
    obj["body"] = {"text": _text("body", body, lim.INTERACTIVE_BODY_MAX)}
    if footer is not None:
        obj["footer"] = {"text": _text("footer", footer, lim.FOOTER_MAX)}
    obj["action"] = action
    msg = _envelope(to, "interactive", reply_to, tracker)
    msg["interactive"] = obj
    return msg


def _clean_id(field: str, value: str, limit: int) -> str:
    _text(field, value, limit)
    if value != value.strip():
        raise LimitError(field, f"{field} must not start or end with spaces",
                         f"{field}: не должно начинаться или заканчиваться пробелом")  # fmt: skip
    return value


def reply_buttons(
    to: str,
    body: str,
    buttons: Sequence[tuple[str, str]],
    header: str | Mapping[str, Any] | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """Interactive reply buttons: 1–3 `(id, title)` pairs, unique titles ≤ 20, ids ≤ 256."""
    if not buttons or len(buttons) > lim.BUTTONS_MAX:
        raise LimitError(
            "buttons", f"buttons: {len(buttons)} given; 1 to {lim.BUTTONS_MAX} allowed",
            f"кнопки: передано {len(buttons)}, допустимо от 1 до {lim.BUTTONS_MAX}",
        )  # fmt: skip
    titles: set[str] = set()
    ids: set[str] = set()
    out = []
    for button_id, title in buttons:
        _clean_id("button id", button_id, lim.BUTTON_ID_MAX)
        _text("button title", title, lim.BUTTON_TITLE_MAX)
        if title in titles or button_id in ids:
            raise LimitError("buttons", f"buttons must have unique titles and ids ({title!r})",
                             f"у кнопок должны быть разные названия и id ({title!r})")  # fmt: skip
        titles.add(title)
        ids.add(button_id)
        out.append({"type": "reply", "reply": {"id": button_id, "title": title}})
    return _interactive(
        to, "button", body, _header(header), footer, {"buttons": out}, reply_to, tracker
    )


@dataclass(frozen=True)
class ListRow:
    """One row of a list message."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class ListSection:
    """A section of a list message; `title` is required when there are several sections."""

    title: str | None
    rows: Sequence[ListRow | tuple[str, str] | tuple[str, str, str | None]]


def _row(row: ListRow | tuple[str, str] | tuple[str, str, str | None]) -> ListRow:
    if isinstance(row, ListRow):
        return row
    return ListRow(row[0], row[1], row[2] if len(row) > 2 else None)


def list_message(
    to: str,
    body: str,
    button: str,
    sections: Sequence[ListSection],
    header: str | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """An interactive list: ≤ 10 sections, ≤ 10 rows in total, text-only header."""
    _text("list button", button, lim.LIST_BUTTON_MAX)
    if not sections or len(sections) > lim.LIST_SECTIONS_MAX:
        raise LimitError(
            "sections", f"sections: {len(sections)} given; 1 to {lim.LIST_SECTIONS_MAX} allowed",
            f"разделы: передано {len(sections)}, допустимо от 1 до {lim.LIST_SECTIONS_MAX}",
        )  # fmt: skip
    total = sum(len(s.rows) for s in sections)
    if total == 0 or total > lim.LIST_ROWS_MAX:
        raise LimitError(
            "rows", f"rows: {total} in total; 1 to {lim.LIST_ROWS_MAX} allowed",
            f"строки: всего {total}, допустимо от 1 до {lim.LIST_ROWS_MAX}",
        )  # fmt: skip
    ids: set[str] = set()
    out_sections = []
    for section in sections:
        out: Body = {}
        if section.title is not None or len(sections) > 1:
            out["title"] = _text("section title", section.title, lim.SECTION_TITLE_MAX)
        rows = []
        for raw in section.rows:
            row = _row(raw)
            _clean_id("row id", row.id, lim.ROW_ID_MAX)
            if row.id in ids:
                raise LimitError("rows", f"row ids must be unique ({row.id!r})",
                                 f"id строк должны быть разными ({row.id!r})")  # fmt: skip
            ids.add(row.id)
            item: Body = {"id": row.id, "title": _text("row title", row.title, lim.ROW_TITLE_MAX)}
            if row.description is not None:
                _too_long("row description", row.description, lim.ROW_DESCRIPTION_MAX)
                item["description"] = row.description
            rows.append(item)
        out["rows"] = rows
        out_sections.append(out)
    action = {"button": button, "sections": out_sections}
    return _interactive(
        to, "list", body, _header(header, text_only=True), footer, action, reply_to, tracker
    )


def cta_url(
    to: str,
    body: str,
    display_text: str,
    url: str,
    header: str | Mapping[str, Any] | None = None,
    footer: str | None = None,
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """An interactive call-to-action URL button (display text ≤ 20, https URL)."""
    action = {
        "name": "cta_url",
        "parameters": {
            "display_text": _text("display_text", display_text, lim.CTA_DISPLAY_TEXT_MAX),
            "url": _https("url", url),
        },
    }
    return _interactive(to, "cta_url", body, _header(header), footer, action, reply_to, tracker)


def text_param(value: str, name: str | None = None) -> Body:
    """A text template parameter; `name` for templates with NAMED parameters."""
    param: Body = {"type": "text"}
    if name is not None:
        param["parameter_name"] = _required("parameter_name", name)
    param["text"] = _required("template parameter", value)
    return param


def currency_param(fallback_value: str, code: str, amount_1000: int) -> Body:
    """A currency template parameter (amount × 1000, e.g. 100990 for 100.99)."""
    return {
        "type": "currency",
        "currency": {"fallback_value": fallback_value, "code": code, "amount_1000": amount_1000},
    }


def date_time_param(fallback_value: str) -> Body:
    """A date/time template parameter."""
    return {"type": "date_time", "date_time": {"fallback_value": fallback_value}}


def media_param(
    kind: str, media_id: str | None = None, link: str | None = None, filename: str | None = None
) -> Body:
    """An image / video / document template header parameter."""
    if kind not in ("image", "video", "document"):
        raise LimitError("header", f"template media header {kind!r} must be image, video or "
                         "document", f"медиазаголовок шаблона {kind!r}: только image, video или "
                         "document")  # fmt: skip
    obj = _media_object(kind, media_id, link)
    if filename is not None:
        if kind != "document":
            raise LimitError("filename", "filename is only allowed on documents",
                             "имя файла допустимо только для документов")  # fmt: skip
        obj["filename"] = filename
    return {"type": kind, kind: obj}


@dataclass(frozen=True)
class TemplateButton:
    """A parameter for a template button at 0-based `index`.

    quick_reply → payload, url → URL suffix text, copy_code → coupon code.
    """

    index: int
    value: str
    sub_type: Literal["quick_reply", "url", "copy_code"] = "quick_reply"

    def component(self) -> Body:
        if self.index < 0 or self.index > 9:
            raise LimitError("button index", "template button index must be 0 to 9",
                             "индекс кнопки шаблона должен быть от 0 до 9")  # fmt: skip
        value = _required("template button parameter", self.value)
        if self.sub_type == "quick_reply":
            param: Body = {"type": "payload", "payload": value}
        elif self.sub_type == "url":
            param = {"type": "text", "text": value}
        elif self.sub_type == "copy_code":
            param = {"type": "coupon_code", "coupon_code": value}
        else:
            raise LimitError("button sub_type", f"unknown template button type {self.sub_type!r}",
                             f"неизвестный тип кнопки шаблона {self.sub_type!r}")  # fmt: skip
        return {
            "type": "button",
            "sub_type": self.sub_type,
            "index": str(self.index),
            "parameters": [param],
        }


_TEMPLATE_NAME_RE = re.compile(r"^[a-z0-9_]+$")
_LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")


def _param(value: str | Mapping[str, Any]) -> Body:
    if isinstance(value, str):
        return text_param(value)
    if not isinstance(value.get("type"), str):
        raise LimitError("template parameter", "a template parameter needs a type",
                         "у параметра шаблона должен быть type")  # fmt: skip
    return dict(value)


def template(
    to: str,
    name: str,
    language: str,
    header: str | Mapping[str, Any] | None = None,
    body_params: Sequence[str | Mapping[str, Any]] = (),
    button_params: Sequence[TemplateButton | Mapping[str, Any]] = (),
    reply_to: str | None = None,
    *,
    tracker: str | None = None,
) -> Body:
    """A template message; `header` is text or a media parameter (`media_param`)."""
    _text("template name", name, lim.TEMPLATE_NAME_MAX)
    if not _TEMPLATE_NAME_RE.match(name):
        raise LimitError("template name", "template name may contain only a-z, 0-9 and _",
                         "имя шаблона может содержать только a-z, 0-9 и _")  # fmt: skip
    if not _LANGUAGE_RE.match(language or ""):
        raise LimitError("language", f"template language {language!r} is not a code like en_US",
                         f"язык шаблона {language!r} — не код вида en_US")  # fmt: skip
    components: list[Body] = []
    if header is not None:
        components.append({"type": "header", "parameters": [_param(header)]})
    if body_params:
        components.append({"type": "body", "parameters": [_param(p) for p in body_params]})
    for button in button_params:
        components.append(
            button.component() if isinstance(button, TemplateButton) else dict(button)
        )
    obj: Body = {"name": name, "language": {"code": language}}
    if components:
        obj["components"] = components
    msg = _envelope(to, "template", reply_to, tracker)
    msg["template"] = obj
    return msg


def reaction(to: str, message_id: str, emoji: str, *, tracker: str | None = None) -> Body:
    """A reaction to `message_id`; an empty `emoji` removes the reaction."""
    _required("message_id", message_id)
    if len(emoji) > 10 or (emoji and not emoji.strip()):
        raise LimitError("emoji", "emoji must be a single emoji (or empty to remove)",
                         "emoji: один эмодзи (или пусто, чтобы убрать реакцию)")  # fmt: skip
    msg = _envelope(to, "reaction", None, tracker)
    msg["reaction"] = {"message_id": message_id, "emoji": emoji}
    return msg


def mark_read(message_id: str, typing: bool = False) -> Body:
    """Mark an inbound message read; `typing=True` also shows the typing indicator (25 s)."""
    body: Body = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": _required("message_id", message_id),
    }
    if typing:
        body["typing_indicator"] = {"type": "text"}
    return body
