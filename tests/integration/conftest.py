"""Fixtures for integration tests: a started Engine on a temp data dir with one number."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests import factories as f
from wadesk.core.events import EngineEvent
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.secrets import SecretKind, SecretStore
from wadesk.engine.service import Engine


class Recorder:
    def __init__(self) -> None:
        self.events: list[EngineEvent] = []

    def __call__(self, event: EngineEvent) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list:  # type: ignore[type-arg]
        return [e for e in self.events if isinstance(e, kind)]


def make_engine(data_dir: Path) -> Engine:
    redactor = SecretRedactor()
    settings = Settings(paths=Paths(data_dir, data_dir / "logs"), port=0)
    return Engine(settings, secrets=SecretStore(redactor), redactor=redactor)


@contextlib.asynccontextmanager
async def salon_engine(data_dir: Path) -> AsyncIterator[Engine]:
    """A started Engine on `data_dir` with the "Salon" number (tests.factories' ids)."""
    eng = make_engine(data_dir)
    eng.secrets.set(SecretKind.VERIFY_TOKEN, "", f.VERIFY_TOKEN)
    await eng.start()
    try:
        await f.add_salon_number(eng)
        yield eng
    finally:
        await eng.stop()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    async with salon_engine(tmp_path / "data") as eng:
        yield eng


@pytest.fixture
def recorder(engine: Engine) -> Recorder:
    rec = Recorder()
    engine.subscribe(rec)
    return rec


@pytest.fixture
async def http(engine: Engine) -> AsyncIterator[httpx.AsyncClient]:
    assert engine.server is not None
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{engine.server.port}") as client:
        yield client
