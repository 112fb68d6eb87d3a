"""Store functions for message templates (sync functions on a SQLAlchemy `Connection`; run them
through `Store.write` / `Store.read`). A sync replaces a number's templates as a whole."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection, delete, insert, select

from wadesk.core.templates import MessageTemplate
from wadesk.engine.store.convert import Row
from wadesk.engine.store.repo import get_number
from wadesk.engine.store.tables import template_t


class TemplateLike(Protocol):
    """What a template from the Graph API looks like (`cloudapi.client.Template`)."""

    @property
    def id(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def language(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def components(self) -> tuple[Mapping[str, Any], ...]: ...
    @property
    def quality(self) -> str | None: ...
    @property
    def rejected_reason(self) -> str | None: ...
    @property
    def parameter_format(self) -> str | None: ...


def _to_template(row: Row) -> MessageTemplate:
    try:
        components = json.loads(row["components_json"] or "[]")
    except ValueError:
        components = []
    return MessageTemplate(
        id=int(row["id"]),
        number_id=int(row["number_id"]),
        name=row["name"],
        language=row["language"],
        status=row["status"],
        category=row["category"],
        components=tuple(c for c in components if isinstance(c, Mapping))
        if isinstance(components, list)
        else (),
        graph_id=row["graph_id"],
        parameter_format=row["parameter_format"],
        quality=row["quality"],
        rejected_reason=row["rejected_reason"],
        synced_at=row["synced_at"],
    )


def replace_templates(
    conn: Connection,
    number_id: int,
    templates: Iterable[TemplateLike],
    *,
    now: datetime | None = None,
) -> int:
    """Make the stored templates of a number exactly `templates` (nameless ones are skipped; a
    repeated name + language keeps the last); returns how many are stored."""
    get_number(conn, number_id)
    at = now or datetime.now(UTC)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for item in templates:
        if not item.name:
            continue
        language = item.language or ""
        rows[(item.name, language)] = {
            "number_id": number_id,
            "graph_id": item.id,
            "name": item.name,
            "language": language,
            "status": (item.status or "UNKNOWN").upper(),
            "category": item.category,
            "components_json": json.dumps(
                [dict(c) for c in item.components], ensure_ascii=False, default=str
            ),
            "parameter_format": item.parameter_format,
            "quality": item.quality,
            "rejected_reason": item.rejected_reason,
            "synced_at": at,
        }
    conn.execute(delete(template_t).where(template_t.c.number_id == number_id))
    if rows:
        conn.execute(insert(template_t), list(rows.values()))
    return len(rows)


def list_templates(
    conn: Connection, number_id: int, approved_only: bool = False
) -> list[MessageTemplate]:
    """A number's templates by name then language."""
    query = select(template_t).where(template_t.c.number_id == number_id)
    if approved_only:
        query = query.where(template_t.c.status == "APPROVED")
    query = query.order_by(template_t.c.name, template_t.c.language)
    return [_to_template(row) for row in conn.execute(query).mappings()]
