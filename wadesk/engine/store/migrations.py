"""Schema versions and the migrations between them (the version is `PRAGMA user_version`).

- A new (empty) database is created directly at `LATEST_VERSION` from the tables in
  `tables.py` (`METADATA.create_all`).
- An older database runs each missing step in order; every step runs in its own transaction
  together with the `user_version` update, so a crash leaves the file at a whole version.
- Steps are frozen SQL: once released a step never changes (the tables in `tables.py` move
  on; a test checks that "new" and "migrated" end in the same schema).

History:
  1. first schema: contacts by wa_id only, no field events, no reactions/origin on messages.
  2. BSUID identities on contacts (user_id, parent_user_id, username), message.reaction,
     message.origin, raw_event.phone_number_ids, the field_event table, a wider raw_event index.
  3. inbox: conversation labels (label, conversation_label) and FTS5 search over message text
     and contacts (message_fts, contact_fts, kept in sync by triggers).
  4. bots: flow (drafts), flow_revision (published), bot, bot_session, bot_trace.
  5. message templates synced from the Graph API (template).
  6. message (conversation_id, id): a conversation's newest page and older pages by id without
     sorting the whole conversation (opening one with 100,000 messages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from wadesk.engine.store.errors import SchemaError
from wadesk.engine.store.tables import METADATA


@dataclass(frozen=True, slots=True)
class Migration:
    """The step that takes a database from `version - 1` to `version`."""

    version: int
    description: str
    run: Callable[[Connection], None]


def _sql_step(statements: tuple[str, ...]) -> Callable[[Connection], None]:
    def run(conn: Connection) -> None:
        for statement in statements:
            conn.exec_driver_sql(statement)

    return run


_V2_STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE contact ADD COLUMN user_id VARCHAR",
    "ALTER TABLE contact ADD COLUMN parent_user_id VARCHAR",
    "ALTER TABLE contact ADD COLUMN username VARCHAR",
    "CREATE UNIQUE INDEX ux_contact_user_id ON contact (user_id)",
    "ALTER TABLE message ADD COLUMN reaction VARCHAR",
    "ALTER TABLE message ADD COLUMN origin VARCHAR DEFAULT 'webhook' NOT NULL",
    "UPDATE message SET origin = 'user' WHERE direction = 'outbound'",
    "ALTER TABLE raw_event ADD COLUMN phone_number_ids VARCHAR",
    "DROP INDEX ix_raw_event_result",
    "CREATE INDEX ix_raw_event_result ON raw_event (result, signature_verdict, id)",
    """CREATE TABLE field_event (
        id INTEGER NOT NULL,
        raw_event_id INTEGER,
        waba_id VARCHAR,
        field VARCHAR NOT NULL,
        value_json VARCHAR DEFAULT '{}' NOT NULL,
        time VARCHAR,
        PRIMARY KEY (id),
        FOREIGN KEY(raw_event_id) REFERENCES raw_event (id)
    )""",
    "CREATE INDEX ix_field_event_field_time ON field_event (field, time)",
)

_V3_STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE label (
        id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        colour VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL,
        PRIMARY KEY (id)
    )""",
    "CREATE UNIQUE INDEX ux_label_name ON label (name)",
    """CREATE TABLE conversation_label (
        conversation_id INTEGER NOT NULL,
        label_id INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, label_id),
        FOREIGN KEY(conversation_id) REFERENCES conversation (id) ON DELETE CASCADE,
        FOREIGN KEY(label_id) REFERENCES label (id) ON DELETE CASCADE
    )""",
    "CREATE INDEX ix_conversation_label_label ON conversation_label (label_id)",
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
    "INSERT INTO message_fts(message_fts) VALUES ('rebuild')",
    "INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')",
)

