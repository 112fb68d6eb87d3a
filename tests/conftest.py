"""Test-suite fixtures shared by every layer.

- Qt runs offscreen (set before anything creates a QApplication).
- Every test gets an in-memory keyring (never the machine's real one).
- Cyclic GC is collected on the main thread around each test (qasync loops collected on a
  worker thread segfault; see DESIGN.md threading rule 4).
- Async tests marked `qasync` run on a qasync loop; the others on a plain asyncio loop.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHONFAULTHANDLER", "1")

import keyring
import pytest

from tests.keyrings import MemoryKeyring

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    """Collect cycles on the main thread around each test once Qt is loaded, so no Qt object
    (e.g. a closed qasync loop's timer) is destroyed by a collection on a worker thread."""
    qt_loaded = "PySide6" in sys.modules
    if qt_loaded:
        gc.collect()
    yield
    if qt_loaded or "PySide6" in sys.modules:
        gc.collect()


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """An in-memory keyring installed for every test; secrets never reach the real store."""
    for var in list(os.environ):
        if var.startswith("WADESK_") and var != "WADESK_TEST_KEYRING_FILE":
            monkeypatch.delenv(var, raising=False)
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests save screenshots and other files worth looking at after the run."""
    path = REPO_ROOT / "build" / "test-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_asyncio_loop_factories(config, item):  # type: ignore[no-untyped-def]
    """Async tests marked `qasync` run on a qasync loop bound to the QApplication."""
    if item.get_closest_marker("qasync") is not None:
        from PySide6.QtWidgets import QApplication

        from wadesk.ui.event_loop import EventLoop

        app = QApplication.instance() or QApplication([])
        return {"qasync": lambda: EventLoop(app)}
    import asyncio

    return {"asyncio": asyncio.new_event_loop}
