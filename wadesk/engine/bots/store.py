"""Storage of flows, revisions, bots, sessions and traces: sync functions on a SQLAlchemy
`Connection` (run them through `Store.write` / `Store.read`). The tables are in
`wadesk.engine.store.tables` (migration 4). Return values are the dataclasses of `models`.

Flow documents are kept as the JSON of `wadesk.flow.serialize`; a flow's document id is the
string of its row id, and a revision's document carries its revision number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, select, update

from wadesk.core.enums import Direction
from wadesk.core.events import BotTraceEntry
from wadesk.engine.bots.models import (
    Bot,
    BotError,
    BotSettings,
    BotStats,
    FlowInfo,
    FlowRevision,
    SessionRecord,
)
from wadesk.engine.store.columns import dumps_json, loads_json
from wadesk.engine.store.convert import Row
from wadesk.engine.store.tables import (
    bot_session_t,
    bot_t,
    bot_trace_t,
    conversation_t,
    flow_revision_t,
    flow_t,
    message_t,
)
from wadesk.flow import Flow, Session, from_json, to_json

# -- flows ------------------------------------------------------------------------------------


def _flow_info(conn: Connection, row: Row) -> FlowInfo:
    last = (
        conn.execute(
            select(flow_revision_t.c.revision, flow_revision_t.c.published_at)
            .where(flow_revision_t.c.flow_id == row["id"])
            .order_by(flow_revision_t.c.revision.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return FlowInfo(
        id=int(row["id"]),
        name=str(row["name"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        latest_revision=int(last["revision"]) if last else None,
        published_at=last["published_at"] if last else None,
    )


def _flow_row(conn: Connection, flow_id: int) -> Row:
    row = conn.execute(select(flow_t).where(flow_t.c.id == flow_id)).mappings().first()
    if row is None:
        raise BotError(f"There is no flow #{flow_id}.")
    return row


def _doc_text(flow: Flow) -> str:
    return json.dumps(to_json(flow), ensure_ascii=False, separators=(",", ":"))


def insert_flow(conn: Connection, name: str, flow: Flow | None, now: datetime) -> FlowInfo:
    """Create a flow row; its draft is `flow` (renamed and re-identified) or a blank flow."""
    name = name.strip()
    if not name:
        raise BotError("Give the flow a name.")
    cursor = conn.execute(
        insert(flow_t).values(name=name, draft_json="{}", created_at=now, updated_at=now)
    )
    flow_id = int(cursor.lastrowid)
    draft = from_json(to_json(flow)) if flow is not None else Flow(str(flow_id))
    draft.id, draft.name, draft.revision = str(flow_id), name, 0
    conn.execute(update(flow_t).where(flow_t.c.id == flow_id).values(draft_json=_doc_text(draft)))
    return get_flow(conn, flow_id)


def get_flow(conn: Connection, flow_id: int) -> FlowInfo:
    return _flow_info(conn, _flow_row(conn, flow_id))


def list_flows(conn: Connection) -> list[FlowInfo]:
    rows = conn.execute(select(flow_t).order_by(flow_t.c.name, flow_t.c.id)).mappings().all()
    return [_flow_info(conn, row) for row in rows]


def load_draft(conn: Connection, flow_id: int) -> Flow:
    row = _flow_row(conn, flow_id)
    return from_json(json.loads(row["draft_json"]))


def save_draft(conn: Connection, flow_id: int, flow: Flow, now: datetime) -> FlowInfo:
    row = _flow_row(conn, flow_id)
    draft = from_json(to_json(flow))
    draft.id, draft.name = str(flow_id), str(row["name"])
    conn.execute(
        update(flow_t)
        .where(flow_t.c.id == flow_id)
        .values(draft_json=_doc_text(draft), updated_at=now)
    )
    return get_flow(conn, flow_id)


def rename_flow(conn: Connection, flow_id: int, name: str, now: datetime) -> FlowInfo:
    name = name.strip()
    if not name:
        raise BotError("Give the flow a name.")
    draft = load_draft(conn, flow_id)
    draft.name = name
    conn.execute(
        update(flow_t)
        .where(flow_t.c.id == flow_id)
        .values(name=name, draft_json=_doc_text(draft), updated_at=now)
    )
    return get_flow(conn, flow_id)


def delete_flow(conn: Connection, flow_id: int) -> None:
    """Delete a flow and its revisions; refused while a bot uses it."""
    _flow_row(conn, flow_id)
    users = conn.execute(select(bot_t.c.name).where(bot_t.c.flow_id == flow_id)).scalars().all()
    if users:
        raise BotError(
            f"The flow is used by bot(s) {', '.join(users)}; delete those bots or give them "
            "another flow first."
        )
    conn.execute(delete(flow_revision_t).where(flow_revision_t.c.flow_id == flow_id))
    conn.execute(delete(flow_t).where(flow_t.c.id == flow_id))


# -- revisions --------------------------------------------------------------------------------


def _revision(row: Row) -> FlowRevision:
    return FlowRevision(
        id=int(row["id"]),
        flow_id=int(row["flow_id"]),
        revision=int(row["revision"]),
        published_at=row["published_at"],
        note=row["note"],
    )


def insert_revision(
    conn: Connection, flow_id: int, flow: Flow, note: str | None, now: datetime
) -> FlowRevision:
    """Store `flow` as the next revision of `flow_id` and point that flow's bots at it."""
    last = conn.execute(
        select(func.max(flow_revision_t.c.revision)).where(flow_revision_t.c.flow_id == flow_id)
    ).scalar()
    number = int(last or 0) + 1
    doc = from_json(to_json(flow))
    doc.id, doc.revision = str(flow_id), number
    cursor = conn.execute(
        insert(flow_revision_t).values(
            flow_id=flow_id, revision=number, json=_doc_text(doc), published_at=now, note=note
        )
    )
    revision_id = int(cursor.lastrowid)
    conn.execute(
        update(bot_t).where(bot_t.c.flow_id == flow_id).values(published_revision_id=revision_id)
    )
    return get_revision(conn, revision_id)[0]


