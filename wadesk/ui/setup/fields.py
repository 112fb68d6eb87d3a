"""Format checks of the setup form, as typed, with messages in the current language.

The same rules as `wadesk.core.validation` (phonenumbers for the phone; digits-only Graph ids,
where pasted spaces are the most common cause of "Invalid Phone Number ID"), but each problem
is a translatable sentence.
"""

from __future__ import annotations

import re

import phonenumbers
from PySide6.QtCore import QCoreApplication

_DIGITS = re.compile(r"^[0-9]+$")


def label_problem(text: str) -> str | None:
    if not text.strip():
        return QCoreApplication.translate("SetupFields", "Give the number a label, e.g. “Salon”.")
    return None


def phone_problem(text: str) -> str | None:
    raw = text.strip()
    if not raw:
        return QCoreApplication.translate(
            "SetupFields", "Enter the phone number with the country code, e.g. +1 555 010 0001."
        )
    try:
        parsed = phonenumbers.parse(raw if raw.startswith("+") else "+" + raw, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return QCoreApplication.translate(
            "SetupFields",
            "This is not a phone number: write it with the country code, e.g. +1 555 010 0001.",
        )
    return None


def id_problem(text: str, what: str) -> str | None:
    """`what` is the already translated field name (Phone Number ID / WABA ID)."""
    value = text.strip()
    if not value:
        return QCoreApplication.translate("SetupFields", "Enter the %1.").replace("%1", what)
    if not _DIGITS.match(value):
        if _DIGITS.match(re.sub(r"[\s\-]", "", value)):
            return QCoreApplication.translate(
                "SetupFields", "The %1 must be digits only: remove the spaces and dashes."
            ).replace("%1", what)
        return QCoreApplication.translate(
            "SetupFields",
            "The %1 must be digits only (copy it from Meta's dashboard: WhatsApp → API Setup).",
        ).replace("%1", what)
    if not 5 <= len(value) <= 25:
        return (
            QCoreApplication.translate(
                "SetupFields", "The %1 looks too short or too long (%2 digits)."
            )
            .replace("%1", what)
            .replace("%2", str(len(value)))
        )
    return None


def secret_problem(text: str, required: bool, what: str) -> str | None:
    if required and not text.strip():
        return QCoreApplication.translate("SetupFields", "Paste the %1.").replace("%1", what)
    if text and text != text.strip() and not text.strip():
        return QCoreApplication.translate("SetupFields", "Paste the %1.").replace("%1", what)
    return None


def recipient_problem(text: str) -> str | None:
    if not text.strip():
        return None
    return phone_problem(text)
