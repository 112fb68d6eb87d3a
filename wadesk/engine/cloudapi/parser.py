"""Webhook payload parser: one Cloud API POST body → `ParsedWebhook` (wadesk.core.webhook).

`parse_webhook` is a pure function (no I/O). It raises `WebhookParseError` only when the body is
not a webhook at all (not JSON, not a JSON object, no `entry` list). Everything else is
best-effort: every `entry[] → changes[] → value.messages[] / statuses[] / errors[]` is read, in
order, and anything malformed is skipped or defaulted with a human-readable problem string such
as `entry[1].changes[0].value.messages[2]: no id`.

Items reference the loaded JSON objects (`payload`, `value`, `pricing`, …) without copying them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

import orjson

from wadesk.core.enums import MessageStatus, MessageType
from wadesk.core.webhook import (
    ContactInfo,
    FieldEvent,
    GraphErrorInfo,
    InboundMessage,
    MediaRef,
    MessageContext,
    ParsedWebhook,
    Reaction,
    ReplyChoice,
    StatusUpdate,
    SystemErrors,
    WebhookItem,
    WebhookParseError,
)

__all__ = ["parse_webhook"]

_Content = tuple[str | None, MediaRef | None, Reaction | None, ReplyChoice | None]
_NO_CONTENT: _Content = (None, None, None, None)
# Types that never carry a type-specific object.
_BARE_TYPES = frozenset(
    {MessageType.REQUEST_WELCOME, MessageType.UNSUPPORTED, MessageType.TEMPLATE, MessageType.NOTE}
)
# Wire `type` → member, as MessageType.from_wire maps it (a dict lookup is faster than the enum
# call); `template` and `note` exist for outbound/internal messages only: inbound, unsupported.
_WIRE_TYPES: Mapping[str, MessageType] = MappingProxyType(
    {t.value: t for t in MessageType}
    | {"template": MessageType.UNSUPPORTED, "note": MessageType.UNSUPPORTED}
)
# Wire `status` → member, as MessageStatus.from_wire maps it (the common lowercase spellings).
_WIRE_STATUSES: Mapping[str, MessageStatus] = MappingProxyType(
    {s: MessageStatus(s) for s in ("sent", "delivered", "read", "played", "failed")}
)


def parse_webhook(
    body: bytes | str | Mapping[str, Any], *, now: datetime | None = None
) -> ParsedWebhook:
    """Parse one webhook POST body.

    `now` is the time used for items whose own timestamp (and the entry's `time`) is missing or
    unreadable; it defaults to the current UTC time.
    """
    root = _load(body)
    entries = root.get("entry")
    if not isinstance(entries, list):
        raise WebhookParseError("webhook body has no 'entry' list")
    parser = _Parser(now)
    obj = root.get("object")
    if obj is not None and obj != "whatsapp_business_account":
        parser.problem("object", f"unexpected object {_short(obj)}")
    for i, entry in enumerate(entries):
        parser.entry(f"entry[{i}]", entry)
    return ParsedWebhook(items=tuple(parser.items), problems=tuple(parser.problems))


def _load(body: object) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        return body
    if not isinstance(body, (bytes, bytearray, str)):
        raise WebhookParseError(f"webhook body must be bytes or str, not {type(body).__name__}")
    try:
        root = orjson.loads(body)
    except (ValueError, RecursionError) as exc:  # orjson.JSONDecodeError is a ValueError
        raise WebhookParseError(f"webhook body is not JSON: {exc}") from None
    if not isinstance(root, dict):
        raise WebhookParseError(f"webhook body is a JSON {type(root).__name__}, not an object")
    return root


# ---------------------------------------------------------------------------------------------
# small value helpers (never raise)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _ident(value: object) -> str | None:
    """An id: a non-empty string, or an integer (some ids travel as numbers)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**100:
        return str(value)
    return None


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _time(value: object) -> datetime | None:
    """Unix seconds (string or number) → aware UTC datetime; None when unreadable."""
    seconds: float
    if isinstance(value, str):
        try:
            seconds = int(value)
        except ValueError:
            return None
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value
    else:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _map(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _short(value: object) -> str:
    """A bounded repr for problem texts (containers by type only: they may be huge or deep)."""
    if isinstance(value, (dict, list)):
        return f"<{type(value).__name__}>"
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**60 else "<int>"
    return text if len(text) <= 60 else text[:57] + "..."


def _contact(raw: dict[str, Any]) -> ContactInfo:
    profile = raw.get("profile")
    name = username = None
    if isinstance(profile, dict):
        name = _str(profile.get("name"))
        username = _str(profile.get("username"))
    return ContactInfo(
        wa_id=_ident(raw.get("wa_id")),
        user_id=_ident(raw.get("user_id")),
        parent_user_id=_ident(raw.get("parent_user_id")),
        username=username or _str(raw.get("username")),
        profile_name=name,
    )


def _match(
    contacts: list[ContactInfo], wa_id: str | None, user_id: str | None
) -> ContactInfo | None:
    for contact in contacts:
        if (wa_id and contact.wa_id == wa_id) or (user_id and contact.user_id == user_id):
            return contact
    return contacts[0] if len(contacts) == 1 else None


def _context(raw: object) -> MessageContext | None:
    if not isinstance(raw, dict):
        return None
    return MessageContext(
        reply_to=_ident(raw.get("id")),
        reply_from=_ident(raw.get("from")),
        forwarded=raw.get("forwarded") is True,
        frequently_forwarded=raw.get("frequently_forwarded") is True,
        referred_product=_map(raw.get("referred_product")),
    )


# ---------------------------------------------------------------------------------------------
# type-specific content: each takes the type's object and returns (text, media, reaction, choice)


def _text(obj: dict[str, Any]) -> _Content:
    return _str(obj.get("body")), None, None, None


def _media(obj: dict[str, Any]) -> _Content:
    caption = _str(obj.get("caption"))
    filename = _str(obj.get("filename"))
    media = MediaRef(
        media_id=_ident(obj.get("id")),
        mime_type=_str(obj.get("mime_type")),
        sha256=_str(obj.get("sha256")),
        filename=filename,
        caption=caption,
        url=_str(obj.get("url")),
        voice=obj.get("voice") is True,
        animated=obj.get("animated") is True,
    )
    return caption or filename, media, None, None


def _location(obj: dict[str, Any]) -> _Content:
    parts = [p for p in (_str(obj.get("name")), _str(obj.get("address"))) if p]
    if parts:
        return ", ".join(parts), None, None, None
    lat, lon = obj.get("latitude"), obj.get("longitude")
    if isinstance(lat, (float, str)) and isinstance(lon, (float, str)):
        return f"{lat}, {lon}", None, None, None
    if isinstance(lat, int) and isinstance(lon, int) and abs(lat) <= 180 and abs(lon) <= 180:
        return f"{lat}, {lon}", None, None, None
    return None, None, None, None


def _contacts_card(cards: list[Any]) -> _Content:
    names: list[str] = []
    for card in cards:
        if not isinstance(card, dict):
            continue
        name = card.get("name")
        formatted = _str(name.get("formatted_name")) if isinstance(name, dict) else None
        if not formatted:
            phones = card.get("phones")
            if isinstance(phones, list) and phones and isinstance(phones[0], dict):
                formatted = _str(phones[0].get("phone"))
        if formatted:
            names.append(formatted)
    return (", ".join(names) or None), None, None, None


def _flow_token(response_json: str | None) -> str | None:
    if not response_json:
        return None
    try:
        data = json.loads(response_json)
    except (ValueError, RecursionError):
        return None
    return _str(data.get("flow_token")) if isinstance(data, dict) else None


def _interactive(obj: dict[str, Any]) -> _Content:
    kind = _str(obj.get("type"))
    if not kind:
        return _NO_CONTENT
    sub = obj.get(kind)
    if not isinstance(sub, dict):
        return None, None, None, ReplyChoice(kind=kind, reply_id=None)
    if kind == "nfm_reply":
        raw = sub.get("response_json")
        response = raw if isinstance(raw, str) else (json.dumps(raw) if raw is not None else None)
        body = _str(sub.get("body"))
        choice = ReplyChoice(
            kind=kind, reply_id=_flow_token(response), title=body, response_json=response
        )
        return body, None, None, choice
    title = _str(sub.get("title"))
    choice = ReplyChoice(
        kind=kind,
        reply_id=_ident(sub.get("id")),
        title=title,
        description=_str(sub.get("description")),
    )
    return title, None, None, choice


def _button(obj: dict[str, Any]) -> _Content:
    title = _str(obj.get("text"))
    return (
        title,
        None,
        None,
        ReplyChoice(kind="button", reply_id=_str(obj.get("payload")), title=title),
    )


def _reaction(obj: dict[str, Any]) -> _Content:
    emoji = _str(obj.get("emoji")) or None
    return emoji, None, Reaction(message_id=_ident(obj.get("message_id")), emoji=emoji), None


def _order(obj: dict[str, Any]) -> _Content:
    text = _str(obj.get("text"))
    if not text:
        items = obj.get("product_items")
        count = len(items) if isinstance(items, list) else 0
        text = "1 item" if count == 1 else f"{count} items"
    return text, None, None, None


def _system(obj: dict[str, Any]) -> _Content:
    return _str(obj.get("body")), None, None, None


def _revoke(obj: dict[str, Any]) -> _Content:
    return _NO_CONTENT


def _edit(obj: dict[str, Any]) -> _Content:
    inner = obj.get("message")
    if not isinstance(inner, dict):
        return _NO_CONTENT
    raw_type = inner.get("type")
    if not isinstance(raw_type, str):
        return _NO_CONTENT
    inner_type = _WIRE_TYPES.get(raw_type, MessageType.UNSUPPORTED)
    handler = _HANDLERS.get(inner_type)
    inner_obj = inner.get(raw_type)
    if handler is None or handler is _edit or inner_obj is None:
        return _NO_CONTENT
    if inner_type is MessageType.CONTACTS:
        return _contacts_card(inner_obj) if isinstance(inner_obj, list) else _NO_CONTENT
    return handler(inner_obj) if isinstance(inner_obj, dict) else _NO_CONTENT


_HANDLERS: Mapping[MessageType, Callable[[dict[str, Any]], _Content]] = MappingProxyType(
    {
        MessageType.TEXT: _text,
        MessageType.IMAGE: _media,
        MessageType.VIDEO: _media,
        MessageType.AUDIO: _media,
        MessageType.DOCUMENT: _media,
        MessageType.STICKER: _media,
        MessageType.LOCATION: _location,
        MessageType.INTERACTIVE: _interactive,
        MessageType.BUTTON: _button,
        MessageType.REACTION: _reaction,
        MessageType.ORDER: _order,
        MessageType.SYSTEM: _system,
        MessageType.EDIT: _edit,
        MessageType.REVOKE: _revoke,
    }
)


def _unsupported_text(
    message: dict[str, Any], raw_type: str | None, errors: tuple[GraphErrorInfo, ...]
) -> str:
    kind: str | None = None
    unsupported = message.get("unsupported")
    if isinstance(unsupported, dict):
        kind = _str(unsupported.get("type"))
    if not kind and raw_type not in (None, "unsupported", "unknown"):
        kind = raw_type
    if kind:
        return f"Unsupported message ({kind})"
    for error in errors:
        if error.title:
            return error.title
    return "Unsupported message"


# ---------------------------------------------------------------------------------------------


class _Scope(NamedTuple):
    """Where a `messages` value lives: its number, account, entry time and contacts."""

    waba_id: str | None
    time: datetime | None
    phone_number_id: str | None
    display_phone_number: str | None
    contacts: list[ContactInfo]
    has_errors: bool  # value.errors[] explains messages that arrive without their type object


class _Parser:
    """State of one `parse_webhook` call: collected items and problems."""

    __slots__ = ("_now", "items", "problems")

    def __init__(self, now: datetime | None) -> None:
        self._now = now
        self.items: list[WebhookItem] = []
        self.problems: list[str] = []

    def problem(self, path: str, text: str) -> None:
        self.problems.append(f"{path}: {text}")

    def now(self) -> datetime:
        if self._now is None:
            self._now = datetime.now(UTC)
        return self._now

    def timestamp(self, raw: object, path: str, fallback: datetime | None) -> datetime:
        ts = _time(raw)
        if ts is not None:
            return ts
        self.problem(path, "no timestamp" if raw is None else f"bad timestamp {_short(raw)}")
        return fallback if fallback is not None else self.now()

    def errors(self, raw: object, path: str) -> tuple[GraphErrorInfo, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem(path, "errors is not a list")
            return ()
        out: list[GraphErrorInfo] = []
        for k, err in enumerate(raw):
            if not isinstance(err, dict):
                self.problem(f"{path}[{k}]", "not an object")
                continue
            data = err.get("error_data")
            details = _str(data.get("details")) if isinstance(data, dict) else _str(data)
            out.append(
                GraphErrorInfo(
                    code=_int(err.get("code")),
                    title=_str(err.get("title")),
                    message=_str(err.get("message")),
                    details=details,
                )
            )
        return tuple(out)

    def entry(self, path: str, entry: object) -> None:
        if not isinstance(entry, dict):
            self.problem(path, "not an object")
            return
        waba_id = _ident(entry.get("id"))
        raw_time = entry.get("time")
        time = _time(raw_time)
        if raw_time is not None and time is None:
            self.problem(path, f"bad time {_short(raw_time)}")
        changes = entry.get("changes")
        if not isinstance(changes, list):
            self.problem(path, "no changes list")
            return
        for j, change in enumerate(changes):
            self.change(f"{path}.changes[{j}]", change, waba_id, time)

    def change(self, path: str, change: object, waba_id: str | None, time: datetime | None) -> None:
        if not isinstance(change, dict):
            self.problem(path, "not an object")
            return
        field = change.get("field")
        value = change.get("value")
        if not isinstance(field, str) or not field:
            self.problem(path, "no field")
            return
        if not isinstance(value, dict):
            self.problem(path, "value is not an object")
            return
        if field == "messages":
            self.messages_value(f"{path}.value", value, waba_id, time)
        else:
            self.items.append(FieldEvent(waba_id=waba_id, field=field, value=value, time=time))

    def messages_value(
        self, path: str, value: dict[str, Any], waba_id: str | None, time: datetime | None
    ) -> None:
        metadata = value.get("metadata")
        pid = display = None
        if isinstance(metadata, dict):
            pid = _ident(metadata.get("phone_number_id"))
            display = _ident(metadata.get("display_phone_number"))
        if pid is None:
            self.problem(path, "no metadata.phone_number_id")
        contacts = self.contacts(value.get("contacts"), path)
        scope = _Scope(waba_id, time, pid, display, contacts, bool(value.get("errors")))
        found = False
        for key, items in value.items():
            if key not in ("messages", "statuses", "errors"):
                continue
            found = True
            if not isinstance(items, list):
                self.problem(f"{path}.{key}", "not a list")
            elif key == "messages":
                for k, message in enumerate(items):
                    self.message(f"{path}.messages[{k}]", message, scope)
            elif key == "statuses":
                for k, status in enumerate(items):
                    self.status(f"{path}.statuses[{k}]", status, scope)
            else:
                errors = self.errors(items, f"{path}.errors")
                self.items.append(SystemErrors(pid, waba_id, errors, value))
        if not found:
            self.problem(path, "no messages, statuses or errors")

    def contacts(self, raw: object, path: str) -> list[ContactInfo]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(f"{path}.contacts", "not a list")
            return []
        out: list[ContactInfo] = []
        for k, contact in enumerate(raw):
            if isinstance(contact, dict):
                out.append(_contact(contact))
            else:
                self.problem(f"{path}.contacts[{k}]", "not an object")
        return out

    def message(self, path: str, m: object, scope: _Scope) -> None:
        if not isinstance(m, dict):
            self.problem(path, "not an object")
            return
        wamid = _ident(m.get("id"))
        if wamid is None:
            self.problem(path, "no id")
            return
        raw_type = _str(m.get("type"))
        if raw_type is None:
            self.problem(path, "no type")
        mtype = (
            _WIRE_TYPES.get(raw_type, MessageType.UNSUPPORTED)
            if raw_type
            else MessageType.UNSUPPORTED
        )
        from_wa = _ident(m.get("from"))
        from_uid = _ident(m.get("from_user_id"))
        if from_wa is None and from_uid is None:
            self.problem(path, "no sender (from / from_user_id)")
        timestamp = self.timestamp(m.get("timestamp"), path, scope.time)
        errors = self.errors(m.get("errors"), f"{path}.errors")
        content = _NO_CONTENT
        if mtype is MessageType.UNSUPPORTED:
            content = (_unsupported_text(m, raw_type, errors), None, None, None)
        elif mtype is MessageType.CONTACTS:
            cards = m.get("contacts")
            if isinstance(cards, list):
                content = _contacts_card(cards)
            else:
                self.problem(path, "no 'contacts' list")
        elif mtype not in _BARE_TYPES:
            obj = m.get(raw_type) if raw_type else None
            handler = _HANDLERS.get(mtype)
            if isinstance(obj, dict) and handler is not None:
                content = handler(obj)
            elif not errors and not scope.has_errors:
                self.problem(path, f"no '{raw_type}' object")
        text, media, reaction, choice = content
        referral = m.get("referral")
        self.items.append(
            InboundMessage(
                phone_number_id=scope.phone_number_id,
                display_phone_number=scope.display_phone_number,
                waba_id=scope.waba_id,
                wamid=wamid,
                type=mtype,
                raw_type=raw_type,
                timestamp=timestamp,
                from_wa_id=from_wa,
                from_user_id=from_uid,
                contact=_match(scope.contacts, from_wa, from_uid) if scope.contacts else None,
                text=text,
                media=media,
                context=_context(m.get("context")),
                referral=referral if isinstance(referral, dict) else None,
                reaction=reaction,
                choice=choice,
                errors=errors,
                payload=m,
            )
        )

    def status(self, path: str, s: object, scope: _Scope) -> None:
        if not isinstance(s, dict):
            self.problem(path, "not an object")
            return
        wamid = _ident(s.get("id"))
        if wamid is None:
            self.problem(path, "no id")
            return
        raw_status = s.get("status")
        status = _WIRE_STATUSES.get(raw_status) if isinstance(raw_status, str) else None
        if status is None:
            status = MessageStatus.from_wire(raw_status)  # odd spellings ("DELIVERED")
        if status is None:
            self.problem(path, f"unknown status {_short(raw_status)}")
            return
        recipient_id = _ident(s.get("recipient_id"))
        recipient_user_id = _ident(s.get("recipient_user_id"))
        contacts = scope.contacts
        if "contacts" in s:
            contacts = self.contacts(s.get("contacts"), path)
        self.items.append(
            StatusUpdate(
                phone_number_id=scope.phone_number_id,
                waba_id=scope.waba_id,
                wamid=wamid,
                status=status,
                timestamp=self.timestamp(s.get("timestamp"), path, scope.time),
                recipient_id=recipient_id,
                recipient_user_id=recipient_user_id,
                contact=_match(contacts, recipient_id, recipient_user_id) if contacts else None,
                errors=self.errors(s.get("errors"), f"{path}.errors"),
                pricing=_map(s.get("pricing")),
                conversation=_map(s.get("conversation")),
                biz_opaque_callback_data=_str(s.get("biz_opaque_callback_data")),
                payload=s,
            )
        )
