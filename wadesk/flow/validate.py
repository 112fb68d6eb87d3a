"""Validation of a flow against a registry: every problem points to its node (or None for the
whole flow) and has English and Russian text for the editor's badges and the problems list.

Rules: no trigger; unknown node type; missing / malformed config; WhatsApp limits (button and
row counts, title/body lengths, duplicate ids/titles); edges from outputs that do not exist;
outputs with no edge (the conversation would silently stop); unreachable nodes; undefined
{{variables}}; loops without a node that waits for the customer or a timer; free-form sends that
may run outside the 24-hour customer-service window.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from wadesk.flow import expr
from wadesk.flow.analysis import loop_components, outside_window_nodes, reachable_from
from wadesk.flow.graph import VARIABLE_RE, Flow, Node
from wadesk.flow.registry import Param, Registry

Severity = Literal["error", "warning"]
BUILTIN_PREFIX = "contact."


@dataclass(frozen=True, slots=True)
class Problem:
    node_id: str | None
    severity: Severity
    code: str
    message_en: str
    message_ru: str
    subject: str | None = None  # what the problem is about beyond the node (a variable name…)


def validate(
    flow: Flow, registry: Registry, *, flows: Collection[str] | None = None
) -> list[Problem]:
    """Every problem of `flow`, in node order, flow-level problems first. With `flows` (the ids
    of the flows that exist), a jump that starts a flow not among them is an error."""
    out: list[Problem] = []
    if not flow.triggers:
        out.append(
            Problem(
                None,
                "error",
                "no_trigger",
                "The flow has no trigger: it can never start.",
                "В сценарии нет запуска: он никогда не начнётся.",
            )
        )
    for node in flow.nodes:
        node_type = registry.find(node.type)
        if node_type is None:
            out.append(
                Problem(
                    node.id,
                    "error",
                    "unknown_type",
                    f"Unknown node type {node.type!r}.",
                    f"Неизвестный тип узла {node.type!r}.",
                )
            )
            continue
        config = {**node_type.defaults(), **node.config}  # what the engine will use
        out.extend(_check_params(flow, node, node_type.params, config, ""))
        out.extend(_check_specific(node))
        if flows is not None:
            out.extend(_check_flow_target(node, flows))
        out.extend(_check_outputs(flow, registry, node))
    out.extend(_check_reachability(flow))
    out.extend(_check_variables(flow))
    for component in loop_components(flow, registry):
        names = ", ".join(component)
        out.append(
            Problem(
                component[0],
                "error",
                "loop_without_wait",
                f"These nodes loop without waiting for the customer or a delay: {names}.",
                f"Узлы зацикливаются без ожидания клиента или паузы: {names}.",
            )
        )
    for node_id in outside_window_nodes(flow, registry):
        out.append(
            Problem(
                node_id,
                "warning",
                "outside_window",
                "This free-form message may be sent more than 24 hours after the customer's "
                "last message; WhatsApp will reject it. Use a template.",
                "Это сообщение может уйти позже чем через 24 часа после последнего сообщения "
                "клиента, и WhatsApp его отклонит. Используйте шаблон.",
            )
        )
    order = {n.id: i for i, n in enumerate(flow.nodes)}
    out.sort(key=lambda p: -1 if p.node_id is None else order.get(p.node_id, len(order)))
    return out


def _err(node: Node, code: str, en: str, ru: str, severity: Severity = "error") -> Problem:
    return Problem(node.id, severity, code, en, ru)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def _check_params(
    flow: Flow, node: Node, params: Iterable[Param], config: Mapping[str, Any], where: str
) -> list[Problem]:
    out: list[Problem] = []
    for p in params:
        if not p.applies(config):
            continue
        label = f"{where}{p.title_en or p.name}"
        label_ru = f"{where}{p.title_ru or p.name}"
        value = config.get(p.name)
        if _empty(value) and not (p.kind == "list" and p.min_items):
            if p.required:
                out.append(
                    _err(node, "missing_config", f"{label}: required.", f"{label_ru}: обязательно.")
                )
            continue
        problem = _check_value(flow, p, value)
        if problem is not None:
            en, ru, code = problem
            out.append(_err(node, code, f"{label}: {en}", f"{label_ru}: {ru}"))
        elif p.kind == "list" and isinstance(value, list):
            out.extend(_check_items(flow, node, p, value, label))
    return out


def _check_value(flow: Flow, p: Param, value: Any) -> tuple[str, str, str] | None:  # noqa: C901
    bad = ("has the wrong type.", "неверный тип.", "bad_config")
    kind = p.kind
    if kind in ("text", "multiline", "variable", "regex", "node", "flow", "json", "timezone"):
        if not isinstance(value, str):
            return bad
        if p.max_len is not None and len(value) > p.max_len:
            return (
                f"{len(value)} characters, WhatsApp allows {p.max_len}.",
                f"{len(value)} символов, WhatsApp допускает {p.max_len}.",
                "too_long",
            )
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        return bad
    if kind == "float" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return bad
    if kind == "bool" and not isinstance(value, bool):
        return bad
    if kind == "choice" and value not in p.choices:
        return (
            f"{value!r} is not one of {', '.join(p.choices)}.",
            f"{value!r} не из списка {', '.join(p.choices)}.",
            "bad_config",
        )
    if kind == "strings" and (
        not isinstance(value, list) or not all(isinstance(v, str) for v in value)
    ):
        return bad
    if kind == "list" and not isinstance(value, list):
        return bad
    if kind in ("mapping", "hours") and (
        not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values())
    ):
        return bad
    if kind == "variable" and not VARIABLE_RE.match(value):
        return (
            f"{value!r} is not a valid variable name.",
            f"{value!r} — недопустимое имя переменной.",
            "bad_config",
        )
    if kind == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            return (
                f"invalid regular expression ({exc}).",
                f"неверное регулярное выражение ({exc}).",
                "bad_config",
            )
    if kind == "node" and not flow.has_node(value):
        return (f"there is no node {value!r}.", f"нет узла {value!r}.", "bad_config")
    if kind == "json":
        try:
            expr.parse_json_body(value)
        except ValueError as exc:
            return (f"{exc}.", "неверный JSON.", "bad_json")
    if kind in ("timezone", "hours"):
        return _check_time(kind, value)
    if isinstance(value, list):
        if p.max_items is not None and len(value) > p.max_items:
            return (
                f"{len(value)} items, WhatsApp allows at most {p.max_items}.",
                f"{len(value)} элементов, WhatsApp допускает не больше {p.max_items}.",
                "too_many_items",
            )
        if p.min_items is not None and len(value) < p.min_items:
            return (
                f"needs at least {p.min_items}.",
                f"нужно не меньше {p.min_items}.",
                "missing_config",
            )
    return None


def _check_time(kind: str, value: Any) -> tuple[str, str, str] | None:
    try:
        if kind == "timezone":
            expr.zone(value)
        else:
            for day, spec in value.items():
                if day not in expr.DAYS:
                    raise ValueError(f"unknown day {day!r} (use mon … sun)")
                expr.parse_hours(spec)
    except ValueError as exc:
        return (f"{exc}.", "неверное значение.", "bad_config")
    return None


def _check_items(flow: Flow, node: Node, p: Param, items: list[Any], label: str) -> list[Problem]:
    out: list[Problem] = []
    seen_ids: set[str] = set()
    seen_titles: set[str] = set()
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            out.append(
                _err(
                    node,
                    "bad_config",
                    f"{label} #{i}: has the wrong type.",
                    f"{label} #{i}: неверный тип.",
                )
            )
            continue
        out.extend(_check_params(flow, node, p.item_params, item, f"{label} #{i} — "))
        item_id, title = item.get("id"), item.get("title")
        if isinstance(item_id, str) and item_id:
            if item_id in seen_ids:
                out.append(
                    _err(
                        node,
                        "duplicate_id",
                        f"{label}: id {item_id!r} is used twice.",
                        f"{label}: id {item_id!r} повторяется.",
                    )
                )
            elif ":" in item_id:
                out.append(
                    _err(
                        node,
                        "bad_config",
                        f"{label}: id {item_id!r} contains ':'.",
                        f"{label}: id {item_id!r} содержит ':'.",
                    )
                )
            seen_ids.add(item_id)
        if isinstance(title, str) and title:
            key = title.strip().casefold()
            if key in seen_titles:
                out.append(
                    _err(
                        node,
                        "duplicate_title",
                        f"{label}: title {title!r} is used twice.",
                        f"{label}: название {title!r} повторяется.",
                    )
                )
            seen_titles.add(key)
    return out


def _check_specific(node: Node) -> list[Problem]:
    c = node.config
    if node.type == "jump" and _empty(c.get("node")) and _empty(c.get("flow")):
        return [
            _err(
                node,
                "missing_config",
                "Jump: choose a node or a flow.",
                "Переход: выберите узел или сценарий.",
            )
        ]
    if node.type == "delay" and isinstance(c.get("seconds"), int) and c["seconds"] <= 0:
        return [
            _err(
                node,
                "bad_config",
                "Delay: must be at least 1 second.",
                "Пауза: не меньше 1 секунды.",
            )
        ]
    if node.type == "http_request":
        url = c.get("url")
        if isinstance(url, str) and url and not url.startswith(("http://", "https://", "{{")):
            return [
                _err(
                    node,
                    "bad_config",
                    "URL: must start with http:// or https://.",
                    "URL: должен начинаться с http:// или https://.",
                )
            ]
    return []


def _check_flow_target(node: Node, flows: Collection[str]) -> list[Problem]:
    target = node.config.get("flow") if node.type == "jump" else None
    if not isinstance(target, str) or not target or target in flows:
        return []
    return [
        Problem(
            node.id,
            "error",
            "missing_flow",
            f"Start flow: there is no flow {target!r} (deleted?). Choose another one.",
            f"Запустить сценарий: сценария {target!r} нет (удалён?). Выберите другой.",
            subject=target,
        )
    ]


def _check_outputs(flow: Flow, registry: Registry, node: Node) -> list[Problem]:
    out: list[Problem] = []
    handles = registry.outputs(node.type, node.config)
    names = {h.name for h in handles}
    for edge in flow.outgoing(node.id):
        if edge.handle not in names:
            out.append(
                _err(
                    node,
                    "unknown_output",
                    f"An edge leaves through {edge.handle!r}, which this node no longer has.",
                    f"Связь выходит из {edge.handle!r}, которого у узла больше нет.",
                )
            )
    for h in handles:
        if not h.optional and flow.edge(node.id, h.name) is None:
            out.append(
                _err(
                    node,
                    "unconnected_output",
                    f"Output {h.title_en!r} leads nowhere: the conversation stops there.",
                    f"Выход {h.title_ru!r} никуда не ведёт: разговор там оборвётся.",
                    "warning",
                )
            )
    return out


def _check_reachability(flow: Flow) -> list[Problem]:
    reached = reachable_from(flow, [n.id for n in flow.triggers])
    return [
        _err(
            n,
            "unreachable",
            "No path from a trigger reaches this node.",
            "Ни один путь от запуска не ведёт к этому узлу.",
            "warning",
        )
        for n in flow.nodes
        if n.id not in reached and n.type != "trigger"
    ]


_SETTERS = {
    "question": ("variable",),
    "set_variable": ("variable",),
    "buttons": ("variable",),
    "list": ("variable",),
    "http_request": ("status_variable",),
}


def _defined_variables(flow: Flow) -> set[str]:
    names = {v.name for v in flow.variables}
    for node in flow.nodes:
        for key in _SETTERS.get(node.type, ()):
            value = node.config.get(key)
            if isinstance(value, str) and value:
                names.add(value)
        if node.type == "http_request" and isinstance(node.config.get("response_map"), dict):
            names.update(str(k) for k in node.config["response_map"])
    return names


def _used_variables(node: Node) -> list[str]:
    used = expr.variables_in(node.config)
    if node.type == "condition":
        for key in ("rules", "cases"):
            for rule in node.config.get(key) or []:
                if isinstance(rule, dict) and isinstance(rule.get("variable"), str):
                    used.append(rule["variable"])
    return used


def _check_variables(flow: Flow) -> list[Problem]:
    defined = _defined_variables(flow)
    out: list[Problem] = []
    for node in flow.nodes:
        reported: set[str] = set()
        for name in _used_variables(node):
            if name in defined or name.startswith(BUILTIN_PREFIX) or name in reported:
                continue
            reported.add(name)
            out.append(
                Problem(
                    node.id,
                    "warning",
                    "undefined_variable",
                    f"Variable {name!r} is never declared or set: declare it under Variables.",
                    f"Переменная {name!r} нигде не объявлена и не задаётся: объявите её "
                    "в разделе «Переменные».",
                    subject=name,
                )
            )
    return out
