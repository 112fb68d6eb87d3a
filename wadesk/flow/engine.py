"""The pure step engine: (flow, session, event, now) → (actions, new session, trace).

No I/O and no clock: the runtime passes `now`, performs the returned actions and feeds results
back as `Resume` events. Same inputs give the same outputs; the input session is not changed.

Rules worth knowing (the runtime and simulator rely on them):

- `start` runs from the best matching trigger (button payload, then keyword/regex, then first
  message of a new contact, then any message; "manual" triggers only via `start_node`).
- The engine runs nodes until one waits (buttons, list, question, delay, HTTP), the session
  ends, or `max_steps_without_wait` nodes ran without waiting for the customer or a timer
  (runaway guard → status "error").
- Taps on buttons/list rows carry ``f:<node_id>:<choice_id>``. A tap for the node being waited
  on continues through that choice. A tap for *another* node that still exists and still has
  that choice (an older menu scrolled back to) continues from that node: the customer changed
  their mind. A tap whose node or choice no longer exists re-sends the current prompt. A tap
  on an ended session's menu revives the session from that choice; typed text in reply to a
  menu is matched against the titles (or "1", "2", …).
- A waiting session expires `flow.session_ttl` seconds after its last activity; the next event
  ends it (trace "expired") and the runtime may start the flow again.
- Hand-off pauses the bot: every later event is ignored until the runtime drops the session.
- Resumes for a node the session is not waiting on (stale timers) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from wadesk.flow import expr
from wadesk.flow.graph import Flow, Node
from wadesk.flow.registry import Registry
from wadesk.flow.resume import handle_inbound, handle_resume
from wadesk.flow.session import (
    Action,
    AddLabel,
    EndSession,
    Event,
    HandOff,
    HttpRequest,
    Inbound,
    Resume,
    SendButtons,
    SendList,
    SendMedia,
    SendTemplate,
    SendText,
    Session,
    SessionStatus,
    SetContactField,
    StartDelay,
    StartFlow,
    StartTimeout,
    StepResult,
    TraceEntry,
    WaitKind,
    encode_choice,
)

DEFAULT_MAX_STEPS = 50
_TRIGGER_PRIORITY = {"button_payload": 0, "keyword": 1, "regex": 1, "new_contact": 2, "any": 3}


class NoMatchingTrigger(ValueError):
    """`start` was called for an inbound that none of the flow's triggers accepts."""


# -- triggers --------------------------------------------------------------------------------


def _trigger_matches(config: Mapping[str, Any], inbound: Inbound, is_new: bool) -> bool:
    kind = config.get("kind", "keyword")
    sensitive = bool(config.get("case_sensitive", False))
    text = (inbound.text or inbound.choice_title or "").strip()
    if kind == "any":
        return True
    if kind == "new_contact":
        return is_new
    if kind == "button_payload":
        return bool(inbound.choice_id) and inbound.choice_id == config.get("payload")
    if kind == "keyword":
        keywords = config.get("keywords")
        if not text or not isinstance(keywords, list):
            return False
        match = config.get("match", "exact")
        probe = text if sensitive else text.casefold()
        for kw in keywords:
            if not isinstance(kw, str) or not kw.strip():
                continue
            k = kw.strip() if sensitive else kw.strip().casefold()
            if (
                (match == "exact" and probe == k)
                or (match == "contains" and k in probe)
                or (match == "starts_with" and probe.startswith(k))
            ):
                return True
        return False
    if kind == "regex":
        pattern = config.get("pattern")
        try:
            flags = 0 if sensitive else re.IGNORECASE
            return isinstance(pattern, str) and re.search(pattern, text, flags) is not None
        except re.error:
            return False
    return False


def find_trigger(flow: Flow, inbound: Inbound, is_new_contact: bool | None = None) -> Node | None:
    """The trigger node `inbound` starts, by priority then node order; None if none matches."""
    is_new = inbound.is_new_contact if is_new_contact is None else is_new_contact
    best: tuple[int, Node] | None = None
    for node in flow.triggers:
        prio = _TRIGGER_PRIORITY.get(str(node.config.get("kind", "keyword")))
        if prio is None or (best is not None and prio >= best[0]):
            continue
        if _trigger_matches(node.config, inbound, is_new):
            best = (prio, node)
    return best[1] if best is not None else None


