"""SQLModel tables of the wadesk database (one SQLite file) and their indexes.

The tables live in their own SQLAlchemy registry (`StoreModel.metadata`), so nothing else
that happens to use SQLModel ends up in wadesk's schema. Hot-path code uses SQLAlchemy Core
on `Table.__table__` (see `apply.py`, `repo.py`); the classes are the schema's single source
of truth for new databases (`migrations.py` creates them with `metadata.create_all`).

Unique constraints are expressed as named unique indexes, so a database migrated from an
older schema (which can only add indexes) ends with exactly the same schema as a new one.
No secret is ever stored in any table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    event,
    text,
)
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from wadesk.engine.store.columns import UtcDateTime


class StoreModel(SQLModel, registry=registry()):
    """Base of the store's tables (own registry and metadata)."""


def _ts(*, nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UtcDateTime(), nullable=nullable, index=index)


class NumberRow(StoreModel, table=True):
    __tablename__ = "number"
    __table_args__ = (
        Index("ux_number_label", "label", unique=True),
        Index("ux_number_phone_number_id", "phone_number_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    label: str
    phone: str
    phone_number_id: str
    waba_id: str
    active: bool = Field(default=True, sa_column_kwargs={"server_default": text("1")})
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    last_webhook_at: datetime | None = Field(default=None, sa_column=_ts())
    settings_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})


