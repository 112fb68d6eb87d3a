"""Schema migrations: a v1 file with data is migrated in place; new == migrated schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.unit.store.v1_schema import create_v1_database
from wadesk.engine.store import LATEST_VERSION, Store, repo
from wadesk.engine.store.tables import message_t


def _schema(path: Path) -> dict[str, Any]:
    """Everything that defines the schema, independent of column order and SQL formatting."""
    conn = sqlite3.connect(path)
    try:
        objects = sorted(
            conn.execute(
                "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchall()
        )
        tables: dict[str, Any] = {}
        for kind, name, _ in objects:
            if kind != "table":
                continue
            columns = sorted(
                (c[1], c[2], c[3], c[4], c[5]) for c in conn.execute(f"PRAGMA table_info('{name}')")
            )
            indexes = {}
            for idx in conn.execute(f"PRAGMA index_list('{name}')"):
                cols = [r[2] for r in conn.execute(f"PRAGMA index_info('{idx[1]}')")]
                indexes[idx[1]] = (idx[2], tuple(cols))
            fks = sorted(
                (f[2], f[3], f[4]) for f in conn.execute(f"PRAGMA foreign_key_list('{name}')")
            )
            tables[name] = {"columns": columns, "indexes": indexes, "fks": fks}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return {"objects": objects, "tables": tables, "version": version}
    finally:
        conn.close()


async def test_v1_database_is_migrated_with_data_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    create_v1_database(path)
    assert _schema(path)["version"] == 1
    store = Store(path)
    await store.open()
    try:
        assert store.schema_version_at_open == 1
        numbers = await store.read(repo.list_numbers)
        assert [(n.label, n.phone_number_id) for n in numbers] == [("shop", "PNID1")]
        conv = await store.read(lambda c: repo.get_conversation(c, 1))
        assert conv is not None and conv.unread_count == 1 and conv.mode == "human"
        contact = await store.read(lambda c: repo.get_contact(c, 1))
        assert contact is not None
        assert (contact.wa_id, contact.profile_name, contact.user_id) == (
            "15551234567",
            "Ann",
            None,
        )
        msg = await store.read(lambda c: repo.get_message_by_wamid(c, "wamid.IN1"))
        assert msg is not None and msg.text == "hello" and msg.reaction is None
        origins = await store.read(
            lambda c: dict(c.execute(select(message_t.c.wamid, message_t.c.origin)).all())
        )
        assert origins == {"wamid.IN1": "webhook", "wamid.OUT1": "user"}
        # the new columns work
        await store.write(
            lambda c: c.exec_driver_sql("UPDATE contact SET user_id = 'US.1' WHERE id = 1")
        )
    finally:
        await store.close()
    assert _schema(path)["version"] == LATEST_VERSION


async def test_fresh_schema_equals_migrated_schema(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    create_v1_database(old)
    async with Store(old):
        pass
    fresh = tmp_path / "fresh.db"
    async with Store(fresh) as store:
        assert store.schema_version_at_open == 0
    migrated_schema = _schema(old)
    fresh_schema = _schema(fresh)
    assert fresh_schema["version"] == LATEST_VERSION
    assert migrated_schema == fresh_schema


async def test_reopening_latest_runs_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    async with Store(path):
        pass
    async with Store(path) as store:
        assert store.schema_version_at_open == LATEST_VERSION
