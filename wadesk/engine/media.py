"""The local media store: content-addressed files under a root directory.

A file whose sha256 is `abcdef…` lives at `root/ab/cdef…`, so the same bytes are stored once.
`save_download` fetches an inbound media item through the Cloud API client (media info → short
lived URL → streamed GET with the bearer token), checks its type and size, verifies the sha256
Meta reported, and moves it into place. All file-system work runs in threads; the event loop is
never blocked.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from wadesk.core.errors import (
    MEDIA_CHECKSUM_MISMATCH,
    MEDIA_TOO_LARGE,
    MEDIA_TYPE_NOT_ALLOWED,
    LocalError,
)
from wadesk.core.outgoing import MEDIA_LIMITS, base_mime
from wadesk.engine.cloudapi.client import DownloadResult, MediaInfo, Progress

log = logging.getLogger(__name__)

DEFAULT_MAX_SIZE = 100 * 1024 * 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class MediaSource(Protocol):
    """What the store needs from a Cloud API client (`CloudApiClient` satisfies it)."""

    async def media_info(self, media_id: str) -> MediaInfo: ...

    async def download(
        self, url: str, dest: Path, max_size: int, progress: Progress | None = None
    ) -> DownloadResult: ...


@dataclass(frozen=True, slots=True)
class StoredMedia:
    """A media file in the store."""

    sha256: str
    path: Path
    mime: str | None
    size: int


def normalize_sha256(value: str | None) -> str | None:
    """Meta's sha256 as lower-case hex; it comes as hex or base64. None if unreadable."""
    if not value:
        return None
    text = value.strip()
    if _HEX64.match(text.lower()):
        return text.lower()
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            return None
    return raw.hex() if len(raw) == 32 else None


class MediaStore:
    """Content-addressed media files under `root`."""

    def __init__(self, root: Path, *, max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.root = Path(root)
        self.max_size = max_size

    def __repr__(self) -> str:
        return f"MediaStore(root={str(self.root)!r})"

    def path_for(self, sha256: str) -> Path:
        """Where the file with this (hex) sha256 lives, whether or not it exists."""
        digest = sha256.strip().lower()
        if not _HEX64.match(digest):
            raise ValueError(f"not a hex sha256: {sha256!r}")
        return self.root / digest[:2] / digest[2:]

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def _limits(self, expected_kind: str | None, mime: str | None) -> int:
        """The size limit for this media; raises MEDIA_TYPE_NOT_ALLOWED for a wrong type."""
        if expected_kind is None:
            return self.max_size
        limit = MEDIA_LIMITS.get(expected_kind)
        if limit is None:
            raise ValueError(f"unknown media kind {expected_kind!r}")
        if mime is None or base_mime(mime) not in limit.mime_types:
            raise LocalError(MEDIA_TYPE_NOT_ALLOWED, f"{expected_kind}: {mime or 'no type'}")
        return min(limit.max_bytes, self.max_size)

    async def save_download(
        self,
        client: MediaSource,
        media_id: str,
        expected_kind: str | None = None,
        progress: Progress | None = None,
    ) -> StoredMedia:
        """Download media `media_id` into the store and return where it is.

        With `expected_kind` the MIME type and size must fit `MEDIA_LIMITS[kind]`; without it
        any type is accepted up to the store's `max_size` (customers send all kinds of files).
        """
        info = await client.media_info(media_id)
        mime = info.mime_type
        max_size = self._limits(expected_kind, mime)
        if info.file_size is not None and info.file_size > max_size:
            raise LocalError(MEDIA_TOO_LARGE, f"{info.file_size} bytes > {max_size}")
        expected_sha = normalize_sha256(info.sha256)
        if expected_sha is not None and await asyncio.to_thread(self.exists, expected_sha):
            path = self.path_for(expected_sha)
            size = (await asyncio.to_thread(path.stat)).st_size
            if progress is not None:
                progress(size, size)
            return StoredMedia(expected_sha, path, mime, size)

        tmp_dir = self.root / "tmp"
        await asyncio.to_thread(tmp_dir.mkdir, parents=True, exist_ok=True)
        tmp = tmp_dir / f"{uuid.uuid4().hex}.part"
        total = info.file_size

        def report(done: int, reported_total: int | None) -> None:
            if progress is not None:
                progress(done, reported_total if reported_total is not None else total)

        result = await client.download(info.url, tmp, max_size, report)
        if expected_sha is not None and result.sha256 != expected_sha:
            await asyncio.to_thread(tmp.unlink, missing_ok=True)
            raise LocalError(MEDIA_CHECKSUM_MISMATCH, f"media {media_id}")
        path = self.path_for(result.sha256)
        await asyncio.to_thread(_move_into_place, tmp, path)
        log.debug("stored media %s (%d bytes)", media_id, result.size)
        return StoredMedia(result.sha256, path, mime or result.content_type, result.size)


def _move_into_place(tmp: Path, final: Path) -> None:
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():
        tmp.unlink(missing_ok=True)
        return
    os.replace(tmp, final)
