"""The webhook server's HTTP/1.1 layer (`wadesk.engine.webhook_http`) over raw loopback
sockets: keep-alive, pipelining order, limits, malformed requests, timeouts, handler failures —
what a hand-written protocol must get right before it faces the internet through the tunnel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import partial

import pytest

from tests import factories as f
from wadesk.engine.cloudapi.signature import sign
from wadesk.engine.config import HEALTH_PATH, WEBHOOK_PATH
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.engine.webhook import WebhookServer
from wadesk.engine.webhook_http import MAX_HEAD, sweep

Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def post_bytes(body: bytes, *, extra: str = "", version: str = "1.1") -> bytes:
    head = (
        f"POST {WEBHOOK_PATH} HTTP/{version}\r\nHost: localhost\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"X-Hub-Signature-256: {sign(body, f.APP_SECRET)}\r\n{extra}\r\n"
    )
    return head.encode() + body


def message_body(text: str = "hi") -> bytes:
    return f.encode(f.text_message(text, message_id=f.wamid()))


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {
        k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)
    }
    length = int(headers.get("content-length", "0"))
    body = await asyncio.wait_for(reader.readexactly(length), 5) if length else b""
    return status, headers, body


@pytest.fixture
async def conn(engine: Engine) -> AsyncIterator[Conn]:
    assert engine.server is not None
    reader, writer = await asyncio.open_connection("127.0.0.1", engine.server.port)
    yield reader, writer
    writer.close()


async def test_keep_alive_serves_many_requests_on_one_connection(
    conn: Conn, engine: Engine
) -> None:
    reader, writer = conn
    for i in range(5):
        writer.write(post_bytes(message_body(f"keep {i}")))
        status, headers, _ = await read_response(reader)
        assert status == 200 and "connection" not in headers
    assert engine.ingest is not None
    await engine.ingest.wait_idle()
    counts = await engine.store.read(repo.counts)
    assert counts["messages"] == 5


async def test_pipelined_answers_keep_request_order(conn: Conn) -> None:
    """A POST (answered after its commit) then a 404 (answered at once) in one write: the 404
    must not overtake the 200."""
    reader, writer = conn
    writer.write(
        post_bytes(message_body("first"))
        + b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
        + f"GET {HEALTH_PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    )
    assert (await read_response(reader))[0] == 200
    assert (await read_response(reader))[0] == 404
    status, headers, body = await read_response(reader)
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert b'"status"' in body


async def test_chunked_body_is_accepted(conn: Conn) -> None:
    reader, writer = conn
    body = message_body("chunked")
    half = len(body) // 2
    chunks = b"".join(
        f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (body[:half], body[half:])
    )
    writer.write(
        (
            f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            f"X-Hub-Signature-256: {sign(body, f.APP_SECRET)}\r\n\r\n"
        ).encode()
        + chunks
        + b"0\r\n\r\n"
    )
    assert (await read_response(reader))[0] == 200


async def test_oversize_body_by_content_length_is_413_and_readable(conn: Conn) -> None:
    reader, writer = conn
    writer.write(
        f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: {4 * 1024 * 1024}\r\n\r\n".encode()
    )
    writer.write(b"x" * 256 * 1024)  # the client keeps sending: it still gets the 413
    await writer.drain()
    status, headers, _ = await read_response(reader)
    assert status == 413 and headers.get("connection") == "close"


async def test_oversize_chunked_body_is_413(conn: Conn) -> None:
    reader, writer = conn
    writer.write(
        f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    )
    chunk = b"y" * (1024 * 1024)
    for _ in range(4):
        writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    await writer.drain()
    assert (await read_response(reader))[0] == 413


async def test_malformed_request_is_400_and_closed(conn: Conn) -> None:
    reader, writer = conn
    writer.write(b"THIS IS NOT HTTP\r\n\r\n")
    status, headers, _ = await read_response(reader)
    assert status == 400 and headers.get("connection") == "close"
    assert await asyncio.wait_for(reader.read(), 5) == b""  # the server closed it


async def test_huge_headers_are_431(conn: Conn) -> None:
    reader, writer = conn
    writer.write(
        f"GET {HEALTH_PATH} HTTP/1.1\r\nHost: x\r\nX-Big: {'a' * (MAX_HEAD + 10)}\r\n\r\n".encode()
    )
    assert (await read_response(reader))[0] == 431


async def test_upgrade_requests_are_refused(conn: Conn) -> None:
    reader, writer = conn
    writer.write(
        f"GET {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
        "Upgrade: websocket\r\n\r\n".encode()
    )
    assert (await read_response(reader))[0] == 400


async def test_http_1_0_gets_its_answer_and_a_closed_connection(conn: Conn) -> None:
    reader, writer = conn
    writer.write(post_bytes(message_body("old client"), version="1.0"))
    status, headers, _ = await read_response(reader)
    assert status == 200 and headers.get("connection") == "close"
    assert await asyncio.wait_for(reader.read(), 5) == b""


async def test_head_has_length_but_no_body(conn: Conn) -> None:
    reader, writer = conn
    writer.write(f"HEAD {HEALTH_PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: " in head
    writer.write(b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, _ = await read_response(reader)
    assert status == 404  # nothing of a body was left in between


async def test_a_client_that_leaves_before_the_answer_loses_nothing(engine: Engine) -> None:
    assert engine.server is not None and engine.ingest is not None
    mid = f.wamid()
    body = f.encode(f.text_message("left early", message_id=mid))
    _, writer = await asyncio.open_connection("127.0.0.1", engine.server.port)
    writer.write(post_bytes(body))
    await writer.drain()
    writer.close()  # gone before the commit
    for _ in range(100):
        await asyncio.sleep(0.02)
        if await engine.store.read(partial(repo.get_message_by_wamid, wamid=mid)):
            break
    await engine.ingest.wait_idle()
    assert await engine.store.read(partial(repo.get_message_by_wamid, wamid=mid)) is not None


async def test_stalled_and_idle_connections_are_swept(engine: Engine, conn: Conn) -> None:
    assert engine.server is not None
    reader, writer = conn
    writer.write(f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".encode())
    await writer.drain()
    await asyncio.sleep(0.1)
    connections = engine.server._connections
    assert len(connections) == 1
    assert sweep(connections, request_timeout=60, keepalive_timeout=60) == 0
    assert sweep(connections, request_timeout=0, keepalive_timeout=60) == 1  # half a request
    assert await asyncio.wait_for(reader.read(), 5) == b""
    # an idle keep-alive connection goes after its timeout, a busy one stays
    r2, w2 = await asyncio.open_connection("127.0.0.1", engine.server.port)
    w2.write(f"GET {HEALTH_PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert (await read_response(r2))[0] == 200
    assert sweep(connections, request_timeout=60, keepalive_timeout=60) == 0
    assert sweep(connections, request_timeout=60, keepalive_timeout=0) == 1
    assert await asyncio.wait_for(r2.read(), 5) == b""
    w2.close()


class _Broken:
    """A receiver whose ack path fails (a bug, or the store refusing the write)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def receive_nowait(self, body: bytes, signature: str | None) -> int | asyncio.Future[int]:
        if self.mode == "raise":
            raise RuntimeError("handler bug")
        fut: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        fut.set_exception(OSError("disk full"))
        return fut


@pytest.mark.parametrize("mode", ["raise", "future"])
async def test_handler_failures_are_a_bare_500(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    server = WebhookServer(_Broken(mode), verify_token=lambda: "t", health=health, port=0)
    await server.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(post_bytes(b"{}"))
        status, _, body = await read_response(reader)
        assert status == 500 and body == b""
        # the connection still works
        writer.write(f"GET {HEALTH_PATH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert (await read_response(reader))[0] == 200
        writer.close()
    finally:
        await server.stop()
    assert "Webhook handler failed on POST" in caplog.text