class ContactRow(StoreModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        Index("ux_contact_wa_id", "wa_id", unique=True),
        Index("ux_contact_user_id", "user_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    wa_id: str | None = None
    user_id: str | None = None
    parent_user_id: str | None = None
    username: str | None = None
    profile_name: str | None = None
    local_name: str | None = None
    notes: str | None = None
    custom_fields_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class ConversationRow(StoreModel, table=True):
    __tablename__ = "conversation"
    __table_args__ = (
        Index("ux_conversation_number_contact", "number_id", "contact_id", unique=True),
        Index("ix_conversation_last_message_at", "last_message_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number_id: int = Field(sa_column=Column(Integer, ForeignKey("number.id"), nullable=False))
    contact_id: int = Field(sa_column=Column(Integer, ForeignKey("contact.id"), nullable=False))
    last_inbound_at: datetime | None = Field(default=None, sa_column=_ts())
    last_message_at: datetime | None = Field(default=None, sa_column=_ts())
    last_message_preview: str | None = None
    unread_count: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    state: str = Field(default="open", sa_column_kwargs={"server_default": "open"})
    mode: str = Field(default="bot", sa_column_kwargs={"server_default": "bot"})
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class MessageRow(StoreModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        Index("ux_message_wamid", "wamid", unique=True),
        Index("ix_message_conversation_timestamp", "conversation_id", "timestamp"),
        Index("ix_message_conversation_id", "conversation_id", "id"),
        Index("ix_message_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("conversation.id"), nullable=False)
    )
    wamid: str | None = None
    direction: str
    type: str
    status: str
    text: str | None = None
    payload_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    media_id: str | None = None
    media_mime: str | None = None
    media_path: str | None = None
    media_size: int | None = None
    reply_to: str | None = None
    reaction: str | None = None
    error_code: int | None = None
    error_title: str | None = None
    error_details: str | None = None
    timestamp: datetime = Field(sa_column=_ts(nullable=False))
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    updated_at: datetime = Field(sa_column=_ts(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_ts())
    delivered_at: datetime | None = Field(default=None, sa_column=_ts())
    read_at: datetime | None = Field(default=None, sa_column=_ts())
    raw_event_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("raw_event.id"), nullable=True)
    )
    origin: str = Field(default="webhook", sa_column_kwargs={"server_default": "webhook"})


class PendingStatusRow(StoreModel, table=True):
    __tablename__ = "pending_status"
    __table_args__ = (Index("ux_pending_status_wamid_status", "wamid", "status", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    wamid: str
    status: str
    timestamp: datetime = Field(sa_column=_ts(nullable=False))
    payload_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    error_code: int | None = None
    error_title: str | None = None
    error_details: str | None = None


class RawEventRow(StoreModel, table=True):
    __tablename__ = "raw_event"
    __table_args__ = (Index("ix_raw_event_result", "result", "signature_verdict", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    received_at: datetime = Field(sa_column=_ts(nullable=False))
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    signature_verdict: str
    result: str
    detail: str | None = None
    field: str | None = None
    phone_number_ids: str | None = None
    processed_at: datetime | None = Field(default=None, sa_column=_ts())


class FieldEventRow(StoreModel, table=True):
    __tablename__ = "field_event"
    __table_args__ = (Index("ix_field_event_field_time", "field", "time"),)

    id: int | None = Field(default=None, primary_key=True)
    raw_event_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("raw_event.id"), nullable=True)
    )
    waba_id: str | None = None
    field: str
    value_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    time: datetime | None = Field(default=None, sa_column=_ts())


class LabelRow(StoreModel, table=True):
    """A coloured label the owner puts on conversations (managed in Settings)."""

    __tablename__ = "label"
    __table_args__ = (Index("ux_label_name", "name", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    colour: str
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class ConversationLabelRow(StoreModel, table=True):
    __tablename__ = "conversation_label"
    __table_args__ = (Index("ix_conversation_label_label", "label_id"),)

    conversation_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("conversation.id", ondelete="CASCADE"), primary_key=True
        )
    )
    label_id: int = Field(
        sa_column=Column(Integer, ForeignKey("label.id", ondelete="CASCADE"), primary_key=True)
    )


METADATA: MetaData = StoreModel.metadata

number_t: Table = METADATA.tables["number"]
contact_t: Table = METADATA.tables["contact"]
conversation_t: Table = METADATA.tables["conversation"]
message_t: Table = METADATA.tables["message"]
pending_status_t: Table = METADATA.tables["pending_status"]
raw_event_t: Table = METADATA.tables["raw_event"]
field_event_t: Table = METADATA.tables["field_event"]
label_t: Table = METADATA.tables["label"]
conversation_label_t: Table = METADATA.tables["conversation_label"]

# Full-text search (FTS5, external content: the index stores no second copy of the text) over
# message text and contact names / ids, kept in sync by triggers whatever code writes the rows.
# A new database gets them right after `create_all`; migration 3 creates the same objects.
SEARCH_DDL: tuple[str, ...] = (
    "CREATE VIRTUAL TABLE message_fts USING fts5(text, content='message', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER message_fts_ai AFTER INSERT ON message WHEN new.text IS NOT NULL BEGIN"
    " INSERT INTO message_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER message_fts_ad AFTER DELETE ON message WHEN old.text IS NOT NULL BEGIN"
    " INSERT INTO message_fts(message_fts, rowid, text) VALUES ('delete', old.id, old.text);"
    " END",
    "CREATE TRIGGER message_fts_au AFTER UPDATE OF text ON message BEGIN"
    " INSERT INTO message_fts(message_fts, rowid, text)"
    " SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;"
    " INSERT INTO message_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;"
    " END",
    "CREATE VIRTUAL TABLE contact_fts USING fts5(local_name, profile_name, username, wa_id,"
    " content='contact', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER contact_fts_ai AFTER INSERT ON contact BEGIN"
    " INSERT INTO contact_fts(rowid, local_name, profile_name, username, wa_id)"
    " VALUES (new.id, new.local_name, new.profile_name, new.username, new.wa_id); END",
    "CREATE TRIGGER contact_fts_ad AFTER DELETE ON contact BEGIN"
    " INSERT INTO contact_fts(contact_fts, rowid, local_name, profile_name, username, wa_id)"
    " VALUES ('delete', old.id, old.local_name, old.profile_name, old.username, old.wa_id);"
    " END",
    "CREATE TRIGGER contact_fts_au AFTER UPDATE OF local_name, profile_name, username, wa_id"
    " ON contact BEGIN"
    " INSERT INTO contact_fts(contact_fts, rowid, local_name, profile_name, username, wa_id)"
    " VALUES ('delete', old.id, old.local_name, old.profile_name, old.username, old.wa_id);"
    " INSERT INTO contact_fts(rowid, local_name, profile_name, username, wa_id)"
    " VALUES (new.id, new.local_name, new.profile_name, new.username, new.wa_id); END",
)


def _create_search_index(_target: Any, connection: Connection, **_kw: Any) -> None:
    for statement in SEARCH_DDL:
        connection.exec_driver_sql(statement)


event.listen(METADATA, "after_create", _create_search_index)


# -- bots (wadesk.engine.bots): flows with drafts and published revisions, bots on numbers,
# one session per conversation, step traces. Migration 4 creates the same tables.


class FlowRow(StoreModel, table=True):
    __tablename__ = "flow"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    draft_json: str
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class FlowRevisionRow(StoreModel, table=True):
    __tablename__ = "flow_revision"
    __table_args__ = (Index("ux_flow_revision_flow_revision", "flow_id", "revision", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    flow_id: int = Field(
        sa_column=Column(Integer, ForeignKey("flow.id", ondelete="CASCADE"), nullable=False)
    )
    revision: int
    document: str = Field(sa_column=Column("json", String, nullable=False))
    published_at: datetime = Field(sa_column=_ts(nullable=False))
    note: str | None = None


class BotRow(StoreModel, table=True):
    __tablename__ = "bot"
    __table_args__ = (Index("ix_bot_number", "number_id", "active"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    flow_id: int = Field(sa_column=Column(Integer, ForeignKey("flow.id"), nullable=False))
    number_id: int = Field(sa_column=Column(Integer, ForeignKey("number.id"), nullable=False))
    active: bool = Field(default=False, sa_column_kwargs={"server_default": text("0")})
    priority: int = Field(default=0, sa_column_kwargs={"server_default": text("0")})
    published_revision_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("flow_revision.id"), nullable=True)
    )
    settings_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class BotSessionRow(StoreModel, table=True):
    __tablename__ = "bot_session"
    __table_args__ = (
        Index("ux_bot_session_conversation", "conversation_id", unique=True),
        Index("ix_bot_session_bot_status", "bot_id", "status"),
        Index("ix_bot_session_wake_at", "wake_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("conversation.id", ondelete="CASCADE"), nullable=False)
    )
    bot_id: int = Field(
        sa_column=Column(Integer, ForeignKey("bot.id", ondelete="CASCADE"), nullable=False)
    )
    revision_id: int = Field(
        sa_column=Column(Integer, ForeignKey("flow_revision.id"), nullable=False)
    )
    state_json: str
    status: str
    wake_at: datetime | None = Field(default=None, sa_column=_ts())
    started_at: datetime = Field(sa_column=_ts(nullable=False))
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class BotTraceRow(StoreModel, table=True):
    __tablename__ = "bot_trace"
    __table_args__ = (
        Index("ix_bot_trace_conversation", "conversation_id", "id"),
        Index("ix_bot_trace_bot_at", "bot_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int | None = None
    conversation_id: int
    bot_id: int | None = None
    node_id: str | None = None
    node_type: str | None = None
    type: str
    inputs_json: str = Field(default="{}", sa_column_kwargs={"server_default": "{}"})
    output: str | None = None
    actions_json: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})
    error: str | None = None
    at: datetime = Field(sa_column=_ts(nullable=False))


flow_t: Table = METADATA.tables["flow"]
flow_revision_t: Table = METADATA.tables["flow_revision"]
bot_t: Table = METADATA.tables["bot"]
bot_session_t: Table = METADATA.tables["bot_session"]
bot_trace_t: Table = METADATA.tables["bot_trace"]


# -- message templates (wadesk.engine.templates): the last sync of each number's WABA templates.
# Migration 5 creates the same table.


class TemplateRow(StoreModel, table=True):
    __tablename__ = "template"
    __table_args__ = (
        Index("ux_template_number_name_language", "number_id", "name", "language", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    number_id: int = Field(
        sa_column=Column(Integer, ForeignKey("number.id", ondelete="CASCADE"), nullable=False)
    )
    graph_id: str | None = None
    name: str
    language: str
    status: str
    category: str | None = None
    components_json: str = Field(default="[]", sa_column_kwargs={"server_default": "[]"})
    parameter_format: str | None = None
    quality: str | None = None
    rejected_reason: str | None = None
    synced_at: datetime = Field(sa_column=_ts(nullable=False))


template_t: Table = METADATA.tables["template"]
