#!/usr/bin/env bash
# Installs what the test-suite needs on a fresh Debian machine (Python 3.11) and runs all of it:
# ruff, ruff format, mypy (core/flow/engine), import-linter contracts, and pytest (including the
# `packaging` test that builds the PyInstaller bundle and runs its self-test, ~2 min; skip it with
# `bash scripts/test.sh -m 'not packaging'`).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen PIP_DISABLE_PIP_VERSION_CHECK=1 DEBIAN_FRONTEND=noninteractive
bash scripts/system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e '.[dev,build]' 2>&1 | grep -v 'is ignored' || true
.venv/bin/python -c 'import wadesk, pytest, PySide6' # the install above must have worked
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy wadesk/core wadesk/flow wadesk/engine
.venv/bin/lint-imports
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
