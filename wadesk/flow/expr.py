"""Small pure helpers of the flow engine: {{variable}} templates, answer validation, condition
comparisons, business hours and JSON paths.

Templates: ``{{name}}`` (spaces allowed inside the braces) is replaced by the variable's value;
built-ins are ``contact.name``, ``contact.phone`` and ``contact.<field>``. Unknown variables
become the empty string. A JSON body is parsed first and substituted inside its strings, so a
value can never break the JSON; a string that is exactly ``"{{x}}"`` keeps x's JSON type.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, time
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

TEMPLATE_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
PHONE_STRIP_RE = re.compile(r"[\s\-().]")
HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def variables_in(text: object) -> list[str]:
    """Names used as {{name}} in a text (or inside any string of a JSON-like value)."""
    if isinstance(text, str):
        return TEMPLATE_RE.findall(text)
    if isinstance(text, Mapping):
        return [n for v in text.values() for n in variables_in(v)]
    if isinstance(text, list):
        return [n for v in text for n in variables_in(v)]
    return []


def stringify(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def render(text: str, variables: Mapping[str, Any], *, url: bool = False) -> str:
    """Substitute {{variables}}; with `url=True` values are percent-encoded."""
    if "{{" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        value = stringify(variables.get(m.group(1)))
        return quote(value, safe="") if url else value

    return TEMPLATE_RE.sub(sub, text)


def render_value(value: Any, variables: Mapping[str, Any]) -> Any:
    """Substitute inside every string of a JSON-like value; "{{x}}" alone keeps x's type."""
    if isinstance(value, str):
        m = TEMPLATE_RE.fullmatch(value.strip())
        if m is not None:
            return variables.get(m.group(1), "")
        return render(value, variables)
    if isinstance(value, dict):
        return {k: render_value(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [render_value(v, variables) for v in value]
    return value


def parse_json_body(text: str) -> Any:
    """Parse a JSON body template (raises ValueError with a readable message)."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"the JSON body is not valid JSON: {exc}") from None


def json_path(data: Any, path: str) -> tuple[bool, Any]:
    """Follow a dotted path ("data.items.0.name") into JSON; (found, value)."""
    current = data
    for part in [p for p in path.split(".") if p]:
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.lstrip("-").isdigit():
            i = int(part)
            if -len(current) <= i < len(current):
                current = current[i]
            else:
                return False, None
        else:
            return False, None
    return True, current


# -- question answers ----------------------------------------------------------------------


def check_answer(kind: str, text: str, config: Mapping[str, Any]) -> tuple[bool, Any]:
    """Validate a typed answer; returns (valid, value to store)."""
    text = text.strip()
    if not text:
        return False, None
    if kind == "text":
        return True, text
    if kind == "number":
        return _number(text)
    if kind == "email":
        return (True, text.lower()) if EMAIL_RE.match(text) else (False, None)
    if kind == "phone":
        return _phone(text)
    if kind == "date":
        return _date(text)
    if kind == "regex":
        pattern = config.get("pattern")
        try:
            ok = isinstance(pattern, str) and re.fullmatch(pattern, text) is not None
        except re.error:
            ok = False
        return (True, text) if ok else (False, None)
    if kind == "one_of":
        options = config.get("options")
        for option in options if isinstance(options, list) else []:
            if isinstance(option, str) and option.strip().casefold() == text.casefold():
                return True, option
        return False, None
    return False, None


def _number(text: str) -> tuple[bool, Any]:
    candidate = text.replace(" ", "").replace(",", ".")
    try:
        value = float(candidate)
    except ValueError:
        return False, None
    if value != value or value in (float("inf"), float("-inf")):
        return False, None
    return True, int(value) if value.is_integer() and "." not in candidate else value


def _phone(text: str) -> tuple[bool, Any]:
    compact = PHONE_STRIP_RE.sub("", text)
    plus = compact.startswith("+")
    digits = compact[1:] if plus else compact
    if not digits.isdigit() or not 7 <= len(digits) <= 15:
        return False, None
    return True, ("+" if plus else "") + digits


def _date(text: str) -> tuple[bool, Any]:
    for fmt in DATE_FORMATS:
        try:
            return True, datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return False, None


# -- conditions ------------------------------------------------------------------------------


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def compare(op: str, left: Any, right: str) -> bool:
    """Evaluate `left <op> right`; text comparisons ignore case and surrounding spaces."""
    if op == "is_set":
        return left is not None and stringify(left) != ""
    if op == "is_empty":
        return left is None or stringify(left).strip() == ""
    if op in ("gt", "ge", "lt", "le"):
        a, b = _as_number(left), _as_number(right)
        if a is None or b is None:
            return False
        return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]
    if op == "regex":
        try:
            return re.search(right, stringify(left)) is not None
        except re.error:
            return False
    a_text, b_text = stringify(left).strip().casefold(), right.strip().casefold()
    if op in ("eq", "ne"):
        a_num, b_num = _as_number(left), _as_number(right)
        same = a_num == b_num if a_num is not None and b_num is not None else a_text == b_text
        return same if op == "eq" else not same
    if op == "contains":
        return b_text in a_text
    if op == "not_contains":
        return b_text not in a_text
    if op == "starts_with":
        return a_text.startswith(b_text)
    raise ValueError(f"unknown comparison {op!r}")


def parse_hours(spec: str) -> list[tuple[time, time]]:
    """ "09:00-13:00, 14:00-18:00" → [(09:00, 13:00), (14:00, 18:00)] (ValueError if bad)."""
    ranges: list[tuple[time, time]] = []
    for part in spec.split(","):
        if not part.strip():
            continue
        m = HOURS_RE.match(part)
        if m is None:
            raise ValueError(f"bad opening hours {part.strip()!r} (expected HH:MM-HH:MM)")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h2 == 24 and m2 == 0:
            h2, m2 = 23, 59
        start, end = time(h1, m1), time(h2, m2)  # ValueError for 25:00 etc.
        if end <= start:
            raise ValueError(f"opening hours {part.strip()!r} end before they start")
        ranges.append((start, end))
    return ranges


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r}") from None


def is_open(hours: Mapping[str, Any], tz_name: str, now: datetime) -> bool:
    """True when `now` falls inside the opening hours of its weekday in time zone tz_name."""
    local = now.astimezone(zone(tz_name))
    spec = hours.get(DAYS[local.weekday()], "")
    if not isinstance(spec, str):
        return False
    t = local.time().replace(tzinfo=None)
    return any(start <= t < end for start, end in parse_hours(spec))


# -- node-level evaluation -----------------------------------------------------------------


def _rule_holds(rule: Mapping[str, Any], variables: Mapping[str, Any]) -> bool:
    name = rule.get("variable")
    left = variables.get(name) if isinstance(name, str) else None
    right = render(str(rule.get("value") or ""), variables)
    return compare(str(rule.get("op", "eq")), left, right)


def evaluate_condition(
    config: Mapping[str, Any], variables: Mapping[str, Any], now: datetime
) -> str:
    """The output handle a condition node takes ("true"/"false", a case id or "default")."""
    mode = config.get("mode", "if")
    if mode == "business_hours":
        hours = config.get("hours")
        if not isinstance(hours, Mapping):
            raise ValueError("business hours are not set")
        return "true" if is_open(hours, str(config.get("timezone") or "UTC"), now) else "false"
    if mode == "cases":
        cases = config.get("cases")
        for case in cases if isinstance(cases, list) else []:
            if isinstance(case, Mapping) and _rule_holds(case, variables):
                return str(case.get("id"))
        return "default"
    rules = [r for r in config.get("rules") or [] if isinstance(r, Mapping)]
    if not rules:
        raise ValueError("the condition has no rules")
    results = (_rule_holds(r, variables) for r in rules)
    ok = any(results) if config.get("join") == "any" else all(results)
    return "true" if ok else "false"


HttpParts = tuple[str, str, tuple[tuple[str, str], ...], Any, float]


def build_http(config: Mapping[str, Any], variables: Mapping[str, Any]) -> HttpParts:
    """(method, url, headers, body, timeout) of an HTTP request node, variables substituted."""
    method = str(config.get("method") or "GET").upper()
    url = render(str(config.get("url") or ""), variables, url=True)
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"the URL must start with http:// or https:// (got {url[:40]!r})")
    raw_headers = config.get("headers") or {}
    if not isinstance(raw_headers, Mapping):
        raise ValueError("headers must be a mapping")
    headers = tuple((str(k), render(str(v), variables)) for k, v in raw_headers.items())
    body: Any = None
    raw_body = config.get("body")
    if method in ("POST", "PUT", "PATCH") and isinstance(raw_body, str) and raw_body.strip():
        body = render_value(parse_json_body(raw_body), variables)
    timeout = config.get("timeout", 10.0)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
        timeout = 10.0
    return method, url, headers, body, float(timeout)
