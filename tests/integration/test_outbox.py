"""The outbox end to end: Engine + Cloud API sandbox over loopback (the sandbox is Meta and the
customers, and counts every limit violation)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.integration.sandbox_engine import (
    SandboxEngine,
    _make_engine,
    outbox_config_for,
    sandbox_engine,
    sandbox_env,  # noqa: F401 (fixture)
)
from wadesk.core import outgoing
from wadesk.core.enums import Direction, MessageStatus
from wadesk.core.errors import TIMEOUT_AFTER_SEND, WINDOW_CLOSED, LocalError, explain_code
from wadesk.core.events import MessageAdded, MessageUpdated
from wadesk.core.models import Conversation, Message
from wadesk.engine import outbox_store
from wadesk.engine.outbox import OutboxConfig
from wadesk.engine.store import repo

FINAL = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)


async def get(env: SandboxEngine, message_id: int) -> Message:
    message = await env.engine.store.read(lambda c: repo.get_message(c, message_id))
    assert message is not None
    return message


async def wait_status(
    env: SandboxEngine, message_id: int, *statuses: MessageStatus, limit: float = 5.0
) -> Message:
    async def check() -> Message | None:
        message = await get(env, message_id)
        return message if message.status in statuses else None

    return await env.wait_for(check, limit=limit)


async def open_window(env: SandboxEngine, which: int | str) -> Conversation:
    """The customer writes first (opens the 24-hour window); returns the conversation."""
    await env.customer(which).say(f"Hi from {env.wa_id(which)}")

    async def check() -> Conversation | None:
        conv = await env.conversation_of(which)
        return conv if conv is not None and conv.last_inbound_at is not None else None

    return await env.wait_for(check)


def texts_sent(env: SandboxEngine) -> list[str]:
    return [m.body["text"]["body"] for m in env.sandbox.sent_messages if m.type == "text"]


async def test_inbound_stored_then_reply_gets_sent_delivered_read(
    sandbox_env: SandboxEngine,  # noqa: F811
) -> None:
    env = sandbox_env
    await env.customer(0).say("Do you have a slot on Friday?")
    conv = await env.wait_for(lambda: env.conversation_of(0))
    inbound = env.of(MessageAdded)[0]
    assert inbound.message.direction is Direction.INBOUND
    assert inbound.message.text == "Do you have a slot on Friday?"
    assert inbound.contact.wa_id == env.wa_id(0)

    sent = await env.engine.send(
        conv.id, body=outgoing.text(env.wa_id(0), "Yes, 10:00 is free"), origin="user"
    )
    assert sent.status is MessageStatus.QUEUED and sent.wamid is None
    echo = env.of(MessageAdded)[-1]  # the local echo is published before any network call
    assert echo.message.id == sent.id and echo.message.status is MessageStatus.QUEUED

    read = await wait_status(env, sent.id, MessageStatus.READ)
    assert read.wamid == env.sandbox.sent_messages[0].wamid
    assert read.error_code is None and read.error_title is None
    ticks = [e.message.status for e in env.of(MessageUpdated) if e.message.id == sent.id]
    assert ticks == [MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ]
    assert env.sandbox.sent_messages[0].body["text"]["body"] == "Yes, 10:00 is free"
    assert sum(env.sandbox.counters.violations.values()) == 0


async def test_free_form_outside_the_window_is_refused_locally(tmp_path: Path) -> None:
    # the customer last wrote 25 hours ago (the sandbox's clock stamps the webhook)
    async with sandbox_engine(tmp_path, clock=lambda: time.time() - 25 * 3600) as env:
        await env.customer(0).say("Hello?")
        conv = await env.wait_for(lambda: env.conversation_of(0))
        assert conv.last_inbound_at is not None
        before = await env.engine.store.read(lambda c: repo.list_messages(c, conv.id))

        with pytest.raises(LocalError) as caught:
            await env.engine.send(conv.id, body=outgoing.text(env.wa_id(0), "Late reply"))
        assert caught.value.code == WINDOW_CLOSED
        assert "template" in caught.value.explain("en")
        assert "шаблон" in caught.value.explain("ru")
        # a recipient who never wrote: no conversation at all, same answer
        with pytest.raises(LocalError):
            await env.engine.send(
                number_id=env.number.id,
                to=env.wa_id(1),
                body=outgoing.text(env.wa_id(1), "Hi"),
            )
        after = await env.engine.store.read(lambda c: repo.list_messages(c, conv.id))
        assert after == before  # nothing stored
        assert env.sandbox.sent_messages == []

        # a template is allowed outside the window
        template = await env.engine.send(
            number_id=env.number.id,
            to=env.wa_id(1),
            body=outgoing.template(env.wa_id(1), "hello_world", "en_US"),
        )
        await wait_status(env, template.id, *FINAL)
        assert [m.type for m in env.sandbox.sent_messages] == ["template"]
        assert sum(env.sandbox.counters.violations.values()) == 0


async def test_recipient_not_allowed_on_a_test_number_fails_with_131030(tmp_path: Path) -> None:
    async with sandbox_engine(tmp_path, allowed_recipients={"15550101001"}) as env:
        conv = await open_window(env, 2)  # Анна is not in the allowed list
        message = await env.engine.send(conv.id, body=outgoing.text(env.wa_id(2), "Привет"))
        failed = await wait_status(env, message.id, MessageStatus.FAILED)
        assert failed.error_code == 131030
        assert "allowed" in explain_code(failed.error_code, "en").lower()
        assert explain_code(failed.error_code, "ru") != explain_code(failed.error_code, "en")
        assert env.sandbox.counters.violations[131030] == 1  # tried once, not retried
        assert env.of(MessageUpdated)[-1].message.status is MessageStatus.FAILED


async def test_a_burst_never_exceeds_throughput_or_pair_limits(tmp_path: Path) -> None:
    async with sandbox_engine(
        tmp_path,
        test_number=False,
        throughput_per_second=25.0,
        pair_rate_per_6s=12.0,  # 2 per second per recipient
        pair_rate_burst=3,
    ) as env:
        wa_ids = [f"4479460000{i:02d}" for i in range(8)]
        for i, wa_id in enumerate(wa_ids):
            env.sandbox.add_customer(wa_id, f"Customer {i}")
        convs = [await open_window(env, wa_id) for wa_id in wa_ids]
        hot, hot_conv = wa_ids[0], convs[0]
        started = time.time()
        ids = []
        for n in range(10):  # ten in a row to one person: the pair limit holds them back
            m = await env.engine.send(hot_conv.id, body=outgoing.text(hot, f"hot {n}"))
            ids.append(m.id)
        others = await asyncio.gather(
            *(
                env.engine.send(conv.id, body=outgoing.text(wa_id, f"{wa_id} {n}"))
                for n in range(5)
                for wa_id, conv in zip(wa_ids[1:], convs[1:], strict=True)
            )
        )
        ids += [m.id for m in others]
        for mid in ids:
            await wait_status(env, mid, *FINAL, limit=15)

        sent = env.sandbox.sent_messages
        assert len(sent) == 45
        assert sum(env.sandbox.counters.violations.values()) == 0, env.sandbox.counters.violations
        assert env.sandbox.counters.errors == Counter()
        # the buckets did the pacing: 45 messages at 25/s, and 10 to one person at 2/s
        assert sent[-1].accepted_at - started >= (45 - 13) / 25.0
        hot_sent = [m for m in sent if m.to == hot]
        assert hot_sent[-1].accepted_at - hot_sent[0].accepted_at >= (10 - 2) / 2.0 - 0.5
        # order per recipient is kept, and the busy recipient did not hold up the others
        assert [m.body["text"]["body"] for m in hot_sent] == [f"hot {n}" for n in range(10)]
        for wa_id in wa_ids[1:]:
            mine = [m.body["text"]["body"] for m in sent if m.to == wa_id]
            assert mine == [f"{wa_id} {n}" for n in range(5)]
        last_other = max(m.accepted_at for m in sent if m.to != hot)
        assert last_other < hot_sent[-1].accepted_at


async def test_restart_with_queued_messages_sends_each_exactly_once(tmp_path: Path) -> None:
    async with sandbox_engine(tmp_path) as env:
        convs = [await open_window(env, i) for i in range(3)]
        slow = outbox_config_for(env.config, throughput_per_second=8.0)
        await env.restart(outbox=slow)  # start slow, so most messages are still queued
        texts = []
        for n in range(8):
            for i, conv in enumerate(convs):
                text = f"message {n} to {i}"
                texts.append(text)
                await env.engine.send(conv.id, body=outgoing.text(env.wa_id(i), text))
        await asyncio.sleep(0.3)
        assert 0 < len(env.sandbox.sent_messages) < len(texts)
        await env.restart()  # graceful: calls in flight finish, the rest stays queued

        async def all_sent() -> bool:
            rows = [
                m
                for conv in convs
                for m in await env.engine.store.read(lambda c, i=conv.id: repo.list_messages(c, i))
                if m.direction is Direction.OUTBOUND
            ]
            return len(rows) == len(texts) and all(m.status in FINAL for m in rows)

        await env.wait_for(all_sent, limit=10)
        assert Counter(texts_sent(env)) == Counter(texts)  # every one, none twice
        assert sum(env.sandbox.counters.violations.values()) == 0


async def test_a_message_in_flight_when_wadesk_died_becomes_unknown_not_resent(
    sandbox_env: SandboxEngine,  # noqa: F811
) -> None:
    env = sandbox_env
    conv = await open_window(env, 0)
    await env.engine.outbox.stop()  # as if the process had died: nothing is sending
    body = outgoing.text(env.wa_id(0), "was on the wire")
    message, _, _ = await env.engine.store.write(
        lambda c: repo.insert_outbound(
            c, number_id=env.number.id, type="text", origin="user", contact_id=conv.contact_id,
            text="was on the wire", payload=body,
        )
    )  # fmt: skip
    assert await env.engine.store.write(lambda c: outbox_store.mark_in_flight(c, message.id))
    await env.restart()
    await asyncio.sleep(0.3)
    unknown = await get(env, message.id)
    assert unknown.status is MessageStatus.UNKNOWN
    assert unknown.error_title == TIMEOUT_AFTER_SEND
    assert "before sending it again" in explain_code(unknown.error_title, "en")
    assert env.sandbox.sent_messages == []
    # the user checks the phone and decides to resend
    await env.engine.retry_message(message.id)
    await wait_status(env, message.id, *FINAL)
    assert texts_sent(env) == ["was on the wire"]


async def test_network_drop_keeps_messages_queued_and_sends_them_once_it_is_back(
    sandbox_env: SandboxEngine,  # noqa: F811
) -> None:
    env = sandbox_env
    convs = [await open_window(env, i) for i in range(2)]
    await env.sandbox.set_down(True)
    ids = []
    for n in range(3):
        for i, conv in enumerate(convs):
            m = await env.engine.send(conv.id, body=outgoing.text(env.wa_id(i), f"{i}:{n}"))
            ids.append(m.id)
    await env.wait_for(lambda: not env.engine.outbox.online(env.number.id))
    await asyncio.sleep(0.6)  # several probes fail meanwhile
    for mid in ids:
        assert (await get(env, mid)).status is MessageStatus.QUEUED
    assert env.sandbox.sent_messages == []

    await env.sandbox.set_down(False)
    for mid in ids:
        await wait_status(env, mid, *FINAL)
    assert env.engine.outbox.online(env.number.id)
    assert Counter(texts_sent(env)) == Counter(f"{i}:{n}" for n in range(3) for i in range(2))
    # per recipient in order
    for i in range(2):
        mine = [t for t in texts_sent(env) if t.startswith(f"{i}:")]
        assert mine == [f"{i}:{n}" for n in range(3)]


async def test_retryable_errors_back_off_then_succeed_or_fail(
    sandbox_env: SandboxEngine,  # noqa: F811
) -> None:
    env = sandbox_env
    conv = await open_window(env, 0)
    env.sandbox.fail_next(131000, count=2)  # Meta: "something went wrong", retryable
    first = await env.engine.send(conv.id, body=outgoing.text(env.wa_id(0), "third time lucky"))
    await wait_status(env, first.id, *FINAL)
    assert env.sandbox.counters.errors[131000] == 2
    assert texts_sent(env) == ["third time lucky"]

    env.sandbox.fail_next(131016, count=env.outbox_config.max_attempts)
    second = await env.engine.send(conv.id, body=outgoing.text(env.wa_id(0), "never"))
    failed = await wait_status(env, second.id, MessageStatus.FAILED)
    assert failed.error_code == 131016
    assert env.sandbox.counters.errors[131016] == env.outbox_config.max_attempts

    env.sandbox.fail_next(100, "Invalid parameter")  # not retryable: fails at once
    third = await env.engine.send(conv.id, body=outgoing.text(env.wa_id(0), "bad"))
    failed = await wait_status(env, third.id, MessageStatus.FAILED)
    assert failed.error_code == 100 and env.sandbox.counters.errors[100] == 1
    # the user fixes things and retries the same row
    again = await env.engine.retry_message(third.id)
    assert again.id == third.id and again.status is MessageStatus.QUEUED
    done = await wait_status(env, third.id, *FINAL)
    assert done.error_code is None
    assert texts_sent(env) == ["third time lucky", "bad"]


async def test_mark_read_tells_whatsapp_and_clears_unread(
    sandbox_env: SandboxEngine,  # noqa: F811
) -> None:
    env = sandbox_env
    await open_window(env, 0)
    wamid = await env.customer(0).say("Are you open today?")

    async def unread() -> Conversation | None:
        conv = await env.conversation_of(0)
        return conv if conv is not None and conv.unread_count == 2 else None

    conv = await env.wait_for(unread)
    assert await env.engine.mark_read(conv.id, typing=True)
    assert env.sandbox.marked_read == [wamid]
    after = await env.conversation_of(0)
    assert after is not None and after.unread_count == 0


async def test_no_answer_after_sending_is_unknown_and_not_retried(tmp_path: Path) -> None:
    requests = 0

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal requests
        await reader.readuntil(b"\r\n\r\n")
        requests += 1
        writer.close()  # the request arrived, but no answer ever comes

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    engine = _make_engine(tmp_path / "data", f"http://127.0.0.1:{port}")
    engine.outbox.config = OutboxConfig(backoff_base=0.05, probe_initial=0.05)
    await engine.start(serve=False)
    try:
        number = await engine.add_number(
            label="Salon", phone="+1 555 078 3881", phone_number_id="100000000000001",
            waba_id="200000000000001", access_token="EAAtoken", app_secret="secret",
        )  # fmt: skip
        body = outgoing.template("15550101001", "hello_world", "en_US")
        message = await engine.send(number_id=number.id, to="15550101001", body=body)
        for _ in range(200):
            row = await engine.store.read(lambda c: repo.get_message(c, message.id))
            assert row is not None
            if row.status is not MessageStatus.QUEUED and row.error_title is not None:
                break
            await asyncio.sleep(0.02)
        assert row.status is MessageStatus.UNKNOWN
        assert row.error_title == TIMEOUT_AFTER_SEND and row.error_code is None
        await asyncio.sleep(0.3)
        assert requests == 1  # not retried blindly
    finally:
        await engine.stop()
        server.close()
        await server.wait_closed()
