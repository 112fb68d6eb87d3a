#!/usr/bin/env bash
# Regenerate the Qt Linguist sources (.ts) from every tr()/translate() call under wadesk/ui,
# then compile them to .qm. Translate new entries in resources/translations/wadesk_ru.ts
# (Qt Linguist: .venv/bin/pyside6-linguist) and run this script again.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
mapfile -t SOURCES < <(find wadesk/ui -name '*.py' | sort)
for lang in ru; do
  ts="resources/translations/wadesk_${lang}.ts"
  "$BIN/pyside6-lupdate" -no-obsolete -locations relative "${SOURCES[@]}" -ts "$ts"
  "$BIN/pyside6-lrelease" "$ts" -qm "resources/translations/wadesk_${lang}.qm"
done
