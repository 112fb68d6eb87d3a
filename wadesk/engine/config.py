"""Where wadesk keeps its files, and the engine's settings.

The data dir comes from `--data-dir`, else `WADESK_DATA_DIR`, else the platform's user data
dir (platformdirs). Logs go to the platform's user log dir, or `<data dir>/logs` when the data
dir was chosen explicitly (so a test or a second instance keeps everything in one place).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

APP_NAME = "wadesk"
DB_FILE_NAME = "wadesk.sqlite3"
DEFAULT_PORT = 8000
DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v23.0"
WEBHOOK_PATH = "/api/v1/webhooks/whatsapp"
HEALTH_PATH = "/api/v1/health"
MAX_WEBHOOK_BODY = 3 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Paths:
    data_dir: Path
    log_dir: Path

    @property
    def db_file(self) -> Path:
        return self.data_dir / DB_FILE_NAME

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"


def resolve_paths(data_dir: str | os.PathLike[str] | None, environ: Mapping[str, str]) -> Paths:
    """Pick the data and log directories (nothing is created here)."""
    chosen = data_dir or environ.get("WADESK_DATA_DIR")
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return Paths(data_dir=root, log_dir=root / "logs")
    return Paths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the Engine needs to know at start-up (no secrets)."""

    paths: Paths
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    max_body: int = MAX_WEBHOOK_BODY
    graph_base_url: str = DEFAULT_GRAPH_BASE_URL
    graph_version: str = DEFAULT_GRAPH_VERSION
    extra: Mapping[str, str] = field(default_factory=dict)
