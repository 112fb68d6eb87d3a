"""scripts/icu_trim.py: the trimmed ICU data library that build.spec ships on Linux.

The package keeps its items byte for byte (a valid, sorted ICU common-data package), and Qt with
the trimmed library (LD_PRELOAD, which wins over PySide6's own copy by soname) computes exactly
what it computes with the full data for English and Russian — collation, case mapping, time-zone
names — while the documented losses (other languages' names, multi-byte codecs) are the only
differences. Fast (a few seconds); needs a C compiler and readelf, like the build.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("icu_probe.py")


def _icu_trim() -> ModuleType:
    spec = importlib.util.spec_from_file_location("icu_trim", ROOT / "scripts" / "icu_trim.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icu_trim = _icu_trim()


@pytest.fixture(scope="module")
def original() -> Path:
    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    assert found, "PySide6's Qt links ICU on Linux: libicudata.so.NN must be there"
    return found[0]


@pytest.fixture(scope="module")
def trimmed_library(original: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("cc") is None and shutil.which("gcc") is None:
        pytest.fail("the build trims ICU with the C compiler: install gcc (build-essential)")
    if shutil.which("readelf") is None:
        pytest.fail("the build needs readelf (binutils)")
    library = icu_trim.build_library(original, tmp_path_factory.mktemp("icu"))
    assert library is not None
    return Path(library)


def _package(library: Path) -> bytes:
    found = icu_trim._symbol(library)
    assert found is not None, f"no icudtNN_dat symbol in {library}"
    _name, offset, size = found
    data: bytes = library.read_bytes()[offset : offset + size]
    return data


def test_trimmed_package_is_a_subset_byte_for_byte(original: Path) -> None:
    full = _package(original)
    trimmed = icu_trim.trim_data(full)
    assert len(trimmed) < len(full) / 5
    _, full_items = icu_trim._entries(full)
    _, kept_items = icu_trim._entries(trimmed)
    full_by_name = dict(full_items)
    names = [name for name, _ in kept_items]
    assert names == sorted(names), "ICU binary-searches the table of contents"
    for name, data in kept_items:
        # Items are copied whole; only the alignment padding after them may differ.
        original_data = full_by_name[name]
        assert data.rstrip(b"\0") == original_data.rstrip(b"\0"), name
    base = full_items[0][0].split("/")[0]  # e.g. icudt73l
    kept = set(names)
    for needed in (
        "root.res",
        "pool.res",
        "res_index.res",
        "en.res",
        "ru.res",
        "en_GB.res",
        "cnvalias.icu",
        "zoneinfo64.res",
        "metaZones.res",
        "timezoneTypes.res",
        "supplementalData.res",
        "likelySubtags.res",
        "coll/root.res",
        "coll/ru.res",
        "coll/ucadata.icu",
        "zone/ru.res",
        "zone/en.res",
        "ibm-5347_P100-1998.cnv",  # windows-1251
        "ibm-878_P100-1996.cnv",  # KOI8-R
    ):
        assert f"{base}/{needed}" in kept, needed
    for dropped in ("de.res", "coll/de.res", "zone/ja.res", "brkitr/cjdict.dict", "unames.icu"):
        assert f"{base}/{dropped}" not in kept, dropped
    assert not any(name.startswith(f"{base}/translit/") for name in kept)


def _probe(preload: Path | None) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("LD_PRELOAD", None)
    if preload is not None:
        env["LD_PRELOAD"] = str(preload)
    done = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_qt_with_the_trimmed_icu_matches_for_english_and_russian(
    original: Path, trimmed_library: Path
) -> None:
    assert trimmed_library.stat().st_size < original.stat().st_size / 5
    full = _probe(None)
    trimmed = _probe(trimmed_library)
    assert full["libicudata"] == [str(original.resolve())]
    assert trimmed["libicudata"] == [str(trimmed_library)], "the trimmed library was not loaded"

    # Russian collation puts Cyrillic first; the trimmed data must still know that.
    assert trimmed["sort ru_RU"] == full["sort ru_RU"]
    assert trimmed["sort ru_RU"][0] == "апельсин"  # type: ignore[index]
    same = [
        key
        for key in full
        if key.startswith(("sort ", "case-insensitive ", "upper ", "lower "))
        or (key.startswith("zone ") and (" ru_RU " in key or " en_US " in key))
    ]
    assert len(same) == 4 * 6 + 4 * 2 * 2  # 6 locales x 4 checks, 4 zones x 2 locales x 2 names
    assert {key: trimmed[key] for key in same} == {key: full[key] for key in same}
    assert trimmed["zone Europe/Moscow ru_RU LongName"] == "Москва, стандартное время"

    # Documented losses: other languages' zone names fall back to English …
    assert full["zone Europe/Moscow de_DE LongName"] == "Moskauer Normalzeit"
    assert trimmed["zone Europe/Moscow de_DE LongName"] == "Moscow Standard Time"
    # … and only single-byte legacy codecs remain (plus ICU's built-in Unicode/Latin-1 ones).
    for codec in ("windows-1251", "KOI8-R", "IBM866", "ISO-8859-15", "windows-1252"):
        assert trimmed[f"codec {codec}"] is True, codec
    assert full["codec Shift_JIS"] is True
    assert trimmed["codec Shift_JIS"] is False
    assert trimmed["codec GBK"] is False
    assert {"UTF-8", "UTF-16", "ISO-8859-1", "US-ASCII"} <= set(trimmed["codecs"])  # type: ignore[arg-type]


def test_build_library_keeps_the_original_when_it_cannot_trim(tmp_path: Path) -> None:
    not_icu = tmp_path / "libicudata.so.99"
    not_icu.write_bytes(b"\x7fELF not really")
    assert icu_trim.build_library(not_icu, tmp_path / "out") is None
    with pytest.raises(ValueError):
        icu_trim.trim_data(b"\x20\x00\xda\x27" + b"\0" * 8 + b"Xxxx" + b"\0" * 16)