def get_revision(conn: Connection, revision_id: int) -> tuple[FlowRevision, Flow]:
    row = (
        conn.execute(select(flow_revision_t).where(flow_revision_t.c.id == revision_id))
        .mappings()
        .first()
    )
    if row is None:
        raise BotError(f"There is no flow revision #{revision_id}.")
    return _revision(row), from_json(json.loads(row["json"]))


def list_revisions(conn: Connection, flow_id: int) -> list[FlowRevision]:
    rows = conn.execute(
        select(flow_revision_t)
        .where(flow_revision_t.c.flow_id == flow_id)
        .order_by(flow_revision_t.c.revision.desc())
    ).mappings()
    return [_revision(row) for row in rows]


def flow_revision_by_doc_id(conn: Connection, flow_doc_id: str) -> int | None:
    """The latest revision id of the flow whose document id is `flow_doc_id` (jumps)."""
    if not flow_doc_id.isdigit():
        return None
    value = conn.execute(
        select(flow_revision_t.c.id)
        .where(flow_revision_t.c.flow_id == int(flow_doc_id))
        .order_by(flow_revision_t.c.revision.desc())
        .limit(1)
    ).scalar()
    return int(value) if value is not None else None


# -- bots -------------------------------------------------------------------------------------


def _bot_query() -> Any:
    return select(bot_t, flow_revision_t.c.revision.label("revision")).outerjoin(
        flow_revision_t, flow_revision_t.c.id == bot_t.c.published_revision_id
    )


def _bot(row: Row) -> Bot:
    return Bot(
        id=int(row["id"]),
        name=str(row["name"]),
        flow_id=int(row["flow_id"]),
        number_id=int(row["number_id"]),
        active=bool(row["active"]),
        priority=int(row["priority"]),
        published_revision_id=row["published_revision_id"],
        revision=row["revision"],
        settings=BotSettings.from_json(loads_json(row["settings_json"])),
        created_at=row["created_at"],
    )


def get_bot(conn: Connection, bot_id: int) -> Bot:
    row = conn.execute(_bot_query().where(bot_t.c.id == bot_id)).mappings().first()
    if row is None:
        raise BotError(f"There is no bot #{bot_id}.")
    return _bot(row)


def list_bots(
    conn: Connection, number_id: int | None = None, *, active_only: bool = False
) -> list[Bot]:
    """Bots by priority (highest first), then id."""
    query = _bot_query()
    if number_id is not None:
        query = query.where(bot_t.c.number_id == number_id)
    if active_only:
        query = query.where(bot_t.c.active.is_(True))
    rows = conn.execute(query.order_by(bot_t.c.priority.desc(), bot_t.c.id)).mappings()
    return [_bot(row) for row in rows]


