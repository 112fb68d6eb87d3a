#!/usr/bin/env bash
# Installs wadesk into .venv on a fresh Debian machine (Python 3.11) and runs it against the
# built-in Cloud API sandbox (`wadesk demo`; headless: `wadesk serve --sandbox`).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 DEBIAN_FRONTEND=noninteractive
bash scripts/system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q -e . 2>&1 | grep -v 'is ignored' || true
exec .venv/bin/wadesk demo "$@"
