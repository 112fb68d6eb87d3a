#!/usr/bin/env bash
# Builds the one-folder app with PyInstaller (build.spec), prints its size and its 10 biggest
# files, and runs the frozen self-test.
#   bash scripts/build.sh                 # → dist/wadesk/ (run dist/wadesk/wadesk)
#   bash scripts/build.sh --dist DIR      # put the bundle in DIR/wadesk/ (work files in DIR/.work)
#   bash scripts/build.sh --no-self-test  # build only
# Installs wadesk with its `build` extra (PyInstaller) into .venv when PyInstaller is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 DEBIAN_FRONTEND=noninteractive
dist=dist
work=build/pyinstaller
self_test=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dist) dist="$2"; work="$2/.work"; shift 2 ;;
    --no-self-test) self_test=0; shift ;;
    *) echo "usage: bash scripts/build.sh [--dist DIR] [--no-self-test]" >&2; exit 2 ;;
  esac
done
bash scripts/system-deps.sh
[ -x .venv/bin/python ] || python3 -m venv .venv
if [ ! -x .venv/bin/pyinstaller ]; then
  .venv/bin/pip install -q -e '.[build]' 2>&1 | grep -v 'is ignored' || true
fi
for tool in cc readelf strip; do  # build.spec trims ICU (cc, readelf) and strips libraries (strip)
  command -v "$tool" >/dev/null || echo "note: '$tool' not found (install gcc and binutils):" \
    "the bundle will be bigger (ICU data kept whole / libraries not stripped)" >&2
done
mkdir -p "$work"
log="$work/pyinstaller.log"
start=$(date +%s)
if ! .venv/bin/pyinstaller --noconfirm --clean --distpath "$dist" --workpath "$work" build.spec \
    >"$log" 2>&1; then
  tail -50 "$log" >&2
  echo "build failed (full log: $log)" >&2
  exit 1
fi
app="$dist/wadesk"
echo "built $app in $(( $(date +%s) - start )) s: $(du -sh "$app" | cut -f1) ($(du -sm "$app" | cut -f1) MB)"
grep '^wadesk build:' "$log" || true   # what build.spec trimmed (ICU data, unreachable libraries)
echo "the 10 biggest files (KB):"
# sorted in full, then cut in awk: `head` closing the pipe early made `sort` die of SIGPIPE,
# which pipefail turned into a failed build (exit 141)
find "$app" -type f -exec du -k {} + | sort -rn | awk -v app="$app/" 'NR <= 10 { sub(app, ""); print }'

if [ "$self_test" = 1 ]; then
  exe="$app/wadesk-cli.exe"  # Windows: the console twin (wadesk.exe has no console to print to)
  [ -f "$exe" ] || exe="$app/wadesk"
  [ -x "$exe" ] || exe="$app/wadesk.exe"
  QT_QPA_PLATFORM=offscreen "$exe" --self-test
fi
