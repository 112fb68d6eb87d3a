"""Schema v6: the (conversation_id, id) message index, migrated from a v5 file with data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.unit.store.test_migrations import _schema
from tests.unit.store.v1_schema import create_v1_database
from wadesk.engine.store import LATEST_VERSION, Store, make_engine
from wadesk.engine.store.migrations import MIGRATIONS

PAGE_SQL = (
    "SELECT id FROM message WHERE conversation_id = 1 AND type != 'reaction'"
    " ORDER BY id DESC LIMIT 50"
)


def _database_at_version_5(path: Path) -> None:
    create_v1_database(path)
    engine = make_engine(path)
    with engine.connect() as conn:
        for migration in MIGRATIONS:
            if migration.version <= 5:
                with conn.begin():
                    migration.run(conn)
                    conn.exec_driver_sql(f"PRAGMA user_version = {migration.version}")
    engine.dispose()


def _plan(path: Path, sql: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return " | ".join(str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    finally:
        conn.close()


async def test_v5_database_gets_the_page_index_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v5.sqlite3"
    _database_at_version_5(path)
    before = _schema(path)
    assert before["version"] == 5
    assert "ix_message_conversation_id" not in before["tables"]["message"]["indexes"]
    assert "TEMP B-TREE" in _plan(path, PAGE_SQL)  # v5 sorts the whole conversation
    async with Store(path) as store:
        assert store.schema_version_at_open == 5
        rows = await store.read(lambda c: c.exec_driver_sql(PAGE_SQL).all())
        assert len(rows) == 2
    after = _schema(path)
    assert after["version"] == LATEST_VERSION == 6
    index = after["tables"]["message"]["indexes"]["ix_message_conversation_id"]
    assert index == (0, ("conversation_id", "id"))
    plan = _plan(path, PAGE_SQL)
    assert "ix_message_conversation_id" in plan and "TEMP B-TREE" not in plan
    fresh = tmp_path / "fresh.sqlite3"
    async with Store(fresh):
        pass
    assert _schema(fresh) == after
