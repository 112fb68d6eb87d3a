"""What every `wadesk` command shares: exit codes, `CliError`, the data-dir option, and the
headless composition of an Engine (paths, logging, secrets, settings)."""

from __future__ import annotations

import argparse
import logging
import os
from secrets import token_urlsafe
from typing import Any

from wadesk.engine.config import (
    DEFAULT_GRAPH_BASE_URL,
    DEFAULT_PORT,
    Paths,
    Settings,
    resolve_paths,
)
from wadesk.engine.logs import SecretRedactor, configure_logging
from wadesk.engine.secrets import SecretStore

log = logging.getLogger("wadesk.cli")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
GRAPH_URL_ENV = "WADESK_GRAPH_BASE_URL"


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where wadesk keeps its database and media (default: $WADESK_DATA_DIR or the "
        "user data dir)",
    )


def paths_of(args: argparse.Namespace) -> Paths:
    return resolve_paths(getattr(args, "data_dir", None), os.environ)


def make_engine(
    paths: Paths,
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    stderr: bool,
    session: Any = None,
) -> Any:
    """An Engine on `paths`; with a `SandboxSession`, talking to that running demo sandbox
    (its secrets from the session, never the keyring). `$WADESK_GRAPH_BASE_URL` replaces
    graph.facebook.com (a proxy, or a test's loopback server)."""
    from wadesk.engine.service import Engine

    redactor = SecretRedactor()
    configure_logging(redactor, paths.log_dir, stderr=stderr)
    graph = os.environ.get(GRAPH_URL_ENV) or DEFAULT_GRAPH_BASE_URL
    if session is not None:
        from wadesk.engine.demo import DemoSecretStore

        environ = dict(session.environ(), WADESK_VERIFY_TOKEN=token_urlsafe(24))
        secrets: SecretStore = DemoSecretStore(redactor, environ)
        graph = session.url
    else:
        secrets = SecretStore(redactor)
    settings = Settings(paths=paths, host=host, port=port, graph_base_url=graph)
    return Engine(settings, secrets=secrets, redactor=redactor)


def tool_paths(args: argparse.Namespace) -> tuple[Paths, Any]:
    """Paths and running sandbox session for `send` / `doctor`: `--sandbox` means the demo
    data dir (or `--data-dir`); a data dir with a running sandbox always uses it."""
    from wadesk.engine.demo import demo_paths, read_session

    if getattr(args, "sandbox", False):
        paths = demo_paths(getattr(args, "data_dir", None), os.environ)
        session = read_session(paths.data_dir)
        if session is None:
            raise CliError(
                f"No sandbox is running for {paths.data_dir}: start one with "
                "`wadesk serve --sandbox` (or `wadesk demo`).",
                EXIT_FAILED,
            )
        return paths, session
    paths = paths_of(args)
    return paths, read_session(paths.data_dir)


def lang() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    return "en"
