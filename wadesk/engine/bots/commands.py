"""Commands behind the flow list and the Bots page: flow CRUD, drafts, import/export,
publish (validation first: errors block, warnings are returned), revisions and roll back,
bot CRUD, activation (refused while the published revision has errors), stats and traces.

`BotCommands` runs everything through the store's writer/reader threads and file I/O through
`blocking`; it never touches the event loop with blocking work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection

from wadesk.core.events import BotTraceEntry
from wadesk.engine.bots import store as bs
from wadesk.engine.bots.models import (
    Bot,
    BotError,
    BotSettings,
    BotStats,
    FlowInfo,
    FlowRevision,
)
from wadesk.engine.store import NotFoundError, Store, repo
from wadesk.flow import Flow, FlowFormatError, Problem, Registry, dumps, loads, validate

T = TypeVar("T")
Blocking = Callable[..., Awaitable[Any]]


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


class BotCommands:
    """Flow and bot management on one store (the Engine exposes it as `engine.bots`)."""

    def __init__(
        self,
        store: Store,
        registry: Registry,
        blocking: Blocking,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = store
        self.registry = registry
        self._blocking = blocking
        self._clock = clock or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._clock()

    # -- flows ---------------------------------------------------------------------------------

    async def flows(self) -> list[FlowInfo]:
        return await self._store.read(bs.list_flows)

    async def flow_info(self, flow_id: int) -> FlowInfo:
        return await self._store.read(partial(bs.get_flow, flow_id=flow_id))

    async def create_flow(self, name: str, flow: Flow | None = None) -> FlowInfo:
        return await self._store.write(
            partial(bs.insert_flow, name=name, flow=flow, now=self.now())
        )

    async def rename_flow(self, flow_id: int, name: str) -> FlowInfo:
        return await self._store.write(
            partial(bs.rename_flow, flow_id=flow_id, name=name, now=self.now())
        )

    async def duplicate_flow(self, flow_id: int, name: str | None = None) -> FlowInfo:
        def run(conn: Connection) -> FlowInfo:
            info = bs.get_flow(conn, flow_id)
            draft = bs.load_draft(conn, flow_id)
            return bs.insert_flow(conn, name or f"{info.name} (copy)", draft, self.now())

        return await self._store.write(run)

    async def delete_flow(self, flow_id: int) -> None:
        await self._store.write(partial(bs.delete_flow, flow_id=flow_id))

    async def draft(self, flow_id: int) -> Flow:
        """The flow's draft (what the editor edits)."""
        return await self._store.read(partial(bs.load_draft, flow_id=flow_id))

    async def save_draft(self, flow_id: int, flow: Flow) -> FlowInfo:
        return await self._store.write(
            partial(bs.save_draft, flow_id=flow_id, flow=flow, now=self.now())
        )

    async def validate_draft(self, flow_id: int) -> list[Problem]:
        return validate(await self.draft(flow_id), self.registry)

    async def export_flow(self, flow_id: int, path: Path) -> None:
        """Write the draft as a `.json` flow document."""
        text = dumps(await self.draft(flow_id))
        await self._blocking(_write_text, Path(path), text)

    async def import_flow(self, path: Path, name: str | None = None) -> FlowInfo:
        """Create a flow from a `.json` document (any known schema version; format checked)."""
        try:
            text = await self._blocking(_read_text, Path(path))
        except (OSError, UnicodeDecodeError) as exc:
            raise BotError(f"Could not read {Path(path).name}: {exc}") from None
        try:
            flow = loads(text)
        except FlowFormatError as exc:
            raise BotError(f"{Path(path).name} is not a wadesk flow: {exc}") from None
        return await self.create_flow(name or flow.name or Path(path).stem, flow)

    # -- publishing ----------------------------------------------------------------------------

    async def publish(
        self, flow_id: int, note: str | None = None
    ) -> tuple[FlowRevision, list[Problem]]:
        """Validate the draft (a jump to a flow that no longer exists is an error); with errors
        raise `BotError(problems)`, else store it as the next revision (the flow's bots switch
        to it) and return it with the warnings."""

        def run(conn: Connection) -> tuple[FlowRevision, list[Problem]]:
            draft = bs.load_draft(conn, flow_id)
            flows = {str(info.id) for info in bs.list_flows(conn)}
            problems = validate(draft, self.registry, flows=flows)
            errors = errors_of(problems)
            if errors:
                raise BotError(
                    f"The flow has {len(errors)} problem(s) to fix before publishing.", errors
                )
            return bs.insert_revision(conn, flow_id, draft, note, self.now()), problems

        return await self._store.write(run)

    async def revisions(self, flow_id: int) -> list[FlowRevision]:
        return await self._store.read(partial(bs.list_revisions, flow_id=flow_id))

    async def revision(self, revision_id: int) -> tuple[FlowRevision, Flow]:
        return await self._store.read(partial(bs.get_revision, revision_id=revision_id))

    async def rollback(self, flow_id: int, revision_id: int) -> FlowInfo:
        """Replace the draft with a published revision (publish again to make it live)."""

        def run(conn: Connection) -> FlowInfo:
            rev, flow = bs.get_revision(conn, revision_id)
            if rev.flow_id != flow_id:
                raise BotError(f"Revision #{revision_id} belongs to another flow.")
            return bs.save_draft(conn, flow_id, flow, self.now())

        return await self._store.write(run)

    # -- bots ------------------------------------------------------------------------------------

    async def bots(self, number_id: int | None = None) -> list[Bot]:
        return await self._store.read(partial(bs.list_bots, number_id=number_id))

    async def bot(self, bot_id: int) -> Bot:
        return await self._store.read(partial(bs.get_bot, bot_id=bot_id))

    async def create_bot(
        self,
        name: str,
        *,
        number_id: int,
        flow_id: int,
        priority: int = 0,
        settings: BotSettings | None = None,
    ) -> Bot:
        def run(conn: Connection) -> Bot:
            repo.get_number(conn, number_id)
            return bs.insert_bot(
                conn,
                name=name,
                number_id=number_id,
                flow_id=flow_id,
                priority=priority,
                settings=settings or BotSettings(),
                now=self.now(),
            )

        return await self._store.write(run)

    async def update_bot(self, bot_id: int, **values: Any) -> Bot:
        """Change `name`, `flow_id`, `number_id`, `priority` or `settings` (BotSettings)."""
        unknown = set(values) - {"name", "flow_id", "number_id", "priority", "settings"}
        if unknown:
            raise BotError(f"Unknown bot field(s): {', '.join(sorted(unknown))}")

        def run(conn: Connection) -> Bot:
            bot = bs.get_bot(conn, bot_id)
            if "number_id" in values:
                try:
                    repo.get_number(conn, int(values["number_id"]))
                except NotFoundError:
                    raise BotError(f"There is no number #{values['number_id']}.") from None
            flow_id = values.get("flow_id")
            if bot.active and flow_id is not None and int(flow_id) != bot.flow_id:
                self._check_runnable(conn, int(flow_id))
            return bs.update_bot(conn, bot_id, **values)

        return await self._store.write(run)

    def _check_runnable(self, conn: Connection, flow_id: int) -> None:
        """Refuse (BotError) to put an active bot on a flow that is unpublished or broken."""
        revision_id = bs.flow_revision_by_doc_id(conn, str(flow_id))
        if revision_id is None:
            raise BotError(
                "This bot is on: publish the new flow (or switch the bot off) before moving the "
                "bot to it."
            )
        _rev, flow = bs.get_revision(conn, revision_id)
        errors = errors_of(validate(flow, self.registry))
        if errors:
            raise BotError(
                f"This bot is on and the new flow's published revision has {len(errors)} "
                "problem(s).",
                errors,
            )

    async def delete_bot(self, bot_id: int) -> None:
        await self._store.write(partial(bs.delete_bot, bot_id=bot_id))

    async def set_bot_active(self, bot_id: int, active: bool) -> Bot:
        """Switch a bot on or off. Switching on is refused (`BotError` with the problems) when
        its flow was never published or its published revision has validation errors."""

        def run(conn: Connection) -> Bot:
            bot = bs.get_bot(conn, bot_id)
            if active:
                if bot.published_revision_id is None:
                    raise BotError("Publish the bot's flow before switching the bot on.")
                _rev, flow = bs.get_revision(conn, bot.published_revision_id)
                errors = errors_of(validate(flow, self.registry))
                if errors:
                    raise BotError(
                        f"The published flow has {len(errors)} problem(s); fix and publish it "
                        "again before switching the bot on.",
                        errors,
                    )
            return bs.update_bot(conn, bot_id, active=active)

        return await self._store.write(run)

    async def bot_stats(self, bot_id: int) -> BotStats:
        local_midnight = (
            datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        )
        return await self._store.read(partial(bs.bot_stats, bot_id=bot_id, since=local_midnight))

    async def traces(
        self,
        *,
        conversation_id: int | None = None,
        bot_id: int | None = None,
        before_id: int | None = None,
        limit: int = 200,
    ) -> list[BotTraceEntry]:
        return await self._store.read(
            partial(
                bs.list_traces,
                conversation_id=conversation_id,
                bot_id=bot_id,
                before_id=before_id,
                limit=limit,
            )
        )
