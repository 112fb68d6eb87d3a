"""Property test over real loopback HTTP: random and mutated webhook bodies, correctly signed,
never make the server answer 5xx, never raise out of ingest, and every acknowledged body is
either applied or recorded with a reason."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories as f
from tests.integration.conftest import make_engine
from tests.keyrings import MemoryKeyring
from tests.unit.test_parser_fuzz import CORPUS, NAMES, json_values, paths
from wadesk.engine.cloudapi.signature import sign
from wadesk.engine.config import WEBHOOK_PATH
from wadesk.engine.secrets import SecretKind
from wadesk.engine.service import Engine
from wadesk.engine.store import repo


class LiveEngine:
    """An Engine serving on its own event loop thread, for synchronous hypothesis tests."""

    def __init__(self, data_dir: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.engine: Engine = self.call(self._start(data_dir))
        assert self.engine.server is not None
        self.url = f"http://127.0.0.1:{self.engine.server.port}{WEBHOOK_PATH}"
        self.errors: list[BaseException] = []
        self.loop.set_exception_handler(
            lambda _loop, ctx: self.errors.append(
                ctx.get("exception") or RuntimeError(ctx["message"])
            )
        )

    def call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    async def _start(self, data_dir: Path) -> Engine:
        engine = make_engine(data_dir)
        engine.secrets.set(SecretKind.VERIFY_TOKEN, "", f.VERIFY_TOKEN)
        await engine.start()
        await f.add_salon_number(engine)
        return engine

    def close(self) -> None:
        self.call(self.engine.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveEngine]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # module-scoped: the per-test keyring comes later
    try:
        engine = LiveEngine(tmp_path_factory.mktemp("fuzz") / "data")
        yield engine
        engine.close()
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30) as c:
        yield c


def post_signed(live: LiveEngine, client: httpx.Client, body: bytes) -> int:
    r = client.post(
        live.url, content=body, headers={"X-Hub-Signature-256": sign(body, f.APP_SECRET)}
    )
    return r.status_code


SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(value=json_values)
def test_random_json_never_5xx(live: LiveEngine, client: httpx.Client, value: Any) -> None:
    body = json.dumps(value).encode()
    assert post_signed(live, client, body) in (200, 400)


@SETTINGS
@given(body=st.binary(max_size=300))
def test_random_bytes_never_5xx(live: LiveEngine, client: httpx.Client, body: bytes) -> None:
    assert post_signed(live, client, body) in (200, 400)


@SETTINGS
@given(name=st.sampled_from(NAMES), data=st.data())
def test_mutated_corpus_never_5xx(
    live: LiveEngine, client: httpx.Client, name: str, data: st.DataObject
) -> None:
    try:
        root = json.loads(CORPUS[name])
    except ValueError:
        root = {"entry": []}
    spots = paths(root)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        if not spots:
            break
        path = data.draw(st.sampled_from(spots))
        node: Any = root
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = data.draw(json_values)
        spots = paths(root)
    assert post_signed(live, client, json.dumps(root).encode()) in (200, 400)


def test_everything_acknowledged_was_accounted_for(live: LiveEngine) -> None:
    """Runs after the property tests (file order): nothing pending, nothing lost, no loop
    errors."""

    async def settle() -> dict[str, int]:
        assert live.engine.ingest is not None
        await live.engine.ingest.wait_idle()
        return await live.engine.store.read(repo.counts)

    counts = live.call(settle())
    assert counts["raw_events"] > 100
    assert counts["raw_events_pending"] == 0
    assert not live.errors, live.errors
