"""Rows queued by another process (`wadesk send`) are sent by the running engine's outbox, and
two outboxes sharing one database never both send a row (the claim is one atomic UPDATE).
Engine + sandbox over loopback, real SQLite files shared by separate Store connections."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from functools import partial
from pathlib import Path

from tests.integration.sandbox_engine import (
    SandboxEngine,
    _make_engine,
    outbox_config_for,
    sandbox_engine,
)
from wadesk.core import outgoing
from wadesk.core.enums import MessageStatus
from wadesk.core.events import MessageUpdated
from wadesk.engine import outbox_store
from wadesk.engine.instance import is_running, read_instance
from wadesk.engine.service import Engine
from wadesk.engine.store import repo

SENT = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)


async def statuses(engine: Engine, ids: list[int]) -> list[MessageStatus]:
    out = []
    for message_id in ids:
        message = await engine.store.read(partial(repo.get_message, message_id=message_id))
        assert message is not None
        out.append(message.status)
    return out


async def queue_from_another_engine(env: SandboxEngine, recipients: list[str]) -> list[int]:
    """What `wadesk send` does when an engine runs: store rows with an outbox not started."""
    other = _make_engine(env.data_dir, env.sandbox.base_url)
    await other.start(serve=False, ingest=False)
    try:
        assert not await other.outbox.claim_instance()  # the running engine holds the lock
        ids = []
        for wa_id in recipients:
            body = outgoing.template(wa_id, "hello_world", "en_US")
            message = await other.send(number_id=env.number.id, to=wa_id, body=body, origin="cli")
            assert message.status is MessageStatus.QUEUED
            ids.append(message.id)
        assert other.outbox.pending == 0  # it only stored them
        return ids
    finally:
        await other.stop()


async def test_rows_stored_by_another_process_are_sent_by_the_running_engine(
    tmp_path: Path,
) -> None:
    async with sandbox_engine(tmp_path, outbox=None) as env:
        info = await asyncio.to_thread(read_instance, env.data_dir)
        assert info is not None and await asyncio.to_thread(is_running, env.data_dir)
        started = time.monotonic()
        ids = await queue_from_another_engine(env, [env.wa_id(0), env.wa_id(1)])

        async def all_sent() -> bool:
            return all(s in SENT for s in await statuses(env.engine, ids))

        await env.wait_for(all_sent, limit=5)
        elapsed = time.monotonic() - started
        assert elapsed < env.engine.outbox.config.poll_interval + 2.0
        assert sorted(m.to for m in env.sandbox.sent_messages) == sorted(
            [env.wa_id(0), env.wa_id(1)]
        )
        # the running engine sent them: it published their SENT updates
        updated = {e.message.id for e in env.of(MessageUpdated) if e.message.status in SENT}
        assert set(ids) <= updated
    assert not await asyncio.to_thread(is_running, env.data_dir)  # released at stop


async def test_two_outboxes_on_one_database_never_send_a_row_twice(tmp_path: Path) -> None:
    overrides = {"test_number": False, "allowed_recipients": set(), "throughput_per_second": 1e4}
    async with sandbox_engine(tmp_path, **overrides) as env:
        second = _make_engine(env.data_dir, env.sandbox.base_url)
        second.outbox.config = outbox_config_for(env.config, poll_interval=0.05)
        env.engine.outbox.config = outbox_config_for(env.config, poll_interval=0.05)
        by_second: list[int] = []
        second_updates: list[MessageUpdated] = []

        def on_second(e: object) -> None:
            if isinstance(e, MessageUpdated):
                second_updates.append(e)
                if e.message.status is MessageStatus.SENT:
                    by_second.append(e.message.id)

        second.subscribe(on_second)
        await second.start(serve=False)  # components too: its outbox watches (not the owner)
        try:
            recipients = [f"4479{n:08d}" for n in range(30)] * 2
            ids = await queue_from_another_engine(env, recipients)

            async def all_sent() -> bool:
                return all(s in SENT for s in await statuses(env.engine, ids))

            await env.wait_for(all_sent, limit=15)
        finally:
            await second.stop()
        sent = env.sandbox.sent_messages
        assert len(sent) == len(ids)  # each row exactly once, whichever outbox claimed it
        assert Counter(m.to for m in sent) == Counter(recipients)
        wamids = [m.wamid for m in sent]
        rows = [await env.engine.store.read(partial(repo.get_message, message_id=i)) for i in ids]
        assert sorted(r.wamid for r in rows if r is not None) == sorted(wamids)
        by_first = {
            e.message.id
            for e in env.of(MessageUpdated)
            if e.message.status is MessageStatus.SENT and e.message.id in ids
        }
        assert not by_first & set(by_second)  # no row was sent by both
        # the rows neither counted: `set_sent` applied statuses that had come before the wamid
        # was stored, so its event already said delivered or read (timing: the sandbox's
        # status webhooks can be applied before the outbox's commit)
        rest = set(ids) - by_first - set(by_second)
        later = {
            e.message.id
            for e in [*env.of(MessageUpdated), *second_updates]
            if e.message.status in (MessageStatus.DELIVERED, MessageStatus.READ)
        }
        assert rest <= later, rest - later


async def test_claiming_a_row_is_atomic_across_connections(tmp_path: Path) -> None:
    async with sandbox_engine(tmp_path) as env:
        await env.engine.outbox.stop()  # nobody sends; the test claims by hand
        body = outgoing.template(env.wa_id(0), "hello_world", "en_US")
        message = await env.engine.send(number_id=env.number.id, to=env.wa_id(0), body=body)
        other = _make_engine(env.data_dir, env.sandbox.base_url)
        await other.start(serve=False, ingest=False)
        try:
            claim = partial(outbox_store.mark_in_flight, message_id=message.id)
            results = await asyncio.gather(other.store.write(claim), env.engine.store.write(claim))
            assert sorted(results) == [False, True]
            assert not await other.store.write(claim)
            # a claimed row is not offered to watchers
            assert await other.store.read(outbox_store.queued_routes) == []
        finally:
            await other.stop()
