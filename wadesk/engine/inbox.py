"""Queries and commands behind the inbox: the conversation list, its filters, full-text search,
the contact panel and conversation labels.

The functions take a SQLAlchemy `Connection` (run them through `Store.read` / `Store.write`);
`InboxService` is the async facade the Engine exposes as `engine.inbox`. Everything returned is
a plain frozen dataclass, so the UI never sees rows.

- `conversation_ids(conn, InboxFilter(...))`: the ids of the matching conversations, most
  recent activity first (the list model keeps only these and fetches rows lazily).
- `conversation_rows(conn, ids)`: a denormalised `ConversationRow` per id (conversation,
  contact, number label, labels, type/status/direction of the last message).
- `search(conn, text, limit)`: FTS5 over message text and contact names/ids (prefix match per
  word, Unicode case folding, Russian included), plus a digits match on the phone.
- contacts: `contact_details`, `update_contact` (local name, notes, custom fields).
- labels: `create_label`, `update_label`, `delete_label`, `list_labels`,
  `set_conversation_labels`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update
from sqlalchemy import text as sql_text

from wadesk.core.enums import (
    ConversationMode,
    ConversationState,
    Direction,
    MessageStatus,
    MessageType,
)
from wadesk.core.events import ConversationUpdated, EngineEvent
from wadesk.core.models import Contact, Conversation
from wadesk.engine.store import Store, repo
from wadesk.engine.store.columns import dumps_json, loads_json, parse_utc_text
from wadesk.engine.store.convert import to_contact, to_conversation
from wadesk.engine.store.errors import NotFoundError, StoreError
from wadesk.engine.store.tables import (
    contact_t,
    conversation_label_t,
    conversation_t,
    label_t,
    message_t,
    number_t,
)

T = TypeVar("T")

MARK_START = "\x02"
"""Starts a highlighted match inside `MessageHit.snippet`."""
MARK_END = "\x03"
"""Ends a highlighted match inside `MessageHit.snippet`."""

MAX_LABEL_NAME = 40
MAX_CUSTOM_FIELDS = 50
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_WORD = re.compile(r"\w+", re.UNICODE)


class InboxError(StoreError):
    """A label or contact command was refused; str() says why in plain words."""


@dataclass(frozen=True, slots=True)
class InboxFilter:
    """Which conversations the list shows (all fields combine with AND)."""

    number_id: int | None = None
    unread: bool = False
    state: ConversationState | None = None
    mode: ConversationMode | None = None
    label_id: int | None = None


@dataclass(frozen=True, slots=True)
class Label:
    id: int
    name: str
    colour: str


@dataclass(frozen=True, slots=True)
class ConversationRow:
    """Everything one line of the conversation list shows."""

    conversation: Conversation
    contact: Contact
    number_label: str
    labels: tuple[Label, ...] = ()
    last_message_type: MessageType | None = None
    last_message_status: MessageStatus | None = None
    last_message_direction: Direction | None = None

    @property
    def id(self) -> int:
        return self.conversation.id


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """The contact panel: the contact, the owner's notes and fields, first/last contact."""

    contact: Contact
    notes: str = ""
    custom_fields: Mapping[str, str] = field(default_factory=dict)
    first_contact_at: datetime | None = None
    last_contact_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MessageHit:
    """A message whose text matches; `snippet` marks matches with MARK_START / MARK_END."""

    message_id: int
    conversation_id: int
    snippet: str
    timestamp: datetime
    contact_name: str


@dataclass(frozen=True, slots=True)
class ContactHit:
    contact: Contact
    conversation_id: int | None


@dataclass(frozen=True, slots=True)
class SearchResults:
    text: str
    contacts: tuple[ContactHit, ...] = ()
    messages: tuple[MessageHit, ...] = ()


# -- the list ---------------------------------------------------------------------------------


def conversation_ids(conn: Connection, flt: InboxFilter | None = None) -> list[int]:
    """Ids of the conversations matching `flt`, most recent activity first (conversations
    without messages last, newer ids first among equals)."""
    flt = flt or InboxFilter()
    c = conversation_t.c
    query = select(c.id)
    if flt.number_id is not None:
        query = query.where(c.number_id == flt.number_id)
    if flt.unread:
        query = query.where(c.unread_count > 0)
    if flt.state is not None:
        query = query.where(c.state == ConversationState(flt.state).value)
    if flt.mode is not None:
        query = query.where(c.mode == ConversationMode(flt.mode).value)
    if flt.label_id is not None:
        labelled = select(conversation_label_t.c.conversation_id).where(
            conversation_label_t.c.label_id == flt.label_id
        )
        query = query.where(c.id.in_(labelled))
    query = query.order_by(c.last_message_at.desc().nulls_last(), c.id.desc())
    return [int(row[0]) for row in conn.execute(query)]