def insert_bot(
    conn: Connection,
    *,
    name: str,
    number_id: int,
    flow_id: int,
    priority: int,
    settings: BotSettings,
    now: datetime,
) -> Bot:
    name = name.strip()
    if not name:
        raise BotError("Give the bot a name.")
    _flow_row(conn, flow_id)
    latest = flow_revision_by_doc_id(conn, str(flow_id))
    cursor = conn.execute(
        insert(bot_t).values(
            name=name,
            flow_id=flow_id,
            number_id=number_id,
            active=False,
            priority=priority,
            published_revision_id=latest,
            settings_json=dumps_json(settings.to_json()),
            created_at=now,
        )
    )
    return get_bot(conn, int(cursor.lastrowid))


def update_bot(conn: Connection, bot_id: int, **values: Any) -> Bot:
    """Change name / flow_id / number_id / priority / active / settings (a BotSettings)."""
    get_bot(conn, bot_id)
    if "settings" in values:
        values["settings_json"] = dumps_json(values.pop("settings").to_json())
    if "flow_id" in values:
        _flow_row(conn, int(values["flow_id"]))
        values["published_revision_id"] = flow_revision_by_doc_id(conn, str(values["flow_id"]))
    if "name" in values and not str(values["name"]).strip():
        raise BotError("Give the bot a name.")
    if values:
        conn.execute(update(bot_t).where(bot_t.c.id == bot_id).values(**values))
    return get_bot(conn, bot_id)


def delete_bot(conn: Connection, bot_id: int) -> None:
    get_bot(conn, bot_id)
    conn.execute(delete(bot_session_t).where(bot_session_t.c.bot_id == bot_id))
    conn.execute(delete(bot_t).where(bot_t.c.id == bot_id))


def bot_stats(conn: Connection, bot_id: int, since: datetime) -> BotStats:
    """Sessions running now, completed and handed off (ever), errors traced since `since`."""
    running = conn.execute(
        select(func.count()).where(
            bot_session_t.c.bot_id == bot_id, bot_session_t.c.status.in_(("running", "waiting"))
        )
    ).scalar_one()
    counts: dict[str, int] = dict(
        conn.execute(
            select(bot_trace_t.c.type, func.count())
            .where(
                bot_trace_t.c.bot_id == bot_id,
                bot_trace_t.c.type.in_(("session_completed", "session_handed_off")),
            )
            .group_by(bot_trace_t.c.type)
        ).all()
    )
    errors = conn.execute(
        select(func.count()).where(
            bot_trace_t.c.bot_id == bot_id,
            bot_trace_t.c.error.is_not(None),
            bot_trace_t.c.at >= since,
        )
    ).scalar_one()
    return BotStats(
        running=int(running),
        completed=int(counts.get("session_completed", 0)),
        handed_off=int(counts.get("session_handed_off", 0)),
        errors_today=int(errors),
    )


# -- sessions ---------------------------------------------------------------------------------


def _session_record(row: Row) -> SessionRecord:
    return SessionRecord(
        id=int(row["id"]),
        conversation_id=int(row["conversation_id"]),
        bot_id=int(row["bot_id"]),
        revision_id=int(row["revision_id"]),
        session=Session.from_dict(json.loads(row["state_json"])),
        status=str(row["status"]),
        started_at=row["started_at"],
        updated_at=row["updated_at"],
    )


def load_session(conn: Connection, conversation_id: int) -> SessionRecord | None:
    row = (
        conn.execute(
            select(bot_session_t).where(bot_session_t.c.conversation_id == conversation_id)
        )
        .mappings()
        .first()
    )
    return _session_record(row) if row is not None else None


