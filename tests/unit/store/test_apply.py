"""apply_parsed on a real SQLite file: dedupe, contacts, conversations, statuses, reactions,
unknown numbers, field events."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Connection, Engine, select

from tests.unit.store.helpers import (
    PNID,
    T0,
    at,
    parsed,
    reaction_message,
    status,
    text_message,
)
from wadesk.core.enums import (
    ConversationState,
    MessageStatus,
    MessageType,
    ProcessingResult,
    SignatureVerdict,
)
from wadesk.core.events import (
    ConversationUpdated,
    FieldEventReceived,
    MessageAdded,
    MessageUpdated,
)
from wadesk.core.webhook import FieldEvent, GraphErrorInfo, SystemErrors
from wadesk.engine.store import (
    ApplyOutcome,
    NumberRef,
    Store,
    apply_parsed,
    connect,
    insert_raw_event,
    repo,
    unprocessed_raw_events,
)
from wadesk.engine.store.tables import field_event_t, pending_status_t, raw_event_t

T = TypeVar("T")


class Db:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.refs: dict[str, NumberRef] = {}

    def run(self, fn: Callable[[Connection], T]) -> T:
        with self.engine.begin() as conn:
            return fn(conn)

    def apply(self, *items: Any, raw: bool = True, problems: tuple[str, ...] = ()) -> ApplyOutcome:
        def fn(conn: Connection) -> ApplyOutcome:
            raw_id = None
            if raw:
                raw_id = insert_raw_event(
                    conn,
                    body=b"{}",
                    received_at=T0,
                    verdict=SignatureVerdict.VALID,
                    result=ProcessingResult.PENDING,
                )
            return apply_parsed(conn, raw_id, parsed(*items, problems=problems), self.refs)

        return self.run(fn)

    def outbound(self, text: str = "hi") -> int:
        number = self.refs[PNID].id
        message, _, _ = self.run(
            lambda c: repo.insert_outbound(
                c,
                number_id=number,
                to_wa_id="15551234567",
                type=MessageType.TEXT,
                text=text,
                payload={"text": {"body": text}},
                origin="user",
            )
        )
        return message.id


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Db]:
    engine = connect(tmp_path / "wadesk.db")
    d = Db(engine)
    d.run(lambda c: repo.add_number(c, "shop", "+15550001111", PNID, "WABA1"))
    d.refs = d.run(repo.number_refs)
    yield d
    engine.dispose()


def test_new_inbound_creates_contact_conversation_message(db: Db) -> None:
    out = db.apply(text_message("wamid.A", text="Hello  there", ts=at(10)))
    assert out.result is ProcessingResult.APPLIED and out.detail is None
    added = [e for e in out.events if isinstance(e, MessageAdded)]
    assert len(added) == 1
    event = added[0]
    assert event.message.wamid == "wamid.A" and event.message.text == "Hello  there"
    assert event.message.status is MessageStatus.RECEIVED
    assert event.contact.wa_id == "15551234567" and event.contact.profile_name == "Ann"
    assert event.inbound is not None and event.inbound.wamid == "wamid.A"
    conv = db.run(lambda c: repo.get_conversation(c, event.conversation.id))
    assert conv is not None
    assert conv.unread_count == 1
    assert conv.last_inbound_at == at(10)
    assert conv.last_message_at == at(10)
    assert conv.last_message_preview == "Hello there"
    assert [e.conversation for e in out.events if isinstance(e, ConversationUpdated)] == [conv]
    stored = db.run(lambda c: repo.get_message_by_wamid(c, "wamid.A"))
    assert stored is not None and stored.payload["text"] == {"body": "Hello  there"}
    number = db.run(lambda c: repo.get_number_by_label(c, "shop"))
    assert number is not None
    raw = db.run(lambda c: c.execute(select(raw_event_t)).mappings().one())
    assert raw["result"] == "applied" and raw["field"] == "messages"
    assert raw["phone_number_ids"] == PNID and raw["processed_at"] is not None
    assert db.run(lambda c: unprocessed_raw_events(c)) == []


def test_redelivered_body_is_stored_once_without_events(db: Db) -> None:
    body = (text_message("wamid.A", ts=at(1)), text_message("wamid.B", ts=at(2)))
    first = db.apply(*body)
    again = db.apply(*body)
    assert len([e for e in first.events if isinstance(e, MessageAdded)]) == 2
    assert again.events == [] and again.result is ProcessingResult.APPLIED
    counts = db.run(repo.counts)
    assert counts["messages"] == 2 and counts["contacts"] == 1 and counts["conversations"] == 1
    conv = db.run(lambda c: repo.list_conversations(c))[0]
    assert conv.unread_count == 2


def test_duplicate_inside_one_body_stored_once(db: Db) -> None:
    out = db.apply(text_message("wamid.A"), text_message("wamid.A"))
    assert len([e for e in out.events if isinstance(e, MessageAdded)]) == 1
    assert db.run(repo.counts)["messages"] == 1


def test_bsuid_only_contact_then_both_ids_attach(db: Db) -> None:
    out = db.apply(text_message("wamid.A", wa_id=None, user_id="US.123", name="Bo"))
    contact = next(e for e in out.events if isinstance(e, MessageAdded)).contact
    assert (contact.wa_id, contact.user_id) == (None, "US.123")
    out2 = db.apply(text_message("wamid.B", wa_id="15559998888", user_id="US.123", ts=at(5)))
    contact2 = next(e for e in out2.events if isinstance(e, MessageAdded)).contact
    assert contact2.id == contact.id
    assert (contact2.wa_id, contact2.user_id) == ("15559998888", "US.123")
    assert db.run(repo.counts)["contacts"] == 1


def test_user_id_attached_to_existing_wa_id_contact(db: Db) -> None:
    db.apply(text_message("wamid.A", wa_id="15551234567", user_id=None))
    out = db.apply(text_message("wamid.B", wa_id="15551234567", user_id="US.9", name="Annie"))
    contact = next(e for e in out.events if isinstance(e, MessageAdded)).contact
    assert contact.user_id == "US.9" and contact.profile_name == "Annie"
    stored = db.run(lambda c: repo.get_contact(c, contact.id))
    assert stored == contact


def test_out_of_order_inbound_keeps_latest_preview_and_window(db: Db) -> None:
    db.apply(text_message("wamid.new", text="newer", ts=at(100)))
    db.apply(text_message("wamid.old", text="older", ts=at(50)))
    conv = db.run(lambda c: repo.list_conversations(c))[0]
    assert conv.last_inbound_at == at(100)
    assert conv.last_message_at == at(100) and conv.last_message_preview == "newer"
    assert conv.unread_count == 2


def test_resolved_conversation_reopens(db: Db) -> None:
    out = db.apply(text_message("wamid.A"))
    conv_id = next(e for e in out.events if isinstance(e, MessageAdded)).conversation.id
    db.run(lambda c: repo.set_conversation_state(c, conv_id, ConversationState.RESOLVED))
    db.run(lambda c: repo.mark_conversation_read(c, conv_id))
    out = db.apply(text_message("wamid.B", ts=at(60)))
    updated = [e.conversation for e in out.events if isinstance(e, ConversationUpdated)]
    assert updated[0].state is ConversationState.OPEN and updated[0].unread_count == 1


def _sent_message(db: Db, wamid: str = "wamid.OUT") -> int:
    message_id = db.outbound()
    db.run(lambda c: repo.set_sent(c, message_id, wamid, at(1)))
    return message_id


def test_statuses_move_forward_only(db: Db) -> None:
    _sent_message(db)
    out = db.apply(status("wamid.OUT", MessageStatus.READ, ts=at(30)))
    updated = [e.message for e in out.events if isinstance(e, MessageUpdated)]
    assert [m.status for m in updated] == [MessageStatus.READ]
    late = db.apply(status("wamid.OUT", MessageStatus.DELIVERED, ts=at(20)))
    assert late.events == []
    failed = db.apply(status("wamid.OUT", MessageStatus.FAILED, error=GraphErrorInfo(131047)))
    assert failed.events == []
    msg = db.run(lambda c: repo.get_message_by_wamid(c, "wamid.OUT"))
    assert msg is not None and msg.status is MessageStatus.READ and msg.error_code is None
    row = db.run(
        lambda c: c.exec_driver_sql(
            "SELECT sent_at, delivered_at, read_at FROM message WHERE wamid='wamid.OUT'"
        ).one()
    )
    assert row[0] is not None and row[1] is None and row[2] is not None


def test_failed_after_sent_records_error(db: Db) -> None:
    _sent_message(db)
    error = GraphErrorInfo(131047, "Re-engagement message", "More than 24 hours", "details!")
    out = db.apply(status("wamid.OUT", MessageStatus.FAILED, ts=at(5), error=error))
    (event,) = [e for e in out.events if isinstance(e, MessageUpdated)]
    assert event.message.status is MessageStatus.FAILED
    assert (event.message.error_code, event.message.error_title) == (
        131047,
        "Re-engagement message",
    )
    # a late delivered does not revive it
    assert db.apply(status("wamid.OUT", MessageStatus.DELIVERED)).events == []
    details = db.run(
        lambda c: c.exec_driver_sql(
            "SELECT error_details FROM message WHERE wamid='wamid.OUT'"
        ).scalar()
    )
    assert details == "details!"


def test_status_for_unknown_wamid_waits_then_applies_on_set_sent(db: Db) -> None:
    out1 = db.apply(status("wamid.EARLY", MessageStatus.DELIVERED, ts=at(3)))
    out2 = db.apply(status("wamid.EARLY", MessageStatus.DELIVERED, ts=at(3)))  # duplicate
    out3 = db.apply(status("wamid.EARLY", MessageStatus.READ, ts=at(4)))
    assert out1.events == out2.events == out3.events == []
    assert db.run(lambda c: len(c.execute(select(pending_status_t)).all())) == 2
    message_id = db.outbound()
    events = db.run(lambda c: repo.set_sent(c, message_id, "wamid.EARLY", at(2)))
    (event,) = events
    assert isinstance(event, MessageUpdated)
    assert event.message.status is MessageStatus.READ and event.message.wamid == "wamid.EARLY"
    assert db.run(lambda c: len(c.execute(select(pending_status_t)).all())) == 0
    times = db.run(
        lambda c: c.exec_driver_sql(
            "SELECT sent_at, delivered_at, read_at FROM message WHERE id = ?", (message_id,)
        ).one()
    )
    assert all(t is not None for t in times)


def test_reaction_sets_and_removes_target_reaction(db: Db) -> None:
    target_id = _sent_message(db, "wamid.T")
    out = db.apply(reaction_message("wamid.R1", "wamid.T", "👍", ts=at(10)))
    added = [e for e in out.events if isinstance(e, MessageAdded)]
    assert added[0].message.type is MessageType.REACTION
    assert added[0].message.reply_to == "wamid.T"
    (updated,) = [e.message for e in out.events if isinstance(e, MessageUpdated)]
    assert updated.id == target_id and updated.reaction == "👍"
    conv = db.run(lambda c: repo.list_conversations(c))[0]
    assert conv.unread_count == 0  # reactions do not count as unread
    assert conv.last_message_preview == "hi"

    removed = db.apply(reaction_message("wamid.R2", "wamid.T", "", ts=at(20)))
    (cleared,) = [e.message for e in removed.events if isinstance(e, MessageUpdated)]
    assert cleared.reaction is None
    # a reaction delivered late (older than the removal) does not bring the emoji back
    stale = db.apply(reaction_message("wamid.R0", "wamid.T", "😮", ts=at(15)))
    assert not [e for e in stale.events if isinstance(e, MessageUpdated)]
    target = db.run(lambda c: repo.get_message(c, target_id))
    assert target is not None and target.reaction is None
    assert db.run(repo.counts)["messages"] == 4  # target + 3 stored reactions


def test_unknown_number_is_flagged_and_not_applied(db: Db) -> None:
    out = db.apply(text_message("wamid.X", pnid="OTHER"))
    assert out.result is ProcessingResult.UNKNOWN_NUMBER
    assert out.detail is not None and "OTHER" in out.detail
    assert out.events == []
    counts = db.run(repo.counts)
    assert counts["messages"] == 0 and counts["contacts"] == 0
    assert counts["raw_events_unknown_number"] == 1


def test_mixed_body_applies_known_and_flags_unknown(db: Db) -> None:
    out = db.apply(
        text_message("wamid.K", pnid=PNID),
        text_message("wamid.U", pnid="OTHER", wa_id="15550000000"),
        status("wamid.S", MessageStatus.SENT, pnid="OTHER2"),
        problems=("entry 2: message without id",),
    )
    assert out.result is ProcessingResult.UNKNOWN_NUMBER
    assert out.detail is not None
    assert "OTHER" in out.detail and "OTHER2" in out.detail
    assert "message without id" in out.detail
    assert [e.message.wamid for e in out.events if isinstance(e, MessageAdded)] == ["wamid.K"]
    assert db.run(lambda c: repo.get_message_by_wamid(c, "wamid.U")) is None
    assert db.run(lambda c: len(c.execute(select(pending_status_t)).all())) == 0


def test_field_events_and_system_errors_are_stored(db: Db) -> None:
    template = FieldEvent(
        waba_id="WABA1",
        field="message_template_status_update",
        value={"event": "APPROVED", "message_template_name": "hello"},
        time=at(1),
    )
    errors = SystemErrors(
        phone_number_id=PNID,
        waba_id="WABA1",
        errors=(GraphErrorInfo(131000, "Something went wrong"),),
        payload={"errors": [{"code": 131000}]},
    )
    out = db.apply(template, errors)
    received = [e.event for e in out.events if isinstance(e, FieldEventReceived)]
    assert received[0] == template
    assert received[1].field == "errors"
    rows = db.run(lambda c: c.execute(select(field_event_t).order_by("id")).mappings().all())
    assert [r["field"] for r in rows] == ["message_template_status_update", "errors"]
    assert '"APPROVED"' in rows[0]["value_json"] and rows[0]["raw_event_id"] == 1
    raw = db.run(lambda c: c.execute(select(raw_event_t.c.field)).scalar())
    assert raw == "message_template_status_update,messages"


def test_message_without_sender_is_reported(db: Db) -> None:
    out = db.apply(text_message("wamid.N", wa_id=None, user_id=None))
    assert out.result is ProcessingResult.APPLIED
    assert out.detail is not None and "no sender" in out.detail
    assert db.run(repo.counts)["messages"] == 0


async def test_apply_through_store_write(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite") as store:
        await store.write(lambda c: repo.add_number(c, "shop", "+1555", PNID, "WABA1"))
        refs = await store.read(repo.number_refs)
        outcomes = await asyncio.gather(
            *(
                store.write(
                    lambda c, i=i: apply_parsed(
                        c, None, parsed(text_message(f"wamid.{i}", ts=at(i))), refs
                    )
                )
                for i in range(20)
            )
        )
        assert all(o.result is ProcessingResult.APPLIED for o in outcomes)
        conv = (await store.read(repo.list_conversations))[0]
        assert conv.unread_count == 20 and conv.last_message_at == at(19)
