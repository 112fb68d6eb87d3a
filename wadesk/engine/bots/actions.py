"""Turning the step engine's actions into WhatsApp bodies and side effects: message bodies
(`wadesk.core.outgoing`, with WhatsApp's limits), the HTTP request of an HTTP node (httpx,
with a timeout, result mapped for the engine's `Resume("http")`), contact fields and labels
(labels only when the labels tables exist), and JSON-safe descriptions of actions for traces
(header values of HTTP requests are never traced: they often hold API keys).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Connection, select, update

from wadesk.core import outgoing
from wadesk.core.enums import MessageType
from wadesk.engine.store.columns import dumps_json, loads_json, utc_text
from wadesk.engine.store.tables import contact_t
from wadesk.flow import (
    Action,
    HttpRequest,
    SendButtons,
    SendList,
    SendMedia,
    SendTemplate,
    SendText,
    StepResult,
)

MAX_HTTP_TIMEOUT = 30.0
MAX_RESPONSE_BYTES = 1_000_000
_MEDIA_TYPES = {"image", "video", "audio", "document", "sticker"}

Send = tuple[dict[str, Any], str | None, MessageType]


def describe(action: Action) -> dict[str, Any]:
    """A JSON-safe dict of an action for the trace (no header values)."""
    data = dataclasses.asdict(action)
    data["action"] = type(action).__name__
    if isinstance(action, HttpRequest):
        data["headers"] = [name for name, _value in action.headers]
    return json.loads(json.dumps(data, default=str))  # type: ignore[no-any-return]


def build_send(action: Action, to: str) -> Send | None:
    """(body, text for the inbox, message type) of a sending action; None for other actions.
    Raises `outgoing.LimitError` when WhatsApp would refuse the message."""
    if isinstance(action, SendText):
        return outgoing.text(to, action.text, action.preview_url), action.text, MessageType.TEXT
    if isinstance(action, SendButtons):
        body = outgoing.reply_buttons(
            to, action.body, action.buttons, header=action.header, footer=action.footer
        )
        return body, action.body, MessageType.INTERACTIVE
    if isinstance(action, SendList):
        section = outgoing.ListSection(action.section_title, action.rows)
        body = outgoing.list_message(
            to, action.body, action.button, [section], header=action.header, footer=action.footer
        )
        return body, action.body, MessageType.INTERACTIVE
    if isinstance(action, SendMedia):
        kind = action.media_kind if action.media_kind in _MEDIA_TYPES else "document"
        ref = action.media.strip()
        is_link = ref.startswith(("https://", "http://"))
        body = outgoing.media(
            to,
            kind,
            media_id=None if is_link else ref,
            link=ref if is_link else None,
            caption=action.caption if kind in ("image", "video", "document") else None,
            filename=action.filename if kind == "document" else None,
        )
        return body, action.caption, MessageType(kind)
    if isinstance(action, SendTemplate):
        body = outgoing.template(to, action.name, action.language, body_params=action.params)
        return body, action.name, MessageType.TEMPLATE
    return None


async def perform_http(client: httpx.AsyncClient, action: HttpRequest) -> dict[str, Any]:
    """Do the request; `{"status", "json"}` on any HTTP answer, `{"error"}` when none came."""
    timeout = min(max(float(action.timeout or 10.0), 0.1), MAX_HTTP_TIMEOUT)
    kwargs: dict[str, Any] = {"headers": dict(action.headers), "timeout": timeout}
    if action.body is not None and action.method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = action.body
    try:
        response = await client.request(action.method, action.url, **kwargs)
    except httpx.TimeoutException:
        return {"error": f"no answer within {timeout:g} s"}
    except httpx.HTTPError as exc:
        return {"error": f"request failed: {type(exc).__name__}"}
    except ValueError as exc:  # a malformed URL
        return {"error": f"bad request: {exc}"}
    data: Any = None
    if response.content and len(response.content) <= MAX_RESPONSE_BYTES:
        try:
            data = response.json()
        except ValueError:
            data = None
    return {"status": response.status_code, "json": data}


# -- contact fields and labels (run on the store's writer) -------------------------------------

_CONTACT_COLUMNS = {"name": "local_name", "local_name": "local_name", "notes": "notes"}


def set_contact_field(
    conn: Connection, contact_id: int, name: str, value: str, now: datetime
) -> None:
    """`name`/`notes` set those columns; any other field goes into the custom fields."""
    column = _CONTACT_COLUMNS.get(name.strip().casefold())
    if column is not None:
        values: dict[str, Any] = {column: value or None}
    else:
        row = conn.execute(
            select(contact_t.c.custom_fields_json).where(contact_t.c.id == contact_id)
        ).first()
        fields = loads_json(row[0] if row else None)
        fields[name] = value
        values = {"custom_fields_json": dumps_json(fields)}
    conn.execute(
        update(contact_t).where(contact_t.c.id == contact_id).values(updated_at=now, **values)
    )


def labels_available(conn: Connection) -> bool:
    names = {
        str(r[0])
        for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name IN ('label', 'conversation_label')"
        )
    }
    return names == {"label", "conversation_label"}


DEFAULT_LABEL_COLOUR = "#7e57c2"


def apply_label(
    conn: Connection, conversation_id: int, label: str, remove: bool, now: datetime
) -> bool:
    """Add (creating the label when needed) or remove a label; False without label tables."""
    if not labels_available(conn):
        return False
    name = label.strip()
    row = conn.exec_driver_sql(
        "SELECT id FROM label WHERE name = ? COLLATE NOCASE", (name,)
    ).first()
    if row is None:
        if remove:
            return True
        cursor = conn.exec_driver_sql(
            "INSERT INTO label (name, colour, created_at) VALUES (?, ?, ?)",
            (name, DEFAULT_LABEL_COLOUR, utc_text(now)),
        )
        label_id = int(cursor.lastrowid)
    else:
        label_id = int(row[0])
    if remove:
        conn.exec_driver_sql(
            "DELETE FROM conversation_label WHERE conversation_id = ? AND label_id = ?",
            (conversation_id, label_id),
        )
    else:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO conversation_label (conversation_id, label_id) VALUES (?, ?)",
            (conversation_id, label_id),
        )
    return True


def safe_mapping(value: Mapping[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(dict(value), default=str))  # type: ignore[no-any-return]


def trace_entries(result: StepResult) -> list[dict[str, Any]]:
    """The step's trace as rows for `bot_trace`: each node's run carries the actions it made."""
    pending = list(result.actions)
    out: list[dict[str, Any]] = []
    for t in result.trace:
        mine: list[dict[str, Any]] = []
        if t.event in ("run", "invalid", "stale_choice"):
            mine = [describe(a) for a in pending if a.node_id == t.node_id]
            pending = [a for a in pending if a.node_id != t.node_id]
        out.append(
            {
                "node_id": t.node_id,
                "node_type": t.node_type,
                "type": t.event,
                "inputs": safe_mapping(t.inputs),
                "output": t.output,
                "actions": mine,
                "error": t.error,
            }
        )
    if pending and out:
        out[-1]["actions"] = [*out[-1]["actions"], *(describe(a) for a in pending)]
    return out
