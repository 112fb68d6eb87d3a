"""`wadesk backup`, `restore`, `send`, `doctor` and `sandbox`: the tool commands of the CLI
(`wadesk.cli` parses the arguments and dispatches here)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from pathlib import Path

from wadesk.cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
)
from wadesk.cli_common import (
    lang as _lang,
)
from wadesk.cli_common import (
    make_engine as _make_engine,
)
from wadesk.cli_common import (
    paths_of as _paths,
)
from wadesk.cli_common import (
    tool_paths as _tool_paths,
)
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.secrets import SecretStore

log = logging.getLogger("wadesk.cli")


# -- backup and restore ------------------------------------------------------------------------


async def _backup(args: argparse.Namespace) -> int:
    from wadesk.engine.backup import BackupError

    paths = _paths(args)
    if not paths.db_file.exists():
        raise CliError(f"No wadesk data in {paths.data_dir}: nothing to back up.", EXIT_FAILED)
    engine = _make_engine(paths, stderr=False)
    await engine.start(serve=False, ingest=False)
    try:
        manifest = await engine.backup(Path(args.out))
    except BackupError as exc:
        raise CliError(f"Backup failed: {exc}.", EXIT_FAILED) from None
    except OSError as exc:
        raise CliError(f"Cannot write {args.out}: {exc.strerror or exc}", EXIT_FAILED) from None
    finally:
        await engine.stop()
    counts = manifest.counts
    print(
        f"Backed up {counts.get('conversation', 0)} conversations, {counts.get('message', 0)} "
        f"messages, {counts.get('media_files', 0)} media files and {counts.get('flow', 0)} flows "
        f"to {args.out} (no secrets)."
    )
    return EXIT_OK


async def _restore(args: argparse.Namespace) -> int:
    from wadesk.engine.backup import BackupError, restore

    paths = _paths(args)
    try:
        manifest = await asyncio.to_thread(
            restore, Path(args.archive), paths.data_dir, force=args.force
        )
    except BackupError as exc:
        raise CliError(f"Restore failed: {exc}.", EXIT_FAILED) from None
    except OSError as exc:
        raise CliError(f"Restore failed: {exc.strerror or exc}", EXIT_FAILED) from None
    counts = manifest.counts
    print(
        f"Restored {counts.get('conversation', 0)} conversations, {counts.get('message', 0)} "
        f"messages and {counts.get('flow', 0)} flows (backup of {manifest.created_at}) into "
        f"{paths.data_dir}."
    )
    print(
        "Secrets are not in backups: enter each number's access token and app secret again "
        "(Numbers page, or `wadesk numbers remove` + `wadesk numbers add`), and the ngrok "
        "authtoken in the setup wizard."
    )
    return EXIT_OK


# -- send and doctor ---------------------------------------------------------------------------


async def _send(args: argparse.Namespace) -> int:
    """Queue one message; the running engine on the data dir sends it, or (none running) this
    process's outbox does. Prints the wamid (exit 0) or the catalogue's explanation (exit 1)."""
    from wadesk.engine.send_one import SendFailed, SendRequest, SendTimeout, send_one
    from wadesk.engine.service import EngineError

    paths, session = _tool_paths(args)
    language = _explain_lang(args)
    request = SendRequest(
        number=args.number,
        to=args.to,
        text=args.text,
        template=args.template,
        params=tuple(args.param),
        language=args.lang,
        image=Path(args.image) if args.image else None,
        caption=args.caption,
    )
    engine = _make_engine(paths, stderr=False, session=session)
    await engine.start(serve=False, ingest=False)
    try:
        outcome = await send_one(engine, request, wait_seconds=args.timeout)
    except SendFailed as exc:
        raise CliError(exc.explain(language), EXIT_FAILED) from None
    except SendTimeout as exc:
        if exc.handed_to is not None:
            where = f"the running wadesk (pid {exc.handed_to}) sends it when it can"
        else:
            where = "it stays queued and goes out the next time wadesk runs"
        raise CliError(
            f"Not sent within {args.timeout:g} s (message #{exc.message.id}): {where}.",
            EXIT_FAILED,
        ) from None
    except EngineError as exc:
        raise CliError(str(exc), EXIT_FAILED) from None
    except OSError as exc:
        raise CliError(f"Cannot read {args.image}: {exc.strerror or exc}", EXIT_USAGE) from None
    finally:
        await engine.stop()
    if outcome.handed_to is not None:
        log.info("Sent by the running wadesk (pid %s)", outcome.handed_to)
    print(outcome.message.wamid)
    return EXIT_OK


def _explain_lang(args: argparse.Namespace) -> str:
    """The language of explanations: `--lang ru…` (a Russian template) means Russian; otherwise
    the locale ($LC_ALL / $LC_MESSAGES / $LANG)."""
    chosen = str(getattr(args, "lang", "") or "")
    if chosen != "en_US" and chosen:
        return "ru" if chosen.lower().startswith("ru") else "en"
    return _lang()


async def _doctor(args: argparse.Namespace) -> int:
    from wadesk.engine.doctor import CheckState, check_data_dir, run_doctor

    paths, session = _tool_paths(args)
    keyring_status = await asyncio.to_thread(SecretStore(SecretRedactor()).status)
    data_check = await asyncio.to_thread(check_data_dir, paths.data_dir)
    if data_check.state is CheckState.PROBLEM:
        print(data_check.render())
        return EXIT_FAILED
    engine = _make_engine(paths, host=args.host, port=args.port, stderr=False, session=session)
    await engine.start(serve=False, ingest=False)
    try:
        checks = await run_doctor(
            engine,
            keyring_status=keyring_status,
            host=args.host,
            port=args.port,
            limit=args.timeout,
        )
    finally:
        await engine.stop()
    for check in checks:
        print(check.render())
    problems = sum(c.state is CheckState.PROBLEM for c in checks)
    print(f"{problems} problem(s)." if problems else "All checks passed.")
    return EXIT_FAILED if problems else EXIT_OK


# -- sandbox customers -----------------------------------------------------------------------------


def _sandbox(argv: list[str]) -> int:
    """`wadesk sandbox …`: the sandbox's customer CLI, its URL defaulting to the running demo's."""
    from wadesk.engine.demo import demo_paths, read_session
    from wadesk.engine.sandbox.cli import URL_ENV
    from wadesk.engine.sandbox.cli import main as sandbox_main

    data_dir: str | None = None
    rest: list[str] = []
    tokens = iter(argv)
    for token in tokens:
        if token == "--data-dir":
            data_dir = next(tokens, None)
        elif token.startswith("--data-dir="):
            data_dir = token.split("=", 1)[1]
        else:
            rest.append(token)
    has_url = any(t == "--url" or t.startswith("--url=") for t in rest)
    if not has_url and not os.environ.get(URL_ENV):
        session = read_session(demo_paths(data_dir, os.environ).data_dir)
        if session is not None:
            rest = ["--url", session.url, *rest]
    return sandbox_main(rest)


def _sandbox_argv(argv: list[str]) -> list[str] | None:
    """The arguments after `sandbox` when that is the command (global `--data-dir` kept)."""
    if "sandbox" not in argv:
        return None
    index = argv.index("sandbox")
    before = argv[:index]
    if before == [] or (len(before) == 2 and before[0] == "--data-dir"):
        return before + argv[index + 1 :]
    if len(before) == 1 and before[0].startswith("--data-dir="):
        return before + argv[index + 1 :]
    return None
