"""build.spec's Windows and macOS branches, checked on Linux (those bundles can only be built on
their own systems): spec_probe.py runs the spec with `sys.platform` faked and PyInstaller's build
steps recorded. Windowed with the right icon (a real .ico / .icns rendered by Qt), Windows
version info that parses and carries the app's version, a macOS .app bundle with its Info.plist,
no Linux-only steps, and the Qt trimming rules understand each platform's paths. Not marked
`packaging`: nothing is built (a few seconds)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wadesk import __version__

PROBE = Path(__file__).with_name("spec_probe.py")


def probe(platform: str, work: Path, **env: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(PROBE), platform, str(work)],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """One probe per platform for the whole module (each runs the spec: a few seconds)."""
    return {
        platform: probe(platform, tmp_path_factory.mktemp(platform))
        for platform in ("win32", "darwin", "linux")
    }


def only(calls: dict[str, list[dict[str, Any]]], name: str) -> dict[str, Any]:
    assert len(calls.get(name, [])) == 1, (name, calls.get(name))
    return calls[name][0]


class _Node:
    """Stands in for PyInstaller's version-info classes: keeps the arguments."""

    def __init__(self, kind: str, *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs


def parse_version_info(text: str) -> _Node:
    """Evaluate the version file like PyInstaller does (an expression over its classes), with
    recording stand-ins; only names of those classes and literals are allowed."""
    tree = ast.parse(text, mode="eval")
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    classes = {
        "VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
        "VarFileInfo", "VarStruct",
    }  # fmt: skip
    assert names <= classes, names - classes
    scope = {name: (lambda *a, _k=name, **kw: _Node(_k, *a, **kw)) for name in classes}
    node = eval(compile(tree, "version_info", "eval"), {"__builtins__": {}}, scope)
    assert isinstance(node, _Node)
    return node


def strings_of(info: _Node) -> dict[str, str]:
    """The StringStruct name → value pairs of a parsed version file."""
    return {
        s.args[0]: s.args[1]
        for kid in info.kwargs["kids"]
        if kid.kind == "StringFileInfo"
        for table in kid.args[0]
        for s in table.args[1]
    }


def test_windows_branch_is_windowed_with_icon_and_version_info(
    probed: dict[str, dict[str, Any]],
) -> None:
    result = probed["win32"]
    calls = result["calls"]
    exe, cli = calls["EXE"]
    assert exe["console"] is False  # windowed
    assert exe["name"] == "wadesk" and exe["exclude_binaries"] is True
    assert exe["strip"] is False and exe["upx"] is False
    icon = Path(exe["icon"])
    assert icon.suffix == ".ico" and icon.read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    info = parse_version_info(Path(exe["version"]).read_text(encoding="utf-8"))
    assert info.kind == "VSVersionInfo"
    fixed = info.kwargs["ffi"]
    for key in ("filevers", "prodvers"):
        numbers = fixed.kwargs[key]
        assert len(numbers) == 4 and all(isinstance(n, int) and 0 <= n < 2**16 for n in numbers)
    strings = strings_of(info)
    assert strings["ProductVersion"] == strings["FileVersion"] == __version__
    assert strings["OriginalFilename"] == "wadesk.exe"
    # the console twin for the command line, in the same folder
    assert cli["name"] == "wadesk-cli" and cli["console"] is True
    assert cli["exclude_binaries"] is True and cli["icon"] == exe["icon"]
    cli_info = parse_version_info(Path(cli["version"]).read_text(encoding="utf-8"))
    cli_strings = strings_of(cli_info)
    assert cli_strings["OriginalFilename"] == "wadesk-cli.exe"
    assert cli_strings["ProductVersion"] == __version__
    assert "BUNDLE" not in calls
    collect = only(calls, "COLLECT")
    assert collect["name"] == "wadesk" and collect["strip"] is False
    assert collect["nargs"] == 4  # both executables, the binaries and the data files
    # Qt trimming on Windows paths: Russian Qt strings and the platform plugin stay
    assert sorted(result["kept"]) == [
        "PySide6\\plugins\\imageformats\\qjpeg.dll",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\translations\\qtbase_ru.qm",
    ]


def test_windows_console_build_on_request(tmp_path: Path) -> None:
    exe = only(probe("win32", tmp_path, WADESK_BUILD_CONSOLE="1")["calls"], "EXE")
    assert exe["console"] is True and exe["name"] == "wadesk"  # no twin needed


def test_macos_branch_makes_an_app_bundle(probed: dict[str, dict[str, Any]]) -> None:
    result = probed["darwin"]
    calls = result["calls"]
    exe = only(calls, "EXE")
    assert exe["console"] is False and exe["version"] is None and exe["strip"] is False
    assert only(calls, "COLLECT")["nargs"] == 3  # one executable
    icon = Path(exe["icon"])
    assert icon.suffix == ".icns" and icon.read_bytes()[:4] == b"icns"
    bundle = only(calls, "BUNDLE")
    assert bundle["name"] == "wadesk.app" and bundle["icon"] == exe["icon"]
    assert bundle["version"] == __version__
    assert bundle["bundle_identifier"] == "org.wadesk.wadesk"
    plist = bundle["info_plist"]
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == __version__
    assert plist["NSHighResolutionCapable"] is True
    assert sorted(result["kept"]) == [
        "PySide6/Qt/plugins/imageformats/libqjpeg.dylib",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/translations/qtbase_ru.qm",
    ]


@pytest.mark.parametrize("platform", ["win32", "darwin", "linux"])
def test_every_platform_bundles_the_same_app(
    platform: str, probed: dict[str, dict[str, Any]]
) -> None:
    calls = probed[platform]["calls"]
    analysis = only(calls, "Analysis")
    hidden = set(analysis["hiddenimports"])
    for module in (
        "keyring.backends.Windows",
        "keyring.backends.macOS",
        "keyring.backends.SecretService",
        "sqlalchemy.dialects.sqlite",
        "qasync",
        "wadesk.selftest",
        "wadesk.ui.app",
    ):
        assert module in hidden, module
    targets = {Path(dest).as_posix() for _, dest in analysis["datas"]}
    assert "resources/translations" in targets and "resources/icons" in targets
    sources = [Path(src).name for src, _ in analysis["datas"]]
    assert "wadesk_ru.qm" in sources and "wadesk_ru.ts" not in sources
    assert "wadesk.png" in sources  # the rendered app icon
    exe = calls["EXE"][0]
    assert exe["name"] == "wadesk"
    if platform == "linux":
        assert exe["console"] is True and exe["icon"] is None and exe["strip"] is True
        assert "BUNDLE" not in calls
