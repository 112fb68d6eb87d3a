"""`ClientPool`: one `CloudApiClient` per number, built from the keyring with the settings' Graph
base URL and version; a number without a token is a catalogue error; invalidate/aclose close."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import respx

from wadesk.core.error_catalogue import TOKEN_MISSING
from wadesk.engine.clients import ClientPool, MissingCredentials
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.secrets import SecretKind, SecretStore

SEND_OK = {"messaging_product": "whatsapp", "messages": [{"id": "wamid.X"}]}


async def blocking(fn: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(fn, *args)


def make_pool(tmp_path: Path, **settings: Any) -> tuple[ClientPool, SecretStore]:
    secrets = SecretStore(SecretRedactor(), environ={})
    paths = Paths(data_dir=tmp_path, log_dir=tmp_path / "logs")
    return ClientPool(Settings(paths=paths, **settings), secrets, blocking), secrets


async def test_one_client_per_number_with_its_own_token_and_the_settings_url(
    tmp_path: Path,
) -> None:
    pool, secrets = make_pool(tmp_path, graph_base_url="http://graph.test/", graph_version="v99.0")
    secrets.set(SecretKind.ACCESS_TOKEN, "111", "token-of-111")
    secrets.set(SecretKind.ACCESS_TOKEN, "222", "token-of-222")
    try:
        a = await pool.get("111", "WABA1")
        b = await pool.get("222")
        assert a is not b
        assert await pool.get("111") is a  # cached: the same AsyncClient is re-used
        many = await asyncio.gather(*(pool.get("222") for _ in range(5)))
        assert all(c is b for c in many)
        assert (a.base_url, a.version, a.waba_id) == ("http://graph.test", "v99.0", "WABA1")
        with respx.mock(assert_all_called=True) as mock:
            ra = mock.post("http://graph.test/v99.0/111/messages").respond(200, json=SEND_OK)
            rb = mock.post("http://graph.test/v99.0/222/messages").respond(200, json=SEND_OK)
            await a.send_text("16505551234", "hi")
            await b.send_text("16505551234", "hi")
        assert ra.calls.last.request.headers["Authorization"] == "Bearer token-of-111"
        assert rb.calls.last.request.headers["Authorization"] == "Bearer token-of-222"
        assert json.loads(ra.calls.last.request.content)["text"]["body"] == "hi"
    finally:
        await pool.aclose()
    assert a._http.is_closed and b._http.is_closed


async def test_default_settings_point_at_meta(tmp_path: Path) -> None:
    pool, secrets = make_pool(tmp_path)
    secrets.set(SecretKind.ACCESS_TOKEN, "111", "tok")
    client = await pool.get("111")
    assert client.base_url == "https://graph.facebook.com"
    assert client.version.startswith("v") and float(client.version[1:]) >= 23.0
    await pool.aclose()


async def test_a_number_without_a_token_is_explained(tmp_path: Path) -> None:
    pool, _ = make_pool(tmp_path)
    with pytest.raises(MissingCredentials) as info:
        await pool.get("333")
    err = info.value
    assert err.phone_number_id == "333"
    assert err.code == TOKEN_MISSING
    assert "access token" in err.explain("en")
    assert "токен" in err.explain("ru")


async def test_invalidate_closes_and_the_next_get_reads_the_new_token(tmp_path: Path) -> None:
    pool, secrets = make_pool(tmp_path, graph_base_url="http://graph.test")
    secrets.set(SecretKind.ACCESS_TOKEN, "111", "old-token")
    old = await pool.get("111")
    secrets.set(SecretKind.ACCESS_TOKEN, "111", "new-token")
    assert await pool.get("111") is old  # still cached until invalidated
    await pool.invalidate("111")
    assert old._http.is_closed
    new = await pool.get("111")
    assert new is not old
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post("http://graph.test/v23.0/111/messages").respond(200, json=SEND_OK)
        await new.send_text("16505551234", "hi")
    assert route.calls.last.request.headers["Authorization"] == "Bearer new-token"
    await pool.invalidate("unknown")  # nothing to close: no error
    await pool.aclose()
