"""The bot commands with a cache of each number's active bots, for the runtime's hot path.

`CachingBotCommands.active_bots(number_id)` answers from memory: the entry is dropped by every
command that changes which bots run what (bot create/update/delete/activate, publish, roll
back, flow delete) and is re-read after `ACTIVE_BOTS_TTL` seconds, which bounds how late a
change made by another process (the CLI on the same database) is seen. A read that raced with
a command is not cached (generation check).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from wadesk.engine.bots import store as bs
from wadesk.engine.bots.commands import Blocking, BotCommands
from wadesk.engine.bots.models import Bot, BotSettings, FlowInfo, FlowRevision
from wadesk.engine.store import Store
from wadesk.flow import Problem, Registry

ACTIVE_BOTS_TTL = 1.0
"""Seconds a number's cached list of active bots is trusted."""


class CachingBotCommands(BotCommands):
    """`BotCommands` plus `active_bots` (cached) and `bots_changed`."""

    def __init__(
        self,
        store: Store,
        registry: Registry,
        blocking: Blocking,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(store, registry, blocking, clock)
        self._active_bots: dict[int, tuple[float, list[Bot]]] = {}
        """number id -> (monotonic time read, the number's active bots)"""
        self._bots_generation = 0

    def _cached_bots(self, number_id: int) -> list[Bot] | None:
        """The number's active bots if the cache has them fresh, else None."""
        cached = self._active_bots.get(number_id)
        if cached is None or time.monotonic() - cached[0] > ACTIVE_BOTS_TTL:
            return None
        return cached[1]

    async def active_bots(self, number_id: int) -> list[Bot]:
        """The number's active bots, by priority (cached, see ACTIVE_BOTS_TTL)."""
        cached = self._cached_bots(number_id)
        if cached is not None:
            return cached
        generation, read_at = self._bots_generation, time.monotonic()
        bots = await self._store.read(partial(bs.list_bots, number_id=number_id, active_only=True))
        if generation == self._bots_generation:  # no command changed bots meanwhile
            self._active_bots[number_id] = (read_at, bots)
        return bots

    def bots_changed(self) -> None:
        """Drop the cached active bots (a bot or a published flow changed)."""
        self._bots_generation += 1
        self._active_bots.clear()

    # -- commands that change which bots run what (they drop the cache) -----------------------

    async def publish(
        self, flow_id: int, note: str | None = None
    ) -> tuple[FlowRevision, list[Problem]]:
        try:
            return await super().publish(flow_id, note)
        finally:
            self.bots_changed()

    async def delete_flow(self, flow_id: int) -> None:
        try:
            await super().delete_flow(flow_id)
        finally:
            self.bots_changed()

    async def rollback(self, flow_id: int, revision_id: int) -> FlowInfo:
        try:
            return await super().rollback(flow_id, revision_id)
        finally:
            self.bots_changed()

    async def create_bot(
        self,
        name: str,
        *,
        number_id: int,
        flow_id: int,
        priority: int = 0,
        settings: BotSettings | None = None,
    ) -> Bot:
        try:
            return await super().create_bot(
                name, number_id=number_id, flow_id=flow_id, priority=priority, settings=settings
            )
        finally:
            self.bots_changed()

    async def update_bot(self, bot_id: int, **values: Any) -> Bot:
        try:
            return await super().update_bot(bot_id, **values)
        finally:
            self.bots_changed()

    async def delete_bot(self, bot_id: int) -> None:
        try:
            await super().delete_bot(bot_id)
        finally:
            self.bots_changed()

    async def set_bot_active(self, bot_id: int, active: bool) -> Bot:
        try:
            return await super().set_bot_active(bot_id, active)
        finally:
            self.bots_changed()