def inbound_context(
    conn: Connection, conversation_id: int, message_id: int | None = None
) -> tuple[str | None, SessionRecord | None, bool | None]:
    """What the runtime needs for an inbound message, in one query: the conversation's mode
    (None when there is no such conversation), its bot session, and — when `message_id` is
    given — whether no inbound message came before it in the conversation (else None)."""
    columns: list[Any] = [conversation_t.c.mode.label("conversation_mode"), bot_session_t]
    if message_id is not None:
        earlier = exists().where(
            message_t.c.conversation_id == conversation_id,
            message_t.c.direction == Direction.INBOUND.value,
            message_t.c.id < message_id,
        )
        columns.append(earlier.label("earlier"))
    query = (
        select(*columns)
        .select_from(
            conversation_t.outerjoin(
                bot_session_t, bot_session_t.c.conversation_id == conversation_t.c.id
            )
        )
        .where(conversation_t.c.id == conversation_id)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        return None, None, None
    record = _session_record(row) if row["id"] is not None else None
    first = None if message_id is None else not row["earlier"]
    return str(row["conversation_mode"]), record, first


def save_session(conn: Connection, record: SessionRecord) -> int:
    """Insert or replace the session of the record's conversation; returns the row id."""
    values = {
        "bot_id": record.bot_id,
        "revision_id": record.revision_id,
        "state_json": json.dumps(record.session.to_dict(), ensure_ascii=False, default=str),
        "status": record.status,
        "wake_at": record.session.wake_at if record.active else None,
        "started_at": record.started_at,
        "updated_at": record.updated_at,
    }
    existing = conn.execute(
        select(bot_session_t.c.id).where(bot_session_t.c.conversation_id == record.conversation_id)
    ).scalar()
    if existing is None:
        cursor = conn.execute(
            insert(bot_session_t).values(conversation_id=record.conversation_id, **values)
        )
        return int(cursor.lastrowid)
    conn.execute(update(bot_session_t).where(bot_session_t.c.id == existing).values(**values))
    return int(existing)


def delete_session(conn: Connection, conversation_id: int) -> None:
    conn.execute(delete(bot_session_t).where(bot_session_t.c.conversation_id == conversation_id))


def waiting_sessions(conn: Connection) -> list[SessionRecord]:
    """Sessions that wait for a timer or an HTTP result (the runtime re-arms them at start)."""
    rows = conn.execute(select(bot_session_t).where(bot_session_t.c.status == "waiting")).mappings()
    out = []
    for row in rows:
        record = _session_record(row)
        if record.session.wake_at is not None or record.session.waiting_for == "http":
            out.append(record)
    return out


# -- traces -----------------------------------------------------------------------------------


def insert_traces(
    conn: Connection,
    *,
    conversation_id: int,
    bot_id: int | None,
    session_id: int | None,
    entries: Iterable[Mapping[str, Any]],
    now: datetime,
) -> list[BotTraceEntry]:
    """Store trace entries (dicts with node_id, node_type, type, inputs, output, actions,
    error) and return them as events' entries."""
    out: list[BotTraceEntry] = []
    for entry in entries:
        inputs = dict(entry.get("inputs") or {})
        actions: Sequence[Mapping[str, Any]] = tuple(entry.get("actions") or ())
        cursor = conn.execute(
            insert(bot_trace_t).values(
                session_id=session_id,
                conversation_id=conversation_id,
                bot_id=bot_id,
                node_id=entry.get("node_id"),
                node_type=entry.get("node_type"),
                type=str(entry["type"]),
                inputs_json=dumps_json(inputs),
                output=entry.get("output"),
                actions_json=json.dumps(list(actions), ensure_ascii=False, default=str),
                error=entry.get("error"),
                at=now,
            )
        )
        out.append(
            BotTraceEntry(
                id=int(cursor.lastrowid),
                conversation_id=conversation_id,
                bot_id=bot_id,
                node_id=entry.get("node_id"),
                node_type=entry.get("node_type"),
                type=str(entry["type"]),
                inputs=json.loads(dumps_json(inputs)),
                output=entry.get("output"),
                actions=tuple(json.loads(json.dumps(list(actions), default=str))),
                error=entry.get("error"),
                at=now,
            )
        )
    return out


def list_traces(
    conn: Connection,
    *,
    conversation_id: int | None = None,
    bot_id: int | None = None,
    before_id: int | None = None,
    limit: int = 200,
) -> list[BotTraceEntry]:
    """Trace entries, newest first."""
    query = select(bot_trace_t)
    if conversation_id is not None:
        query = query.where(bot_trace_t.c.conversation_id == conversation_id)
    if bot_id is not None:
        query = query.where(bot_trace_t.c.bot_id == bot_id)
    if before_id is not None:
        query = query.where(bot_trace_t.c.id < before_id)
    rows = conn.execute(query.order_by(bot_trace_t.c.id.desc()).limit(limit)).mappings()
    return [
        BotTraceEntry(
            id=int(r["id"]),
            conversation_id=int(r["conversation_id"]),
            bot_id=r["bot_id"],
            node_id=r["node_id"],
            node_type=r["node_type"],
            type=str(r["type"]),
            inputs=loads_json(r["inputs_json"]),
            output=r["output"],
            actions=tuple(json.loads(r["actions_json"] or "[]")),
            error=r["error"],
            at=r["at"],
        )
        for r in rows
    ]
