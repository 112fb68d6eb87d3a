"""Format checks for what a person types when adding a number: the phone number (via
phonenumbers) and the numeric Graph ids. Each failure is a `ValidationError` whose message
says what is wrong and how to fix it."""

from __future__ import annotations

import re

import phonenumbers

_DIGITS = re.compile(r"^[0-9]+$")


class ValidationError(ValueError):
    """Bad user input; `field` names the input, str() is a sentence a person can act on."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def normalize_phone(text: str, default_region: str | None = None) -> str:
    """Return the phone number in E.164 (`+15550100001`), or raise ValidationError."""
    raw = text.strip()
    if not raw:
        raise ValidationError("phone", "Enter the phone number, e.g. +1 555 010 0001.")
    if not raw.startswith("+") and default_region is None:
        raw = "+" + raw
    try:
        parsed = phonenumbers.parse(raw, default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "phone",
            f"'{text}' is not a phone number; write it with the country code, e.g. +1 555 010 0001.",
        ) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise ValidationError(
            "phone", f"'{text}' has the wrong number of digits for its country code."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164_or_wa_id: str) -> str:
    """Human form of a number (`+1 555-010-0001`); returns the input when it cannot be parsed."""
    raw = e164_or_wa_id if e164_or_wa_id.startswith("+") else "+" + e164_or_wa_id
    try:
        parsed = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        return e164_or_wa_id
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_graph_id(field: str, text: str, what: str) -> str:
    """Check a Phone Number ID / WABA ID: digits only, no spaces or symbols.

    Spaces and stray symbols pasted from the dashboard are the most common cause of
    "Invalid Phone Number ID", so they get their own message.
    """
    value = text.strip()
    if not value:
        raise ValidationError(field, f"Enter the {what}.")
    if not _DIGITS.match(value):
        if _DIGITS.match(re.sub(r"[\s\-]", "", value)):
            raise ValidationError(
                field, f"The {what} must be digits only: remove the spaces and dashes."
            )
        raise ValidationError(
            field,
            f"The {what} must be digits only (copy it from Meta's dashboard: WhatsApp → API Setup).",
        )
    if not 5 <= len(value) <= 25:
        raise ValidationError(
            field, f"The {what} looks too short or too long ({len(value)} digits)."
        )
    return value
