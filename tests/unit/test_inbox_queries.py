"""The inbox queries and commands (`wadesk.engine.inbox`) on a real SQLite store: filters,
ordering, denormalised rows, FTS5 search (Russian included), labels, contact edits, and the
migration that adds labels and the search index to an existing database with data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.unit.store.helpers import PNID, WABA, at, parsed, text_message
from tests.unit.store.v1_schema import create_v1_database
from wadesk.core.enums import (
    ConversationMode,
    ConversationState,
    Direction,
    MessageStatus,
    MessageType,
)
from wadesk.core.events import ConversationUpdated, EngineEvent
from wadesk.engine import inbox
from wadesk.engine.inbox import MARK_END, MARK_START, InboxError, InboxFilter, InboxService
from wadesk.engine.store import NotFoundError, NumberRef, Store, apply_parsed, repo


class World:
    """A store with one number and three customers (Ann, Борис, Carla) writing in turn."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.number_id = 0
        self.refs: dict[str, NumberRef] = {}

    async def setup(self) -> None:
        number = await self.store.write(
            lambda c: repo.add_number(c, "Salon", "+15550001111", PNID, WABA)
        )
        self.number_id = number.id
        self.refs = await self.store.read(repo.number_refs)

    async def inbound(self, wamid: str, text: str, *, wa_id: str, name: str, seconds: float) -> int:
        item = text_message(wamid, text=text, wa_id=wa_id, name=name, ts=at(seconds))
        outcome = await self.store.write(
            lambda c: apply_parsed(c, None, parsed(item), self.refs, now=at(seconds))
        )
        conv = outcome.events[-1]
        assert isinstance(conv, ConversationUpdated)
        return conv.conversation.id

    async def ids(self, **kw: object) -> list[int]:
        flt = InboxFilter(**kw)  # type: ignore[arg-type]
        return await self.store.read(lambda c: inbox.conversation_ids(c, flt))


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with Store(tmp_path / "db.sqlite") as store:
        w = World(store)
        await w.setup()
        yield w


async def _three(w: World) -> tuple[int, int, int]:
    ann = await w.inbound(
        "w1", "Hello, is the salon open?", wa_id="15551230001", name="Ann", seconds=0
    )
    boris = await w.inbound(
        "w2",
        "Здравствуйте! Можно записаться на стрижку?",
        wa_id="79161234567",
        name="Борис",
        seconds=10,
    )
    carla = await w.inbound(
        "w3", "Price of a manicure?", wa_id="34600111222", name="Carla", seconds=20
    )
    return ann, boris, carla


async def test_ids_are_ordered_by_last_activity_and_move_on_new_messages(world: World) -> None:
    ann, boris, carla = await _three(world)
    assert await world.ids() == [carla, boris, ann]
    await world.inbound("w4", "Still there?", wa_id="15551230001", name="Ann", seconds=30)
    assert await world.ids() == [ann, carla, boris]
    # an outbound reply counts as activity too
    await world.store.write(
        lambda c: repo.insert_outbound(
            c,
            number_id=world.number_id,
            type=MessageType.TEXT,
            origin="user",
            contact_id=2,
            text="Yes, book at 3pm",
            now=at(40),
        )
    )
    assert (await world.ids())[0] == boris


async def test_filters(world: World) -> None:
    ann, boris, carla = await _three(world)
    await world.store.write(lambda c: repo.mark_conversation_read(c, ann))
    await world.store.write(
        lambda c: repo.set_conversation_state(c, boris, ConversationState.RESOLVED)
    )
    await world.store.write(lambda c: repo.set_conversation_mode(c, carla, ConversationMode.HUMAN))
    assert await world.ids(unread=True) == [carla, boris]
    assert await world.ids(state=ConversationState.OPEN) == [carla, ann]
    assert await world.ids(state=ConversationState.RESOLVED) == [boris]
    assert await world.ids(mode=ConversationMode.BOT) == [boris, ann]
    assert await world.ids(mode=ConversationMode.HUMAN) == [carla]
    assert await world.ids(number_id=world.number_id) == [carla, boris, ann]
    assert await world.ids(number_id=world.number_id + 1) == []
    vip = await world.store.write(lambda c: inbox.create_label(c, "VIP", "#ff9800"))
    await world.store.write(lambda c: inbox.set_conversation_labels(c, ann, [vip.id]))
    await world.store.write(lambda c: inbox.set_conversation_labels(c, carla, [vip.id]))
    assert await world.ids(label_id=vip.id) == [carla, ann]
    assert await world.ids(label_id=vip.id, unread=True) == [carla]


