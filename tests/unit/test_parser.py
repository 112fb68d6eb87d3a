"""Webhook parser over the hand-written corpus in tests/data/webhooks (one file per shape)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from wadesk.core.enums import MessageStatus, MessageType
from wadesk.core.webhook import (
    FieldEvent,
    InboundMessage,
    ParsedWebhook,
    StatusUpdate,
    SystemErrors,
    WebhookParseError,
)
from wadesk.engine.cloudapi.parser import parse_webhook

CORPUS = Path(__file__).resolve().parent.parent / "data" / "webhooks"
PID = "106540352242922"
WABA = "102290129340398"
MISSING = object()


def parse(name: str) -> ParsedWebhook:
    return parse_webhook((CORPUS / name).read_bytes())


def only(name: str) -> Any:
    parsed = parse(name)
    assert parsed.problems == ()
    assert len(parsed.items) == 1, parsed.items
    return parsed.items[0]


def attr(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return MISSING
        obj = getattr(obj, part)
    return obj


def ts(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# file → expected attributes of its single InboundMessage (dotted paths into the dataclass)
MESSAGE_CASES: dict[str, dict[str, Any]] = {
    "text.json": {
        "type": MessageType.TEXT,
        "raw_type": "text",
        "wamid": "wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQUZGMDg4RTk0QTg1RkQ4QTJBRgA=",
        "text": "Здравствуйте! Can I book a table for 4 tonight? 🍽",
        "timestamp": ts(1767225600),
        "from_wa_id": "79161234567",
        "from_user_id": "RU.13491208655302741918",
        "contact.profile_name": "Анна Петрова",
        "contact.user_id": "RU.13491208655302741918",
        "phone_number_id": PID,
        "display_phone_number": "15550783881",
        "waba_id": WABA,
        "media": None,
        "context": None,
        "choice": None,
    },
    "image.json": {
        "type": MessageType.IMAGE,
        "text": "Is this the right receipt?",
        "media.media_id": "1003383421387256",
        "media.mime_type": "image/jpeg",
        "media.caption": "Is this the right receipt?",
        "media.sha256": "2OFLWMbpyHzr8lYyuSx0OFZo2JBKXB8ZtN0TTbF6Jxw=",
        "media.url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256&ext=1767225660&hash=ATsMwWsk3d0VQ",
        "contact.profile_name": "Sheena Nelson",
    },
    "video.json": {
        "type": MessageType.VIDEO,
        "text": None,
        "media.media_id": "1172983497055513",
        "media.mime_type": "video/mp4",
        "media.caption": None,
    },
    "audio_voice.json": {
        "type": MessageType.AUDIO,
        "media.voice": True,
        "media.mime_type": "audio/ogg; codecs=opus",
        "contact.profile_name": "Анна",  # sent as \\u escapes
    },
    "audio_file.json": {"type": MessageType.AUDIO, "media.voice": False, "media.animated": False},
    "document.json": {
        "type": MessageType.DOCUMENT,
        "text": "Signed contract",
        "media.filename": "Договор №17.pdf",
        "media.mime_type": "application/pdf",
    },
    "sticker.json": {"type": MessageType.STICKER, "media.animated": True, "media.voice": False},
    "location.json": {
        "type": MessageType.LOCATION,
        "text": "Meta HQ, 1 Hacker Way, Menlo Park, CA 94025",
    },
    "location_current.json": {"type": MessageType.LOCATION, "text": "55.751244, 37.618423"},
    "contacts.json": {"type": MessageType.CONTACTS, "text": "Иван Сидоров, John Smith"},
    "interactive_button_reply.json": {
        "type": MessageType.INTERACTIVE,
        "text": "Yes, book it",
        "choice.kind": "button_reply",
        "choice.reply_id": "flow:12:node:yes",
        "choice.title": "Yes, book it",
        "context.reply_to": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA",
        "context.reply_from": "15550783881",
    },
    "interactive_list_reply.json": {
        "type": MessageType.INTERACTIVE,
        "text": "19:00",
        "choice.kind": "list_reply",
        "choice.reply_id": "slot_1900",
        "choice.description": "Window table, 2 hours",
    },
    "interactive_nfm_reply.json": {
        "type": MessageType.INTERACTIVE,
        "text": "Sent",
        "choice.kind": "nfm_reply",
        "choice.reply_id": "ft-booking-42",
        "choice.response_json": '{"flow_token":"ft-booking-42","guests":"4","name":"Анна"}',
    },
    "interactive_call_permission_reply.json": {
        "type": MessageType.INTERACTIVE,
        "choice.kind": "call_permission_reply",
        "choice.reply_id": None,
    },
    "button.json": {
        "type": MessageType.BUTTON,
        "text": "Confirm",
        "choice.kind": "button",
        "choice.reply_id": "CONFIRM_ORDER_1017",
        "choice.title": "Confirm",
        "context.reply_to": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI2QjE5NUIzRTM4RjVBRjE0RDYA",
    },
    "reaction.json": {
        "type": MessageType.REACTION,
        "text": "😮",
        "reaction.emoji": "😮",
        "reaction.message_id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI2QjE5NUIzRTM4RjVBRjE0RDYA",
    },
    "reaction_removed.json": {
        "type": MessageType.REACTION,
        "text": None,
        "reaction.emoji": None,
        "reaction.message_id": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI2QjE5NUIzRTM4RjVBRjE0RDYA",
    },
    "reaction_removed_omitted.json": {"type": MessageType.REACTION, "reaction.emoji": None},
    "order.json": {"type": MessageType.ORDER, "text": "Please deliver after 6pm"},
    "order_no_text.json": {"type": MessageType.ORDER, "text": "3 items"},
    "system_user_changed_number.json": {
        "type": MessageType.SYSTEM,
        "text": "User Sheena Nelson changed from 16505551234 to 16505559999",
        "contact": None,  # system messages may come without contacts
        "from_wa_id": "16505551234",
    },
    "system_identity_changed.json": {
        "type": MessageType.SYSTEM,
        "text": "User’s security code changed",
    },
    "request_welcome.json": {"type": MessageType.REQUEST_WELCOME, "text": None},
    "edit.json": {"type": MessageType.EDIT, "text": "Table for 5, not 4"},
    "revoke.json": {"type": MessageType.REVOKE, "raw_type": "revoke", "text": None},
    "unsupported_poll.json": {
        "type": MessageType.UNSUPPORTED,
        "raw_type": "unsupported",
        "text": "Unsupported message (poll)",
    },
    "unknown_legacy.json": {
        "type": MessageType.UNSUPPORTED,
        "raw_type": "unknown",
        "text": "Unsupported message type",
    },
    "unknown_type_poll.json": {
        "type": MessageType.UNSUPPORTED,
        "raw_type": "poll",
        "text": "Unsupported message (poll)",
    },
    "referral.json": {
        "type": MessageType.TEXT,
        "text": "Здравствуйте, хочу скидку",
        "referral.__class__": dict,
    },
    "bsuid_only.json": {
        "from_wa_id": None,
        "from_user_id": "FR.8843192205567314411",
        "sender_key": "FR.8843192205567314411",
        "contact.wa_id": None,
        "contact.user_id": "FR.8843192205567314411",
        "contact.profile_name": "Léa Martin",
    },
    "username_contact.json": {
        "sender_key": "393471234567",
        "contact.username": "@marco.rossi",
        "contact.parent_user_id": "IT.ENT.1181903376445120",
        "contact.user_id": "IT.5529301847562093384",
    },
}


@pytest.mark.parametrize("name", sorted(MESSAGE_CASES))
def test_message_fields(name: str) -> None:
    item = only(name)
    assert isinstance(item, InboundMessage)
    for path, expected in MESSAGE_CASES[name].items():
        assert attr(item, path) == expected, f"{name}: {path}"


def test_every_inbound_type_is_in_the_corpus() -> None:
    seen = {attr(only(name), "type") for name in MESSAGE_CASES}
    assert seen == set(MessageType) - {MessageType.TEMPLATE, MessageType.NOTE}


def test_corpus_parses_without_problems() -> None:
    paths = sorted(CORPUS.glob("*.json"))
    assert len(paths) >= 45
    for path in paths:
        parsed = parse_webhook(path.read_bytes())
        assert parsed.items, path.name
        if path.name == "broken.json":
            assert parsed.problems
        else:
            assert parsed.problems == (), path.name


def test_unsupported_keeps_errors() -> None:
    item = only("unsupported_poll.json")
    assert [(e.code, e.title, e.details) for e in item.errors] == [
        (131051, "Message type unknown", "Message type is currently not supported.")
    ]


def test_edit_and_revoke_keep_their_payload() -> None:
    edit = only("edit.json")
    assert edit.payload["edit"]["original_message_id"].startswith("wamid.")
    revoke = only("revoke.json")
    assert revoke.payload["revoke"]["original_message_id"] == edit.wamid


def test_referral_kept_as_mapping() -> None:
    item = only("referral.json")
    assert item.referral["source_type"] == "ad"
    assert item.referral["headline"] == "Скидка 20% на первый заказ"


def test_context_reply_forwarded_and_product() -> None:
    parsed = parse("context_reply_forwarded.json")
    assert parsed.problems == ()
    reply, forwarded, frequent, product = parsed.items
    assert isinstance(reply, InboundMessage) and reply.context is not None
    assert reply.context.reply_to == "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA"
    assert not reply.context.forwarded
    assert isinstance(forwarded, InboundMessage) and forwarded.context is not None
    assert forwarded.context.forwarded and not forwarded.context.frequently_forwarded
    assert forwarded.context.reply_to is None
    assert isinstance(frequent, InboundMessage) and frequent.context is not None
    assert frequent.context.frequently_forwarded and frequent.type is MessageType.IMAGE
    assert isinstance(product, InboundMessage) and product.context is not None
    assert product.context.referred_product == {
        "catalog_id": "1537484450233185",
        "product_retailer_id": "SKU-PIZZA-M",
    }


# ------------------------------------------------------------------------------- statuses

STATUS_CASES: dict[str, dict[str, Any]] = {
    "status_sent.json": {
        "status": MessageStatus.SENT,
        "wamid": "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA",
        "timestamp": ts(1767227220),
        "recipient_id": "16505551234",
        "biz_opaque_callback_data": "flow:12:node:ask",
        "phone_number_id": PID,
        "waba_id": WABA,
        "contact": None,
        "errors": (),
    },
    "status_delivered.json": {"status": MessageStatus.DELIVERED, "conversation": None},
    "status_read_with_contacts.json": {
        "status": MessageStatus.READ,
        "recipient_user_id": "US.13491208655302741918",
        "contact.username": "@sheena",
        "contact.wa_id": "16505551234",
    },
    "status_played.json": {"status": MessageStatus.PLAYED, "recipient_id": "79161234567"},
    "status_failed_131047.json": {"status": MessageStatus.FAILED},
    "status_failed_string_error_data.json": {"status": MessageStatus.FAILED},
}


@pytest.mark.parametrize("name", sorted(STATUS_CASES))
def test_status_fields(name: str) -> None:
    item = only(name)
    assert isinstance(item, StatusUpdate)
    for path, expected in STATUS_CASES[name].items():
        assert attr(item, path) == expected, f"{name}: {path}"


def test_status_pricing_and_conversation_kept() -> None:
    item = only("status_sent.json")
    assert item.pricing == {
        "billable": False,
        "pricing_model": "PMP",
        "category": "service",
        "type": "free_customer_service",
    }
    assert item.conversation is not None
    assert item.conversation["origin"] == {"type": "service"}


def test_failed_status_errors() -> None:
    item = only("status_failed_131047.json")
    (err,) = item.errors
    assert err.code == 131047
    assert err.title == "Re-engagement message"
    assert err.details is not None and "24 hours" in err.details
    (err,) = only("status_failed_string_error_data.json").errors
    assert (err.code, err.message, err.details) == (131026, None, "Message Undeliverable.")


def test_interactive_with_error_gives_system_errors() -> None:
    parsed = parse("interactive_with_error.json")
    assert parsed.problems == ()  # value.errors explains the missing interactive object
    message, system = parsed.items
    assert isinstance(message, InboundMessage)
    assert message.type is MessageType.INTERACTIVE and message.choice is None
    assert isinstance(system, SystemErrors)
    assert system.phone_number_id == PID and system.waba_id == WABA
    assert [(e.code, e.title, e.details) for e in system.errors] == [
        (131000, "Something went wrong", "Unsupported webhook payload")
    ]


# ---------------------------------------------------------------------------- other fields


@pytest.mark.parametrize(
    ("name", "field", "key", "value", "time"),
    [
        (
            "template_status_update.json",
            "message_template_status_update",
            "event",
            "REJECTED",
            1767229000,
        ),
        (
            "template_quality_update.json",
            "message_template_quality_update",
            "new_quality_score",
            "YELLOW",
            1767229060,
        ),
        (
            "template_category_update.json",
            "template_category_update",
            "new_category",
            "MARKETING",
            1767229120,
        ),
        ("account_update.json", "account_update", "event", "ACCOUNT_VIOLATION", 1767229180),
        (
            "phone_number_quality_update.json",
            "phone_number_quality_update",
            "max_daily_conversations_per_business",
            "TIER_2K",
            1767229240,
        ),
        ("user_preferences.json", "user_preferences", "messaging_product", "whatsapp", None),
    ],
)
def test_field_events(name: str, field: str, key: str, value: str, time: int | None) -> None:
    item = only(name)
    assert isinstance(item, FieldEvent)
    assert item.field == field
    assert item.waba_id == WABA
    assert item.value[key] == value
    assert item.time == (ts(time) if time is not None else None)


# ------------------------------------------------------------------------ multi entry, order


def test_multi_entry_keeps_order_across_entries_and_changes() -> None:
    parsed = parse("multi_entry.json")
    assert parsed.problems == ()
    summary = [
        (
            type(i).__name__,
            getattr(i, "wamid", getattr(i, "field", None)),
            getattr(i, "phone_number_id", None),
        )
        for i in parsed.items
    ]
    uk = "117651463353033"
    assert summary == [
        ("InboundMessage", "wamid.MULTI.A1", PID),
        ("InboundMessage", "wamid.MULTI.A2", PID),
        ("StatusUpdate", "wamid.MULTI.OUT1", PID),
        ("StatusUpdate", "wamid.MULTI.OUT1", PID),
        ("InboundMessage", "wamid.MULTI.B1", uk),
        ("StatusUpdate", "wamid.MULTI.OUT2", uk),
        ("FieldEvent", "message_template_status_update", None),
    ]
    assert parsed.phone_number_ids == {PID, uk}
    a1, a2, d, r, b1, s, f = parsed.items
    assert isinstance(a1, InboundMessage) and a1.contact is not None
    assert a1.contact.profile_name == "Анна"  # matched by wa_id, not by index
    assert isinstance(a2, InboundMessage) and a2.contact is not None
    assert a2.contact.profile_name == "Sheena Nelson"
    assert isinstance(b1, InboundMessage) and b1.waba_id == "213300240451409"
    assert b1.display_phone_number == "447700900123"
    assert [getattr(x, "status", None) for x in (d, r, s)] == [
        MessageStatus.DELIVERED,
        MessageStatus.READ,
        MessageStatus.SENT,
    ]
    assert isinstance(f, FieldEvent) and f.waba_id == "213300240451409"


# ------------------------------------------------------------------------ problems, errors


def test_broken_file_problems_and_survivors() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    parsed = parse_webhook((CORPUS / "broken.json").read_bytes(), now=now)
    v = "entry[2].changes[2].value"
    assert parsed.problems == (
        "entry[0]: not an object",
        "entry[1]: no changes list",
        "entry[2].changes[0]: value is not an object",
        "entry[2].changes[1]: no field",
        f"{v}.messages[0]: no id",
        f"{v}.messages[1]: bad timestamp 'yesterday'",
        f"{v}.messages[2]: no sender (from / from_user_id)",
        f"{v}.messages[3]: no 'image' object",
        f"{v}.messages[4]: not an object",
        f"{v}.statuses[0]: unknown status 'seen'",
    )
    bad_ts, no_sender, no_image, status = parsed.items
    assert isinstance(bad_ts, InboundMessage) and bad_ts.wamid == "wamid.BROKEN.2"
    assert bad_ts.timestamp == now
    assert isinstance(no_sender, InboundMessage) and no_sender.sender_key is None
    assert no_sender.text == "no sender"
    assert no_sender.contact is not None  # falls back to the only contact
    assert isinstance(no_image, InboundMessage) and no_image.media is None
    assert isinstance(status, StatusUpdate) and status.status is MessageStatus.DELIVERED


def test_bad_timestamp_falls_back_to_entry_time() -> None:
    body = json.loads((CORPUS / "text.json").read_bytes())
    body["entry"][0]["time"] = 1767000000
    del body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"]
    parsed = parse_webhook(json.dumps(body))
    assert parsed.items[0].timestamp == ts(1767000000)  # type: ignore[union-attr]
    assert parsed.problems == ("entry[0].changes[0].value.messages[0]: no timestamp",)


def test_default_now_is_current_utc() -> None:
    body = json.loads((CORPUS / "text.json").read_bytes())
    body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = None
    before = datetime.now(UTC)
    item = parse_webhook(body).items[0]
    assert isinstance(item, InboundMessage)
    assert before <= item.timestamp <= datetime.now(UTC)


def test_contact_matching() -> None:
    body = json.loads((CORPUS / "text.json").read_bytes())
    value = body["entry"][0]["changes"][0]["value"]
    other = {"profile": {"name": "Other"}, "wa_id": "10000000000"}
    # one non-matching contact: the only contact is used
    value["contacts"] = [other]
    item = parse_webhook(body).items[0]
    assert isinstance(item, InboundMessage) and item.contact is not None
    assert item.contact.profile_name == "Other"
    # several, none matching: no contact
    value["contacts"] = [other, {"wa_id": "20000000000"}]
    assert parse_webhook(body).items[0].contact is None  # type: ignore[union-attr]
    # matched by BSUID when the wa_id differs
    value["contacts"] = [other, {"user_id": "RU.13491208655302741918", "profile": {"name": "B"}}]
    item = parse_webhook(body).items[0]
    assert isinstance(item, InboundMessage) and item.contact is not None
    assert item.contact.profile_name == "B"
    # no contacts at all
    del value["contacts"]
    parsed = parse_webhook(body)
    assert parsed.problems == () and parsed.items[0].contact is None  # type: ignore[union-attr]


def test_inputs_bytes_str_mapping_and_no_copy() -> None:
    raw = (CORPUS / "text.json").read_bytes()
    as_bytes = parse_webhook(raw)
    as_str = parse_webhook(raw.decode())
    loaded = json.loads(raw)
    as_map = parse_webhook(loaded)
    assert as_bytes == as_str == as_map
    assert as_map.items[0].payload is loaded["entry"][0]["changes"][0]["value"]["messages"][0]  # type: ignore[union-attr]


NOT_WEBHOOKS = [
    b"",
    b"not json",
    b"\xff\xfe\x00garbage",
    b"[1, 2]",
    b'"a string"',
    b"null",
    b"{}",
    b'{"object": "whatsapp_business_account"}',
    b'{"entry": {"id": "1"}}',
    b'{"entry": null}',
    b"[" * 100_000,
]


def test_not_a_webhook_raises() -> None:
    for body in NOT_WEBHOOKS:
        with pytest.raises(WebhookParseError):
            parse_webhook(body)
    with pytest.raises(WebhookParseError):
        parse_webhook(None)  # type: ignore[arg-type]


def test_empty_entry_list_is_fine() -> None:
    assert parse_webhook(b'{"object":"whatsapp_business_account","entry":[]}') == ParsedWebhook(())


def test_unexpected_object_is_a_problem_not_an_error() -> None:
    parsed = parse_webhook(b'{"object":"page","entry":[]}')
    assert parsed.problems == ("object: unexpected object 'page'",)


def test_hostile_mapping_values_become_problems() -> None:
    huge = 10**5000  # str() of it raises ValueError; repr of a deep list raises RecursionError
    deep: list[Any] = []
    node = deep
    for _ in range(5000):
        node.append([])
        node = node[0]
    message: dict[str, Any] = {"id": "w", "from": huge, "timestamp": deep, "type": "location"}
    message["location"] = {"latitude": huge, "longitude": huge}
    value: dict[str, Any] = {"metadata": {"phone_number_id": huge}, "messages": [message]}
    value["statuses"] = [{"id": huge, "status": "read"}, {"id": "x", "status": deep}]
    body: dict[str, Any] = {"object": huge, "entry": [{"id": huge, "time": huge, "changes": []}]}
    body["entry"][0]["changes"].append({"field": "messages", "value": value})
    parsed = parse_webhook(body, now=datetime(2026, 1, 1, tzinfo=UTC))
    v = "entry[0].changes[0].value"
    assert parsed.problems == (
        "object: unexpected object <int>",
        "entry[0]: bad time <int>",
        f"{v}: no metadata.phone_number_id",
        f"{v}.messages[0]: no sender (from / from_user_id)",
        f"{v}.messages[0]: bad timestamp <list>",
        f"{v}.statuses[0]: no id",
        f"{v}.statuses[1]: unknown status <list>",
    )
    (item,) = parsed.items
    assert isinstance(item, InboundMessage) and item.text is None
    assert item.timestamp == datetime(2026, 1, 1, tzinfo=UTC)
