"""Helpers that point pyngrok at the fake ngrok agent (tests/tools/fake_ngrok.py).

`install_fake_ngrok(directory, env=...)` writes an executable ``ngrok`` wrapper script
(``#!/bin/sh`` + ``exec <python> fake_ngrok.py "$@"``) and returns a `FakeNgrok` with the paths
tests need. Switches for the fake (``FAKE_NGROK_*``) are baked into the wrapper, so they apply to
every agent pyngrok starts from that path; `FakeNgrok.configure` rewrites them (e.g. to stop an
agent from dying again after a restart). `clean_ngrok_env` removes ambient ngrok settings and
silences pyngrok's download progress. Always call `FakeNgrok.kill()` in teardown.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pyngrok import conf, installer, ngrok

FAKE_NGROK = Path(__file__).resolve().parent / "fake_ngrok.py"


@dataclass
class FakeNgrok:
    ngrok_path: Path
    config_path: Path
    argv_file: Path
    env: dict[str, str] = field(default_factory=dict)

    def configure(self, **switches: str | None) -> None:
        """Set (or, with None, remove) ``FAKE_NGROK_*`` switches for agents started from now on."""
        for key, value in switches.items():
            name = (
                key.upper()
                if key.upper().startswith("FAKE_NGROK_")
                else f"FAKE_NGROK_{key.upper()}"
            )
            if value is None:
                self.env.pop(name, None)
            else:
                self.env[name] = value
        write_wrapper(self.ngrok_path, self.env)

    def pyngrok_config(self, **kwargs: Any) -> conf.PyngrokConfig:
        return conf.PyngrokConfig(
            ngrok_path=str(self.ngrok_path), config_path=str(self.config_path), **kwargs
        )

    def runs(self) -> list[dict[str, Any]]:
        """Every invocation of the fake so far: ``{"pid": int, "argv": [...]}``."""
        if not self.argv_file.exists():
            return []
        return [json.loads(line) for line in self.argv_file.read_text().splitlines() if line]

    def kill(self) -> None:
        ngrok.kill(self.pyngrok_config())


def write_wrapper(path: Path, env: Mapping[str, str]) -> None:
    exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in sorted(env.items()))
    script = (
        "#!/bin/sh\n"
        f"{exports}"
        f'exec {shlex.quote(sys.executable)} {shlex.quote(str(FAKE_NGROK))} "$@"\n'
    )
    tmp = path.with_suffix(".tmp")
    tmp.write_text(script)
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, path)


def install_fake_ngrok(directory: Path, env: Mapping[str, str] | None = None) -> FakeNgrok:
    """Write the ``ngrok`` wrapper into ``directory``; agents record their argv to a file there."""
    directory.mkdir(parents=True, exist_ok=True)
    argv_file = directory / "ngrok-argv.jsonl"
    fake = FakeNgrok(
        ngrok_path=directory / "ngrok",
        config_path=directory / "ngrok.yml",
        argv_file=argv_file,
        env={"FAKE_NGROK_ARGV_FILE": str(argv_file), **(env or {})},
    )
    write_wrapper(fake.ngrok_path, fake.env)
    return fake


def clean_ngrok_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ambient ngrok settings leak into a test; pyngrok never prints download progress."""
    for var in list(os.environ):
        if var.startswith("FAKE_NGROK_") or var in ("NGROK_AUTHTOKEN", "PYNGROK_NGROK_PATH"):
            monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(installer, "_print_progress_enabled", False)
