"""Repository commands and queries: numbers, outbound messages, paging, counts, export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Connection, Engine

from tests.unit.store.helpers import PNID, T0, at, parsed, text_message
from wadesk.core.enums import (
    ConversationMode,
    Direction,
    MessageStatus,
    MessageType,
    ProcessingResult,
    SignatureVerdict,
)
from wadesk.core.events import MessageUpdated
from wadesk.engine.store import (
    DuplicateNumberError,
    DuplicateWamidError,
    NotFoundError,
    NumberHasHistoryError,
    StoreError,
    apply_parsed,
    connect,
    insert_raw_event,
    repo,
    set_raw_event_result,
    unprocessed_raw_events,
)
from wadesk.engine.store.raw_events import load_raw_event, pending_raw_events
from wadesk.engine.store.rows import driver

T = TypeVar("T")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = connect(tmp_path / "wadesk.db")
    yield engine
    engine.dispose()


def run(engine: Engine, fn: Callable[[Connection], T]) -> T:
    with engine.begin() as conn:
        return fn(conn)


def test_numbers_add_list_duplicates_remove(engine: Engine) -> None:
    shop = run(engine, lambda c: repo.add_number(c, "shop", "+15550001111", "P1", "W1"))
    assert (shop.label, shop.phone_number_id, shop.active) == ("shop", "P1", True)
    run(engine, lambda c: repo.add_number(c, "bar", "+15550002222", "P2", "W1"))
    with pytest.raises(DuplicateNumberError, match="labelled 'shop'"):
        run(engine, lambda c: repo.add_number(c, "shop", "+1", "P3", "W1"))
    with pytest.raises(DuplicateNumberError, match="P2 is already configured as 'bar'"):
        run(engine, lambda c: repo.add_number(c, "other", "+1", "P2", "W1"))
    with pytest.raises(StoreError, match="label must not be empty"):
        run(engine, lambda c: repo.add_number(c, "  ", "+1", "P9", "W1"))
    assert [n.label for n in run(engine, repo.list_numbers)] == ["bar", "shop"]
    refs = run(engine, repo.number_refs)
    assert set(refs) == {"P1", "P2"} and refs["P1"].id == shop.id
    run(engine, lambda c: repo.set_number_active(c, "bar", False))
    assert set(run(engine, lambda c: repo.number_refs(c, active_only=True))) == {"P1"}
    run(engine, lambda c: repo.remove_number(c, "bar"))
    assert run(engine, lambda c: repo.get_number_by_label(c, "bar")) is None
    with pytest.raises(NotFoundError):
        run(engine, lambda c: repo.remove_number(c, "bar"))


def test_remove_number_with_history_needs_purge(engine: Engine) -> None:
    run(engine, lambda c: repo.add_number(c, "shop", "+1555", PNID, "W1"))
    refs = run(engine, repo.number_refs)
    run(engine, lambda c: apply_parsed(c, None, parsed(text_message("wamid.A")), refs))
    with pytest.raises(NumberHasHistoryError, match="1 conversation"):
        run(engine, lambda c: repo.remove_number(c, "shop"))
    run(engine, lambda c: repo.remove_number(c, "shop", purge=True))
    counts = run(engine, repo.counts)
    assert (counts["numbers"], counts["conversations"], counts["messages"]) == (0, 0, 0)


def test_outbound_queue_send_and_fail(engine: Engine) -> None:
    number = run(engine, lambda c: repo.add_number(c, "shop", "+1555", PNID, "W1"))
    message, conversation, contact = run(
        engine,
        lambda c: repo.insert_outbound(
            c,
            number_id=number.id,
            to_wa_id="+15551234567",
            type=MessageType.TEXT,
            text="Your order shipped",
            payload={"text": {"body": "Your order shipped"}},
            origin="bot",
            now=at(5),
        ),
    )
    assert message.status is MessageStatus.QUEUED and message.wamid is None
    assert message.direction is Direction.OUTBOUND and message.payload["text"]
    assert contact.wa_id == "15551234567"
    assert conversation.last_message_preview == "Your order shipped"
    assert conversation.unread_count == 0 and conversation.last_inbound_at is None
    second, conv2, _ = run(
        engine,
        lambda c: repo.insert_outbound(
            c,
            number_id=number.id,
            contact_id=contact.id,
            type=MessageType.TEXT,
            text="2",
            origin="user",
        ),
    )
    assert conv2.id == conversation.id
    assert [m.id for m in run(engine, repo.queued_messages)] == [message.id, second.id]
    routed, routed_number, routed_contact = run(engine, lambda c: repo.message_route(c, message.id))
    assert (routed.id, routed_number.id, routed_contact.id) == (message.id, number.id, contact.id)

    events = run(engine, lambda c: repo.set_sent(c, message.id, "wamid.S1", at(6)))
    assert isinstance(events[0], MessageUpdated) and events[0].message.status is MessageStatus.SENT
    with pytest.raises(DuplicateWamidError):
        run(engine, lambda c: repo.set_sent(c, second.id, "wamid.S1", at(7)))
    failed = run(
        engine,
        lambda c: repo.set_status(
            c, second.id, MessageStatus.FAILED, error_code=131026, error_title="Undeliverable"
        ),
    )
    assert isinstance(failed[0], MessageUpdated)
    assert failed[0].message.error_code == 131026
    assert run(engine, lambda c: repo.set_status(c, second.id, MessageStatus.SENT)) == []
    forced = run(engine, lambda c: repo.set_status(c, second.id, MessageStatus.QUEUED, force=True))
    assert isinstance(forced[0], MessageUpdated)
    assert forced[0].message.status is MessageStatus.QUEUED and forced[0].message.error_code is None
    assert [m.id for m in run(engine, repo.queued_messages)] == [second.id]
    with pytest.raises(StoreError, match="exactly one"):
        run(
            engine,
            lambda c: repo.insert_outbound(
                c, number_id=number.id, type=MessageType.TEXT, origin="user"
            ),
        )
    with pytest.raises(StoreError, match="unknown message origin"):
        run(
            engine,
            lambda c: repo.insert_outbound(
                c, number_id=number.id, to_wa_id="1", type=MessageType.TEXT, origin="martian"
            ),
        )


def test_list_messages_paging_and_conversation_commands(engine: Engine) -> None:
    run(engine, lambda c: repo.add_number(c, "shop", "+1555", PNID, "W1"))
    refs = run(engine, repo.number_refs)
    items = [text_message(f"wamid.{i}", text=f"m{i}", ts=at(i)) for i in range(7)]
    run(engine, lambda c: apply_parsed(c, None, parsed(*items), refs))
    conv = run(engine, lambda c: repo.list_conversations(c, number_id=refs[PNID].id))[0]
    page = run(engine, lambda c: repo.list_messages(c, conv.id, limit=3))
    assert [m.text for m in page] == ["m4", "m5", "m6"]
    older = run(engine, lambda c: repo.list_messages(c, conv.id, before_id=page[0].id, limit=3))
    assert [m.text for m in older] == ["m1", "m2", "m3"]
    assert run(engine, lambda c: repo.mark_conversation_read(c, conv.id)).unread_count == 0
    human = run(engine, lambda c: repo.set_conversation_mode(c, conv.id, ConversationMode.HUMAN))
    assert human.mode is ConversationMode.HUMAN
    with pytest.raises(NotFoundError):
        run(engine, lambda c: repo.mark_conversation_read(c, 999))


def test_list_conversations_most_recent_first(engine: Engine) -> None:
    run(engine, lambda c: repo.add_number(c, "shop", "+1555", PNID, "W1"))
    refs = run(engine, repo.number_refs)
    run(
        engine,
        lambda c: apply_parsed(
            c,
            None,
            parsed(
                text_message("wamid.a", wa_id="111", ts=at(10)),
                text_message("wamid.b", wa_id="222", ts=at(30)),
                text_message("wamid.c", wa_id="333", ts=at(20)),
            ),
            refs,
        ),
    )
    convs = run(engine, repo.list_conversations)
    contacts = [run(engine, lambda c, cv=cv: repo.get_contact(c, cv.contact_id)) for cv in convs]
    assert [ct.wa_id for ct in contacts if ct] == ["222", "333", "111"]
    assert len(run(engine, lambda c: repo.list_conversations(c, limit=1, offset=1))) == 1


def test_raw_events_counts_and_last_event_time(engine: Engine) -> None:
    assert run(engine, repo.last_event_time) is None
    ids = [
        run(
            engine,
            lambda c, i=i: insert_raw_event(
                c,
                body=b'{"n":%d}' % i,
                received_at=at(i),
                verdict=SignatureVerdict.VALID if i else SignatureVerdict.INVALID,
                result=ProcessingResult.PENDING if i else ProcessingResult.REJECTED,
            ),
        )
        for i in range(3)
    ]
    assert run(engine, unprocessed_raw_events) == [(ids[1], b'{"n":1}'), (ids[2], b'{"n":2}')]
    run(engine, lambda c: set_raw_event_result(c, ids[1], ProcessingResult.ERROR, "bad json"))
    assert run(engine, unprocessed_raw_events) == [(ids[2], b'{"n":2}')]
    counts = run(engine, repo.counts)
    assert counts["raw_events"] == 3
    assert counts["raw_events_rejected"] == 1 and counts["raw_events_error"] == 1
    assert counts["raw_events_pending"] == 1 and counts["raw_events_applied"] == 0
    assert run(engine, repo.last_event_time) == at(2)
    assert run(engine, lambda c: load_raw_event(c, ids[0])) == b'{"n":0}'
    assert run(engine, lambda c: load_raw_event(c, 999)) is None


def test_iter_export(engine: Engine) -> None:
    number = run(engine, lambda c: repo.add_number(c, "shop", "+1555", PNID, "W1"))
    refs = run(engine, repo.number_refs)
    run(engine, lambda c: apply_parsed(c, None, parsed(text_message("wamid.A", ts=T0)), refs))
    message, _, _ = run(
        engine,
        lambda c: repo.insert_outbound(
            c,
            number_id=number.id,
            to_wa_id="15551234567",
            type=MessageType.TEXT,
            text="answer",
            origin="cli",
            now=at(60),
        ),
    )
    run(engine, lambda c: repo.set_sent(c, message.id, "wamid.B", at(61)))
    with engine.connect() as conn:
        exported = list(repo.iter_export(conn))
    assert len(exported) == 1
    conv = exported[0]
    assert conv["number"] == {"label": "shop", "phone": "+1555"}
    assert conv["contact"] == {"wa_id": "15551234567", "user_id": None, "name": "Ann"}
    assert [(m["wamid"], m["direction"], m["text"], m["status"]) for m in conv["messages"]] == [
        ("wamid.A", "inbound", "hello", "received"),
        ("wamid.B", "outbound", "answer", "sent"),
    ]
    assert conv["messages"][1]["sent_at"] == at(61).isoformat()


def test_pending_raw_events_read_in_one_step_match_the_row_by_row_query(engine: Engine) -> None:
    """The apply worker's read: ids and bodies joined in one row (bodies split by NUL), the
    same as `unprocessed_raw_events`; a body holding a NUL byte (UTF-16, from an old version)
    makes it read row by row instead of cutting that body apart."""
    bodies = [b'{"n":1}', '{"t":"\u00e9\u4e2d"}'.encode(), b'{"n":3}', b'{"n":4}']
    ids = []
    for n, body in enumerate(bodies):
        ids.append(
            run(
                engine,
                lambda c, body=body, n=n: insert_raw_event(
                    c,
                    body=body,
                    received_at=at(n),
                    verdict=SignatureVerdict.VALID,
                    result=ProcessingResult.PENDING,
                ),
            )
        )
    run(engine, lambda c: set_raw_event_result(c, ids[2], ProcessingResult.APPLIED, None))
    expected = [(ids[0], bodies[0]), (ids[1], bodies[1]), (ids[3], bodies[3])]
    assert run(engine, lambda c: pending_raw_events(driver(c), limit=10)) == expected
    assert run(engine, lambda c: pending_raw_events(driver(c), limit=2)) == expected[:2]
    after = run(engine, lambda c: pending_raw_events(driver(c), limit=10, after_id=ids[1]))
    assert after == expected[2:]
    assert run(engine, lambda c: pending_raw_events(driver(c), limit=10, after_id=ids[3])) == []
    assert run(engine, unprocessed_raw_events) == expected
    utf16 = '{"a": 1}'.encode("utf-16")  # holds NUL bytes
    odd = run(
        engine,
        lambda c: insert_raw_event(
            c,
            body=utf16,
            received_at=at(9),
            verdict=SignatureVerdict.VALID,
            result=ProcessingResult.PENDING,
        ),
    )
    assert run(engine, lambda c: pending_raw_events(driver(c), limit=10)) == [
        *expected,
        (odd, utf16),
    ]
