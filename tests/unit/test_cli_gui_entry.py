"""`wadesk` with no command opens the desktop app on the user's data dir; `wadesk demo` opens it
on the built-in sandbox (a DemoEngine, demo=True). `run_gui` itself is tested in
tests/gui/test_shell.py; here the command line's dispatch and the engines it hands over."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wadesk import cli
from wadesk.engine.demo import DemoEngine
from wadesk.engine.service import Engine


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """The engine factories configure the `wadesk` logger; put its handlers back after."""
    logger = logging.getLogger("wadesk")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in saved[0]:
        logger.addHandler(handler)
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


@pytest.fixture
def gui_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Callable[[], Any], dict[str, Any]]]:
    import wadesk.ui.app

    calls: list[tuple[Callable[[], Any], dict[str, Any]]] = []

    def fake_run_gui(make_engine: Callable[[], Any], **kwargs: Any) -> int:
        calls.append((make_engine, kwargs))
        return 0

    monkeypatch.setattr(wadesk.ui.app, "run_gui", fake_run_gui)
    return calls


def test_no_command_opens_the_app_on_the_data_dir(
    gui_calls: list[tuple[Callable[[], Any], dict[str, Any]]], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert cli.main(["--data-dir", str(data)]) == 0
    [(make_engine, kwargs)] = gui_calls
    assert not kwargs.get("demo", False)
    engine = make_engine()
    assert type(engine) is Engine
    assert engine.settings.paths.data_dir == data
    assert engine.settings.port == cli.DEFAULT_PORT  # a fixed port: Meta's callback keeps working


def test_demo_opens_the_app_on_the_sandbox(
    gui_calls: list[tuple[Callable[[], Any], dict[str, Any]]], tmp_path: Path
) -> None:
    data = tmp_path / "demo"
    assert cli.main(["demo", "--data-dir", str(data)]) == 0
    [(make_engine, kwargs)] = gui_calls
    assert kwargs["demo"] is True
    engine = make_engine()
    assert isinstance(engine, DemoEngine)
    assert engine.settings.paths.data_dir == data
    assert engine.sandbox is not None  # a demo number and demo customers, not graph.facebook.com


def test_demo_without_data_dir_keeps_away_from_the_real_data(
    gui_calls: list[tuple[Callable[[], Any], dict[str, Any]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WADESK_DATA_DIR", raising=False)
    assert cli.main(["demo"]) == 0
    assert cli.main([]) == 0
    demo_engine = gui_calls[0][0]()
    real_engine = gui_calls[1][0]()
    assert demo_engine.settings.paths.data_dir == real_engine.settings.paths.data_dir / "demo"
