"""Run build.spec as if on another platform, with PyInstaller's build steps replaced by recorders.

    python tests/packaging/spec_probe.py PLATFORM WORKDIR   # PLATFORM: win32, darwin or linux

Prints one JSON object: the keyword arguments build.spec gave EXE, COLLECT and BUNDLE, and which
of the fake (Windows/macOS-style) Qt files it kept. Nothing is built; used by
test_spec_platforms.py to check the Windows and macOS branches on a Linux machine.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Files a Windows / macOS analysis would collect (destinations as PyInstaller writes them).
FAKE_DATAS = {
    "win32": [
        "PySide6\\translations\\qtbase_ru.qm",
        "PySide6\\translations\\qtbase_de.qm",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6\\plugins\\imageformats\\qjpeg.dll",
        "PySide6\\plugins\\platformthemes\\qxdgdesktopportal.dll",
        "PySide6\\plugins\\tls\\qschannelbackend.dll",
    ],
    "darwin": [
        "PySide6/Qt/translations/qtbase_ru.qm",
        "PySide6/Qt/translations/qtbase_fr.qm",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/imageformats/libqjpeg.dylib",
        "PySide6/Qt/plugins/imageformats/libqtiff.dylib",
        "PySide6/Qt/plugins/tls/libqsecuretransportbackend.dylib",
    ],
    "linux": [],
}


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return repr(value)


def main(platform: str, work: Path) -> None:
    # imported before the platform is faked (PySide6 and PyInstaller look at it on import)
    import PyInstaller.utils.hooks  # noqa: F401
    import PySide6.QtGui
    import PySide6.QtSvg  # noqa: F401

    sys.platform = platform
    calls: dict[str, list[dict[str, Any]]] = {}
    analysis = SimpleNamespace(
        binaries=[],
        datas=[(dest, "/nonexistent", "DATA") for dest in FAKE_DATAS[platform]],
        pure=[],
        scripts=[],
    )

    def recorder(name: str, result: Any = None) -> Any:
        def record(*args: Any, **kwargs: Any) -> Any:
            calls.setdefault(name, []).append({"nargs": len(args), **_plain(kwargs)})
            return result if result is not None else SimpleNamespace(name=name)

        return record

    spec = ROOT / "build.spec"
    scope: dict[str, Any] = {
        "__file__": str(spec),
        "__name__": "__main__",
        "SPECPATH": str(ROOT),
        "workpath": str(work),
        "Analysis": recorder("Analysis", analysis),
        "PYZ": recorder("PYZ"),
        "EXE": recorder("EXE"),
        "COLLECT": recorder("COLLECT"),
        "BUNDLE": recorder("BUNDLE"),
    }
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), scope)
    kept = [entry[0] for entry in scope["a"].datas]
    print(json.dumps({"calls": calls, "kept": kept}))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
