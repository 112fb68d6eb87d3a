"""Backup and restore on real data: a demo engine on the sandbox receives text and a photo,
replies, gets a flow; `Engine.backup` archives it while running; `restore` into a new data dir
gives the same conversations, messages, media files and flows — and no secret is anywhere in
the archive (keyring, environment, ngrok.yml and logs all hold known secrets). Plus the refusals
(non-empty dir, not a backup, newer schema, unsafe names), migration of an older schema, and
`wadesk backup` / `wadesk restore`."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import keyring
import pytest

from tests.integration.demo_helpers import demo, until
from tests.integration.test_media_sync import png
from wadesk import cli
from wadesk.core import outgoing
from wadesk.core.enums import MessageStatus
from wadesk.engine.backup import (
    DB_MEMBER,
    MANIFEST,
    BackupError,
    create_backup,
    read_manifest,
    restore,
)
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.secrets import SecretKind, SecretStore
from wadesk.engine.service import Engine
from wadesk.engine.store import repo

ANNA, JOHN = "79161234567", "15550101001"
KEYRING_SECRET = "kr-secret-0123456789abcdef"
ENV_SECRET = "env-ngrok-authtoken-9876543210"


def snapshot(conn: Any) -> dict[str, Any]:
    conversations = repo.list_conversations(conn, limit=1000)
    messages = []
    for conversation in conversations:
        for m in repo.list_messages(conn, conversation.id):
            messages.append((m.wamid, m.direction, m.type, m.status, m.text))
    return {
        "conversations": sorted((c.id, c.contact_id, c.number_id) for c in conversations),
        "messages": sorted(messages, key=lambda t: str(t[0])),
    }


def media_paths(conn: Any) -> list[str]:
    rows = conn.exec_driver_sql("SELECT media_path FROM message WHERE media_path IS NOT NULL")
    return [str(r[0]) for r in rows]


async def make_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    """A stopped demo data dir with data; returns (runtime, secrets it must never leak)."""
    monkeypatch.setenv("WADESK_NGROK_AUTHTOKEN", ENV_SECRET)
    keyring.set_password("wadesk", "access_token:109876543210001", KEYRING_SECRET)
    rt = await demo(tmp_path)
    engine = rt.engine
    await rt.sandbox.customer(ANNA).say("Здравствуйте! Можно записаться?")
    await rt.sandbox.customer(JOHN).say("Hi there")
    photo = png()
    wamid = await rt.sandbox.customer(ANNA).image(photo, "Вот так", mime_type="image/png")

    async def downloaded() -> bool:
        m = await engine.store.read(lambda c: repo.get_message_by_wamid(c, wamid=wamid))
        return bool(m and m.media_path)

    await until(downloaded)

    def anna_conversation(conn: Any) -> Any:
        for conversation in repo.list_conversations(conn, limit=10):
            contact = repo.get_contact(conn, conversation.contact_id)
            if contact is not None and contact.wa_id == ANNA:
                return conversation
        raise AssertionError("no conversation with Anna")

    anna = await engine.store.read(anna_conversation)
    await engine.send(anna.id, body=outgoing.text(ANNA, "Да, на 10:00"))
    await until(lambda: len(rt.sandbox.sent_messages) >= 1)

    async def reply_read() -> bool:  # the last status webhook has been applied
        messages = await engine.store.read(lambda c: repo.list_messages(c, anna.id))
        return any(m.status is MessageStatus.READ for m in messages)

    await until(reply_read)
    await engine.bots.create_flow("Приветствие")
    await engine.bots.create_flow("After hours")
    data_dir = engine.settings.paths.data_dir
    # places where a careless backup would pick secrets up
    (data_dir / "ngrok.yml").write_text(f"authtoken: {ENV_SECRET}\n", encoding="utf-8")
    (data_dir / "logs").mkdir(exist_ok=True)
    (data_dir / "logs" / "wadesk.log").write_text(f"token {KEYRING_SECRET}\n", encoding="utf-8")
    config = rt.sandbox.config
    secrets = [config.access_token, config.app_secret, KEYRING_SECRET, ENV_SECRET]
    secrets.append(engine.verify_token)
    return rt, secrets


def open_engine(data_dir: Path) -> Engine:
    settings = Settings(paths=Paths(data_dir, data_dir / "logs"), port=0)
    return Engine(settings, secrets=SecretStore(SecretRedactor()), redactor=SecretRedactor())


async def test_backup_then_restore_gives_the_same_data_and_no_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt, secrets = await make_data(tmp_path, monkeypatch)
    engine = rt.engine
    archive = tmp_path / "out" / "backup.zip"
    steps: list[tuple[int, int]] = []
    try:
        before = await engine.store.read(snapshot)
        flows_before = sorted(f.name for f in await engine.bots.flows())
        manifest = await engine.backup(archive, lambda d, t: steps.append((d, t)))
        await asyncio.sleep(0.05)  # progress arrives through the loop
    finally:
        await rt.stop()
    assert steps and steps[-1][0] == steps[-1][1]
    assert manifest.counts["conversation"] == 2 and manifest.counts["flow"] == 2
    assert manifest.counts["media_files"] == 1
    assert manifest.counts["message"] == len(before["messages"]) == 4

    raw = archive.read_bytes()
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        contents = [zf.read(n) for n in names]
    for secret in secrets:
        assert secret.encode() not in raw
        assert all(secret.encode() not in c for c in contents), "a secret is in the archive"
    assert not [n for n in names if "ngrok" in n or "log" in n or "session" in n]
    assert MANIFEST in names and DB_MEMBER in names

    new_dir = tmp_path / "restored"
    restored_manifest = await asyncio.to_thread(restore, archive, new_dir)
    assert restored_manifest.counts == manifest.counts
    again = open_engine(new_dir)
    await again.start(serve=False, ingest=False)
    try:
        assert await again.store.read(snapshot) == before
        assert sorted(f.name for f in await again.bots.flows()) == flows_before
        paths = await again.store.read(media_paths)
    finally:
        await again.stop()
    assert len(paths) == 1
    assert await asyncio.to_thread(_restored_media_ok, Path(paths[0]), new_dir)


def _restored_media_ok(media: Path, new_dir: Path) -> bool:
    assert media.is_relative_to(new_dir.resolve()) and media.is_file()
    assert hashlib.sha256(media.read_bytes()).hexdigest() == hashlib.sha256(png()).hexdigest()
    assert not (new_dir / "ngrok.yml").exists()
    return True


async def test_restore_refuses_a_non_empty_dir_unless_forced(tmp_path: Path) -> None:
    data = tmp_path / "a"
    engine = open_engine(data)
    await engine.start(serve=False, ingest=False)
    await engine.stop()
    archive = tmp_path / "a.zip"
    await asyncio.to_thread(create_backup, data, archive)
    target = tmp_path / "b"
    target.mkdir()
    (target / "something.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BackupError, match="already contains data"):
        restore(archive, target)
    restore(archive, target, force=True)
    assert (target / "wadesk.sqlite3").is_file() and (target / "something.txt").is_file()
    assert read_manifest(archive).schema_version >= 1


def test_restore_refuses_what_is_not_a_good_backup(tmp_path: Path) -> None:
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"hello")
    with pytest.raises(BackupError, match="cannot read"):
        restore(not_zip, tmp_path / "d1")
    no_manifest = tmp_path / "y.zip"
    with zipfile.ZipFile(no_manifest, "w") as zf:
        zf.writestr("wadesk.sqlite3", b"")
    with pytest.raises(BackupError, match="not a wadesk backup"):
        restore(no_manifest, tmp_path / "d2")
    manifest = {
        "format": "wadesk-backup",
        "format_version": 1,
        "app_version": "9.9",
        "schema_version": 99,
        "created_at": "2030-01-01T00:00:00+00:00",
        "source_data_dir": "/x",
        "counts": {},
    }
    newer = tmp_path / "z.zip"
    with zipfile.ZipFile(newer, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
        zf.writestr(DB_MEMBER, b"")
    with pytest.raises(BackupError, match="newer than this wadesk"):
        restore(newer, tmp_path / "d3")
    unsafe = tmp_path / "u.zip"
    with zipfile.ZipFile(unsafe, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(dict(manifest, schema_version=1)))
        zf.writestr(DB_MEMBER, b"")
        zf.writestr("files/../../evil.txt", b"x")
    with pytest.raises(BackupError, match="unsafe file name"):
        restore(unsafe, tmp_path / "d4")
    assert not (tmp_path / "evil.txt").exists()


def test_restore_migrates_an_older_schema(tmp_path: Path) -> None:
    """A backup whose database is at schema 4 (no template table yet) comes back at the latest."""
    from wadesk.engine.store.migrations import LATEST_VERSION

    data = tmp_path / "old"
    data.mkdir()
    engine = open_engine(data)
    asyncio.run(_start_stop(engine))
    db = sqlite3.connect(data / "wadesk.sqlite3")
    db.execute("DROP TABLE IF EXISTS template")
    db.execute("PRAGMA user_version = 4")
    db.commit()
    db.close()
    archive = tmp_path / "old.zip"
    manifest = create_backup(data, archive)
    assert manifest.schema_version == 4
    target = tmp_path / "new"
    restore(archive, target)
    db = sqlite3.connect(target / "wadesk.sqlite3")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        db.close()
    assert version == LATEST_VERSION and "template" in tables


async def _start_stop(engine: Engine) -> None:
    await engine.start(serve=False, ingest=False)
    await engine.stop()


def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    keyring.set_password("wadesk", SecretKind.NGROK_AUTHTOKEN.value, KEYRING_SECRET)
    assert cli.main(["--data-dir", str(data), "backup", "--out", str(tmp_path / "b.zip")]) == 1
    assert "nothing to back up" in capsys.readouterr().err
    asyncio.run(_start_stop(open_engine(data)))
    out = tmp_path / "b.zip"
    assert cli.main(["backup", "--data-dir", str(data), "--out", str(out)]) == 0
    assert "(no secrets)" in capsys.readouterr().out
    assert KEYRING_SECRET.encode() not in out.read_bytes()
    target = tmp_path / "restored"
    assert cli.main(["restore", str(out), "--data-dir", str(target)]) == 0
    printed = capsys.readouterr().out
    assert "Restored 0 conversations" in printed and "enter each number's access token" in printed
    assert cli.main(["restore", str(out), "--data-dir", str(target)]) == 1
    assert "already contains data" in capsys.readouterr().err
    assert cli.main(["restore", str(out), "--data-dir", str(target), "--force"]) == 0
