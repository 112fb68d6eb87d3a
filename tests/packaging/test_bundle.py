"""The PyInstaller bundle: `scripts/build.sh` builds `build.spec` into a temporary dist dir; the
folder has every piece the app needs at run time (translations, style, icons, Qt plugins, the
keyring backends of all three platforms, the SQLite dialect…), every shared library in it
resolves, the frozen `wadesk --self-test` passes (the real app, offscreen, on a temporary
sandbox: one message in through the signed webhook, one out through the outbox) and the frozen
`wadesk demo` runs without import errors. The folder size is printed, not asserted (a figure).
Slow (a few minutes on a loaded machine): marked `packaging`; deselect it with
`-m "not packaging"`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Modules the app imports lazily or by name (keyring picks its backend at run time).
REQUIRED_MODULES = (
    "keyring.backends.SecretService",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "secretstorage",
    "jeepney",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlmodel",
    "qasync",
    "aiohttp",
    "httpx",
    "pyngrok.ngrok",
    "phonenumbers.data",
    "wadesk.selftest",
    "wadesk.ui.app",
)
REQUIRED_FILES = (
    "resources/translations/wadesk_ru.qm",
    "resources/style/wadesk.qss",
    "resources/icons/app.svg",
    "resources/icons/inbox.svg",
    "PySide6/Qt/translations/qtbase_ru.qm",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
    "PySide6/Qt/plugins/imageformats/libqgif.so",
    "PySide6/Qt/plugins/imageformats/libqwebp.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "cryptography/hazmat/bindings/_rust.abi3.so",
)

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(1200)]


def _size_mb(folder: Path) -> float:
    """Like `du`: symlinks (PyInstaller links Qt's libraries into _internal/) count once."""
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 1e6


def _bundled_modules(exe: Path) -> set[str]:
    """Names of the Python modules in the executable's PYZ archive."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(exe))
    return set(archive.open_embedded_archive("PYZ.pyz").toc)


def _missing_libraries(internal: Path) -> list[str]:
    """DT_NEEDED names of the bundle's ELF files that are neither in the bundle nor left to the
    system by PyInstaller's policy (ld.so, libc, libGL, libxcb, libwayland…): what build.spec's
    pruning or trimming must never cause. Independent of what the build host has installed."""
    from PyInstaller.depend.dylib import include_library

    files = [path for path in internal.rglob("*") if path.is_file()]
    bundled = {path.name for path in files}
    missing = []
    for path in files:
        with path.open("rb") as file:
            if file.read(4) != b"\x7fELF":
                continue
        dynamic = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True)
        for name in re.findall(r"\(NEEDED\)[^\[]*\[([^\]]+)\]", dynamic.stdout):
            if name not in bundled and include_library(name) and not name.startswith("ld-"):
                missing.append(f"{path.relative_to(internal)} needs {name}")
    return missing


def _run_demo(exe: Path, tmp_path: Path, env: dict[str, str]) -> str:
    """Start the frozen `wadesk demo` offscreen until the sandbox's customers' messages are
    processed (the window, engine and sandbox are up), stop it; return its output and log."""
    data = tmp_path / "demo-data"
    log = data / "logs" / "wadesk.log"
    demo = subprocess.Popen(
        [str(exe), "demo", "--data-dir", str(data)],
        cwd=tmp_path,
        env=dict(env, QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and demo.poll() is None:
            if log.is_file() and "Message processed" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.5)
        assert demo.poll() is None, "the frozen demo exited early"
    finally:
        demo.terminate()
        try:
            output, _ = demo.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            demo.kill()
            output, _ = demo.communicate()
    text = log.read_text(encoding="utf-8") if log.is_file() else ""
    assert "Message processed" in text, output[-3000:] + text[-3000:]
    return output + text


def test_build_and_frozen_self_test(tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.fail("bash is needed to run scripts/build.sh")
    dist = tmp_path / "dist"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    built = subprocess.run(
        ["bash", "scripts/build.sh", "--dist", str(dist), "--no-self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1100,
    )
    build_seconds = time.monotonic() - started
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    app = dist / "wadesk"
    exe = app / "wadesk"
    assert exe.is_file() and os.access(exe, os.X_OK)
    internal = app / "_internal"
    print("\n" + built.stdout)
    size = _size_mb(app)
    print(f"build: {build_seconds:.0f} s, {size:.1f} MB ({size * 1e6 / 2**20:.1f} MiB)")
    assert "the 10 biggest files" in built.stdout

    missing = [name for name in REQUIRED_FILES if not (internal / name).is_file()]
    assert not missing, f"missing from the bundle: {missing}"
    modules = _bundled_modules(exe)
    missing = [name for name in REQUIRED_MODULES if name not in modules]
    assert not missing, f"modules missing from the bundle: {missing}"
    assert not list(app.rglob("*.ts")), "translation sources are not shipped"
    assert not list(app.rglob("libgtk-3*")), "GTK must not be bundled"
    assert not {"rich", "pygments", "click", "doctest"} & modules, "excluded modules came back"
    icu = list(internal.rglob("libicudata.so.*"))
    assert icu and all(path.stat().st_size < 8e6 for path in icu), "ICU data was not trimmed"
    missing = _missing_libraries(internal)
    assert not missing, missing

    home = tmp_path / "home"
    home.mkdir()
    run_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }  # no display, no QT_QPA_PLATFORM: the frozen self-test picks offscreen itself
    started = time.monotonic()
    done = subprocess.run(
        [str(exe), "--self-test"],
        cwd=tmp_path,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    print(f"frozen self-test: {time.monotonic() - started:.1f} s")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "(frozen," in done.stdout
    assert "accepted by the sandbox" in done.stdout
    assert done.stdout.rstrip().splitlines()[-1].startswith("self-test: OK in")

    started = time.monotonic()
    output = _run_demo(exe, tmp_path, run_env)
    print(f"frozen demo: up in {time.monotonic() - started:.1f} s")
    for problem in ("Traceback", "ModuleNotFoundError", "ImportError", "LookupError"):
        assert problem not in output, output[-3000:]
