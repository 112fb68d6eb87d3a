"""Template sync against the sandbox over loopback: all pages stored, replaced on re-sync,
errors leave the store as it was, the event is published; and migration 5 from a v2 file."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.integration.conftest import Recorder
from tests.integration.demo_helpers import demo
from tests.unit.store.v1_schema import create_v1_database
from wadesk.core.errors import GraphError
from wadesk.core.events import TemplatesSynced
from wadesk.engine.cloudapi.client_types import Template
from wadesk.engine.demo import DemoRuntime
from wadesk.engine.sandbox import demo_templates
from wadesk.engine.service import EngineError
from wadesk.engine.store import LATEST_VERSION, Store, repo
from wadesk.engine.store import templates as template_store
from wadesk.engine.store.migrations import MIGRATIONS


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[DemoRuntime]:
    rt = await demo(tmp_path)
    yield rt
    await rt.stop()


async def test_sync_stores_every_template_and_publishes(runtime: DemoRuntime) -> None:
    engine = runtime.engine
    recorder = Recorder()
    engine.subscribe(recorder)
    assert engine.demo_number is not None
    number_id = engine.demo_number.id
    assert await engine.sync_templates("Demo Salon") == 5
    stored = await engine.list_templates(number_id)
    assert [(t.name, t.language, t.status) for t in stored] == [
        ("appointment_reminder", "en_US", "APPROVED"),
        ("appointment_reminder", "ru", "APPROVED"),
        ("hello_world", "en_US", "APPROVED"),
        ("loyalty_card", "en_US", "PENDING"),
        ("summer_sale", "en_US", "REJECTED"),
    ]
    reminder = stored[1]
    assert reminder.category == "UTILITY" and reminder.approved
    assert reminder.body_parameters == ["1", "2"]
    assert "Напоминаем" in reminder.body_text
    assert reminder.component("BUTTONS") is not None
    rejected = stored[-1]
    assert rejected.rejected_reason == "PROMOTIONAL" and not rejected.approved
    approved = await engine.list_templates(number_id, approved_only=True)
    assert {t.name for t in approved} == {"hello_world", "appointment_reminder"}
    assert recorder.of(TemplatesSynced) == [TemplatesSynced(number_id=number_id, count=5)]

    # Meta deleted one: the next sync (by Phone Number ID) leaves exactly what Meta has
    runtime.sandbox.state.templates[:] = [
        t for t in runtime.sandbox.state.templates if t["name"] != "summer_sale"
    ]
    assert await engine.sync_templates(engine.demo_number.phone_number_id) == 4
    assert "summer_sale" not in {t.name for t in await engine.list_templates(number_id)}


async def test_sync_follows_every_page(tmp_path: Path) -> None:
    many = [
        {
            "name": f"promo_{i:03d}",
            "language": "en_US",
            "status": "APPROVED",
            "category": "MARKETING",
            "components": [{"type": "BODY", "text": f"Offer {i}"}],
        }
        for i in range(230)
    ]
    rt = await demo(tmp_path, templates=demo_templates() + many)
    try:
        assert await rt.engine.sync_templates("Demo Salon") == 235
    finally:
        await rt.stop()


async def test_a_failed_sync_keeps_the_stored_templates(runtime: DemoRuntime) -> None:
    engine = runtime.engine
    assert engine.demo_number is not None
    await engine.sync_templates("Demo Salon")
    runtime.sandbox.fail_next(190)
    with pytest.raises(GraphError) as caught:
        await engine.sync_templates("Demo Salon")
    assert caught.value.code == 190
    assert "token" in caught.value.explain("en").lower()
    assert len(await engine.list_templates(engine.demo_number.id)) == 5
    with pytest.raises(EngineError, match="No number 'Nope'"):
        await engine.sync_templates("Nope")


def _v2_database(path: Path) -> None:
    """A wadesk file at schema version 2, with data (v1 + the frozen step 2)."""
    create_v1_database(path)
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            next(step for step in MIGRATIONS if step.version == 2).run(conn)
            conn.exec_driver_sql("PRAGMA user_version = 2")
    finally:
        engine.dispose()


async def test_migration_from_v2_with_data(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    _v2_database(path)
    probe = sqlite3.connect(path)
    assert probe.execute("PRAGMA user_version").fetchone()[0] == 2
    probe.close()
    store = Store(path)
    await store.open()
    try:
        assert store.schema_version_at_open == 2
        numbers = await store.read(repo.list_numbers)
        assert [n.label for n in numbers] == ["shop"]
        template = Template(
            id="1",
            name="hello_world",
            language="en_US",
            status="approved",
            category="UTILITY",
            components=({"type": "BODY", "text": "Hi {{1}}"},),
        )
        count = await store.write(
            lambda c: template_store.replace_templates(c, numbers[0].id, [template, template])
        )
        assert count == 1
        stored = await store.read(lambda c: template_store.list_templates(c, numbers[0].id))
        assert [(t.name, t.status, t.body_parameters) for t in stored] == [
            ("hello_world", "APPROVED", ["1"])
        ]
        msg = await store.read(lambda c: repo.get_message_by_wamid(c, "wamid.IN1"))
        assert msg is not None and msg.text == "hello"
    finally:
        await store.close()
    probe = sqlite3.connect(path)
    assert probe.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    probe.close()