_V4_STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE flow (
        id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        draft_json VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL,
        PRIMARY KEY (id)
    )""",
    """CREATE TABLE flow_revision (
        id INTEGER NOT NULL,
        flow_id INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        json VARCHAR NOT NULL,
        published_at VARCHAR NOT NULL,
        note VARCHAR,
        PRIMARY KEY (id),
        FOREIGN KEY(flow_id) REFERENCES flow (id) ON DELETE CASCADE
    )""",
    "CREATE UNIQUE INDEX ux_flow_revision_flow_revision ON flow_revision (flow_id, revision)",
    """CREATE TABLE bot (
        id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        flow_id INTEGER NOT NULL,
        number_id INTEGER NOT NULL,
        active BOOLEAN DEFAULT 0 NOT NULL,
        priority INTEGER DEFAULT 0 NOT NULL,
        published_revision_id INTEGER,
        settings_json VARCHAR DEFAULT '{}' NOT NULL,
        created_at VARCHAR NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(flow_id) REFERENCES flow (id),
        FOREIGN KEY(number_id) REFERENCES number (id),
        FOREIGN KEY(published_revision_id) REFERENCES flow_revision (id)
    )""",
    "CREATE INDEX ix_bot_number ON bot (number_id, active)",
    """CREATE TABLE bot_session (
        id INTEGER NOT NULL,
        conversation_id INTEGER NOT NULL,
        bot_id INTEGER NOT NULL,
        revision_id INTEGER NOT NULL,
        state_json VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        wake_at VARCHAR,
        started_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(conversation_id) REFERENCES conversation (id) ON DELETE CASCADE,
        FOREIGN KEY(bot_id) REFERENCES bot (id) ON DELETE CASCADE,
        FOREIGN KEY(revision_id) REFERENCES flow_revision (id)
    )""",
    "CREATE UNIQUE INDEX ux_bot_session_conversation ON bot_session (conversation_id)",
    "CREATE INDEX ix_bot_session_bot_status ON bot_session (bot_id, status)",
    "CREATE INDEX ix_bot_session_wake_at ON bot_session (wake_at)",
    """CREATE TABLE bot_trace (
        id INTEGER NOT NULL,
        session_id INTEGER,
        conversation_id INTEGER NOT NULL,
        bot_id INTEGER,
        node_id VARCHAR,
        node_type VARCHAR,
        type VARCHAR NOT NULL,
        inputs_json VARCHAR DEFAULT '{}' NOT NULL,
        output VARCHAR,
        actions_json VARCHAR DEFAULT '[]' NOT NULL,
        error VARCHAR,
        at VARCHAR NOT NULL,
        PRIMARY KEY (id)
    )""",
    "CREATE INDEX ix_bot_trace_conversation ON bot_trace (conversation_id, id)",
    "CREATE INDEX ix_bot_trace_bot_at ON bot_trace (bot_id, at)",
)

_V5_STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE template (
        id INTEGER NOT NULL,
        number_id INTEGER NOT NULL,
        graph_id VARCHAR,
        name VARCHAR NOT NULL,
        language VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        category VARCHAR,
        components_json VARCHAR DEFAULT '[]' NOT NULL,
        parameter_format VARCHAR,
        quality VARCHAR,
        rejected_reason VARCHAR,
        synced_at VARCHAR NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(number_id) REFERENCES number (id) ON DELETE CASCADE
    )""",
    "CREATE UNIQUE INDEX ux_template_number_name_language ON template (number_id, name, language)",
)

_V6_STATEMENTS: tuple[str, ...] = (
    "CREATE INDEX IF NOT EXISTS ix_message_conversation_id ON message (conversation_id, id)",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "BSUID contacts, reactions, origin, field events", _sql_step(_V2_STATEMENTS)),
    Migration(3, "inbox labels and full-text search", _sql_step(_V3_STATEMENTS)),
    Migration(4, "bots: flows, revisions, bots, sessions, traces", _sql_step(_V4_STATEMENTS)),
    Migration(5, "message templates", _sql_step(_V5_STATEMENTS)),
    Migration(6, "message pages by conversation and id", _sql_step(_V6_STATEMENTS)),
)

LATEST_VERSION = 6
OLDEST_MIGRATABLE_VERSION = 1


def schema_version(conn: Connection) -> int:
    value = conn.exec_driver_sql("PRAGMA user_version").scalar()
    return int(value or 0)


def _user_tables(conn: Connection) -> list[str]:
    rows = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [str(row[0]) for row in rows]


def migrate(conn: Connection) -> int:
    """Bring the database behind `conn` to `LATEST_VERSION`; returns the version it had.

    `conn` must not be inside a transaction: each step commits on its own. Raises
    `SchemaError` for a file written by a newer wadesk or a non-empty database that is not
    wadesk's.
    """
    if conn.in_transaction():
        conn.commit()
    with conn.begin():
        start = schema_version(conn)
        if start > LATEST_VERSION:
            raise SchemaError(
                f"the database has schema version {start}, newer than this wadesk understands "
                f"({LATEST_VERSION}); update wadesk or use another data directory"
            )
        if start == 0:
            if _user_tables(conn):
                raise SchemaError("the database file is not empty and is not a wadesk database")
            METADATA.create_all(conn)
            conn.exec_driver_sql(f"PRAGMA user_version = {LATEST_VERSION}")
            return 0
        if start < OLDEST_MIGRATABLE_VERSION:
            raise SchemaError(f"schema version {start} is too old to migrate")
    for step in MIGRATIONS:
        if step.version <= start:
            continue
        with conn.begin():
            step.run(conn)
            conn.exec_driver_sql(f"PRAGMA user_version = {int(step.version)}")
    return start
