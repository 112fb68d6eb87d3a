"""The apply tells the bot runtime whether an inbound message is the conversation's first
(`MessageAdded.first_inbound`), and `bots.store.inbound_context` reads the rest of what the
runtime needs for a message in one query — on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection

from tests.unit.flow.helpers import build
from tests.unit.store.helpers import at, text_message
from tests.unit.store.test_apply import Db, db  # noqa: F401  (the fixture)
from wadesk.core.events import MessageAdded
from wadesk.engine.bots import store as bs
from wadesk.engine.bots.models import BotSettings, SessionRecord
from wadesk.engine.store import repo
from wadesk.flow import Session


def _added(db: Db, *items: object) -> list[MessageAdded]:  # noqa: F811
    out = db.apply(*items)
    return [e for e in out.events if isinstance(e, MessageAdded)]


def test_first_inbound_of_a_new_contact_in_one_body_and_later(db: Db) -> None:  # noqa: F811
    first, second = _added(db, text_message("wamid.A", ts=at(1)), text_message("wamid.B", ts=at(2)))
    assert (first.first_inbound, second.first_inbound) == (True, False)
    (later,) = _added(db, text_message("wamid.C", ts=at(3)))
    assert later.first_inbound is False
    # a redelivery publishes nothing, and an older message arriving late is not "first"
    assert _added(db, text_message("wamid.A", ts=at(1))) == []
    (old,) = _added(db, text_message("wamid.Z", ts=at(0)))
    assert old.first_inbound is False


def test_first_inbound_after_an_outbound_only_conversation(db: Db) -> None:  # noqa: F811
    db.outbound("hello from the shop")
    (reply,) = _added(db, text_message("wamid.R", ts=at(5)))
    assert reply.first_inbound is True
    (again,) = _added(db, text_message("wamid.S", ts=at(6)))
    assert again.first_inbound is False


def test_inbound_context_one_query(db: Db) -> None:  # noqa: F811
    one, two = _added(db, text_message("wamid.A", ts=at(1)), text_message("wamid.B", ts=at(2)))
    conv_id = one.conversation.id
    mode, record, first = db.run(lambda c: bs.inbound_context(c, conv_id))
    assert (mode, record, first) == ("bot", None, None)
    assert db.run(lambda c: bs.inbound_context(c, conv_id, one.message.id))[2] is True
    assert db.run(lambda c: bs.inbound_context(c, conv_id, two.message.id))[2] is False
    assert db.run(lambda c: bs.inbound_context(c, 999_999, 1)) == (None, None, None)

    flow = build({"t": ("trigger", {"kind": "any"}), "e": ("end", {})}, {("t", "next"): "e"})
    now = datetime(2026, 1, 1, tzinfo=UTC)

    def setup(c: Connection) -> SessionRecord:
        info = bs.insert_flow(c, "F", flow, now)
        rev = bs.insert_revision(c, info.id, flow, None, now)
        bot = bs.insert_bot(
            c,
            name="B",
            number_id=one.conversation.number_id,
            flow_id=info.id,
            priority=0,
            settings=BotSettings(),
            now=now,
        )
        record = SessionRecord(
            conversation_id=conv_id,
            bot_id=bot.id,
            revision_id=rev.id,
            session=Session(
                str(info.id), rev.revision, now, now, current_node="t", status="waiting"
            ),
            status="waiting",
            started_at=now,
            updated_at=now,
        )
        bs.save_session(c, record)
        return record

    saved = db.run(setup)
    mode, record, first = db.run(lambda c: bs.inbound_context(c, conv_id, two.message.id))
    assert mode == "bot" and first is False
    assert record is not None and record.bot_id == saved.bot_id
    assert record.session.current_node == "t" and record.status == "waiting" and record.active


def test_driver_sql_insert_gives_each_event_its_row(db: Db) -> None:  # noqa: F811
    """The message insert is one executemany (driver SQL): the ids in the events are the
    rows' ids (the search index trigger writes rows too), and the times are stored text."""
    db.apply(text_message("wamid.0", ts=at(0)))  # an earlier row, so ids do not start at 1
    items = [text_message(f"wamid.{n}", ts=at(n), text=f"text {n}") for n in range(1, 6)]
    added = _added(db, *items)
    assert [e.message.wamid for e in added] == [f"wamid.{n}" for n in range(1, 6)]
    for event in added:
        stored = db.run(lambda c, w=event.message.wamid: repo.get_message_by_wamid(c, w))
        assert stored is not None and stored.id == event.message.id
        assert stored.text == event.message.text and stored.timestamp == event.message.timestamp
    conv = db.run(lambda c: repo.get_conversation(c, added[-1].conversation.id))
    assert conv is not None and conv.last_message_at == at(5) and conv.unread_count == 6
    raw = db.run(lambda c: c.exec_driver_sql("SELECT timestamp FROM message LIMIT 1").scalar())
    assert raw == "2026-03-01 12:00:00.000000"  # fixed-width UTC text, as UtcDateTime stores
