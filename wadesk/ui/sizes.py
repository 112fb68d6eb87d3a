"""File sizes for people, in the UI language: `format_size(250_000)` → "244.1 KB" in English,
"244,1 КБ" in Russian.

The units go through Qt's translator (context "Sizes", so `scripts/update_translations.sh`
picks them up) and the number through the default `QLocale` (the translator sets it with the
language), so the decimal separator matches too. Every place in the UI that shows a size in
bytes uses this helper.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

_STEP = 1024


def _units() -> tuple[str, str, str, str]:
    # literal calls, one per unit, so lupdate finds them
    return (
        QCoreApplication.translate("Sizes", "%1 B"),
        QCoreApplication.translate("Sizes", "%1 KB"),
        QCoreApplication.translate("Sizes", "%1 MB"),
        QCoreApplication.translate("Sizes", "%1 GB"),
    )


def format_size(size: int | None) -> str:
    """`1536` → "1.5 KB" (translated units, locale decimal separator); None or < 0 → ""."""
    if size is None or size < 0:
        return ""
    units = _units()
    value = float(size)
    locale = QLocale()
    for n, unit in enumerate(units):
        if value < _STEP or n == len(units) - 1:
            number = str(size) if n == 0 else locale.toString(value, "f", 1)
            return unit.replace("%1", number)
        value /= _STEP
    return ""  # pragma: no cover - the loop always returns
