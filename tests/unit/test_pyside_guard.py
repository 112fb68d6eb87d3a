"""Guard: the installed PySide6 must not leak references to None (6.12.0 on Python 3.11 does,
and the interpreter aborts after ~5,000 void calls)."""

from __future__ import annotations

import sys

import pytest


def test_pyside_version_is_pinned_below_6_12() -> None:
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12) or sys.version_info >= (3, 12), PySide6.__version__


def test_void_qt_calls_do_not_leak_none(qapp: object) -> None:
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(1000):
        label.setText(str(i))
    after = sys.getrefcount(None)
    # a leaking build drops exactly one reference per call
    assert before - after < 100, f"None refcount fell by {before - after} over 1000 setText calls"


@pytest.mark.parametrize("module", ["wadesk.core", "wadesk.flow", "wadesk.engine"])
def test_engine_layers_do_not_load_qt(module: str) -> None:
    import subprocess

    code = (
        f"import sys, importlib, pkgutil; m = importlib.import_module('{module}');\n"
        "[importlib.import_module(i.name) for i in pkgutil.walk_packages(m.__path__, m.__name__ + '.')]\n"
        "print(any(k.startswith(('PySide6', 'shiboken6', 'qasync')) for k in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