def matches_trigger(flow: Flow, inbound: Inbound, is_new_contact: bool | None = None) -> bool:
    return find_trigger(flow, inbound, is_new_contact) is not None


# -- entry points ----------------------------------------------------------------------------


def start(
    flow: Flow,
    registry: Registry,
    inbound: Inbound,
    now: datetime,
    *,
    start_node: str | None = None,
    variables: Mapping[str, Any] | None = None,
    max_steps_without_wait: int = DEFAULT_MAX_STEPS,
) -> StepResult:
    """Start a new session for `inbound` (or at `start_node`, e.g. from the simulator)."""
    node = flow.get(start_node) if start_node else find_trigger(flow, inbound)
    if node is None:
        raise NoMatchingTrigger(f"no trigger of flow {flow.id!r} matches this message")
    session = Session(flow.id, flow.revision, started_at=now, updated_at=now)
    session.variables = {v.name: v.default for v in flow.variables}
    session.variables.update(variables or {})
    run = Run(flow, registry, session, now, max_steps_without_wait)
    run.absorb_contact(inbound)
    run.trace(node, "start", {"text": inbound.text, "choice_id": inbound.choice_id})
    if node.type == "trigger":
        run.run(run.follow(node, "next"))
    else:
        run.run(node.id)
    return run.result()


def step(
    flow: Flow,
    registry: Registry,
    session: Session,
    event: Event,
    now: datetime,
    *,
    max_steps_without_wait: int = DEFAULT_MAX_STEPS,
) -> StepResult:
    """Feed one event to a session; returns the actions and the new session."""
    run = Run(flow, registry, session.copy(), now, max_steps_without_wait)
    if isinstance(event, Resume):
        run.on_resume(event)
    else:
        run.on_inbound(event)
    return run.result()


# -- the run ---------------------------------------------------------------------------------


