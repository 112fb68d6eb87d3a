"""Backup and restore of a data dir: one zip archive with a manifest, never any secret.

An archive holds:

- `manifest.json`: format, app version, schema version, created_at, the source data dir (to
  re-point stored media paths on restore), counts (numbers, contacts, conversations, messages,
  flows, bots, templates, media files);
- `wadesk.db`: a consistent snapshot of the database taken with SQLite's online backup API
  while the engine may be running (conversations, messages, contacts, labels, flows and their
  revisions, bots, templates, raw events);
- `files/…`: media files (`media/`), sent attachments (`outgoing/`), `quick_replies.json` and
  `connection.json` (non-secret connection settings).

Left out: logs, `ngrok.yml` (may hold the ngrok authtoken), the demo's sandbox session, and
every secret — access tokens, app secrets, verify and ngrok tokens live in the system keyring,
not in the data dir. `create_backup(…, secrets=…)` also scans every non-media file it writes
for the given secret values and refuses to finish an archive that contains one.

`restore(archive, data_dir)` unpacks into a fresh (empty) data dir — a non-empty one only with
`force=True`, replacing wadesk's files there — after validating the manifest and every member
name; it migrates an older schema to the current one, re-points media paths at the new data
dir and checks the counts. After a restore the user re-enters the secrets (Numbers page /
`wadesk numbers add`). Over an existing install (Settings → Backup), `prepare_restore()`
unpacks and checks the archive in a staging folder while the engine still runs, and
`StagedRestore.apply()` swaps it in once the engine has stopped, keeping the old files in
`previous-<time>/` (`restore_replacing()` does both). These functions are blocking: run them in an executor
(`Engine.backup` does). `progress(done, total)` is called from that thread.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from wadesk import __version__
from wadesk.engine.config import DB_FILE_NAME
from wadesk.engine.store.migrations import LATEST_VERSION
from wadesk.engine.store.sqlite import connect

FORMAT = "wadesk-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = "wadesk.sqlite3"
FILES_PREFIX = "files/"
FILE_DIRS = ("media", "outgoing")
FILE_NAMES = ("quick_replies.json", "connection.json")
COUNTED_TABLES = ("number", "contact", "conversation", "message", "flow", "bot", "template")
_CHUNK = 1024 * 1024

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in plain words."""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What `manifest.json` says about an archive."""

    app_version: str
    schema_version: int
    created_at: str
    source_data_dir: str
    counts: dict[str, int] = field(default_factory=dict)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise BackupError("this file is not a wadesk backup")
            if int(data.get("format_version", 0)) > FORMAT_VERSION:
                raise BackupError("this backup was made by a newer wadesk: update wadesk first")
            return cls(
                app_version=str(data["app_version"]),
                schema_version=int(data["schema_version"]),
                created_at=str(data["created_at"]),
                source_data_dir=str(data["source_data_dir"]),
                counts={str(k): int(v) for k, v in dict(data["counts"]).items()},
                format_version=int(data["format_version"]),
            )
        except BackupError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"the backup's manifest is damaged ({exc})") from None


# -- backup ------------------------------------------------------------------------------------


def _table_counts(db: sqlite3.Connection) -> dict[str, int]:
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return {
        table: int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])
        for table in COUNTED_TABLES
        if table in names
    }


def _data_files(data_dir: Path) -> Iterator[tuple[Path, str]]:
    """(path, archive name) of every file that goes under `files/`."""
    for name in FILE_NAMES:
        path = data_dir / name
        if path.is_file():
            yield path, FILES_PREFIX + name
    for folder in FILE_DIRS:
        root = data_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
                yield path, FILES_PREFIX + path.relative_to(data_dir).as_posix()


def _contains_secret(path: Path, needles: list[bytes]) -> bool:
    if not needles:
        return False
    overlap = max(len(n) for n in needles)
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            window = tail + chunk
            if any(n in window for n in needles):
                return True
            tail = window[-overlap:]
    return False


def create_backup(
    data_dir: Path,
    out: Path,
    *,
    progress: Progress | None = None,
    secrets: Iterable[str] = (),
) -> Manifest:
    """Write the archive of `data_dir` to `out` (atomically: a temp file renamed at the end)."""
    data_dir = Path(data_dir)
    out = Path(out)
    db_file = data_dir / DB_FILE_NAME
    if not db_file.is_file():
        raise BackupError(f"there is no wadesk database in {data_dir}: nothing to back up")
    needles = [s.encode() for s in secrets if s and len(s) >= 8]
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wadesk-backup-") as tmp:
        snapshot = Path(tmp) / DB_MEMBER
        source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        target = sqlite3.connect(snapshot)
        try:
            source.backup(target)
            schema = int(target.execute("PRAGMA user_version").fetchone()[0])
            counts = _table_counts(target)
        finally:
            target.close()
            source.close()
        files = list(_data_files(data_dir))
        counts["media_files"] = sum(
            1 for _, name in files if name.startswith(FILES_PREFIX + "media/")
        )
        manifest = Manifest(
            app_version=__version__,
            schema_version=schema,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            source_data_dir=str(data_dir.resolve()),
            counts=counts,
        )
        scanned = [(snapshot, DB_MEMBER)] + [
            (p, n) for p, n in files if not n.startswith(FILES_PREFIX + "media/")
        ]
        for path, name in scanned:
            if _contains_secret(path, needles):
                raise BackupError(f"{name} contains a secret; the backup was not written")
        total = snapshot.stat().st_size + sum(p.stat().st_size for p, _ in files)
        done = 0
        partial_out = out.with_name(out.name + ".part")
        try:
            with zipfile.ZipFile(partial_out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                zf.writestr(MANIFEST, manifest.to_json())
                for path, name in [(snapshot, DB_MEMBER), *files]:
                    size = path.stat().st_size
                    stored = name.startswith(FILES_PREFIX + "media/")  # already compressed
                    zf.write(path, name, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
                    done += size
                    if progress is not None:
                        progress(done, total)
            os.replace(partial_out, out)
        finally:
            partial_out.unlink(missing_ok=True)
    return manifest


# -- restore -------------------------------------------------------------------------------------


def read_manifest(archive: Path) -> Manifest:
    """The manifest of `archive` (BackupError when it is not a wadesk backup)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            return Manifest.from_json(zf.read(MANIFEST))
    except FileNotFoundError:
        raise BackupError(f"{archive} does not exist") from None
    except KeyError:
        raise BackupError("this file is not a wadesk backup (no manifest)") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"cannot read {archive}: {exc}") from None


