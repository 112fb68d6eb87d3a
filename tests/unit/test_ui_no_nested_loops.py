"""DESIGN rule for the desktop app: no `exec()` on dialogs or menus, no nested event loops
(`QEventLoop`, `processEvents`) in `wadesk.ui` — dialogs are opened with `open()`/`show()` and
answer through signals (no `QMessageBox.question`-style static helpers either); the only event
loop is the qasync one `run_gui` creates.

One exception: `QDrag.exec()` — drag and drop has no non-blocking Qt API; it is not a dialog
and qasync keeps serving the asyncio loop from Qt's dispatcher meanwhile."""

from __future__ import annotations

import ast
from pathlib import Path

import wadesk.ui

UI_DIR = Path(wadesk.ui.__file__).parent
FORBIDDEN_CALLS = {"exec", "exec_", "processEvents"}
# the static helpers that run a modal dialog in a nested loop (QMessageBox.question, …)
MODAL_CLASSES = {"QMessageBox", "QFileDialog", "QInputDialog", "QColorDialog", "QFontDialog"}
MODAL_HELPERS = {"question", "warning", "information", "critical", "about", "aboutQt"}
# run_gui's one and only loop: asyncio.Runner(loop_factory=EventLoop), a qasync.QEventLoop
ALLOWED_LOOP = (UI_DIR / "app.py", "loop_factory")
ALLOWED_BASE = (UI_DIR / "event_loop.py", "EventLoop")


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    allowed = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and (path, node.arg) == ALLOWED_LOOP
    } | {  # the app's loop class itself (`class EventLoop(qasync.QEventLoop)`)
        id(base)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and (path, node.name) == ALLOWED_BASE
        for base in node.bases
    }
    drags = {  # names bound to QDrag(...)
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "QDrag"
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = node.func.value
            if isinstance(receiver, ast.Name) and receiver.id in drags:
                continue
            if node.func.attr in FORBIDDEN_CALLS:
                found.append(f"{path.name}:{node.lineno} .{node.func.attr}()")
            modal = node.func.attr in MODAL_HELPERS or node.func.attr.startswith("get")
            if isinstance(receiver, ast.Name) and receiver.id in MODAL_CLASSES and modal:
                found.append(f"{path.name}:{node.lineno} {receiver.id}.{node.func.attr}()")
        loop = (isinstance(node, ast.Attribute) and node.attr == "QEventLoop") or (
            isinstance(node, ast.Name) and node.id == "QEventLoop"
        )
        if loop and id(node) not in allowed:
            found.append(f"{path.name}:{node.lineno} QEventLoop")
    return sorted(found)


def test_no_exec_or_nested_event_loop_in_the_ui() -> None:
    files = sorted(UI_DIR.rglob("*.py"))
    assert len(files) > 40  # the whole package is scanned
    found = [o for path in files for o in offences(path)]
    assert found == []


def test_the_scan_catches_what_it_forbids(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(box, app, QtCore):\n"
        "    drag = QDrag(box)\n"
        "    drag.exec()\n"
        "    box.exec()\n"
        "    QMessageBox.question(box, 'Quit?', 'Sure?')\n"
        "    QFileDialog.getOpenFileName(box)\n"
        "    app.processEvents()\n"
        "    QtCore.QEventLoop().exec_()\n",
        encoding="utf-8",
    )
    assert offences(bad) == [
        "bad.py:4 .exec()",
        "bad.py:5 QMessageBox.question()",
        "bad.py:6 QFileDialog.getOpenFileName()",
        "bad.py:7 .processEvents()",
        "bad.py:8 .exec_()",
        "bad.py:8 QEventLoop",
    ]