def _labels_of(conn: Connection, ids: Sequence[int]) -> dict[int, list[Label]]:
    result: dict[int, list[Label]] = {}
    if not ids:
        return result
    rows = conn.execute(
        select(
            conversation_label_t.c.conversation_id, label_t.c.id, label_t.c.name, label_t.c.colour
        )
        .join(label_t, label_t.c.id == conversation_label_t.c.label_id)
        .where(conversation_label_t.c.conversation_id.in_(list(ids)))
        .order_by(label_t.c.name, label_t.c.id)
    )
    for conv_id, label_id, name, colour in rows:
        result.setdefault(int(conv_id), []).append(Label(int(label_id), name, colour))
    return result


def conversation_rows(conn: Connection, ids: Iterable[int]) -> list[ConversationRow]:
    """The rows of these conversations, in the order of `ids` (unknown ids are skipped)."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not wanted:
        return []
    m = message_t.alias("last_message")
    last_id = (
        select(message_t.c.id)
        .where(message_t.c.conversation_id == conversation_t.c.id)
        .order_by(message_t.c.timestamp.desc(), message_t.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(
            conversation_t,
            number_t.c.label.label("number_label"),
            contact_t.c.wa_id,
            contact_t.c.user_id,
            contact_t.c.username,
            contact_t.c.profile_name,
            contact_t.c.local_name,
            m.c.type.label("m_type"),
            m.c.status.label("m_status"),
            m.c.direction.label("m_direction"),
        )
        .join(number_t, number_t.c.id == conversation_t.c.number_id)
        .join(contact_t, contact_t.c.id == conversation_t.c.contact_id)
        .outerjoin(m, m.c.id == last_id)
        .where(conversation_t.c.id.in_(wanted))
    )
    found: dict[int, ConversationRow] = {}
    labels = _labels_of(conn, wanted)
    for row in conn.execute(query).mappings():
        conversation = to_conversation(row)
        contact = Contact(
            id=conversation.contact_id,
            wa_id=row["wa_id"],
            user_id=row["user_id"],
            username=row["username"],
            profile_name=row["profile_name"],
            local_name=row["local_name"],
        )
        found[conversation.id] = ConversationRow(
            conversation=conversation,
            contact=contact,
            number_label=row["number_label"],
            labels=tuple(labels.get(conversation.id, ())),
            last_message_type=MessageType.from_wire(row["m_type"]) if row["m_type"] else None,
            last_message_status=MessageStatus(row["m_status"]) if row["m_status"] else None,
            last_message_direction=Direction(row["m_direction"]) if row["m_direction"] else None,
        )
    return [found[i] for i in wanted if i in found]


def conversation_row(conn: Connection, conversation_id: int) -> ConversationRow:
    rows = conversation_rows(conn, [conversation_id])
    if not rows:
        raise NotFoundError(f"no conversation with id {conversation_id}")
    return rows[0]


# -- search -----------------------------------------------------------------------------------


def fts_query(text: str) -> str | None:
    """An FTS5 query matching every word of `text` as a prefix (None when it has no word)."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words[:12])


def _contact_name(row: Mapping[str, Any] | RowMapping) -> str:
    return str(
        row["local_name"]
        or row["profile_name"]
        or row["username"]
        or row["wa_id"]
        or row["user_id"]
        or "?"
    )


def search(conn: Connection, text: str, limit: int = 50) -> SearchResults:
    """Contacts (name, username, wa_id; digits also match inside the phone) and messages
    (text and captions) matching every word of `text`; messages newest first."""
    query = fts_query(text)
    if query is None:
        return SearchResults(text)
    contact_ids: list[int] = [
        int(r[0])
        for r in conn.execute(
            sql_text(
                "SELECT rowid FROM contact_fts WHERE contact_fts MATCH :q ORDER BY rank LIMIT :n"
            ),
            {"q": query, "n": limit},
        )
    ]
    digits = re.sub(r"[\s\-()+.]", "", text)
    if len(digits) >= 3 and digits.isdigit():
        like = select(contact_t.c.id).where(contact_t.c.wa_id.contains(digits, autoescape=True))
        contact_ids += [int(r[0]) for r in conn.execute(like.limit(limit))]
    contact_ids = list(dict.fromkeys(contact_ids))[:limit]
    contacts: list[ContactHit] = []
    if contact_ids:
        rows = {
            int(r["id"]): r
            for r in conn.execute(select(contact_t).where(contact_t.c.id.in_(contact_ids)))
            .mappings()
            .all()
        }
        latest = dict(
            conn.execute(
                select(conversation_t.c.contact_id, func.max(conversation_t.c.id))
                .where(conversation_t.c.contact_id.in_(contact_ids))
                .group_by(conversation_t.c.contact_id)
            ).all()
        )
        for cid in contact_ids:
            if cid in rows:
                conv = latest.get(cid)
                contacts.append(ContactHit(to_contact(rows[cid]), int(conv) if conv else None))
    hits = conn.execute(
        sql_text(
            "SELECT m.id, m.conversation_id, m.timestamp,"
            " snippet(message_fts, 0, :a, :b, '…', 12) AS snip,"
            " c.local_name, c.profile_name, c.username, c.wa_id, c.user_id"
            " FROM message_fts JOIN message m ON m.id = message_fts.rowid"
            " JOIN conversation v ON v.id = m.conversation_id"
            " JOIN contact c ON c.id = v.contact_id"
            " WHERE message_fts MATCH :q ORDER BY m.timestamp DESC, m.id DESC LIMIT :n"
        ),
        {"q": query, "n": limit, "a": MARK_START, "b": MARK_END},
    ).mappings()
    messages = tuple(
        MessageHit(
            message_id=int(h["id"]),
            conversation_id=int(h["conversation_id"]),
            snippet=" ".join(str(h["snip"]).split()),
            timestamp=parse_utc_text(str(h["timestamp"])),
            contact_name=_contact_name(h),
        )
        for h in hits
    )
    return SearchResults(text, tuple(contacts), messages)


