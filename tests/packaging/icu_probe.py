"""Run as a script: prints (JSON) what Qt computes with the ICU library it loaded — collation,
case mapping, time-zone names, codecs — and which libicudata file is mapped. test_icu_trim.py
runs it with PySide6's own ICU and with the trimmed one (LD_PRELOAD) and compares."""

from __future__ import annotations

import json
import os
import sys

WORDS = ["ёж", "Яблоко", "апельсин", "Ель", "zebra", "Äpfel", "apple", "Zürich", "éclair"]
LOCALES = ("ru_RU", "en_US", "en_GB", "de_DE", "ja_JP", "C")
ZONES = ("Europe/Moscow", "America/New_York", "Asia/Kolkata", "UTC")
CODECS = ("windows-1251", "KOI8-R", "IBM866", "ISO-8859-15", "windows-1252", "Shift_JIS", "GBK")


def probe() -> dict[str, object]:
    """Qt's ICU-backed results, keyed by what was asked."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCollator, QLocale, QStringConverter, QStringDecoder, Qt, QTimeZone

    out: dict[str, object] = {}
    for name in LOCALES:
        locale = QLocale(name)
        collator = QCollator(locale)
        out[f"sort {name}"] = sorted(WORDS, key=collator.sortKey)
        collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        out[f"case-insensitive {name}"] = collator.compare("ЁЖ", "ёж")
        out[f"upper {name}"] = locale.toUpper("ёж straße")
        out[f"lower {name}"] = locale.toLower("ЁЖ ÄPFEL")
    for zone_id in ZONES:
        zone = QTimeZone(zone_id.encode())
        for name in ("ru_RU", "en_US", "de_DE"):
            for kind in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName):
                key = f"zone {zone_id} {name} {kind.name}"
                out[key] = zone.displayName(QTimeZone.TimeType.StandardTime, kind, QLocale(name))
    out["codecs"] = sorted(QStringConverter.availableCodecs())
    for codec in CODECS:
        out[f"codec {codec}"] = QStringDecoder(codec).isValid()
    with open("/proc/self/maps", encoding="utf-8") as maps:
        mapped = {line.split()[-1] for line in maps if "libicudata" in line}
    out["libicudata"] = sorted(mapped)
    return out


if __name__ == "__main__":
    json.dump(probe(), sys.stdout, ensure_ascii=False)
