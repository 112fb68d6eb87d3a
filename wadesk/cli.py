"""The `wadesk` command line: the headless composition root.

`wadesk serve` runs the Engine under asyncio.run() until Ctrl+C/SIGTERM; `wadesk numbers …`
manages numbers (secrets go to the keyring); `wadesk export` writes conversations and messages
(never secrets). Every failure ends with a sentence a person can act on and a non-zero exit
code: 1 for a failed operation, 2 for bad usage or input.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from wadesk import __version__
from wadesk.core.validation import ValidationError
from wadesk.engine.config import DEFAULT_PORT, Paths, Settings, resolve_paths
from wadesk.engine.logs import SecretRedactor, configure_logging
from wadesk.engine.secrets import SecretStore, SecretsUnavailable

log = logging.getLogger("wadesk.cli")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def _add_data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where wadesk keeps its database and media (default: $WADESK_DATA_DIR or the "
        "user data dir)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wadesk",
        description="Run a WhatsApp Business Cloud API number from your computer.",
    )
    parser.add_argument("--version", action="version", version=f"wadesk {__version__}")
    _add_data_dir(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the webhook server and engine without a window")
    _add_data_dir(serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )

    numbers = sub.add_parser("numbers", help="add, list or remove WhatsApp numbers")
    nsub = numbers.add_subparsers(dest="numbers_command", metavar="ACTION")
    add = nsub.add_parser(
        "add",
        help="add a number; reads the access token and then the app secret from stdin "
        "(one per line) or prompts for them",
    )
    _add_data_dir(add)
    add.add_argument("--label", required=True, help="a name for the number, e.g. Salon")
    add.add_argument("--phone", required=True, help="the phone number with country code, +E.164")
    add.add_argument(
        "--phone-number-id", required=True, help="Phone Number ID from Meta's dashboard"
    )
    add.add_argument("--waba-id", required=True, help="WhatsApp Business Account ID")
    lst = nsub.add_parser("list", help="list the numbers")
    _add_data_dir(lst)
    lst.add_argument("--json", action="store_true", help="print JSON")
    rm = nsub.add_parser("remove", help="remove a number and its secrets")
    _add_data_dir(rm)
    rm.add_argument("label", help="the number's label")

    export = sub.add_parser("export", help="export conversations and messages (no secrets)")
    _add_data_dir(export)
    export.add_argument("--format", choices=("jsonl", "json"), default="jsonl")
    export.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    return parser


# -- composition -------------------------------------------------------------------------------


def _paths(args: argparse.Namespace) -> Paths:
    return resolve_paths(getattr(args, "data_dir", None), os.environ)


def _make_engine(
    paths: Paths, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT, stderr: bool
) -> Any:
    from wadesk.engine.service import Engine

    redactor = SecretRedactor()
    configure_logging(redactor, paths.log_dir, stderr=stderr)
    secrets = SecretStore(redactor)
    settings = Settings(paths=paths, host=host, port=port)
    return Engine(settings, secrets=secrets, redactor=redactor)


# -- serve ---------------------------------------------------------------------------------------


async def _serve(args: argparse.Namespace) -> int:
    engine = _make_engine(_paths(args), host=args.host, port=args.port, stderr=True)
    status = await asyncio.to_thread(engine.secrets.status)
    if not status.ok:
        log.warning("%s", status.message)
    try:
        await engine.start()
    except OSError as exc:
        await engine.stop()
        raise CliError(
            f"Cannot listen on {args.host}:{args.port} ({exc.strerror or exc}). "
            "Another program may use this port: choose another with --port.",
            EXIT_FAILED,
        ) from exc
    assert engine.server is not None
    print(f"wadesk {__version__} is receiving webhooks at {engine.server.url}", flush=True)
    if engine.verify_token:
        print(f"Verify token for Meta's dashboard: {engine.verify_token}", flush=True)
    numbers = await engine.list_numbers()
    if not numbers:
        print("No number yet: add one with `wadesk numbers add --help`.", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        log.info("Shutting down")
        await engine.stop()
    print("Stopped.", flush=True)
    return EXIT_OK


# -- numbers ------------------------------------------------------------------------------------


def _read_secrets(stdin: TextIO) -> tuple[str, str]:
    if stdin.isatty():
        token = getpass.getpass("Access token (input hidden): ")
        secret = getpass.getpass("App secret (input hidden): ")
    else:
        token = stdin.readline().strip()
        secret = stdin.readline().strip()
    if not token or not secret:
        raise CliError(
            "Give the access token and then the app secret, one per line on standard input.",
            EXIT_USAGE,
        )
    return token, secret


async def _numbers(args: argparse.Namespace) -> int:
    from wadesk.engine.service import EngineError

    if args.numbers_command is None:
        raise CliError("Choose an action: wadesk numbers add|list|remove (see --help).", EXIT_USAGE)
    engine = _make_engine(_paths(args), stderr=False)
    if args.numbers_command == "add":
        token, secret = _read_secrets(sys.stdin)
    await engine.start(serve=False, ingest=False)
    try:
        if args.numbers_command == "add":
            number = await engine.add_number(
                label=args.label,
                phone=args.phone,
                phone_number_id=args.phone_number_id,
                waba_id=args.waba_id,
                access_token=token,
                app_secret=secret,
            )
            print(
                f"Added {number.label}: {number.phone} (Phone Number ID {number.phone_number_id})."
            )
            print("The access token and app secret are stored in the system keyring.")
        elif args.numbers_command == "list":
            numbers = await engine.list_numbers()
            if args.json:
                print(json.dumps([_number_json(n) for n in numbers], indent=2))
            elif not numbers:
                print("No numbers yet.")
            for n in [] if args.json else numbers:
                state = "active" if n.active else "inactive"
                print(
                    f"{n.label}\t{n.phone}\tphone_number_id={n.phone_number_id}\twaba_id={n.waba_id}\t{state}"
                )
        elif args.numbers_command == "remove":
            number = await engine.remove_number(args.label)
            print(f"Removed {number.label} and its secrets.")
    except ValidationError as exc:
        raise CliError(str(exc), EXIT_USAGE) from exc
    except EngineError as exc:
        raise CliError(str(exc), EXIT_FAILED) from exc
    finally:
        await engine.stop()
    return EXIT_OK


def _number_json(n: Any) -> dict[str, Any]:
    return {
        "label": n.label,
        "phone": n.phone,
        "phone_number_id": n.phone_number_id,
        "waba_id": n.waba_id,
        "active": n.active,
    }


# -- export ---------------------------------------------------------------------------------------


async def _export(args: argparse.Namespace) -> int:
    from wadesk.engine.export import export_conversations

    paths = _paths(args)
    if not paths.db_file.exists():
        raise CliError(f"No wadesk data in {paths.data_dir}: nothing to export.", EXIT_FAILED)
    engine = _make_engine(paths, stderr=False)
    await engine.start(serve=False, ingest=False)
    try:
        if args.out:
            out_path = Path(args.out)
            count = await export_conversations(engine.store, out_path, fmt=args.format)
            print(f"Exported {count} conversations to {out_path}.", file=sys.stderr)
        else:
            await export_conversations(engine.store, sys.stdout, fmt=args.format)
    finally:
        await engine.stop()
    return EXIT_OK


# -- desktop app ---------------------------------------------------------------------------------


def _gui(args: argparse.Namespace) -> int:
    """`wadesk` with no command: the desktop app on the user's data dir."""
    from wadesk.ui.app import run_gui

    paths = _paths(args)
    return run_gui(lambda: _make_engine(paths, stderr=False), argv=sys.argv)


# -- entry point ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return _gui(args)
    handlers = {"serve": _serve, "numbers": _numbers, "export": _export}
    handler = handlers.get(args.command)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return asyncio.run(handler(args))
    except CliError as exc:
        print(f"wadesk: {exc}", file=sys.stderr)
        return exc.code
    except SecretsUnavailable as exc:
        print(f"wadesk: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
