"""CloudApiClient against respx (request shapes) and real loopback servers (network errors)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from aiohttp import web

from wadesk.core.errors import (
    NETWORK_UNREACHABLE,
    TIMEOUT_AFTER_SEND,
    ErrorCategory,
    GraphError,
    LocalError,
    NetworkError,
)
from wadesk.core.outgoing import LimitError, ListSection, TemplateButton, media_param
from wadesk.engine.cloudapi.client import CloudApiClient

TOKEN = "EAAGtesttoken0123456789abcdefSECRET"
BASE = "https://graph.test"
API = f"{BASE}/v23.0"
TO = "16505551234"
SEND_OK = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": TO, "wa_id": TO}],
    "messages": [{"id": "wamid.OUT1", "message_status": "accepted"}],
}


@pytest.fixture
async def client() -> AsyncIterator[CloudApiClient]:
    c = CloudApiClient(phone_number_id="PNID", access_token=TOKEN, waba_id="WABA", base_url=BASE)
    yield c
    await c.aclose()


def sent_json(route: respx.Route) -> Any:
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    return json.loads(request.content)


ENVELOPE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO}


async def test_send_text_request_and_result(client: CloudApiClient) -> None:
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(f"{API}/PNID/messages").respond(200, json=SEND_OK)
        result = await client.send_text(TO, "Hello", preview_url=True, reply_to="wamid.IN")
    assert route.calls.last.request.method == "POST"
    assert str(route.calls.last.request.url) == f"{API}/PNID/messages"
    assert sent_json(route) == {
        **ENVELOPE,
        "type": "text",
        "context": {"message_id": "wamid.IN"},
        "text": {"body": "Hello", "preview_url": True},
    }
    assert result.wamid == "wamid.OUT1"
    assert result.wa_id == TO
    assert result.message_status == "accepted"


SEND_CASES: dict[str, tuple[Any, dict[str, Any]]] = {
    "image": (
        lambda c: c.send_media(TO, "image", media_id="M1", caption="cap"),
        {"type": "image", "image": {"id": "M1", "caption": "cap"}},
    ),
    "document": (
        lambda c: c.send_media(TO, "document", link="https://e.com/a.pdf", filename="a.pdf"),
        {"type": "document", "document": {"link": "https://e.com/a.pdf", "filename": "a.pdf"}},
    ),
    "voice": (
        lambda c: c.send_media(TO, "audio", media_id="A1", voice=True),
        {"type": "audio", "audio": {"id": "A1", "voice": True}},
    ),
    "sticker": (
        lambda c: c.send_media(TO, "sticker", media_id="S1"),
        {"type": "sticker", "sticker": {"id": "S1"}},
    ),
    "video": (
        lambda c: c.send_media(TO, "video", media_id="V1"),
        {"type": "video", "video": {"id": "V1"}},
    ),
    "location": (
        lambda c: c.send_location(TO, 37.48, -122.14, name="HQ"),
        {"type": "location", "location": {"latitude": 37.48, "longitude": -122.14, "name": "HQ"}},
    ),
    "contacts": (
        lambda c: c.send_contacts(TO, [{"name": {"formatted_name": "Jane"}}]),
        {"type": "contacts", "contacts": [{"name": {"formatted_name": "Jane"}}]},
    ),
    "buttons": (
        lambda c: c.send_reply_buttons(TO, "Pick", [("y", "Yes")], footer="f"),
        {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": "Pick"},
                "footer": {"text": "f"},
                "action": {"buttons": [{"type": "reply", "reply": {"id": "y", "title": "Yes"}}]},
            },
        },
    ),
    "list": (
        lambda c: c.send_list(TO, "Menu", "Open", [ListSection("S", [("r1", "Row")])]),
        {
            "type": "interactive",
            "interactive": {
                "type": "list",
                "body": {"text": "Menu"},
                "action": {
                    "button": "Open",
                    "sections": [{"title": "S", "rows": [{"id": "r1", "title": "Row"}]}],
                },
            },
        },
    ),
    "cta_url": (
        lambda c: c.send_cta_url(TO, "See", "Open", "https://e.com"),
        {
            "type": "interactive",
            "interactive": {
                "type": "cta_url",
                "body": {"text": "See"},
                "action": {
                    "name": "cta_url",
                    "parameters": {"display_text": "Open", "url": "https://e.com"},
                },
            },
        },
    ),
    "template": (
        lambda c: c.send_template(
            TO,
            "order_update",
            "en_US",
            header=media_param("image", "H1"),
            body_params=["Jessica"],
            button_params=[TemplateButton(0, "P")],
        ),
        {
            "type": "template",
            "template": {
                "name": "order_update",
                "language": {"code": "en_US"},
                "components": [
                    {"type": "header", "parameters": [{"type": "image", "image": {"id": "H1"}}]},
                    {"type": "body", "parameters": [{"type": "text", "text": "Jessica"}]},
                    {
                        "type": "button",
                        "sub_type": "quick_reply",
                        "index": "0",
                        "parameters": [{"type": "payload", "payload": "P"}],
                    },
                ],
            },
        },
    ),
    "reaction": (
        lambda c: c.send_reaction(TO, "wamid.IN", "👍"),
        {"type": "reaction", "reaction": {"message_id": "wamid.IN", "emoji": "👍"}},
    ),
}


async def test_send_kinds_post_documented_bodies(client: CloudApiClient) -> None:
    # One test over all kinds (per-test setup is the slow part of this suite).
    for kind, (call, expected) in SEND_CASES.items():
        with respx.mock(assert_all_called=True) as mock:
            route = mock.post(f"{API}/PNID/messages").respond(200, json=SEND_OK)
            result = await call(client)
        body = sent_json(route)
        assert set(body) == set(ENVELOPE) | set(expected), kind
        for key, value in {**ENVELOPE, **expected}.items():  # field by field
            assert body[key] == value, (kind, key)
        assert result.wamid == "wamid.OUT1", kind


async def test_limits_are_checked_before_any_request(client: CloudApiClient) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{API}/PNID/messages").respond(200, json=SEND_OK)
        with pytest.raises(LimitError, match="4096"):
            await client.send_text(TO, "x" * 5000)
        with pytest.raises(LimitError, match="3"):
            await client.send_reply_buttons(
                TO, "b", [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")]
            )
    assert not route.called


async def test_bsuid_send_result_has_user_id(client: CloudApiClient) -> None:
    answer = {
        "contacts": [{"input": "US.1349", "user_id": "US.1349"}],
        "messages": [{"id": "wamid.B"}],
    }
    with respx.mock() as mock:
        route = mock.post(f"{API}/PNID/messages").respond(200, json=answer)
        result = await client.send_text("US.1349", "hi")
    assert sent_json(route)["recipient"] == "US.1349"
    assert result.user_id == "US.1349" and result.wa_id is None


@pytest.mark.parametrize("typing", [False, True])
async def test_mark_read(client: CloudApiClient, typing: bool) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{API}/PNID/messages").respond(200, json={"success": True})
        await client.mark_read("wamid.IN", typing=typing)
    expected: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.IN",
    }
    if typing:
        expected["typing_indicator"] = {"type": "text"}
    assert sent_json(route) == expected


def parse_multipart(request: httpx.Request) -> dict[str, tuple[str | None, str, bytes]]:
    raw = (
        b"Content-Type: " + request.headers["Content-Type"].encode() + b"\r\n\r\n" + request.content
    )
    message = BytesParser(policy=HTTP).parsebytes(raw)
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        parts[str(name)] = (part.get_filename(), part.get_content_type(), payload)
    return parts


@pytest.mark.parametrize("from_path", [False, True])
async def test_upload_media_multipart(
    client: CloudApiClient, tmp_path: Path, from_path: bool
) -> None:
    data = bytes(range(256)) * 1000  # 256 000 bytes: several chunks
    source: Path | bytes = data
    if from_path:
        source = tmp_path / "photo.jpg"
        source.write_bytes(data)
    seen: list[tuple[int, int | None]] = []
    with respx.mock() as mock:
        route = mock.post(f"{API}/PNID/media").respond(200, json={"id": "1166846181421424"})
        media_id = await client.upload_media(
            source,
            "image/jpeg",
            None if from_path else "photo.jpg",
            progress=lambda d, t: seen.append((d, t)),
        )
    assert media_id == "1166846181421424"
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert int(request.headers["Content-Length"]) == len(request.content)
    parts = parse_multipart(request)
    assert parts["messaging_product"][2] == b"whatsapp"
    assert parts["type"][2] == b"image/jpeg"
    assert parts["file"][0] == "photo.jpg"
    assert parts["file"][1] == "image/jpeg"
    assert parts["file"][2] == data
    assert seen[-1] == (len(data), len(data))
    assert [d for d, _ in seen] == sorted(d for d, _ in seen) and len(seen) > 1


async def test_upload_over_real_loopback_parses_as_multipart(tmp_path: Path) -> None:
    got: dict[str, Any] = {}

    async def media(request: web.Request) -> web.Response:
        form = await request.post()
        upload = form["file"]
        assert isinstance(upload, web.FileField)
        got.update(
            auth=request.headers.get("Authorization"),
            product=form["messaging_product"],
            type=form["type"],
            filename=upload.filename,
            mime=upload.content_type,
            data=upload.file.read(),
        )
        return web.json_response({"id": "42"})

    app = web.Application()
    app.router.add_post("/v23.0/P/media", media)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    source = tmp_path / "отчёт.pdf"
    source.write_bytes(b"%PDF-1.4 " + b"x" * 100_000)
    try:
        async with CloudApiClient(
            phone_number_id="P", access_token=TOKEN, base_url=f"http://127.0.0.1:{port}"
        ) as c:
            assert await c.upload_media(source, "application/pdf") == "42"
    finally:
        await runner.cleanup()
    assert got["auth"] == f"Bearer {TOKEN}"
    assert got["product"] == "whatsapp" and got["type"] == "application/pdf"
    assert got["filename"] == "отчёт.pdf" and got["mime"] == "application/pdf"
    assert got["data"] == source.read_bytes()


async def test_upload_checks_type_and_size_first(client: CloudApiClient) -> None:
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{API}/PNID/media").respond(200, json={"id": "1"})
        with pytest.raises(LimitError, match="5 MB"):
            await client.upload_media(b"x" * (5 * 1024 * 1024 + 1), "image/png", "a.png")
        with pytest.raises(LimitError, match="not allowed"):
            await client.upload_media(b"x", "application/zip", "a.zip")
    assert not route.called


async def test_media_info_and_download_with_bearer(client: CloudApiClient, tmp_path: Path) -> None:
    payload = b"\x89PNG" + b"z" * 200_000
    info_json = {
        "messaging_product": "whatsapp",
        "url": "https://lookaside.test/whatsapp_business/attachments/?mid=1&hash=h",
        "mime_type": "image/png",
        "sha256": "abc",
        "file_size": str(len(payload)),
        "id": "MID",
    }
    seen: list[tuple[int, int | None]] = []
    with respx.mock(assert_all_called=True) as mock:
        info_route = mock.get(f"{API}/MID", params={"phone_number_id": "PNID"}).respond(
            200, json=info_json
        )
        file_route = mock.get(info_json["url"]).respond(
            200, content=payload, headers={"Content-Type": "image/png"}
        )
        info = await client.media_info("MID")
        result = await client.download(
            info.url, tmp_path / "f.bin", 10**6, lambda d, t: seen.append((d, t))
        )
    assert info_route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert info.mime_type == "image/png" and info.file_size == len(payload) and info.sha256 == "abc"
    assert file_route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert (tmp_path / "f.bin").read_bytes() == payload
    assert result.size == len(payload)
    assert result.content_type == "image/png"
    import hashlib

    assert result.sha256 == hashlib.sha256(payload).hexdigest()
    assert seen[-1] == (len(payload), len(payload))


async def test_download_too_big_removes_partial_file(
    client: CloudApiClient, tmp_path: Path
) -> None:
    dest = tmp_path / "big.bin"
    with respx.mock() as mock:
        mock.get("https://lookaside.test/big").respond(200, content=b"x" * 5000)
        with pytest.raises(LocalError) as info:
            await client.download("https://lookaside.test/big", dest, 1000)
    assert info.value.code == "MEDIA_TOO_LARGE"
    assert not dest.exists()


async def test_download_refuses_plain_http_elsewhere(
    client: CloudApiClient, tmp_path: Path
) -> None:
    with pytest.raises(LocalError):
        await client.download("http://evil.test/x", tmp_path / "x", 100)


async def test_http_400_becomes_graph_error(client: CloudApiClient) -> None:
    error = {
        "error": {
            "message": "(#131030) Recipient phone number not in allowed list",
            "type": "OAuthException",
            "code": 131030,
            "error_data": {"messaging_product": "whatsapp", "details": "Recipient not in list"},
            "fbtrace_id": "Ak6nxJSySLEJz32Ps-QiZ1t",
        }
    }
    with respx.mock() as mock:
        mock.post(f"{API}/PNID/messages").respond(400, json=error)
        with pytest.raises(GraphError) as info:
            await client.send_text(TO, "hi")
    err = info.value
    assert err.code == 131030 and err.http_status == 400
    assert err.details == "Recipient not in list"
    assert err.fbtrace_id == "Ak6nxJSySLEJz32Ps-QiZ1t"
    assert err.category is ErrorCategory.RECIPIENT


async def test_non_json_error_body(client: CloudApiClient) -> None:
    with respx.mock() as mock:
        mock.post(f"{API}/PNID/messages").respond(502, text="<html>Bad gateway</html>")
        with pytest.raises(GraphError) as info:
            await client.send_text(TO, "hi")
    assert info.value.http_status == 502
    assert info.value.retryable
    assert "502" in info.value.explain()


async def test_ok_response_without_wamid_is_bad_response(client: CloudApiClient) -> None:
    with respx.mock() as mock:
        mock.post(f"{API}/PNID/messages").respond(200, json={"messages": []})
        with pytest.raises(LocalError) as info:
            await client.send_text(TO, "hi")
    assert info.value.code == "BAD_RESPONSE"


NETWORK_CASES: list[tuple[Exception, bool]] = [
    (httpx.ConnectError("refused"), False),
    (httpx.ConnectTimeout("slow connect"), False),
    (httpx.PoolTimeout("pool"), False),
    (httpx.ReadTimeout("no answer"), True),
    (httpx.WriteTimeout("stuck"), True),
    (httpx.RemoteProtocolError("server hung up"), True),
]


async def test_network_error_classification(client: CloudApiClient) -> None:
    for exc, reached in NETWORK_CASES:
        with respx.mock() as mock:
            mock.post(f"{API}/PNID/messages").mock(side_effect=exc)
            with pytest.raises(NetworkError) as info:
                await client.send_text(TO, "hi")
        err = info.value
        name = type(exc).__name__
        assert err.reached_server is reached, name
        assert err.retryable is (not reached), name
        assert err.code == (TIMEOUT_AFTER_SEND if reached else NETWORK_UNREACHABLE), name
        assert err.__cause__ is None
        assert name in str(err)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_real_connection_refused_is_not_sent() -> None:
    base = f"http://127.0.0.1:{free_port()}"
    async with CloudApiClient(phone_number_id="P", access_token=TOKEN, base_url=base) as c:
        with pytest.raises(NetworkError) as info:
            await c.send_text(TO, "hi")
    assert info.value.reached_server is False
    assert TOKEN not in str(info.value)


async def test_real_read_timeout_may_have_been_sent() -> None:
    received = asyncio.Event()
    release = asyncio.Event()

    async def slow(request: web.Request) -> web.Response:
        await request.read()
        received.set()
        await asyncio.wait_for(release.wait(), 5)
        return web.json_response(SEND_OK)

    app = web.Application()
    app.router.add_post("/v23.0/P/messages", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        async with CloudApiClient(
            phone_number_id="P",
            access_token=TOKEN,
            base_url=f"http://127.0.0.1:{port}",
            timeout=0.2,
        ) as c:
            with pytest.raises(NetworkError) as info:
                await c.send_text(TO, "hi")
    finally:
        release.set()
        await runner.cleanup()
    assert received.is_set()
    assert info.value.reached_server is True
    assert info.value.code == TIMEOUT_AFTER_SEND


async def test_token_never_leaks(client: CloudApiClient) -> None:
    assert TOKEN not in repr(client)
    assert TOKEN not in str(client)
    echo = {
        "error": {
            "code": 190,
            "message": f"Invalid OAuth access token {TOKEN}",
            "error_data": TOKEN,
        }
    }
    with respx.mock() as mock:
        mock.post(f"{API}/PNID/messages").respond(401, json=echo)
        mock.get(f"{API}/PNID").mock(side_effect=httpx.ConnectError(f"failed for {TOKEN}"))
        with pytest.raises(GraphError) as graph:
            await client.send_text(TO, "hi")
        with pytest.raises(NetworkError) as network:
            await client.phone_number_info()
    for err in (graph.value, network.value):
        for text in (str(err), repr(err), err.explain("en"), err.explain("ru"), str(err.args)):
            assert TOKEN not in text
    assert graph.value.message is not None and "[redacted]" in graph.value.message


def test_constructor_rejects_empty_values() -> None:
    with pytest.raises(ValueError, match="access_token"):
        CloudApiClient(phone_number_id="P", access_token=" ")
    with pytest.raises(ValueError, match="phone_number_id"):
        CloudApiClient(phone_number_id="", access_token=TOKEN)
