"""MediaStore against a real loopback aiohttp server standing in for the Graph API."""

from __future__ import annotations

import base64
import hashlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from wadesk.core.errors import (
    MEDIA_CHECKSUM_MISMATCH,
    MEDIA_TOO_LARGE,
    MEDIA_TYPE_NOT_ALLOWED,
    LocalError,
)
from wadesk.engine.cloudapi.client import CloudApiClient
from wadesk.engine.media import MediaStore, normalize_sha256

TOKEN = "EAAGmediatesttoken0123456789"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 600  # ~150 KB


@dataclass
class FakeGraph:
    """Media ids → (info JSON, bytes); counts file downloads; requires the bearer token."""

    base: str = ""
    media: dict[str, tuple[dict[str, Any], bytes]] = field(default_factory=dict)
    file_hits: int = 0

    def add(self, media_id: str, data: bytes, mime: str, **info: Any) -> None:
        body = {
            "messaging_product": "whatsapp",
            "url": f"{self.base}/files/{media_id}",
            "mime_type": mime,
            "sha256": hashlib.sha256(data).hexdigest(),
            "file_size": len(data),
            "id": media_id,
        }
        body.update(info)
        self.media[media_id] = ({k: v for k, v in body.items() if v is not None}, data)

    async def info(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"error": {"code": 190, "message": "no token"}}, status=401)
        entry = self.media.get(request.match_info["media_id"])
        if entry is None:
            return web.json_response({"error": {"code": 100, "message": "no such"}}, status=404)
        return web.json_response(entry[0])

    async def file(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.Response(status=401)
        self.file_hits += 1
        data = self.media[request.match_info["media_id"]][1]
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        await response.prepare(request)
        for start in range(0, len(data), 50_000):
            await response.write(data[start : start + 50_000])
        await response.write_eof()
        return response


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    app = web.Application()
    app.router.add_get("/v23.0/{media_id}", fake.info)
    app.router.add_get("/files/{media_id}", fake.file)
    runner = web.AppRunner(app)
    await runner.setup()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    fake.base = f"http://127.0.0.1:{port}"
    yield fake
    await runner.cleanup()


@pytest.fixture
async def client(graph: FakeGraph) -> AsyncIterator[CloudApiClient]:
    async with CloudApiClient(phone_number_id="PNID", access_token=TOKEN, base_url=graph.base) as c:
        yield c


def store_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


async def test_save_download_content_addressed(
    graph: FakeGraph, client: CloudApiClient, tmp_path: Path
) -> None:
    graph.add("M1", JPEG, "image/jpeg")
    store = MediaStore(tmp_path / "media")
    seen: list[tuple[int, int | None]] = []
    stored = await store.save_download(client, "M1", "image", lambda d, t: seen.append((d, t)))
    digest = hashlib.sha256(JPEG).hexdigest()
    assert stored.sha256 == digest
    assert stored.path == tmp_path / "media" / digest[:2] / digest[2:]
    assert stored.path.read_bytes() == JPEG
    assert stored.mime == "image/jpeg" and stored.size == len(JPEG)
    assert store.exists(digest) and store.path_for(digest) == stored.path
    assert store_files(tmp_path / "media") == [stored.path]  # no temp files left behind
    assert len(seen) > 1 and seen[-1] == (len(JPEG), len(JPEG))
    assert all(t == len(JPEG) for _, t in seen)


async def test_same_bytes_are_stored_once(
    graph: FakeGraph, client: CloudApiClient, tmp_path: Path
) -> None:
    graph.add("A", JPEG, "image/jpeg")
    graph.add("B", JPEG, "image/jpeg")
    graph.add("C", JPEG, "image/jpeg", sha256=None)  # no sha from Meta: downloaded, deduped on move
    store = MediaStore(tmp_path)
    first = await store.save_download(client, "A")
    second = await store.save_download(client, "B")
    third = await store.save_download(client, "C")
    assert first.path == second.path == third.path
    assert graph.file_hits == 2  # B was known by its sha256 and not fetched again
    assert store_files(tmp_path) == [first.path]


async def test_base64_sha_from_webhooks_is_understood(
    graph: FakeGraph, client: CloudApiClient, tmp_path: Path
) -> None:
    b64 = base64.b64encode(hashlib.sha256(JPEG).digest()).decode()
    graph.add("M1", JPEG, "image/jpeg", sha256=b64)
    stored = await MediaStore(tmp_path).save_download(client, "M1")
    assert stored.sha256 == hashlib.sha256(JPEG).hexdigest()


async def test_sha_mismatch_is_rejected(
    graph: FakeGraph, client: CloudApiClient, tmp_path: Path
) -> None:
    graph.add("M1", JPEG, "image/jpeg", sha256="0" * 64)
    store = MediaStore(tmp_path)
    with pytest.raises(LocalError) as info:
        await store.save_download(client, "M1")
    assert info.value.code == MEDIA_CHECKSUM_MISMATCH
    assert store_files(tmp_path) == []


async def test_too_big_by_declared_size_is_rejected_before_download(
    graph: FakeGraph, client: CloudApiClient, tmp_path: Path
) -> None:
    graph.add("M1", JPEG, "image/jpeg", file_size=6 * 1024 * 1024)
    with pytest.raises(LocalError) as info:
        await MediaStore(tmp_path).save_download(client, "M1", expected_kind="image")
    assert info.value.code == MEDIA_TOO_LARGE
    assert graph.file_hits == 0


async def test_too_big_while_streaming_is_rejected(
    graph: FakeGraph, client: CloudApiClient, tmp_path: Path
) -> None:
    graph.add("M1", JPEG, "application/zip", file_size=None)
    store = MediaStore(tmp_path, max_size=100_000)
    with pytest.raises(LocalError) as info:
        await store.save_download(client, "M1")
    assert info.value.code == MEDIA_TOO_LARGE
    assert graph.file_hits == 1
    assert store_files(tmp_path) == []


async def test_wrong_mime_is_rejected(
    graph: FakeGraph, client: CloudApiClient, tmp_path: Path
) -> None:
    graph.add("M1", JPEG, "application/pdf")
    with pytest.raises(LocalError) as info:
        await MediaStore(tmp_path).save_download(client, "M1", expected_kind="image")
    assert info.value.code == MEDIA_TYPE_NOT_ALLOWED
    assert "тип" in info.value.explain("ru")
    assert graph.file_hits == 0
    # Without an expected kind any type is accepted (customers send all kinds of files).
    stored = await MediaStore(tmp_path).save_download(client, "M1")
    assert stored.mime == "application/pdf"


def test_path_for_and_sha_normalization(tmp_path: Path) -> None:
    store = MediaStore(tmp_path)
    digest = "AB" + "c" * 62
    assert store.path_for(digest) == tmp_path / "ab" / ("c" * 62)
    assert not store.exists(digest)
    for bad in ("", "xyz", "../" + "a" * 61, "a" * 63):
        with pytest.raises(ValueError, match="sha256"):
            store.path_for(bad)
    assert normalize_sha256(None) is None
    assert normalize_sha256("not base64!") is None
    assert normalize_sha256(base64.b64encode(b"short").decode()) is None
