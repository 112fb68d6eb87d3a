"""The version-1 schema of the wadesk database (frozen), and a builder of a v1 file with data,
for the migration tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

V1_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE number (
        id INTEGER NOT NULL,
        label VARCHAR NOT NULL,
        phone VARCHAR NOT NULL,
        phone_number_id VARCHAR NOT NULL,
        waba_id VARCHAR NOT NULL,
        active BOOLEAN DEFAULT 1 NOT NULL,
        created_at VARCHAR NOT NULL,
        last_webhook_at VARCHAR,
        settings_json VARCHAR DEFAULT '{}' NOT NULL,
        PRIMARY KEY (id)
    )""",
    "CREATE UNIQUE INDEX ux_number_phone_number_id ON number (phone_number_id)",
    "CREATE UNIQUE INDEX ux_number_label ON number (label)",
    """CREATE TABLE contact (
        id INTEGER NOT NULL,
        wa_id VARCHAR,
        profile_name VARCHAR,
        local_name VARCHAR,
        notes VARCHAR,
        custom_fields_json VARCHAR DEFAULT '{}' NOT NULL,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL,
        PRIMARY KEY (id)
    )""",
    "CREATE UNIQUE INDEX ux_contact_wa_id ON contact (wa_id)",
    """CREATE TABLE pending_status (
        id INTEGER NOT NULL,
        wamid VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        timestamp VARCHAR NOT NULL,
        payload_json VARCHAR DEFAULT '{}' NOT NULL,
        error_code INTEGER,
        error_title VARCHAR,
        error_details VARCHAR,
        PRIMARY KEY (id)
    )""",
    "CREATE UNIQUE INDEX ux_pending_status_wamid_status ON pending_status (wamid, status)",
    """CREATE TABLE raw_event (
        id INTEGER NOT NULL,
        received_at VARCHAR NOT NULL,
        body BLOB NOT NULL,
        signature_verdict VARCHAR NOT NULL,
        result VARCHAR NOT NULL,
        detail VARCHAR,
        field VARCHAR,
        processed_at VARCHAR,
        PRIMARY KEY (id)
    )""",
    "CREATE INDEX ix_raw_event_result ON raw_event (result)",
    """CREATE TABLE conversation (
        id INTEGER NOT NULL,
        number_id INTEGER NOT NULL,
        contact_id INTEGER NOT NULL,
        last_inbound_at VARCHAR,
        last_message_at VARCHAR,
        last_message_preview VARCHAR,
        unread_count INTEGER DEFAULT 0 NOT NULL,
        state VARCHAR DEFAULT 'open' NOT NULL,
        mode VARCHAR DEFAULT 'bot' NOT NULL,
        created_at VARCHAR NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(number_id) REFERENCES number (id),
        FOREIGN KEY(contact_id) REFERENCES contact (id)
    )""",
    "CREATE UNIQUE INDEX ux_conversation_number_contact ON conversation (number_id, contact_id)",
    "CREATE INDEX ix_conversation_last_message_at ON conversation (last_message_at)",
    """CREATE TABLE message (
        id INTEGER NOT NULL,
        conversation_id INTEGER NOT NULL,
        wamid VARCHAR,
        direction VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        text VARCHAR,
        payload_json VARCHAR DEFAULT '{}' NOT NULL,
        media_id VARCHAR,
        media_mime VARCHAR,
        media_path VARCHAR,
        media_size INTEGER,
        reply_to VARCHAR,
        error_code INTEGER,
        error_title VARCHAR,
        error_details VARCHAR,
        timestamp VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL,
        updated_at VARCHAR NOT NULL,
        sent_at VARCHAR,
        delivered_at VARCHAR,
        read_at VARCHAR,
        raw_event_id INTEGER,
        PRIMARY KEY (id),
        FOREIGN KEY(conversation_id) REFERENCES conversation (id),
        FOREIGN KEY(raw_event_id) REFERENCES raw_event (id)
    )""",
    "CREATE INDEX ix_message_conversation_timestamp ON message (conversation_id, timestamp)",
    "CREATE INDEX ix_message_status ON message (status)",
    "CREATE UNIQUE INDEX ux_message_wamid ON message (wamid)",
)

T0 = "2026-01-05 10:00:00.000000"
T1 = "2026-01-05 10:05:00.000000"

V1_DATA: tuple[str, ...] = (
    "INSERT INTO number (id, label, phone, phone_number_id, waba_id, created_at)"
    f" VALUES (1, 'shop', '+15550001111', 'PNID1', 'WABA1', '{T0}')",
    "INSERT INTO contact (id, wa_id, profile_name, created_at, updated_at)"
    f" VALUES (1, '15551234567', 'Ann', '{T0}', '{T0}')",
    "INSERT INTO raw_event (id, received_at, body, signature_verdict, result, field)"
    f" VALUES (1, '{T0}', X'7B7D', 'valid', 'applied', 'messages')",
    "INSERT INTO conversation (id, number_id, contact_id, last_inbound_at, last_message_at,"
    " last_message_preview, unread_count, state, mode, created_at)"
    f" VALUES (1, 1, 1, '{T0}', '{T1}', 'thanks', 1, 'open', 'human', '{T0}')",
    "INSERT INTO message (id, conversation_id, wamid, direction, type, status, text,"
    " timestamp, created_at, updated_at, raw_event_id)"
    f" VALUES (1, 1, 'wamid.IN1', 'inbound', 'text', 'received', 'hello', '{T0}', '{T0}',"
    f" '{T0}', 1)",
    "INSERT INTO message (id, conversation_id, wamid, direction, type, status, text,"
    " timestamp, created_at, updated_at, sent_at)"
    f" VALUES (2, 1, 'wamid.OUT1', 'outbound', 'text', 'sent', 'thanks', '{T1}', '{T1}',"
    f" '{T1}', '{T1}')",
)


def create_v1_database(path: Path) -> None:
    """A version-1 wadesk database file with one number, contact, conversation, 2 messages."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for statement in V1_SCHEMA + V1_DATA:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("COMMIT")
    finally:
        conn.close()
