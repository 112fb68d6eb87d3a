"""How a waiting session reacts to events: customer replies (answers, button/list taps, old
taps, typed menu choices) and runtime resumes (delay over, HTTP result, question timeout, sent
wamid). Part of the step engine (`engine.py` documents the rules); pure, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wadesk.flow import expr
from wadesk.flow.graph import Node
from wadesk.flow.session import Inbound, Resume, SendText, decode_choice

if TYPE_CHECKING:
    from wadesk.flow.engine import Run

CHOICE_NODE_TYPES = ("buttons", "list")
DEFAULT_RETRIES = 2


def handle_resume(run: Run, event: Resume) -> None:
    s = run.s
    node = run.node(s.current_node)
    waiting = s.status == "waiting"
    if node is None or not waiting or (event.node_id is not None and event.node_id != node.id):
        run.trace(node, "stale_resume", {"kind": event.kind, "node": event.node_id})
        return
    if event.kind == "sent":
        wamid = event.result.get("wamid")
        if s.waiting_for == "choice" and isinstance(wamid, str):
            s.context_wamid = wamid
        run.trace(node, "sent", {"wamid": wamid})
        return
    expected = {"delay": "delay", "http": "http", "timeout": "answer"}[event.kind]
    if s.waiting_for != expected:
        run.trace(node, "stale_resume", {"kind": event.kind, "waiting_for": s.waiting_for})
        return
    if event.kind == "delay":
        s.step_count = 0
        run.run(run.follow(node, "next"))
    elif event.kind == "timeout":
        s.step_count = 0
        run.run(run.follow(node, "timeout"))
    else:
        run.run(run.follow(node, _apply_http(run, node, event.result)))


def _apply_http(run: Run, node: Node, result: Mapping[str, Any]) -> str:
    status = result.get("status")
    error = result.get("error")
    ok = error is None and isinstance(status, int) and 200 <= status < 300
    variables = run.s.variables
    status_var = node.config.get("status_variable")
    if isinstance(status_var, str) and status_var:
        variables[status_var] = status if isinstance(status, int) else 0
    missing: list[str] = []
    if ok:
        response_map = node.config.get("response_map") or {}
        for var, path in response_map.items() if isinstance(response_map, Mapping) else ():
            found, value = expr.json_path(result.get("json"), str(path))
            variables[str(var)] = value if found else ""
            if not found:
                missing.append(str(path))
    run.trace(
        node,
        "http_result",
        {"status": status, "missing": missing},
        error=str(error) if error is not None else None,
    )
    return "ok" if ok else "error"


# -- customer messages -------------------------------------------------------------------------


def _valid_tap(run: Run, node_id: str, choice_id: str) -> Node | None:
    node = run.node(node_id)
    if node is None or node.type not in CHOICE_NODE_TYPES:
        return None
    handles = run.registry.outputs(node.type, node.config)
    return node if any(h.name == choice_id for h in handles) else None


def _choice_title(node: Node, choice_id: str) -> str:
    key = "buttons" if node.type == "buttons" else "rows"
    for item in node.config.get(key) or []:
        if isinstance(item, Mapping) and item.get("id") == choice_id:
            return str(item.get("title", ""))
    return choice_id


def _take_choice(run: Run, node: Node, choice_id: str) -> None:
    var = node.config.get("variable")
    if isinstance(var, str) and var:
        run.s.variables[var] = _choice_title(node, choice_id)
    run.s.status = "running"
    run.s.step_count = 0
    run.trace(node, "choice", {"choice": choice_id})
    run.run(run.follow(node, choice_id))


def handle_inbound(run: Run, inbound: Inbound) -> None:
    s = run.s
    if s.status == "handed_off":
        run.trace(None, "paused", {"text": inbound.text})
        return
    if s.status in ("running", "waiting") and s.expires_at is not None and run.now >= s.expires_at:
        run.trace(None, "expired")
        run.finish(s.current_node, "session expired")
    run.absorb_contact(inbound)
    tap = decode_choice(inbound.choice_id)
    tapped = _valid_tap(run, *tap) if tap is not None else None
    if s.status in ("ended", "error"):
        if tap is not None and tapped is not None:
            run.trace(tapped, "revived", {"choice": tap[1]})
            s.retry_count = 0
            _take_choice(run, tapped, tap[1])
        else:
            run.trace(None, "ignored", {"reason": "session is over", "text": inbound.text})
        return
    node = run.node(s.current_node)
    if node is None:
        run.fail(None, f"the current node {s.current_node!r} no longer exists")
        return
    if tap is not None:
        if tapped is not None:
            if tapped.id != node.id:
                run.trace(tapped, "old_choice", {"waiting_at": node.id, "choice": tap[1]})
            _take_choice(run, tapped, tap[1])
        elif s.waiting_for in ("choice", "answer"):
            run.trace(node, "stale_choice", {"choice_id": inbound.choice_id})
            _reprompt(run, node)
        else:
            run.trace(node, "busy", {"choice_id": inbound.choice_id})
        return
    if s.waiting_for == "choice":
        _typed_choice(run, node, inbound)
    elif s.waiting_for == "answer":
        _answer(run, node, inbound)
    else:
        run.trace(node, "busy", {"text": inbound.text, "waiting_for": s.waiting_for})


def _reprompt(run: Run, node: Node) -> None:
    if node.type in CHOICE_NODE_TYPES:
        run.prompt_choice(node)
    elif node.type == "question":
        run.prompt_question(node)


def _retry_or_give_up(run: Run, node: Node, given: str | None) -> bool:
    """Count one invalid reply; True when the node should re-prompt (retries left)."""
    retries = node.config.get("max_retries", DEFAULT_RETRIES)
    limit = retries if isinstance(retries, int) and not isinstance(retries, bool) else 2
    run.trace(node, "invalid", {"text": given, "retry": run.s.retry_count + 1, "limit": limit})
    if run.s.retry_count < limit:
        run.s.retry_count += 1
        message = run.render(node.config.get("retry_message"))
        if message:
            run.actions.append(SendText(node.id, message))
        return True
    return False


def _typed_choice(run: Run, node: Node, inbound: Inbound) -> None:
    text = (inbound.text or inbound.choice_title or "").strip().casefold()
    handles = [h.name for h in run.registry.outputs(node.type, node.config)]
    for i, choice_id in enumerate(handles, start=1):
        title = _choice_title(node, choice_id).strip().casefold()
        if text and text in (title, str(i), choice_id.casefold()):
            _take_choice(run, node, choice_id)
            return
    if _retry_or_give_up(run, node, inbound.text):
        run.prompt_choice(node)
    else:
        run.finish(node.id, "no option was chosen")


def _answer(run: Run, node: Node, inbound: Inbound) -> None:
    text = inbound.text if inbound.text is not None else inbound.choice_title
    kind = str(node.config.get("validate", "text"))
    ok, value = expr.check_answer(kind, text or "", node.config)
    if ok:
        var = node.config.get("variable")
        if isinstance(var, str) and var:
            run.s.variables[var] = value
        run.s.step_count = 0
        run.trace(node, "answer", {"text": text, "value": value})
        run.run(run.follow(node, "answer"))
        return
    if _retry_or_give_up(run, node, text):
        return  # keep waiting for a better answer
    run.s.step_count = 0
    if run.flow.target(node.id, "invalid") is not None:
        run.run(run.follow(node, "invalid"))
    else:
        run.finish(node.id, "too many invalid answers")
