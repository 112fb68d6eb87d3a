"""The engine side of Settings on a real store: `engine.labels` (usage counts; rename, recolour
and delete republish every conversation carrying the label), `check_media_file` against
WhatsApp's limits, and restoring over an existing install (`prepare_restore` while the engine
runs, `StagedRestore.apply` after it stopped: old data kept in previous-…, media and quick
reply paths re-pointed, a failed move undone so the data dir is never half-restored)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from wadesk.core.events import ConversationUpdated, EngineEvent
from wadesk.core.outgoing_limits import LimitError
from wadesk.engine import backup as backup_module
from wadesk.engine.backup import BackupError, prepare_restore, restore_replacing
from wadesk.engine.config import Paths, Settings
from wadesk.engine.inbox import InboxError
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.quick_replies import QuickReply, QuickReplyStore, check_media_file
from wadesk.engine.secrets import SecretStore
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.engine.store.tables import contact_t, conversation_t

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def open_engine(data_dir: Path) -> Engine:
    redactor = SecretRedactor()
    settings = Settings(paths=Paths(data_dir, data_dir / "logs"), port=0)
    return Engine(settings, secrets=SecretStore(redactor), redactor=redactor)


def seed(conn: Any, names: tuple[str, ...] = ("Anna", "John")) -> list[int]:
    number = repo.add_number(conn, "Salon", "+15550783881", "106540352242922", "102290129340398")
    now = datetime.now(UTC)
    ids = []
    for n, name in enumerate(names):
        contact = conn.execute(
            insert(contact_t).values(
                wa_id=f"1555010100{n}", profile_name=name, created_at=now, updated_at=now
            )
        ).lastrowid
        ids.append(
            conn.execute(
                insert(conversation_t).values(
                    number_id=number.id, contact_id=contact, created_at=now, last_message_at=now
                )
            ).lastrowid
        )
    return ids


def exists(path: str | None) -> bool:
    return path is not None and Path(path).is_file()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    engine = open_engine(tmp_path / "data")
    await engine.start(serve=False, ingest=False)
    try:
        yield engine
    finally:
        await engine.stop()


async def test_label_service_counts_and_republishes(engine: Engine) -> None:
    ids = await engine.store.write(seed)
    events: list[EngineEvent] = []
    engine.subscribe(events.append)
    vip = await engine.labels.create("VIP", "#ff9800")
    new = await engine.labels.create("New", "#2196F3")
    assert vip.colour == "#FF9800"
    with pytest.raises(InboxError):
        await engine.labels.create("vip", "#000000")
    await engine.inbox.set_labels(ids[0], [vip.id, new.id])
    await engine.inbox.set_labels(ids[1], [vip.id])
    usage = {u.label.name: u.conversations for u in await engine.labels.usage()}
    assert usage == {"New": 1, "VIP": 2}

    events.clear()
    renamed = await engine.labels.edit(vip.id, "Regular", "#E91E63")
    assert (renamed.name, renamed.colour) == ("Regular", "#E91E63")
    updated = sorted(e.conversation.id for e in events if isinstance(e, ConversationUpdated))
    assert updated == sorted(ids)
    # the event does not carry labels: lists showing them are told to refetch
    assert all(e.labels_changed for e in events if isinstance(e, ConversationUpdated))
    rows = await engine.inbox.rows(ids)
    assert all(("Regular", "#E91E63") in [(x.name, x.colour) for x in r.labels] for r in rows)

    events.clear()
    assert await engine.labels.delete(new.id) == 1
    assert [e.conversation.id for e in events if isinstance(e, ConversationUpdated)] == [ids[0]]
    assert [u.label.name for u in await engine.labels.usage()] == ["Regular"]
    row = await engine.inbox.row(ids[0])
    assert [x.name for x in row.labels] == ["Regular"]


def test_check_media_file_uses_whatsapps_limits(tmp_path: Path) -> None:
    photo = tmp_path / "a.png"
    photo.write_bytes(PNG)
    assert check_media_file(photo) == ("image", "image/png")
    pdf = tmp_path / "menu.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert check_media_file(pdf) == ("document", "application/pdf")
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(LimitError) as too_big:
        check_media_file(big)
    assert "over the limit" in too_big.value.explain("en")
    assert "больше" in too_big.value.explain("ru")
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(LimitError, match="does not accept"):
        check_media_file(exe)
    with pytest.raises(LimitError, match="does not exist"):
        check_media_file(tmp_path / "missing.png")


async def _archive_with_data(tmp_path: Path) -> tuple[Path, Path]:
    """A source install with two conversations, a media file and a quick reply with media,
    archived; returns (archive, source data dir)."""
    source = open_engine(tmp_path / "source")
    await source.start(serve=False, ingest=False)
    try:
        await source.store.write(seed)
        media = source.settings.paths.data_dir / "media" / "photo.png"
        media.parent.mkdir(parents=True, exist_ok=True)
        media.write_bytes(PNG)
        QuickReplyStore(source.settings.paths.data_dir).save(
            [QuickReply("photo", "Here", str(media))]
        )
        archive = tmp_path / "backup.zip"
        await source.backup(archive)
    finally:
        await source.stop()
    return archive, source.settings.paths.data_dir


async def test_restore_over_an_existing_install_keeps_the_old_data(tmp_path: Path) -> None:
    archive, _source = await _archive_with_data(tmp_path)
    target = open_engine(tmp_path / "target")
    await target.start(serve=False, ingest=False)
    await target.store.write(lambda c: seed(c, ("Old customer",)))
    staged = await target.blocking(prepare_restore, archive, target.settings.paths.data_dir)
    assert staged.staging.is_dir() and target.store.is_open  # nothing touched yet
    await target.stop()
    previous = staged.apply()
    data_dir = target.settings.paths.data_dir
    assert previous is not None and (previous / "wadesk.sqlite3").is_file()
    assert not staged.staging.exists()
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".restore")]

    again = open_engine(data_dir)
    await again.start(serve=False, ingest=False)
    try:
        rows = await again.inbox.rows(await again.inbox.ids())
    finally:
        await again.stop()
    assert sorted(r.contact.profile_name for r in rows) == ["Anna", "John"]
    replies = QuickReplyStore(data_dir).load()
    assert replies[0].media_path == str((data_dir / "media" / "photo.png").resolve())
    assert exists(replies[0].media_path)

    old = open_engine(previous)
    await old.start(serve=False, ingest=False)
    try:
        old_rows = await old.inbox.rows(await old.inbox.ids())
    finally:
        await old.stop()
    assert [r.contact.profile_name for r in old_rows] == ["Old customer"]


async def test_a_failed_swap_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, _source = await _archive_with_data(tmp_path)
    target = open_engine(tmp_path / "target")
    await target.start(serve=False, ingest=False)
    await target.store.write(lambda c: seed(c, ("Old customer",)))
    await target.stop()
    data_dir = target.settings.paths.data_dir
    before = sorted(p.name for p in data_dir.iterdir())
    staged = prepare_restore(archive, data_dir)
    real_replace = os.replace
    moved_in: list[str] = []

    def flaky_replace(src: Any, dst: Any) -> None:
        if Path(src).parent == staged.staging:
            moved_in.append(Path(src).name)
            if len(moved_in) == 2:  # old files are out, one new file is in
                raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(backup_module.os, "replace", flaky_replace)
    with pytest.raises(BackupError, match="left as it was"):
        staged.apply()
    monkeypatch.setattr(backup_module.os, "replace", real_replace)
    staged.discard()
    assert len(moved_in) == 2
    assert sorted(p.name for p in data_dir.iterdir()) == before
    again = open_engine(data_dir)
    await again.start(serve=False, ingest=False)
    try:
        rows = await again.inbox.rows(await again.inbox.ids())
    finally:
        await again.stop()
    assert [r.contact.profile_name for r in rows] == ["Old customer"]

    # and once the disk is fine again, the same archive restores
    manifest, previous = restore_replacing(archive, data_dir)
    assert manifest.counts["conversation"] == 2 and previous is not None
    again = open_engine(data_dir)
    await again.start(serve=False, ingest=False)
    try:
        rows = await again.inbox.rows(await again.inbox.ids())
    finally:
        await again.stop()
    assert sorted(r.contact.profile_name for r in rows) == ["Anna", "John"]
