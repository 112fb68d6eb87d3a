"""Shrinks the ICU data library that PySide6's Qt links on Linux (`libicudata.so.NN`, ~31 MB).

Qt 6 (PySide6's wheel) links libicuuc/libicui18n/libicudata and cannot start without them, but it
calls only a small part of ICU (see `nm -D --undefined-only libQt6Core.so.6 | grep _NN$`):
case mapping (`u_strToUpper/Lower`, whose data is compiled into libicuuc), time-zone names and
calendars (`ucal_*`), collation (`ucol_*`, QCollator) and legacy codecs (`ucnv_*`,
QStringConverter). No Qt library calls break iterators, transliteration, number/unit/currency
formatting, character names or spoof checks. So the data package can lose:

- the `brkitr/`, `translit/` and `rbnf/` trees (break dictionaries, transliterators, spell-out
  rules: nothing in Qt reaches them);
- `unames.icu` (character names), `confusables.cfu` (spoof checks), `*.spp` (StringPrep);
- the locale bundles of every language except English and Russian (wadesk's UI languages) in
  every tree: ICU falls back to the root locale for the others (e.g. a German system gets root
  collation, which sorts German correctly, and English/GMT time-zone names);
- the multi-byte conversion tables (CJK and EBCDIC DBCS): wadesk never decodes legacy encodings
  (the Cloud API is JSON in UTF-8); UTF-8/16/32, Latin-1 and ASCII are built into ICU's code and
  every single-byte table (windows-125x, ISO-8859-x, KOI8, IBM 866…) stays.

`trim_data(blob)` filters an ICU common data package ("CmnD", the `icudtNNl.dat` format);
`build_library(original, out_dir)` extracts the package from the original library, trims it and
links a replacement `libicudata.so.NN` (same soname and `icudtNN_dat` symbol) with the C
compiler. It returns None when the library does not look as expected or no compiler is found;
the caller then keeps the original. Run as a script to print what would be kept:
`python scripts/icu_trim.py path/to/libicudata.so.73`.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

KEEP_LANGUAGES = ("en", "ru")
DROP_TREES = ("brkitr", "translit", "rbnf")
DROP_FILES = ("unames.icu", "confusables.cfu")
DROP_SUFFIXES = (".spp",)
# A locale bundle: language (2-3 letters) plus optional script/region/variant parts.
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*\.res$")
ALWAYS = ("root.res", "pool.res", "res_index.res")
_ALIGN = 16


def _entries(blob: bytes) -> tuple[int, list[tuple[str, bytes]]]:
    """(header size, [(item name, item bytes)]) of a common data package."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27":
        raise ValueError("not an ICU data package")
    if blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package (CmnD)")
    count = struct.unpack_from("<I", blob, header_size)[0]
    offsets = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(offsets):
        start = header_size + name_offset
        name = blob[start : blob.index(b"\0", start)].decode("ascii")
        end = header_size + offsets[i + 1][1] if i + 1 < count else len(blob)
        items.append((name, blob[header_size + data_offset : end]))
    return header_size, items


def _multibyte_converter(data: bytes) -> bool:
    """True for a .cnv table whose characters take more than one byte (UConverterStaticData)."""
    header_size: int = struct.unpack_from("<H", data, 0)[0]
    # structSize(4) name[60] codepage(4) platform(1) conversionType(1) min(1) max(1)
    max_bytes = data[header_size + 4 + 60 + 4 + 3]
    return max_bytes > 1


def keep_item(name: str, data: bytes) -> bool:
    """Whether item `name` (e.g. "icudt73l/coll/ru.res") stays in the trimmed package."""
    parts = name.split("/")[1:]
    base = parts[-1]
    if len(parts) > 1 and parts[0] in DROP_TREES:
        return False
    if base in DROP_FILES or base.endswith(DROP_SUFFIXES):
        return False
    if base.endswith(".cnv"):
        return not _multibyte_converter(data)
    if base in ALWAYS or not LOCALE.match(base):
        return True
    language = base.split("_")[0].split(".")[0]
    return language in KEEP_LANGUAGES


def trim_data(blob: bytes) -> bytes:
    """The package `blob` without the items `keep_item` rejects (same header, sorted TOC)."""
    header_size, items = _entries(blob)
    kept = [(name, data) for name, data in items if keep_item(name, data)]
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in kept)
    toc_size = 4 + 8 * len(kept)
    first = toc_size + len(names)
    first += -(header_size + first) % _ALIGN
    toc = bytearray(struct.pack("<I", len(kept)))
    body = bytearray()
    name_offset = toc_size
    for name, data in kept:
        toc += struct.pack("<II", name_offset, first + len(body))
        name_offset += len(name) + 1
        body += data
        body += b"\0" * (-len(body) % _ALIGN)
    padding = b"\0" * (first - toc_size - len(names))
    return blob[:header_size] + bytes(toc) + names + padding + bytes(body)


def _symbol(library: Path) -> tuple[str, int, int] | None:
    """(symbol, file offset, size) of the `icudtNN_dat` data in the library, via readelf."""
    readelf = shutil.which("readelf")
    if readelf is None:
        return None
    listed = subprocess.run(
        [readelf, "-W", "--dyn-syms", str(library)], capture_output=True, text=True
    )
    if listed.returncode != 0:
        return None
    symbols = listed.stdout
    pattern = r"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\d+\s+(icudt\d+_dat)"
    found = re.search(pattern, symbols)
    if found is None:
        return None
    address, size, name = int(found.group(1), 16), int(found.group(2), 0), found.group(3)
    sections = subprocess.run(
        [readelf, "-W", "-S", str(library)], capture_output=True, text=True
    ).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return name, section_offset + address - section_address, size
    return None


def build_library(original: Path, out_dir: Path) -> Path | None:
    """A trimmed copy of `original` (libicudata.so.NN) in `out_dir`, or None if not possible."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None or not sys.platform.startswith("linux"):
        return None
    found = _symbol(original)
    if found is None:
        return None
    symbol, offset, size = found
    blob = original.read_bytes()[offset : offset + size]
    try:
        trimmed = trim_data(blob)
    except (ValueError, IndexError, struct.error):
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / original.name
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "icudata.dat"
        data.write_bytes(trimmed)
        source = Path(tmp) / "icudata.S"
        source.write_text(
            "\t.section .rodata\n\t.balign 16\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n{symbol}:\n"
            f'\t.incbin "{data}"\n\t.size {symbol}, .-{symbol}\n'
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        soname = f"-Wl,-soname,{original.name}"
        linked = subprocess.run(
            [compiler, "-shared", "-nostdlib", "-s", soname, "-o", str(target), str(source)],
            capture_output=True,
            text=True,
        )
    if linked.returncode != 0 or _symbol(target) is None:
        return None
    return target


def main(argv: list[str]) -> int:
    """Print the size of the package before/after trimming (and what the trees keep)."""
    library = Path(argv[1])
    found = _symbol(library)
    if found is None:
        print("no icudtNN_dat symbol found")
        return 1
    _symbol_name, offset, size = found
    blob = library.read_bytes()[offset : offset + size]
    trimmed = trim_data(blob)
    print(f"{library.name}: data {len(blob) / 1e6:.1f} MB -> {len(trimmed) / 1e6:.1f} MB")
    _, items = _entries(trimmed)
    print(f"{len(items)} items kept of {len(_entries(blob)[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