# -- contacts ---------------------------------------------------------------------------------


def contact_details(conn: Connection, contact_id: int) -> ContactDetails:
    row = conn.execute(select(contact_t).where(contact_t.c.id == contact_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    convs = select(conversation_t.c.id).where(conversation_t.c.contact_id == contact_id)
    first, last = conn.execute(
        select(
            func.min(message_t.c.timestamp),
            func.max(message_t.c.timestamp).filter(
                message_t.c.direction == Direction.INBOUND.value
            ),
        ).where(message_t.c.conversation_id.in_(convs))
    ).one()
    fields = {str(k): str(v) for k, v in loads_json(row["custom_fields_json"]).items()}
    return ContactDetails(
        contact=to_contact(row),
        notes=row["notes"] or "",
        custom_fields=fields,
        first_contact_at=first or row["created_at"],
        last_contact_at=last,
    )


def update_contact(
    conn: Connection,
    contact_id: int,
    *,
    local_name: str | None,
    notes: str | None,
    custom_fields: Mapping[str, str] | None,
    now: datetime | None = None,
) -> ContactDetails:
    """Save the owner's own data about a contact (the WhatsApp profile name is never touched).

    Empty strings clear a value; custom fields with an empty name are dropped.
    """
    fields: dict[str, str] = {}
    for key, value in (custom_fields or {}).items():
        name = str(key).strip()
        if name:
            fields[name] = str(value).strip()
    if len(fields) > MAX_CUSTOM_FIELDS:
        raise InboxError(f"A contact can have at most {MAX_CUSTOM_FIELDS} custom fields.")
    cursor = conn.execute(
        update(contact_t)
        .where(contact_t.c.id == contact_id)
        .values(
            local_name=(local_name or "").strip() or None,
            notes=(notes or "").strip() or None,
            custom_fields_json=dumps_json(fields),
            updated_at=now or datetime.now(UTC),
        )
    )
    if not cursor.rowcount:
        raise NotFoundError(f"no contact with id {contact_id}")
    return contact_details(conn, contact_id)


# -- labels -----------------------------------------------------------------------------------


def _clean_label(name: str, colour: str) -> tuple[str, str]:
    clean = " ".join(name.split())
    if not clean:
        raise InboxError("Give the label a name.")
    if len(clean) > MAX_LABEL_NAME:
        raise InboxError(f"A label name can have at most {MAX_LABEL_NAME} characters.")
    if not _COLOUR.match(colour.strip()):
        raise InboxError("A label colour looks like #25D366.")
    return clean, colour.strip().upper()


def _label_clash(conn: Connection, name: str, label_id: int | None) -> None:
    query = select(label_t.c.id).where(func.lower(label_t.c.name) == name.lower())
    if label_id is not None:
        query = query.where(label_t.c.id != label_id)
    if conn.execute(query).first() is not None:
        raise InboxError(f"A label named '{name}' already exists.")


def list_labels(conn: Connection) -> list[Label]:
    rows = conn.execute(select(label_t).order_by(label_t.c.name, label_t.c.id)).mappings()
    return [Label(int(r["id"]), r["name"], r["colour"]) for r in rows]


def create_label(conn: Connection, name: str, colour: str, *, now: datetime | None = None) -> Label:
    clean, colour = _clean_label(name, colour)
    _label_clash(conn, clean, None)
    cursor = conn.execute(
        insert(label_t).values(name=clean, colour=colour, created_at=now or datetime.now(UTC))
    )
    return Label(int(cursor.lastrowid), clean, colour)


def update_label(conn: Connection, label_id: int, name: str, colour: str) -> Label:
    clean, colour = _clean_label(name, colour)
    _label_clash(conn, clean, label_id)
    cursor = conn.execute(
        update(label_t).where(label_t.c.id == label_id).values(name=clean, colour=colour)
    )
    if not cursor.rowcount:
        raise NotFoundError(f"no label with id {label_id}")
    return Label(label_id, clean, colour)


def delete_label(conn: Connection, label_id: int) -> None:
    conn.execute(delete(conversation_label_t).where(conversation_label_t.c.label_id == label_id))
    conn.execute(delete(label_t).where(label_t.c.id == label_id))


def set_conversation_labels(
    conn: Connection, conversation_id: int, label_ids: Iterable[int]
) -> ConversationRow:
    """Replace the labels of a conversation; returns its updated row."""
    wanted = list(dict.fromkeys(int(i) for i in label_ids))
    if repo.get_conversation(conn, conversation_id) is None:
        raise NotFoundError(f"no conversation with id {conversation_id}")
    if wanted:
        known = {
            int(r[0]) for r in conn.execute(select(label_t.c.id).where(label_t.c.id.in_(wanted)))
        }
        unknown = [i for i in wanted if i not in known]
        if unknown:
            raise NotFoundError(f"no label with id {unknown[0]}")
    conn.execute(
        delete(conversation_label_t).where(
            conversation_label_t.c.conversation_id == conversation_id
        )
    )
    if wanted:
        conn.execute(
            insert(conversation_label_t),
            [{"conversation_id": conversation_id, "label_id": i} for i in wanted],
        )
    return conversation_row(conn, conversation_id)


# -- the async facade -------------------------------------------------------------------------


class InboxService:
    """`engine.inbox`: the inbox's queries and commands on the engine's store.

    Commands that change a conversation publish `ConversationUpdated` so every view (list,
    tray, bot runtime) sees the change.
    """

    def __init__(self, store: Store, publish: Callable[[EngineEvent], None]) -> None:
        self._store = store
        self._publish = publish

    async def _read(self, fn: Callable[[Connection], T]) -> T:
        return await self._store.read(fn)

    async def ids(self, flt: InboxFilter | None = None) -> list[int]:
        return await self._read(partial(conversation_ids, flt=flt))

    async def rows(self, ids: Sequence[int]) -> list[ConversationRow]:
        return await self._read(partial(conversation_rows, ids=list(ids)))

    async def row(self, conversation_id: int) -> ConversationRow:
        return await self._read(partial(conversation_row, conversation_id=conversation_id))

    async def search(self, text: str, limit: int = 50) -> SearchResults:
        return await self._read(partial(search, text=text, limit=limit))

    async def contact(self, contact_id: int) -> ContactDetails:
        return await self._read(partial(contact_details, contact_id=contact_id))

    async def update_contact(
        self,
        contact_id: int,
        *,
        local_name: str | None,
        notes: str | None,
        custom_fields: Mapping[str, str] | None,
    ) -> ContactDetails:
        return await self._store.write(
            partial(
                update_contact,
                contact_id=contact_id,
                local_name=local_name,
                notes=notes,
                custom_fields=custom_fields,
            )
        )

    async def labels(self) -> list[Label]:
        return await self._read(list_labels)

    async def create_label(self, name: str, colour: str) -> Label:
        return await self._store.write(partial(create_label, name=name, colour=colour))

    async def update_label(self, label_id: int, name: str, colour: str) -> Label:
        return await self._store.write(
            partial(update_label, label_id=label_id, name=name, colour=colour)
        )

    async def delete_label(self, label_id: int) -> None:
        await self._store.write(partial(delete_label, label_id=label_id))

    async def set_labels(self, conversation_id: int, label_ids: Iterable[int]) -> ConversationRow:
        row = await self._store.write(
            partial(
                set_conversation_labels, conversation_id=conversation_id, label_ids=list(label_ids)
            )
        )
        self._publish(ConversationUpdated(row.conversation, labels_changed=True))
        return row

    async def _conversation_command(self, fn: Callable[[Connection], Conversation]) -> Conversation:
        conversation = await self._store.write(fn)
        self._publish(ConversationUpdated(conversation))
        return conversation

    async def set_state(self, conversation_id: int, state: ConversationState) -> Conversation:
        return await self._conversation_command(
            partial(repo.set_conversation_state, conversation_id=conversation_id, state=state)
        )

    async def set_mode(self, conversation_id: int, mode: ConversationMode) -> Conversation:
        return await self._conversation_command(
            partial(repo.set_conversation_mode, conversation_id=conversation_id, mode=mode)
        )

    async def mark_read(self, conversation_id: int) -> Conversation:
        """Zero the unread count in wadesk (read receipts to WhatsApp are the message view's)."""
        return await self._conversation_command(
            partial(repo.mark_conversation_read, conversation_id=conversation_id)
        )
