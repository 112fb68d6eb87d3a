"""The `wadesk` command line: the headless composition root.

`wadesk serve` runs the Engine under asyncio.run() until Ctrl+C/SIGTERM (`--sandbox`: on the
built-in Cloud API sandbox); `wadesk demo` opens the desktop app on the sandbox; `wadesk sandbox
…` plays a demo customer; `wadesk numbers …` manages numbers (secrets go to the keyring);
`wadesk send` sends one message now; `wadesk doctor` checks the set-up; `wadesk export` writes
conversations and messages (never secrets). Every failure ends with a sentence a person can act on and a non-zero exit
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
from wadesk.cli_common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
)
from wadesk.cli_common import add_data_dir as _add_data_dir
from wadesk.cli_common import (
    make_engine as _make_engine,
)
from wadesk.cli_common import (
    paths_of as _paths,
)
from wadesk.cli_tools import _backup, _doctor, _restore, _sandbox, _sandbox_argv, _send
from wadesk.core.validation import ValidationError
from wadesk.engine.config import (
    DEFAULT_PORT,
)
from wadesk.engine.logs import SecretRedactor, configure_logging
from wadesk.engine.secrets import SecretsUnavailable

log = logging.getLogger("wadesk.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wadesk",
        description="Run a WhatsApp Business Cloud API number from your computer.",
    )
    parser.add_argument("--version", action="version", version=f"wadesk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start the app on a temporary sandbox, receive and send one message, quit; "
        "exit 0 when everything works",
    )
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
    serve.add_argument(
        "--sandbox",
        action="store_true",
        help="run on the built-in Cloud API sandbox with a demo number and demo customers "
        "(data in <user data dir>/demo unless --data-dir)",
    )
    serve.add_argument(
        "--sandbox-port",
        type=int,
        default=None,
        help="port of the sandbox's Graph API (default 8790, or a free one)",
    )

    demo = sub.add_parser(
        "demo", help="open the desktop app on the built-in sandbox, with a customer simulator"
    )
    _add_data_dir(demo)

    sub.add_parser(
        "sandbox",
        help="act as a demo customer on a running sandbox: say, tap, pick, image, location, "
        "react (see `wadesk sandbox --help`)",
        add_help=False,
    )

    send = sub.add_parser("send", help="send a text, template or image now")
    _add_data_dir(send)
    send.add_argument("--number", required=True, help="label (or Phone Number ID) of the number")
    send.add_argument("--to", required=True, help="the customer's WhatsApp id (phone digits)")
    what = send.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="a text message")
    what.add_argument("--template", metavar="NAME", help="an approved template")
    what.add_argument("--image", metavar="PATH", help="a JPEG or PNG image (up to 5 MB)")
    send.add_argument(
        "--param",
        action="append",
        default=[],
        help="a body parameter of the template, in order (repeat for each)",
    )
    send.add_argument(
        "--lang",
        default="en_US",
        help="template language (default en_US); ru… also explains failures in Russian",
    )
    send.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds to wait until the message is sent or failed (default 30)",
    )
    send.add_argument("--caption", help="caption of the image")
    send.add_argument(
        "--sandbox",
        action="store_true",
        help="use the running `wadesk serve --sandbox` / `wadesk demo` (its data dir)",
    )

    doctor = sub.add_parser("doctor", help="check the keyring, data dir, port, credentials, …")
    _add_data_dir(doctor)
    doctor.add_argument("--host", default="127.0.0.1", help="webhook address (default 127.0.0.1)")
    doctor.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"webhook port (default {DEFAULT_PORT})"
    )
    doctor.add_argument(
        "--timeout", type=float, default=5.0, help="seconds per online check (default 5)"
    )
    doctor.add_argument(
        "--sandbox",
        action="store_true",
        help="use the running `wadesk serve --sandbox` / `wadesk demo` (its data dir)",
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

    backup = sub.add_parser(
        "backup", help="archive everything (database, media, flows) into one file; no secrets"
    )
    _add_data_dir(backup)
    backup.add_argument("--out", metavar="FILE", required=True, help="the archive to write (.zip)")
    restore = sub.add_parser(
        "restore", help="restore a backup into an empty data dir (secrets are entered again)"
    )
    _add_data_dir(restore)
    restore.add_argument("archive", metavar="FILE", help="a backup made by `wadesk backup`")
    restore.add_argument(
        "--force",
        action="store_true",
        help="restore into a data dir that has data, replacing wadesk's database and files",
    )
    return parser


# -- serve ---------------------------------------------------------------------------------------


async def _serve(args: argparse.Namespace) -> int:
    if args.sandbox:
        return await _serve_sandbox(args)
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
    return await _run_until_signal(engine)


async def _run_until_signal(engine: Any) -> int:
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


async def _serve_sandbox(args: argparse.Namespace) -> int:
    from wadesk.engine.demo import DemoEngine, demo_paths

    paths = demo_paths(args.data_dir, os.environ)
    redactor = SecretRedactor()
    configure_logging(redactor, paths.log_dir, stderr=True)
    engine = DemoEngine(
        paths, host=args.host, port=args.port, sandbox_port=args.sandbox_port, redactor=redactor
    )
    try:
        await engine.start()
    except OSError as exc:
        await engine.stop()
        raise CliError(
            f"Cannot listen on {args.host} ({exc.strerror or exc}). Another program may use "
            "the port: choose others with --port / --sandbox-port.",
            EXIT_FAILED,
        ) from exc
    assert engine.server is not None and engine.demo_number is not None
    number = engine.demo_number
    print(f"wadesk {__version__} runs on the built-in Cloud API sandbox", flush=True)
    print("(nothing goes to WhatsApp; data in " + str(paths.data_dir) + ")", flush=True)
    print(f"Webhooks:     {engine.server.url}", flush=True)
    print(f"Sandbox URL:  {engine.sandbox_url}", flush=True)
    print(
        f"Demo number:  {number.label} {number.phone} (Phone Number ID {number.phone_number_id})",
        flush=True,
    )
    print("Demo customers:", flush=True)
    for customer in engine.sandbox.state.customers.values():
        print(f"  {customer.wa_id}  {customer.name}", flush=True)
    wa_id = next(iter(engine.sandbox.state.customers))
    print("Play a customer from another terminal:", flush=True)
    print(f'  wadesk sandbox say {wa_id} "Hello!"', flush=True)
    print(f'  wadesk send --sandbox --number "{number.label}" --to {wa_id} --text "Hi"', flush=True)
    return await _run_until_signal(engine)


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


def _demo(args: argparse.Namespace) -> int:
    """`wadesk demo`: the desktop app on the built-in sandbox, with the customer simulator."""
    from wadesk.engine.demo import DemoEngine, demo_paths
    from wadesk.ui.app import run_gui

    paths = demo_paths(args.data_dir, os.environ)

    def make_engine() -> Any:
        redactor = SecretRedactor()
        configure_logging(redactor, paths.log_dir, stderr=False)
        return DemoEngine(paths, port=0, redactor=redactor)

    return run_gui(make_engine, argv=sys.argv, demo=True)


# -- entry point ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    sandbox_args = _sandbox_argv(arguments)
    if sandbox_args is not None:
        return _sandbox(sandbox_args)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.self_test:
        from wadesk.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        return _gui(args)
    if args.command == "demo":
        return _demo(args)
    handlers = {
        "serve": _serve,
        "numbers": _numbers,
        "export": _export,
        "backup": _backup,
        "restore": _restore,
        "send": _send,
        "doctor": _doctor,
    }
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