def _is_empty(data_dir: Path) -> bool:
    ignorable = {"logs"}
    return not data_dir.exists() or all(p.name in ignorable for p in data_dir.iterdir())


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name or ":" in name:
        raise BackupError(f"the backup contains an unsafe file name: {name!r}")
    return path


def _remove_existing(data_dir: Path) -> None:
    for name in (DB_FILE_NAME, DB_FILE_NAME + "-wal", DB_FILE_NAME + "-shm", *FILE_NAMES):
        (data_dir / name).unlink(missing_ok=True)
    for folder in FILE_DIRS:
        shutil.rmtree(data_dir / folder, ignore_errors=True)


def _repoint_media(db_path: Path, old_dir: str, new_dir: Path) -> None:
    old = old_dir.rstrip("/\\")
    new = str(new_dir.resolve())
    if old == new:
        return
    with sqlite3.connect(db_path) as db:
        db.execute(
            "UPDATE message SET media_path = ? || substr(media_path, ?) "
            "WHERE substr(media_path, 1, ?) = ?",
            (new, len(old) + 1, len(old), old),
        )
    db.close()


def _repoint_quick_replies(path: Path, old_dir: str, new_dir: Path) -> None:
    if not path.is_file():
        return
    old = old_dir.rstrip("/\\")
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return
    items = data.get("quick_replies") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return
    for item in items:
        media = item.get("media_path") if isinstance(item, dict) else None
        if isinstance(media, str) and media.startswith(old):
            item["media_path"] = str(new_dir.resolve()) + media[len(old) :]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def restore(
    archive: Path,
    data_dir: Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    final_dir: Path | None = None,
) -> Manifest:
    """Restore `archive` into `data_dir` (see the module doc); returns its manifest.

    `final_dir`: where the restored files will finally live when `data_dir` is a staging
    folder (media paths are pointed there); default `data_dir`."""
    archive, data_dir = Path(archive), Path(data_dir)
    final = Path(final_dir) if final_dir is not None else data_dir
    manifest = read_manifest(archive)
    if manifest.schema_version > LATEST_VERSION:
        raise BackupError(
            f"this backup has schema version {manifest.schema_version}, newer than this wadesk "
            f"understands ({LATEST_VERSION}): update wadesk first"
        )
    if not _is_empty(data_dir) and not force:
        raise BackupError(
            f"{data_dir} already contains data; restore into an empty folder (or use --force "
            "to replace wadesk's database and files there)"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(archive) as zf,
        tempfile.TemporaryDirectory(prefix=".restore-", dir=data_dir) as tmp,
    ):
        members = [m for m in zf.infolist() if not m.is_dir() and m.filename != MANIFEST]
        if DB_MEMBER not in {m.filename for m in members}:
            raise BackupError("the backup has no database")
        total = sum(m.file_size for m in members) or 1
        done = 0
        staging = Path(tmp)
        for member in members:
            name = _safe_member(member.filename)
            if member.filename == DB_MEMBER:
                dest = staging / DB_FILE_NAME
            elif member.filename.startswith(FILES_PREFIX):
                dest = staging.joinpath(*name.parts[1:])
            else:
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(member) as src, dest.open("wb") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
            done += member.file_size
            if progress is not None:
                progress(done, total)
        db_path = staging / DB_FILE_NAME
        try:
            connect(db_path).dispose()  # migrates an older schema
        except Exception as exc:
            raise BackupError(f"the backup's database cannot be opened: {exc}") from None
        _repoint_media(db_path, manifest.source_data_dir, final)
        _repoint_quick_replies(staging / "quick_replies.json", manifest.source_data_dir, final)
        with sqlite3.connect(db_path) as db:
            counts = _table_counts(db)
        db.close()
        for table, expected in manifest.counts.items():
            if table in counts and counts[table] != expected:
                raise BackupError(
                    f"the backup is incomplete: {counts[table]} {table} rows, {expected} expected"
                )
        if force:
            _remove_existing(data_dir)
        for item in sorted(staging.iterdir()):
            os.replace(item, data_dir / item.name)
    return manifest


