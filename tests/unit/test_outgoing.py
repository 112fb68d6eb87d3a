"""Outgoing message builders: JSON shapes from the reference (§4) and every local limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wadesk.core import outgoing as o
from wadesk.core.outgoing import LimitError, ListRow, ListSection, TemplateButton

TO = "16505551234"
BASE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO}


def test_text_shape() -> None:
    assert o.text(TO, "Hello") == {
        **BASE,
        "type": "text",
        "text": {"body": "Hello", "preview_url": False},
    }
    reply = o.text(
        "+1 650-555-1234", "Hi https://x.io", preview_url=True, reply_to="wamid.A", tracker="t1"
    )
    assert reply == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "+16505551234",
        "type": "text",
        "context": {"message_id": "wamid.A"},
        "biz_opaque_callback_data": "t1",
        "text": {"body": "Hi https://x.io", "preview_url": True},
    }


def test_bsuid_goes_to_recipient() -> None:
    msg = o.text("US.13491208655302741918", "hi")
    assert msg["recipient"] == "US.13491208655302741918"
    assert "to" not in msg
    assert o.text("US.ENT.118157", "hi")["recipient"] == "US.ENT.118157"


@pytest.mark.parametrize("bad", ["", "abc", "12", "+", "1650555123x", "US. 1", "a.b c"])
def test_bad_recipient(bad: str) -> None:
    with pytest.raises(LimitError, match="to"):
        o.text(bad, "hi")


def test_media_shapes() -> None:
    assert o.media(TO, "image", media_id="123", caption="cap") == {
        **BASE, "type": "image", "image": {"id": "123", "caption": "cap"},
    }  # fmt: skip
    assert o.media(TO, "document", link="https://e.com/a.pdf", filename="a.pdf", caption="c") == {
        **BASE,
        "type": "document",
        "document": {"link": "https://e.com/a.pdf", "caption": "c", "filename": "a.pdf"},
    }
    assert o.media(TO, "audio", media_id="9", voice=True)["audio"] == {"id": "9", "voice": True}
    assert o.media(TO, "sticker", media_id="9")["sticker"] == {"id": "9"}
    assert o.media(TO, "video", media_id="9", reply_to="wamid.X")["context"] == {
        "message_id": "wamid.X"
    }


def test_location_contacts_reaction_mark_read() -> None:
    assert o.location(TO, 37.48, -122.14, name="HQ", address="1 Way") == {
        **BASE,
        "type": "location",
        "location": {"latitude": 37.48, "longitude": -122.14, "name": "HQ", "address": "1 Way"},
    }
    card = {
        "name": {"formatted_name": "Jane Doe", "first_name": "Jane"},
        "phones": [{"phone": "+15550001", "type": "CELL", "wa_id": "15550001"}],
    }
    assert o.contacts(TO, [card]) == {**BASE, "type": "contacts", "contacts": [card]}
    assert o.reaction(TO, "wamid.U", "👍") == {
        **BASE, "type": "reaction", "reaction": {"message_id": "wamid.U", "emoji": "👍"},
    }  # fmt: skip
    assert o.reaction(TO, "wamid.U", "")["reaction"]["emoji"] == ""
    assert o.mark_read("wamid.IN") == {
        "messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN",
    }  # fmt: skip
    assert o.mark_read("wamid.IN", typing=True) == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.IN",
        "typing_indicator": {"type": "text"},
    }


def test_reply_buttons_shape() -> None:
    msg = o.reply_buttons(TO, "Pick one", [("yes", "Yes"), ("no", "No")], header="Hi", footer="f")
    assert msg == {
        **BASE,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "header": {"type": "text", "text": "Hi"},
            "body": {"text": "Pick one"},
            "footer": {"text": "f"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                    {"type": "reply", "reply": {"id": "no", "title": "No"}},
                ]
            },
        },
    }
    media_head = o.reply_buttons(TO, "b", [("a", "A")], header=o.media_header("image", "77"))
    assert media_head["interactive"]["header"] == {"type": "image", "image": {"id": "77"}}
    assert "footer" not in media_head["interactive"]


def test_list_shape() -> None:
    msg = o.list_message(
        TO,
        "Menu",
        "Open",
        [
            ListSection("Food", [ListRow("r1", "Pizza", "Hot"), ("r2", "Soup")]),
            ListSection("Drinks", [("r3", "Tea", None)]),
        ],
        header="Head",
        footer="Foot",
    )
    assert msg["type"] == "interactive"
    assert msg["interactive"] == {
        "type": "list",
        "header": {"type": "text", "text": "Head"},
        "body": {"text": "Menu"},
        "footer": {"text": "Foot"},
        "action": {
            "button": "Open",
            "sections": [
                {
                    "title": "Food",
                    "rows": [
                        {"id": "r1", "title": "Pizza", "description": "Hot"},
                        {"id": "r2", "title": "Soup"},
                    ],
                },
                {"title": "Drinks", "rows": [{"id": "r3", "title": "Tea"}]},
            ],
        },
    }
    single = o.list_message(TO, "b", "Go", [ListSection(None, [("a", "A")])])
    assert single["interactive"]["action"]["sections"] == [{"rows": [{"id": "a", "title": "A"}]}]


def test_cta_url_shape() -> None:
    msg = o.cta_url(TO, "See", "Open site", "https://example.com/x?y=1", footer="f")
    assert msg["interactive"] == {
        "type": "cta_url",
        "body": {"text": "See"},
        "footer": {"text": "f"},
        "action": {
            "name": "cta_url",
            "parameters": {"display_text": "Open site", "url": "https://example.com/x?y=1"},
        },
    }


def test_template_shape() -> None:
    msg = o.template(
        TO,
        "order_update",
        "en_US",
        header=o.media_param("image", "555"),
        body_params=[
            "Jessica",
            o.text_param("9128", name="order_id"),
            o.currency_param("$100.99", "USD", 100990),
            o.date_time_param("Feb 25, 2026"),
        ],
        button_params=[
            TemplateButton(0, "STEP_2"),
            TemplateButton(1, "url-suffix", "url"),
            TemplateButton(2, "SAVE10", "copy_code"),
        ],
    )
    assert msg["type"] == "template"
    assert msg["template"] == {
        "name": "order_update",
        "language": {"code": "en_US"},
        "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"id": "555"}}]},
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Jessica"},
                    {"type": "text", "parameter_name": "order_id", "text": "9128"},
                    {
                        "type": "currency",
                        "currency": {"fallback_value": "$100.99", "code": "USD", "amount_1000": 100990},
                    },
                    {"type": "date_time", "date_time": {"fallback_value": "Feb 25, 2026"}},
                ],
            },
            {"type": "button", "sub_type": "quick_reply", "index": "0",
             "parameters": [{"type": "payload", "payload": "STEP_2"}]},
            {"type": "button", "sub_type": "url", "index": "1",
             "parameters": [{"type": "text", "text": "url-suffix"}]},
            {"type": "button", "sub_type": "copy_code", "index": "2",
             "parameters": [{"type": "coupon_code", "coupon_code": "SAVE10"}]},
        ],
    }  # fmt: skip
    bare = o.template(TO, "hello_world", "en_US")
    assert bare["template"] == {"name": "hello_world", "language": {"code": "en_US"}}
    text_head = o.template(TO, "t", "ru", header="Иван")
    assert text_head["template"]["components"] == [
        {"type": "header", "parameters": [{"type": "text", "text": "Иван"}]}
    ]


def buttons(n: int) -> list[tuple[str, str]]:
    return [(f"id{i}", f"T{i}") for i in range(n)]


def rows(n: int) -> list[tuple[str, str]]:
    return [(f"r{i}", f"Row {i}") for i in range(n)]


Case = tuple[Callable[[], Any], str]
LIMIT_CASES: dict[str, Case] = {
    "text 4096": (lambda: o.text(TO, "x" * 4097), "4096"),
    "text empty": (lambda: o.text(TO, "  "), "empty"),
    "caption 1024": (lambda: o.media(TO, "image", "1", caption="x" * 1025), "1024"),
    "caption on audio": (lambda: o.media(TO, "audio", "1", caption="c"), "caption"),
    "filename on image": (lambda: o.media(TO, "image", "1", filename="a"), "filename"),
    "voice on video": (lambda: o.media(TO, "video", "1", voice=True), "voice"),
    "id and link": (lambda: o.media(TO, "image", "1", link="https://e.com/a"), "exactly one"),
    "neither id nor link": (lambda: o.media(TO, "image"), "exactly one"),
    "http link": (lambda: o.media(TO, "image", link="http://e.com/a.jpg"), "https"),
    "bad kind": (lambda: o.media(TO, "gif", "1"), "kind"),
    "latitude": (lambda: o.location(TO, 91, 0), "latitude"),
    "longitude": (lambda: o.location(TO, 0, -181), "longitude"),
    "buttons 3": (lambda: o.reply_buttons(TO, "b", buttons(4)), "3"),
    "buttons 0": (lambda: o.reply_buttons(TO, "b", []), "3"),
    "button title 20": (lambda: o.reply_buttons(TO, "b", [("a", "x" * 21)]), "20"),
    "button id 256": (lambda: o.reply_buttons(TO, "b", [("x" * 257, "A")]), "256"),
    "button id spaces": (lambda: o.reply_buttons(TO, "b", [(" a", "A")]), "spaces"),
    "button titles unique": (lambda: o.reply_buttons(TO, "b", [("a", "A"), ("b", "A")]), "unique"),
    "interactive body 1024": (lambda: o.reply_buttons(TO, "x" * 1025, buttons(1)), "1024"),
    "header 60": (lambda: o.reply_buttons(TO, "b", buttons(1), header="h" * 61), "60"),
    "footer 60": (lambda: o.reply_buttons(TO, "b", buttons(1), footer="f" * 61), "60"),
    "list rows 10": (
        lambda: o.list_message(
            TO,
            "b",
            "Go",
            [ListSection("a", rows(6)), ListSection("b", [(f"s{i}", "S") for i in range(5)])],
        ),
        "10",
    ),
    "list sections 10": (
        lambda: o.list_message(TO, "b", "Go", [ListSection(f"s{i}", []) for i in range(11)]),
        "10",
    ),
    "list no rows": (lambda: o.list_message(TO, "b", "Go", [ListSection("a", [])]), "rows"),
    "row title 24": (
        lambda: o.list_message(TO, "b", "Go", [ListSection(None, [("a", "x" * 25)])]),
        "24",
    ),
    "row id 200": (
        lambda: o.list_message(TO, "b", "Go", [ListSection(None, [("x" * 201, "A")])]),
        "200",
    ),
    "row description 72": (
        lambda: o.list_message(TO, "b", "Go", [ListSection(None, [ListRow("a", "A", "d" * 73)])]),
        "72",
    ),
    "section title 24": (
        lambda: o.list_message(TO, "b", "Go", [ListSection("s" * 25, rows(1))]),
        "24",
    ),
    "section title needed": (
        lambda: o.list_message(
            TO, "b", "Go", [ListSection(None, rows(1)), ListSection("b", [("z", "Z")])]
        ),
        "section title",
    ),
    "list button 20": (
        lambda: o.list_message(TO, "b", "g" * 21, [ListSection(None, rows(1))]),
        "20",
    ),
    "list header text only": (
        lambda: o.list_message(
            TO,
            "b",
            "Go",
            [ListSection(None, rows(1))],
            header=o.media_header("image", "1"),  # type: ignore[arg-type]
        ),
        "text",
    ),
    "row ids unique": (
        lambda: o.list_message(TO, "b", "Go", [ListSection(None, [("a", "A"), ("a", "B")])]),
        "unique",
    ),
    "cta display 20": (lambda: o.cta_url(TO, "b", "d" * 21, "https://e.com"), "20"),
    "cta https": (lambda: o.cta_url(TO, "b", "Open", "http://e.com"), "https"),
    "contacts 257": (lambda: o.contacts(TO, [{"name": {"formatted_name": "A"}}] * 258), "257"),
    "contacts empty": (lambda: o.contacts(TO, []), "at least one"),
    "contacts formatted_name": (
        lambda: o.contacts(TO, [{"name": {"first_name": "A"}}]),
        "formatted_name",
    ),
    "tracker 512": (lambda: o.text(TO, "hi", tracker="t" * 513), "512"),
    "template name": (lambda: o.template(TO, "Bad Name", "en_US"), "template name"),
    "template language": (lambda: o.template(TO, "ok", "english"), "language"),
    "template empty param": (lambda: o.template(TO, "ok", "en", body_params=[""]), "empty"),
    "reaction emoji": (lambda: o.reaction(TO, "wamid.X", "not an emoji"), "emoji"),
    "mark read id": (lambda: o.mark_read(""), "message_id"),
}


@pytest.mark.parametrize("name", sorted(LIMIT_CASES))
def test_limit_violations_raise_with_the_limit_named(name: str) -> None:
    build, needle = LIMIT_CASES[name]
    with pytest.raises(LimitError) as info:
        build()
    assert needle in str(info.value)
    assert isinstance(info.value, ValueError)
    assert info.value.explain("ru") != info.value.explain("en")
    assert info.value.field


def test_limits_are_inclusive() -> None:
    o.text(TO, "x" * 4096)
    o.media(TO, "image", "1", caption="x" * 1024)
    o.reply_buttons(
        TO, "x" * 1024, [("x" * 256, "t" * 20), ("b", "B"), ("c", "C")], header="h" * 60
    )
    o.list_message(
        TO, "b", "g" * 20, [ListSection("s" * 24, [("x" * 200, "t" * 24, "d" * 72), *rows(9)])]
    )
    o.cta_url(TO, "b", "d" * 20, "https://e.com")
    o.contacts(TO, [{"name": {"formatted_name": "A"}}] * 257)
    o.text(TO, "hi", tracker="t" * 512)


def test_media_limits_and_check_media() -> None:
    assert o.MEDIA_LIMITS["image"].max_bytes == 5 * 1024 * 1024
    assert o.MEDIA_LIMITS["document"].max_bytes == 100 * 1024 * 1024
    assert "image/webp" in o.MEDIA_LIMITS["sticker"].mime_types
    o.check_media("audio", "audio/ogg; codecs=opus", 1000)
    o.check_media("image", "IMAGE/PNG", 5 * 1024 * 1024)
    with pytest.raises(LimitError, match="5 MB") as info:
        o.check_media("image", "image/jpeg", 5 * 1024 * 1024 + 1)
    assert "5 МБ" in info.value.explain("ru") and "MB" not in info.value.explain("ru")
    with pytest.raises(LimitError, match="not allowed"):
        o.check_media("image", "image/gif", 10)
    with pytest.raises(LimitError, match="16 MB"):
        o.check_media("video", "video/mp4", 17 * 1024 * 1024)
    with pytest.raises(LimitError, match="kind"):
        o.check_media("gif", "image/gif", 1)
    assert o.kind_for_mime("image/webp") == "sticker"
    assert o.kind_for_mime("application/pdf") == "document"
    assert o.kind_for_mime("audio/ogg; codecs=opus") == "audio"
    assert o.kind_for_mime("application/zip") is None
