"""Label management for Settings: list with usage counts, create, rename/recolour, delete.

The label rows and their per-conversation links are the inbox's (`wadesk.engine.inbox`:
`list_labels`, `create_label`, `update_label`, `delete_label`); this module adds what managing
them needs. `LabelService` (`engine.labels`) runs the functions on the engine's store and, when
a change alters what a conversation shows (a rename, a new colour, a deleted label), publishes
`ConversationUpdated` for every conversation that carries the label, so the conversation list
and the contact panel refetch it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import Connection, func, select

from wadesk.core.events import ConversationUpdated, EngineEvent
from wadesk.core.models import Conversation
from wadesk.engine.inbox import (
    Label,
    create_label,
    delete_label,
    list_labels,
    update_label,
)
from wadesk.engine.store import Store, repo
from wadesk.engine.store.tables import conversation_label_t

__all__ = ["Label", "LabelService", "LabelUsage", "edit_label", "label_usage", "remove_label"]


@dataclass(frozen=True, slots=True)
class LabelUsage:
    """A label and how many conversations carry it."""

    label: Label
    conversations: int


def label_conversation_ids(conn: Connection, label_id: int) -> list[int]:
    """The ids of the conversations that carry this label."""
    query = select(conversation_label_t.c.conversation_id).where(
        conversation_label_t.c.label_id == label_id
    )
    return sorted(int(r[0]) for r in conn.execute(query))


def label_usage(conn: Connection) -> list[LabelUsage]:
    """Every label (by name) with the number of conversations carrying it."""
    query = select(conversation_label_t.c.label_id, func.count()).group_by(
        conversation_label_t.c.label_id
    )
    counts = {int(label_id): int(count) for label_id, count in conn.execute(query)}
    return [LabelUsage(label, counts.get(label.id, 0)) for label in list_labels(conn)]


def _conversations(conn: Connection, ids: Iterable[int]) -> list[Conversation]:
    found = (repo.get_conversation(conn, i) for i in ids)
    return [c for c in found if c is not None]


def edit_label(
    conn: Connection, label_id: int, name: str, colour: str
) -> tuple[Label, list[Conversation]]:
    """Rename/recolour a label; returns it and the conversations that show it."""
    label = update_label(conn, label_id, name, colour)
    return label, _conversations(conn, label_conversation_ids(conn, label_id))


def remove_label(conn: Connection, label_id: int) -> list[Conversation]:
    """Delete a label everywhere; returns the conversations that carried it."""
    carried = label_conversation_ids(conn, label_id)
    delete_label(conn, label_id)
    return _conversations(conn, carried)


class LabelService:
    """`engine.labels`: label management on the engine's store (see the module doc)."""

    def __init__(self, store: Store, publish: Callable[[EngineEvent], None]) -> None:
        self._store = store
        self._publish = publish

    def _republish(self, conversations: Iterable[Conversation]) -> None:
        for conversation in conversations:
            self._publish(ConversationUpdated(conversation, labels_changed=True))

    async def usage(self) -> list[LabelUsage]:
        return await self._store.read(label_usage)

    async def create(self, name: str, colour: str) -> Label:
        """A new label; `InboxError` for an empty/too long/duplicate name or a bad colour."""
        return await self._store.write(partial(create_label, name=name, colour=colour))

    async def edit(self, label_id: int, name: str, colour: str) -> Label:
        """Rename/recolour; conversations showing the label are republished."""
        label, conversations = await self._store.write(
            partial(edit_label, label_id=label_id, name=name, colour=colour)
        )
        self._republish(conversations)
        return label

    async def delete(self, label_id: int) -> int:
        """Delete; returns how many conversations carried it (they are republished)."""
        conversations = await self._store.write(partial(remove_label, label_id=label_id))
        self._republish(conversations)
        return len(conversations)