async def test_rows_are_denormalised_and_in_the_order_asked(world: World) -> None:
    ann, boris, _ = await _three(world)
    paid = await world.store.write(lambda c: inbox.create_label(c, "Paid", "#25d366"))
    new = await world.store.write(lambda c: inbox.create_label(c, "New customer", "#2196F3"))
    await world.store.write(lambda c: inbox.set_conversation_labels(c, boris, [paid.id, new.id]))
    await world.store.write(
        lambda c: repo.insert_outbound(
            c,
            number_id=world.number_id,
            type=MessageType.IMAGE,
            origin="user",
            contact_id=1,
            now=at(50),
        )
    )
    rows = await world.store.read(lambda c: inbox.conversation_rows(c, [boris, 999, ann]))
    assert [r.id for r in rows] == [boris, ann]
    b, a = rows
    assert b.contact.profile_name == "Борис" and b.contact.wa_id == "79161234567"
    assert b.number_label == "Salon"
    assert [lab.name for lab in b.labels] == ["New customer", "Paid"]
    assert paid.colour == "#25D366"
    assert b.last_message_type is MessageType.TEXT
    assert b.last_message_direction is Direction.INBOUND
    assert b.conversation.unread_count == 1
    assert b.conversation.last_inbound_at == at(10)
    assert a.last_message_type is MessageType.IMAGE
    assert a.last_message_status is MessageStatus.QUEUED
    assert a.last_message_direction is Direction.OUTBOUND
    assert a.conversation.last_message_preview == "[image]"
    assert await world.store.read(lambda c: inbox.conversation_rows(c, [])) == []


async def test_search_messages_and_contacts_in_english_and_russian(world: World) -> None:
    ann, boris, carla = await _three(world)

    async def find(text: str) -> inbox.SearchResults:
        return await world.store.read(lambda c: inbox.search(c, text, 20))

    hits = await find("salon")
    assert [(h.conversation_id, h.contact_name) for h in hits.messages] == [(ann, "Ann")]
    assert f"{MARK_START}salon{MARK_END}" in hits.messages[0].snippet
    # Russian: case folding and prefix match (стриж → стрижку), two words both required
    hits = await find("СТРИЖ")
    assert [h.conversation_id for h in hits.messages] == [boris]
    assert (await find("записаться стриж")).messages[0].conversation_id == boris
    assert (await find("записаться salon")).messages == ()
    # contacts by name (either script) and by phone digits, with their conversation
    assert [(h.contact.profile_name, h.conversation_id) for h in (await find("бор")).contacts] == [
        ("Борис", boris)
    ]
    assert [h.conversation_id for h in (await find("+34 600 111")).contacts] == [carla]
    assert [h.conversation_id for h in (await find("carla")).contacts] == [carla]
    # punctuation and FTS syntax are harmless
    assert (await find('"* AND NEAR(')).messages == ()
    assert (await find("   ")).messages == () and (await find("   ")).contacts == ()
    # newest message first; local names are searchable after an edit
    await world.inbound(
        "w9", "Is the salon near the metro?", wa_id="34600111222", name="Carla", seconds=60
    )
    assert [h.conversation_id for h in (await find("salon")).messages] == [carla, ann]
    await world.store.write(
        lambda c: inbox.update_contact(
            c, 1, local_name="Anna Karenina", notes=None, custom_fields={}
        )
    )
    assert [h.contact.id for h in (await find("karen")).contacts] == [1]


async def test_search_follows_deletes(world: World) -> None:
    await _three(world)
    await world.store.write(lambda c: repo.remove_number(c, "Salon", purge=True))
    hits = await world.store.read(lambda c: inbox.search(c, "salon", 10))
    assert hits.messages == ()


async def test_contact_details_and_updates(world: World) -> None:
    ann, _, _ = await _three(world)
    await world.inbound("w5", "One more thing", wa_id="15551230001", name="Ann", seconds=100)
    details = await world.store.read(lambda c: inbox.contact_details(c, 1))
    assert details.contact.profile_name == "Ann" and details.contact.local_name is None
    assert details.first_contact_at == at(0) and details.last_contact_at == at(100)
    assert details.notes == "" and dict(details.custom_fields) == {}
    saved = await world.store.write(
        lambda c: inbox.update_contact(
            c,
            1,
            local_name="  Ann (regular)  ",
            notes="Prefers mornings",
            custom_fields={"Birthday": " 12 May ", "": "dropped", "Город": "Москва"},
        )
    )
    assert saved.contact.local_name == "Ann (regular)"
    assert saved.contact.profile_name == "Ann"  # WhatsApp's name is kept apart
    assert saved.notes == "Prefers mornings"
    assert dict(saved.custom_fields) == {"Birthday": "12 May", "Город": "Москва"}
    row = await world.store.read(lambda c: inbox.conversation_row(c, ann))
    assert row.contact.local_name == "Ann (regular)"
    cleared = await world.store.write(
        lambda c: inbox.update_contact(c, 1, local_name="", notes="", custom_fields=None)
    )
    assert cleared.contact.local_name is None and cleared.notes == ""
    with pytest.raises(NotFoundError):
        await world.store.write(
            lambda c: inbox.update_contact(c, 99, local_name="x", notes=None, custom_fields=None)
        )