class Run:
    """One engine invocation: mutates its own copy of the session and collects output."""

    def __init__(
        self, flow: Flow, registry: Registry, session: Session, now: datetime, max_steps: int
    ) -> None:
        self.flow = flow
        self.registry = registry
        self.s = session
        self.now = now
        self.max_steps = max_steps
        self.actions: list[Action] = []
        self.traces: list[TraceEntry] = []

    # -- bookkeeping ---------------------------------------------------------------------------

    def result(self) -> StepResult:
        self.s.updated_at = self.now
        ttl = self.flow.session_ttl
        active = self.s.status in ("running", "waiting")
        self.s.expires_at = self.now + timedelta(seconds=ttl) if active and ttl else None
        return StepResult(tuple(self.actions), self.s, tuple(self.traces))

    def trace(
        self,
        node: Node | None,
        event: str,
        inputs: Mapping[str, Any] | None = None,
        output: str | None = None,
        error: str | None = None,
    ) -> None:
        self.traces.append(
            TraceEntry(
                node.id if node is not None else self.s.current_node,
                node.type if node is not None else None,
                event,
                dict(inputs or {}),
                output,
                error,
            )
        )

    def node(self, node_id: str | None) -> Node | None:
        """The node with its type's defaults filled in for parameters its config lacks."""
        node = self.flow.get(node_id) if node_id else None
        if node is None:
            return None
        node_type = self.registry.find(node.type)
        if node_type is None:
            return node
        if node_type.default_names.issubset(node.config):
            return node
        return replace(node, config={**node_type.defaults(), **node.config})

    def absorb_contact(self, inbound: Inbound) -> None:
        v = self.s.variables
        if inbound.contact_name:
            v["contact.name"] = inbound.contact_name
        if inbound.contact_phone:
            v["contact.phone"] = inbound.contact_phone
        for key, value in inbound.contact_fields.items():
            v[f"contact.{key}"] = value

    def render(self, value: Any) -> str:
        return expr.render(value, self.s.variables) if isinstance(value, str) else ""

    def finish(self, node_id: str | None, reason: str, status: SessionStatus = "ended") -> None:
        self.s.status = status
        self.s.waiting_for = None
        self.s.wake_at = None
        self.s.expected_choices = ()
        self.actions.append(EndSession(node_id, reason))

    def fail(self, node: Node | None, message: str) -> None:
        self.trace(node, "error", error=message)
        self.finish(node.id if node is not None else self.s.current_node, message, "error")

    def wait(self, node: Node, kind: WaitKind, *, wake_in: int | None = None) -> None:
        self.s.status = "waiting"
        self.s.waiting_for = kind
        self.s.current_node = node.id
        self.s.wake_at = self.now + timedelta(seconds=wake_in) if wake_in else None
        if kind != "http":
            self.s.step_count = 0
        self.trace(node, "wait", {"for": kind})

    def follow(self, node: Node, handle: str) -> str | None:
        """The node after `handle` of `node`; ends the session if that output is not wired."""
        target = self.flow.target(node.id, handle)
        self.trace(node, "output", {"target": target}, output=handle)
        if target is None:
            self.finish(node.id, f"no edge from output {handle!r}")
        return target

    # -- running nodes ---------------------------------------------------------------------------

    def run(self, node_id: str | None) -> None:
        if node_id is None:  # `follow` found no edge and already ended the session
            return
        self.s.status = "running"
        self.s.waiting_for = None
        self.s.wake_at = None
        self.s.expected_choices = ()
        self.s.context_wamid = None
        self.s.retry_count = 0
        current = node_id
        while current is not None:
            node = self.node(current)
            if node is None:
                self.fail(None, f"node {current!r} does not exist in this flow")
                return
            if self.s.step_count >= self.max_steps:
                self.fail(node, f"stopped after {self.max_steps} steps without waiting (loop?)")
                return
            self.s.step_count += 1
            self.s.total_steps += 1
            self.s.current_node = node.id
            handler = getattr(self, "_n_" + node.type, None)
            if handler is None:
                self.fail(node, f"unknown node type {node.type!r}")
                return
            self.trace(node, "run")
            current = handler(node)

    def _n_trigger(self, node: Node) -> str | None:
        return self.follow(node, "next")

    def _n_send_text(self, node: Node) -> str | None:
        c = node.config
        self.actions.append(
            SendText(node.id, self.render(c.get("text")), bool(c.get("preview_url", False)))
        )
        return self.follow(node, "next")

    def _n_send_media(self, node: Node) -> str | None:
        c = node.config
        caption = self.render(c.get("caption")) or None
        filename = self.render(c.get("filename")) or None
        kind = str(c.get("media_kind", "image"))
        self.actions.append(
            SendMedia(node.id, kind, self.render(c.get("media")), caption, filename)
        )
        return self.follow(node, "next")

    def _items(self, node: Node, key: str) -> list[Mapping[str, Any]]:
        items = node.config.get(key)
        return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []

    def prompt_choice(self, node: Node) -> None:
        c = node.config
        header = self.render(c.get("header")) or None
        footer = self.render(c.get("footer")) or None
        body = self.render(c.get("body"))
        if node.type == "buttons":
            buttons = tuple(
                (encode_choice(node.id, str(b.get("id"))), self.render(b.get("title")))
                for b in self._items(node, "buttons")
            )
            self.actions.append(SendButtons(node.id, body, buttons, header, footer))
            ids = tuple(b[0] for b in buttons)
        else:
            rows = tuple(
                (
                    encode_choice(node.id, str(r.get("id"))),
                    self.render(r.get("title")),
                    self.render(r.get("description")) or None,
                )
                for r in self._items(node, "rows")
            )
            button = self.render(c.get("button")) or "Choose"
            section = self.render(c.get("section_title")) or None
            self.actions.append(SendList(node.id, body, button, rows, header, footer, section))
            ids = tuple(r[0] for r in rows)
        self.wait(node, "choice")
        self.s.expected_choices = ids

    def _n_buttons(self, node: Node) -> str | None:
        self.prompt_choice(node)
        return None

    _n_list = _n_buttons

    def prompt_question(self, node: Node) -> None:
        self.actions.append(SendText(node.id, self.render(node.config.get("prompt"))))
        timeout = _int(node.config.get("timeout_seconds"), 0)
        if timeout > 0:
            self.actions.append(StartTimeout(node.id, timeout))
        self.wait(node, "answer", wake_in=timeout if timeout > 0 else None)

    def _n_question(self, node: Node) -> str | None:
        self.prompt_question(node)
        return None

    def _n_condition(self, node: Node) -> str | None:
        try:
            handle = expr.evaluate_condition(node.config, self.s.variables, self.now)
        except ValueError as exc:
            self.fail(node, str(exc))
            return None
        return self.follow(node, handle)

    def _n_set_variable(self, node: Node) -> str | None:
        name = node.config.get("variable")
        if not isinstance(name, str) or not name:
            self.fail(node, "set variable: no variable name")
            return None
        self.s.variables[name] = expr.render_value(node.config.get("value", ""), self.s.variables)
        return self.follow(node, "next")

    def _n_set_contact_field(self, node: Node) -> str | None:
        name = str(node.config.get("field", ""))
        value = self.render(node.config.get("value", ""))
        self.actions.append(SetContactField(node.id, name, value))
        self.s.variables[f"contact.{name}"] = value
        return self.follow(node, "next")

    def _n_label(self, node: Node) -> str | None:
        label = self.render(node.config.get("label"))
        self.actions.append(AddLabel(node.id, label, node.config.get("action") == "remove"))
        return self.follow(node, "next")

    def _n_delay(self, node: Node) -> str | None:
        seconds = max(0, _int(node.config.get("seconds"), 0))
        self.actions.append(StartDelay(node.id, seconds))
        self.wait(node, "delay", wake_in=seconds)
        return None

    def _n_http_request(self, node: Node) -> str | None:
        try:
            method, url, headers, body, timeout = expr.build_http(node.config, self.s.variables)
        except ValueError as exc:
            self.trace(node, "error", error=str(exc))
            return self.follow(node, "error")
        self.actions.append(HttpRequest(node.id, method, url, headers, body, timeout))
        self.wait(node, "http")
        return None

    def _n_send_template(self, node: Node) -> str | None:
        c = node.config
        params = c.get("params")
        values = tuple(self.render(p) for p in params) if isinstance(params, list) else ()
        self.actions.append(
            SendTemplate(node.id, str(c.get("name", "")), str(c.get("language", "en_US")), values)
        )
        return self.follow(node, "next")

    def _n_handoff(self, node: Node) -> str | None:
        message = self.render(node.config.get("message"))
        if message:
            self.actions.append(SendText(node.id, message))
        self.actions.append(HandOff(node.id, self.render(node.config.get("reason"))))
        self.s.status = "handed_off"
        self.s.waiting_for = None
        self.s.wake_at = None
        return None

    def _n_jump(self, node: Node) -> str | None:
        target, flow_id = node.config.get("node"), node.config.get("flow")
        if isinstance(target, str) and target:
            self.trace(node, "output", {"target": target}, output="jump")
            return target
        if isinstance(flow_id, str) and flow_id:
            self.actions.append(StartFlow(node.id, flow_id, dict(self.s.variables)))
            self.finish(node.id, f"continues in flow {flow_id!r}")
            return None
        self.fail(node, "jump has neither a node nor a flow")
        return None

    def _n_end(self, node: Node) -> str | None:
        self.finish(node.id, self.render(node.config.get("reason")) or "end")
        return None

    # -- events ----------------------------------------------------------------------------------

    def on_resume(self, event: Resume) -> None:
        handle_resume(self, event)

    def on_inbound(self, inbound: Inbound) -> None:
        handle_inbound(self, inbound)


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return default