def _wadesk_items(data_dir: Path) -> list[str]:
    names = [DB_FILE_NAME, DB_FILE_NAME + "-wal", DB_FILE_NAME + "-shm", *FILE_NAMES, *FILE_DIRS]
    return [n for n in names if (data_dir / n).exists()]


@dataclass(frozen=True, slots=True)
class StagedRestore:
    """A backup unpacked and checked next to the live data, ready to be swapped in."""

    manifest: Manifest
    staging: Path
    data_dir: Path

    def apply(self) -> Path | None:
        """Swap the staged data in (the engine must be stopped; blocking).

        wadesk's current files move aside into `previous-<time>/` (kept, so nothing is lost),
        then the staged ones move in. If a move fails, the moves done so far are undone, so
        the data dir holds either the old data or the restored data, never a mix. Returns the
        folder with the previous data (None when there was none)."""
        data_dir, staging = self.data_dir, self.staging
        existing = _wadesk_items(data_dir)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        previous = data_dir / f"previous-{stamp}" if existing else None
        moved_out: list[str] = []
        moved_in: list[str] = []
        try:
            if previous is not None:
                previous.mkdir()
                for name in existing:
                    os.replace(data_dir / name, previous / name)
                    moved_out.append(name)
            for item in sorted(staging.iterdir()):
                os.replace(item, data_dir / item.name)
                moved_in.append(item.name)
        except OSError as exc:
            for name in reversed(moved_in):
                os.replace(data_dir / name, staging / name)
            for name in reversed(moved_out):
                assert previous is not None
                os.replace(previous / name, data_dir / name)
            if previous is not None and previous.exists() and not any(previous.iterdir()):
                previous.rmdir()
            raise BackupError(
                f"the restored files could not be moved into place ({exc.strerror or exc}); "
                "your data was left as it was"
            ) from None
        self.discard()
        return previous

    def discard(self) -> None:
        """Remove the staging folder (after `apply`, or to give up)."""
        shutil.rmtree(self.staging, ignore_errors=True)


def prepare_restore(
    archive: Path, data_dir: Path, *, progress: Progress | None = None
) -> StagedRestore:
    """Unpack and check `archive` in a staging folder inside `data_dir` (blocking; the engine
    may keep running). Nothing in `data_dir` changes until `StagedRestore.apply()`."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-staging-", dir=data_dir))
    try:
        manifest = restore(archive, staging, progress=progress, final_dir=data_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StagedRestore(manifest, staging, data_dir)


def restore_replacing(
    archive: Path, data_dir: Path, *, progress: Progress | None = None
) -> tuple[Manifest, Path | None]:
    """`prepare_restore` + `apply` (the engine must be stopped): the manifest and the folder
    holding the previous data."""
    staged = prepare_restore(archive, data_dir, progress=progress)
    try:
        return staged.manifest, staged.apply()
    finally:
        staged.discard()


# -- the engine's command -------------------------------------------------------------------------


def known_secrets(secret_store: Any, phone_number_ids: Iterable[str]) -> list[str]:
    """Every secret value the store knows for these numbers, plus the global ones (blocking)."""
    from wadesk.engine.secrets import SecretKind, SecretsUnavailable

    wanted: list[tuple[SecretKind, str]] = [
        (SecretKind.VERIFY_TOKEN, ""),
        (SecretKind.NGROK_AUTHTOKEN, ""),
    ]
    for pnid in phone_number_ids:
        wanted += [(SecretKind.ACCESS_TOKEN, pnid), (SecretKind.APP_SECRET, pnid)]
    found: list[str] = []
    for kind, scope in wanted:
        try:
            value = secret_store.get(kind, scope)
        except (SecretsUnavailable, OSError, RuntimeError):
            continue
        if value:
            found.append(value)
    return found


async def backup_engine(engine: Any, out: Path, progress: Progress | None = None) -> Manifest:
    """`Engine.backup`: archive the running engine's data dir, checked against its secrets;
    `progress(done, total)` is called on the event loop."""
    import asyncio

    loop = asyncio.get_running_loop()
    numbers = await engine.list_numbers()
    secret_values = await engine.blocking(
        known_secrets, engine.secrets, [n.phone_number_id for n in numbers]
    )

    def report(done: int, total: int) -> None:
        if progress is not None:
            loop.call_soon_threadsafe(progress, done, total)

    manifest: Manifest = await engine.blocking(
        create_backup,
        engine.settings.paths.data_dir,
        Path(out),
        progress=report,
        secrets=secret_values,
    )
    return manifest