async def test_labels_crud_and_validation(world: World) -> None:
    ann, boris, _ = await _three(world)
    vip = await world.store.write(lambda c: inbox.create_label(c, " VIP ", "#FF9800"))
    assert vip.name == "VIP"
    for name, colour, message in [
        ("", "#FF9800", "name"),
        ("vip", "#00FF00", "already exists"),
        ("Other", "red", "colour"),
        ("x" * 41, "#00FF00", "at most"),
    ]:
        with pytest.raises(InboxError, match=message):
            await world.store.write(lambda c, n=name, k=colour: inbox.create_label(c, n, k))
    lead = await world.store.write(lambda c: inbox.create_label(c, "Lead", "#2196F3"))
    assert [lab.name for lab in await world.store.read(inbox.list_labels)] == ["Lead", "VIP"]
    renamed = await world.store.write(
        lambda c: inbox.update_label(c, lead.id, "Hot lead", "#F44336")
    )
    assert (renamed.name, renamed.colour) == ("Hot lead", "#F44336")
    row = await world.store.write(
        lambda c: inbox.set_conversation_labels(c, ann, [vip.id, lead.id, vip.id])
    )
    assert [lab.name for lab in row.labels] == ["Hot lead", "VIP"]
    row = await world.store.write(lambda c: inbox.set_conversation_labels(c, ann, [lead.id]))
    assert [lab.name for lab in row.labels] == ["Hot lead"]
    with pytest.raises(NotFoundError):
        await world.store.write(lambda c: inbox.set_conversation_labels(c, ann, [12345]))
    with pytest.raises(NotFoundError):
        await world.store.write(lambda c: inbox.set_conversation_labels(c, 12345, [lead.id]))
    await world.store.write(lambda c: inbox.set_conversation_labels(c, boris, [lead.id]))
    await world.store.write(lambda c: inbox.delete_label(c, lead.id))
    rows = await world.store.read(lambda c: inbox.conversation_rows(c, [ann, boris]))
    assert [r.labels for r in rows] == [(), ()]
    # a number with labelled conversations can still be purged (labels cascade)
    await world.store.write(lambda c: inbox.set_conversation_labels(c, ann, [vip.id]))
    await world.store.write(lambda c: repo.remove_number(c, "Salon", purge=True))


async def test_inbox_service_publishes_conversation_updates(world: World) -> None:
    ann, _, _ = await _three(world)
    events: list[EngineEvent] = []
    service = InboxService(world.store, events.append)
    conv = await service.set_state(ann, ConversationState.RESOLVED)
    assert conv.state is ConversationState.RESOLVED
    conv = await service.set_mode(ann, ConversationMode.HUMAN)
    conv = await service.mark_read(ann)
    assert conv.unread_count == 0 and conv.mode is ConversationMode.HUMAN
    label = await service.create_label("VIP", "#FF9800")
    row = await service.set_labels(ann, [label.id])
    assert [e.conversation.id for e in events if isinstance(e, ConversationUpdated)] == [ann] * 4
    assert row.labels == (label,)
    assert await service.ids(InboxFilter(state=ConversationState.RESOLVED)) == [ann]
    assert [r.id for r in await service.rows([ann])] == [ann]
    assert (await service.search("salon")).messages[0].conversation_id == ann
    details = await service.update_contact(1, local_name="Ann", notes="n", custom_fields={"a": "b"})
    assert (await service.contact(1)) == details
    assert await service.labels() == [label]


async def test_migration_to_v3_indexes_existing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    create_v1_database(path)  # one number, contact Ann (15551234567), message "hello"
    async with Store(path) as store:
        assert store.schema_version_at_open == 1
        hits = await store.read(lambda c: inbox.search(c, "HELLO", 10))
        assert [h.message_id for h in hits.messages] == [
            (await store.read(lambda c: repo.get_message_by_wamid(c, "wamid.IN1"))).id  # type: ignore[union-attr]
        ]
        assert [
            h.contact.profile_name
            for h in (await store.read(lambda c: inbox.search(c, "ann", 5))).contacts
        ] == ["Ann"]
        label = await store.write(lambda c: inbox.create_label(c, "VIP", "#FF9800"))
        row = await store.write(lambda c: inbox.set_conversation_labels(c, 1, [label.id]))
        assert row.labels == (label,)
        # triggers work on the migrated file too
        await store.write(
            lambda c: repo.insert_outbound(
                c,
                number_id=1,
                type=MessageType.TEXT,
                origin="user",
                contact_id=1,
                text="Привет из миграции",
                now=datetime(2026, 5, 1, tzinfo=UTC),
            )
        )
        assert len((await store.read(lambda c: inbox.search(c, "миграц", 5))).messages) == 1
