"""The webhook server over real loopback HTTP: verification, signed ingest, rejections,
limits, unknown routes, dedupe, and health."""

from __future__ import annotations

import asyncio
from functools import partial

import httpx

from tests import factories as f
from tests.integration.conftest import Recorder
from wadesk.core.enums import MessageStatus, ProcessingResult
from wadesk.core.events import MessageAdded, RawEventProcessed
from wadesk.engine.cloudapi.signature import sign
from wadesk.engine.config import WEBHOOK_PATH
from wadesk.engine.service import Engine
from wadesk.engine.store import repo


async def post(
    http: httpx.AsyncClient, body: bytes, secret: str | None = f.APP_SECRET
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Hub-Signature-256"] = sign(body, secret)
    return await http.post(WEBHOOK_PATH, content=body, headers=headers)


async def test_verification_get_echoes_the_challenge(http: httpx.AsyncClient) -> None:
    r = await http.get(
        WEBHOOK_PATH,
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": f.VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert r.status_code == 200
    assert r.text == "1158201444"
    assert r.headers["content-type"].startswith("text/plain")


async def test_verification_get_rejects_wrong_token_or_mode(
    http: httpx.AsyncClient, engine: Engine
) -> None:
    bad = [
        {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": f.VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.verify_token": f.VERIFY_TOKEN, "hub.challenge": "1"},
        {},
    ]
    for params in bad:
        r = await http.get(WEBHOOK_PATH, params=params)
        assert r.status_code == 403, params
        assert r.text == ""
    assert [ok for _, ok in engine.verification_requests] == [False] * 4


async def test_signed_post_is_stored_and_applied(
    http: httpx.AsyncClient, engine: Engine, recorder: Recorder
) -> None:
    mid = f.wamid()
    r = await post(
        http, f.encode(f.text_message("Привет, можно записаться?", message_id=mid, name="Анна"))
    )
    assert r.status_code == 200
    assert engine.ingest is not None
    await engine.ingest.wait_idle()
    msg = await engine.store.read(partial(repo.get_message_by_wamid, wamid=mid))
    assert msg is not None
    assert msg.text == "Привет, можно записаться?"
    assert msg.status is MessageStatus.RECEIVED
    added = recorder.of(MessageAdded)
    assert len(added) == 1 and added[0].contact.profile_name == "Анна"
    assert added[0].conversation.unread_count == 1
    processed = recorder.of(RawEventProcessed)
    assert processed[-1].result is ProcessingResult.APPLIED


async def test_wrong_or_missing_signature_is_rejected_and_not_applied(
    http: httpx.AsyncClient, engine: Engine, recorder: Recorder
) -> None:
    mid = f.wamid()
    body = f.encode(f.text_message(message_id=mid))
    assert (await post(http, body, secret="not-the-secret")).status_code == 403
    assert (await post(http, body, secret=None)).status_code == 401
    tampered = body.replace(b"Hello", b"Hellp")
    r = await http.post(
        WEBHOOK_PATH, content=tampered, headers={"X-Hub-Signature-256": sign(body, f.APP_SECRET)}
    )
    assert r.status_code == 403
    assert engine.ingest is not None
    await engine.ingest.wait_idle()
    await engine.store.write(lambda conn: None)  # flush the rejected-event writes
    assert await engine.store.read(partial(repo.get_message_by_wamid, wamid=mid)) is None
    counts = await engine.store.read(repo.counts)
    assert counts["raw_events_rejected"] == 3
    assert not recorder.of(MessageAdded)


async def test_malformed_json_is_400_and_stored_as_rejected(
    http: httpx.AsyncClient, engine: Engine
) -> None:
    for body in (b"{not json", b"[1, 2]", b'{"object": "whatsapp_business_account"}'):
        r = await post(http, body)
        assert r.status_code == 400, body
    await engine.store.write(lambda conn: None)
    counts = await engine.store.read(repo.counts)
    assert counts["raw_events_rejected"] == 3


async def test_oversize_body_is_413(http: httpx.AsyncClient) -> None:
    body = (
        b'{"object":"whatsapp_business_account","entry":[],"pad":"'
        + b"x" * (3 * 1024 * 1024)
        + b'"}'
    )
    r = await post(http, body)
    assert r.status_code == 413


async def test_unknown_paths_and_methods_say_nothing(http: httpx.AsyncClient) -> None:
    for method, path, code in [
        ("GET", "/", 404),
        ("GET", "/admin", 404),
        ("POST", "/api/v1/webhooks/other", 404),
        ("GET", "/api/v1/webhooks/whatsapp/", 404),
        ("PUT", WEBHOOK_PATH, 405),
        ("DELETE", WEBHOOK_PATH, 405),
        ("POST", "/api/v1/health", 405),
    ]:
        r = await http.request(method, path)
        assert r.status_code == code, (method, path)
        assert r.content == b"", (method, path)


async def test_redelivery_is_stored_once(
    http: httpx.AsyncClient, engine: Engine, recorder: Recorder
) -> None:
    body = f.encode(f.text_message("twice"))
    for _ in range(3):
        assert (await post(http, body)).status_code == 200
    assert engine.ingest is not None
    await engine.ingest.wait_idle()
    assert len(recorder.of(MessageAdded)) == 1
    counts = await engine.store.read(repo.counts)
    assert counts["messages"] == 1
    assert counts["raw_events_applied"] == 3


async def test_unknown_number_is_stored_and_flagged(
    http: httpx.AsyncClient, engine: Engine, recorder: Recorder
) -> None:
    mid = f.wamid()
    r = await post(http, f.encode(f.text_message(message_id=mid, pnid="999999999999")))
    assert r.status_code == 200
    assert engine.ingest is not None
    await engine.ingest.wait_idle()
    assert await engine.store.read(partial(repo.get_message_by_wamid, wamid=mid)) is None
    assert recorder.of(RawEventProcessed)[-1].result is ProcessingResult.UNKNOWN_NUMBER


async def test_statuses_move_forward_only(
    http: httpx.AsyncClient, engine: Engine, recorder: Recorder
) -> None:
    # an outbound message the outbox would have created
    from wadesk.core.enums import MessageType

    number = (await engine.list_numbers())[0]
    msg, _, _ = await engine.store.write(
        partial(
            repo.insert_outbound,
            number_id=number.id,
            to_wa_id="16505551234",
            type=MessageType.TEXT,
            text="Your appointment is at 5",
            payload={},
            origin="user",
        )
    )
    wid = f.wamid()
    # 'read' arrives before the send call returned the wamid: kept pending
    assert (await post(http, f.encode(f.status(wid, "read")))).status_code == 200
    assert engine.ingest is not None
    await engine.ingest.wait_idle()
    await engine.store.write(partial(repo.set_sent, message_id=msg.id, wamid=wid, at=msg.timestamp))
    for state in ("delivered", "sent", "failed"):
        assert (await post(http, f.encode(f.status(wid, state)))).status_code == 200
    await engine.ingest.wait_idle()
    final = await engine.store.read(partial(repo.get_message_by_wamid, wamid=wid))
    assert final is not None and final.status is MessageStatus.READ


async def test_health_reports_counts(http: httpx.AsyncClient, engine: Engine) -> None:
    await post(http, f.encode(f.text_message()))
    assert engine.ingest is not None
    await engine.ingest.wait_idle()
    r = await http.get("/api/v1/health")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "ok"
    assert data["version"]
    assert data["last_event_at"]
    assert data["counts"]["messages"] == 1
    assert data["uptime_seconds"] >= 0


async def test_bodies_up_to_the_limit_are_accepted(http: httpx.AsyncClient, engine: Engine) -> None:
    """3 MB is the limit, not the low-level aiohttp server's default of 1 MB."""
    body = f.encode(f.text_message("big", message_id=f.wamid()))[:-1] + (
        b', "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    )
    r = await post(http, body)
    assert r.status_code == 200


async def test_expect_100_continue_gets_the_interim_answer(engine: Engine) -> None:
    """Clients that wait for `100 Continue` before a big body get it, then the real answer."""
    assert engine.server is not None
    body = f.encode(f.text_message("expect", message_id=f.wamid()))
    reader, writer = await asyncio.open_connection("127.0.0.1", engine.server.port)
    try:
        writer.write(
            (
                f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: localhost\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                f"X-Hub-Signature-256: {sign(body, f.APP_SECRET)}\r\n"
                "Expect: 100-continue\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert interim.startswith(b"HTTP/1.1 100 Continue")
        writer.write(body)
        await writer.drain()
        final = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
        assert final.startswith(b"HTTP/1.1 200")
    finally:
        writer.close()


async def test_head_requests_get_headers_only(http: httpx.AsyncClient) -> None:
    r = await http.head("/api/v1/health")
    assert r.status_code == 200 and r.content == b""
    r = await http.head("/api/v1/nothing")
    assert r.status_code == 404
