"""Bot storage and commands on a real SQLite store: flow CRUD, drafts, import/export,
publish blocked by validation errors, revisions and roll back, bots and activation, stats,
and migration 4 from a version-3 database with data."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.flow.helpers import build
from tests.unit.store.test_migrations import _schema
from tests.unit.store.v1_schema import create_v1_database
from wadesk.engine.bots import BotCommands, BotError, BotSettings
from wadesk.engine.bots import store as bs
from wadesk.engine.bots.models import SessionRecord
from wadesk.engine.store import LATEST_VERSION, Store, make_engine, repo
from wadesk.engine.store.migrations import MIGRATIONS
from wadesk.flow import Flow, Session, default_registry, from_json, to_json
from wadesk.flow.graph import Node


async def _blocking(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


def greeting_flow() -> Flow:
    return build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["hi"]}),
            "hello": ("send_text", {"text": "Hello!"}),
            "bye": ("end", {}),
        },
        {("t1", "next"): "hello", ("hello", "next"): "bye"},
    )


def broken_flow() -> Flow:
    """A trigger whose output leads nowhere and a send without text: errors."""
    return build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["hi"]}),
            "hello": ("send_text", {"text": ""}),
        },
        {("t1", "next"): "hello"},
    )


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "db.sqlite3") as s:
        yield s


@pytest.fixture
def bots(store: Store) -> BotCommands:
    return BotCommands(store, default_registry(), _blocking)


async def _number(store: Store, label: str = "Salon", pnid: str = "111") -> int:
    number = await store.write(lambda c: repo.add_number(c, label, "+15550001111", pnid, "222"))
    return number.id


async def test_flow_crud_and_drafts(bots: BotCommands) -> None:
    info = await bots.create_flow("Welcome", greeting_flow())
    assert info.name == "Welcome" and info.latest_revision is None
    draft = await bots.draft(info.id)
    assert draft.id == str(info.id) and draft.name == "Welcome"
    assert [n.id for n in draft.nodes] == ["t1", "hello", "bye"]

    draft.add_node(Node("extra", "send_text", {"text": "More"}, (10.0, 20.0)))
    await bots.save_draft(info.id, draft)
    assert (await bots.draft(info.id)).has_node("extra")

    renamed = await bots.rename_flow(info.id, "  Greeting ")
    assert renamed.name == "Greeting" and (await bots.draft(info.id)).name == "Greeting"
    copy = await bots.duplicate_flow(info.id)
    assert copy.name == "Greeting (copy)" and copy.id != info.id
    copied = await bots.draft(copy.id)
    assert copied.id == str(copy.id) and copied.has_node("extra")

    blank = await bots.create_flow("Blank")
    assert (await bots.draft(blank.id)).nodes == ()
    assert [f.name for f in await bots.flows()] == ["Blank", "Greeting", "Greeting (copy)"]

    await bots.delete_flow(copy.id)
    assert [f.id for f in await bots.flows()] == [blank.id, info.id]
    with pytest.raises(BotError):
        await bots.draft(copy.id)
    with pytest.raises(BotError, match="name"):
        await bots.create_flow("   ")


async def test_publish_is_blocked_by_errors_and_keeps_revisions(bots: BotCommands) -> None:
    info = await bots.create_flow("Broken", broken_flow())
    with pytest.raises(BotError) as refused:
        await bots.publish(info.id)
    problems = refused.value.problems
    assert problems and all(p.severity == "error" for p in problems)
    assert {p.node_id for p in problems} >= {"hello"}
    assert await bots.revisions(info.id) == []

    await bots.save_draft(info.id, greeting_flow())
    rev1, warnings = await bots.publish(info.id, note="first")
    assert rev1.revision == 1 and rev1.note == "first"
    assert all(p.severity == "warning" for p in warnings)

    draft = await bots.draft(info.id)
    draft.set_config("hello", {"text": "Hello again!"})
    await bots.save_draft(info.id, draft)
    rev2, _ = await bots.publish(info.id)
    assert rev2.revision == 2
    listed = await bots.revisions(info.id)
    assert [r.revision for r in listed] == [2, 1]
    assert listed[0].published_at >= listed[1].published_at
    _r, flow2 = await bots.revision(rev2.id)
    assert flow2.revision == 2 and flow2.node("hello").config["text"] == "Hello again!"
    assert (await bots.flow_info(info.id)).latest_revision == 2

    # roll the draft back to revision 1 (publishing is a separate step)
    await bots.rollback(info.id, rev1.id)
    assert (await bots.draft(info.id)).node("hello").config["text"] == "Hello!"
    assert len(await bots.revisions(info.id)) == 2
    other = await bots.create_flow("Other", greeting_flow())
    with pytest.raises(BotError, match="another flow"):
        await bots.rollback(other.id, rev1.id)


async def test_import_export_round_trip(bots: BotCommands, tmp_path: Path) -> None:
    info = await bots.create_flow("Welcome", greeting_flow())
    path = tmp_path / "welcome.json"
    await bots.export_flow(info.id, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 2 and doc["name"] == "Welcome"

    imported = await bots.import_flow(path)
    assert imported.name == "Welcome" and imported.id != info.id
    a, b = await bots.draft(info.id), await bots.draft(imported.id)
    ja, jb = to_json(a), to_json(b)
    assert ja.pop("id") != jb.pop("id")
    assert ja == jb

    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": []}', encoding="utf-8")
    with pytest.raises(BotError, match="not a wadesk flow"):
        await bots.import_flow(bad)
    bad.write_text("not json", encoding="utf-8")
    with pytest.raises(BotError, match="not a wadesk flow"):
        await bots.import_flow(bad)
    with pytest.raises(BotError, match="Could not read"):
        await bots.import_flow(tmp_path / "missing.json")
    # an old (schema version 1) document is migrated on import
    v1 = {
        "version": 1,
        "id": "old",
        "name": "Legacy",
        "nodes": [
            {"id": "t", "kind": "trigger", "config": {"kind": "any"}, "x": 0, "y": 0},
            {"id": "m", "kind": "message", "config": {"text": "Hi"}, "x": 1, "y": 0},
        ],
        "edges": [{"from": "t", "output": "next", "to": "m"}],
    }
    old = tmp_path / "legacy.json"
    old.write_text(json.dumps(v1), encoding="utf-8")
    legacy = await bots.import_flow(old)
    assert legacy.name == "Legacy"
    assert (await bots.draft(legacy.id)).node("m").type == "send_text"


async def test_bots_activation_and_flow_deletion_guard(store: Store, bots: BotCommands) -> None:
    number_id = await _number(store)
    info = await bots.create_flow("Welcome", broken_flow())
    bot = await bots.create_bot("Greeter", number_id=number_id, flow_id=info.id, priority=5)
    assert (bot.active, bot.priority, bot.published_revision_id) == (False, 5, None)
    with pytest.raises(BotError, match="Publish"):
        await bots.set_bot_active(bot.id, True)

    await bots.save_draft(info.id, greeting_flow())
    rev, _ = await bots.publish(info.id)
    bot = await bots.bot(bot.id)
    assert bot.published_revision_id == rev.id and bot.revision == 1
    bot = await bots.set_bot_active(bot.id, True)
    assert bot.active
    assert [b.id for b in await bots.bots(number_id)] == [bot.id]

    # a published revision that no longer validates (e.g. a newer wadesk's rules) is refused
    def corrupt(conn: Any) -> None:
        conn.exec_driver_sql(
            "UPDATE flow_revision SET json = ? WHERE id = ?",
            (json.dumps(to_json(broken_flow()) | {"id": str(info.id)}), rev.id),
        )

    await store.write(corrupt)
    await bots.set_bot_active(bot.id, False)
    with pytest.raises(BotError) as refused:
        await bots.set_bot_active(bot.id, True)
    assert refused.value.problems and refused.value.problems[0].node_id == "hello"

    updated = await bots.update_bot(
        bot.id, name="Hello bot", priority=1, settings=BotSettings(stale_after=60)
    )
    assert (updated.name, updated.priority, updated.settings.stale_after) == ("Hello bot", 1, 60)
    with pytest.raises(BotError, match="Unknown"):
        await bots.update_bot(bot.id, colour="red")
    with pytest.raises(BotError, match="used by"):
        await bots.delete_flow(info.id)
    await bots.delete_bot(bot.id)
    await bots.delete_flow(info.id)
    assert await bots.bots() == []


async def test_sessions_traces_and_stats(store: Store, bots: BotCommands) -> None:
    number_id = await _number(store)
    info = await bots.create_flow("Welcome", greeting_flow())
    rev, _ = await bots.publish(info.id)
    bot = await bots.create_bot("Greeter", number_id=number_id, flow_id=info.id)
    now = bots.now()

    def conversation(conn: Any) -> int:
        _m, conv, _c = repo.insert_outbound(
            conn, number_id=number_id, type="text", origin="user", to_wa_id="15551234567"
        )
        return conv.id

    conv_id = await store.write(conversation)
    session = Session(str(info.id), 1, started_at=now, updated_at=now, status="waiting")
    session.waiting_for = "delay"
    session.wake_at = now
    record = SessionRecord(conv_id, bot.id, rev.id, session, "waiting", now, now)
    await store.write(lambda c: bs.save_session(c, record))
    loaded = await store.read(lambda c: bs.load_session(c, conv_id))
    assert loaded is not None and loaded.session.to_dict() == session.to_dict()
    assert [r.conversation_id for r in await store.read(bs.waiting_sessions)] == [conv_id]
    assert (await bots.bot_stats(bot.id)).running == 1

    record.session.status = "ended"
    record.status = "ended"
    await store.write(lambda c: bs.save_session(c, record))
    entries = [
        {"type": "run", "node_id": "hello", "node_type": "send_text", "actions": [{"a": 1}]},
        {"type": "session_completed", "node_id": "bye"},
        {"type": "action_failed", "error": "boom"},
    ]
    traced = await store.write(
        lambda c: bs.insert_traces(
            c, conversation_id=conv_id, bot_id=bot.id, session_id=None, entries=entries, now=now
        )
    )
    assert [t.type for t in traced] == ["run", "session_completed", "action_failed"]
    stats = await bots.bot_stats(bot.id)
    assert (stats.running, stats.completed, stats.handed_off, stats.errors_today) == (0, 1, 0, 1)
    listed = await bots.traces(conversation_id=conv_id)
    assert [t.type for t in listed] == ["action_failed", "session_completed", "run"]
    assert listed[2].actions == ({"a": 1},)


def _database_at_version_3(path: Path) -> None:
    """The frozen v1 file with data, taken through the released steps 2 and 3 only."""
    create_v1_database(path)
    engine = make_engine(path)
    with engine.connect() as conn:
        for migration in MIGRATIONS:
            if migration.version <= 3:
                with conn.begin():
                    migration.run(conn)
                    conn.exec_driver_sql(f"PRAGMA user_version = {migration.version}")
    engine.dispose()


async def test_migration_from_version_3_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "v3.sqlite3"
    _database_at_version_3(path)
    assert _schema(path)["version"] == 3
    assert "flow" not in _schema(path)["tables"]

    async with Store(path) as store:
        assert store.schema_version_at_open == 3
        numbers = await store.read(repo.list_numbers)
        assert [n.label for n in numbers] == ["shop"]
        conv = await store.read(lambda c: repo.get_conversation(c, 1))
        assert conv is not None and conv.mode == "human"
        bots = BotCommands(store, default_registry(), _blocking)
        info = await bots.create_flow("Welcome", greeting_flow())
        await bots.publish(info.id)
        bot = await bots.create_bot("Greeter", number_id=numbers[0].id, flow_id=info.id)
        assert (await bots.set_bot_active(bot.id, True)).active
    fresh = tmp_path / "fresh.sqlite3"
    async with Store(fresh):
        pass
    migrated, new = _schema(path), _schema(fresh)
    assert migrated["version"] == new["version"] == LATEST_VERSION
    assert migrated == new


def test_flow_document_ids_follow_rows() -> None:
    flow = from_json(to_json(greeting_flow()))
    assert flow.id == "f1"  # the builder's id; the store replaces it with the row id
