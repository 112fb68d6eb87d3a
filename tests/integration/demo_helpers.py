"""A started `DemoEngine` (engine + sandbox on loopback, tiny delays) for integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.integration.sandbox_helpers import fast_config
from wadesk.engine.config import Paths
from wadesk.engine.demo import DEMO_PHONE_NUMBER_ID, DEMO_WABA_ID, DemoRuntime, start_demo


async def demo(tmp_path: Path, *, greet: bool = False, **config: Any) -> DemoRuntime:
    data = tmp_path / "demo"
    return await start_demo(
        Paths(data, data / "logs"),
        port=0,
        sandbox_port=0,
        greet=greet,
        config=fast_config(phone_number_id=DEMO_PHONE_NUMBER_ID, waba_id=DEMO_WABA_ID, **config),
    )


async def until(predicate: Callable[[], Any], limit: float = 5.0) -> Any:
    """Poll an (a)sync predicate until it is truthy; returns its value."""
    async with asyncio.timeout(limit):
        while True:
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.02)
