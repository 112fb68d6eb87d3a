"""Engine scenarios: the support-desk flow end to end, old button taps, expiry, hand-off pause,
runaway guard and determinism."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.flow.helpers import T0, build, support_flow
from wadesk.flow import (
    EndSession,
    HandOff,
    HttpRequest,
    Inbound,
    NoMatchingTrigger,
    Resume,
    SendButtons,
    SendText,
    Session,
    StepResult,
    default_registry,
    encode_choice,
    start,
    step,
)

REG = default_registry()


def later(seconds: int) -> object:
    return T0 + timedelta(seconds=seconds)


def _to_email_question() -> StepResult:
    flow = support_flow()
    r = start(flow, REG, Inbound(text=" Hello ", contact_name="Ann", contact_phone="4917"), T0)
    r = step(flow, REG, r.session, Resume("sent", "menu", {"wamid": "wamid.M1"}), T0)
    return step(
        flow,
        REG,
        r.session,
        Inbound(choice_id=encode_choice("menu", "support"), context_wamid="wamid.M1"),
        T0,
    )


def test_keyword_starts_with_buttons_carrying_encoded_ids() -> None:
    flow = support_flow()
    r = start(flow, REG, Inbound(text="HI", contact_name="Ann"), T0)
    assert r.actions == (
        SendButtons(
            "menu",
            "Hi Ann! What do you need?",
            (("f:menu:support", "Support"), ("f:menu:sales", "Sales")),
        ),
    )
    assert r.session.status == "waiting" and r.session.waiting_for == "choice"
    assert r.session.expected_choices == ("f:menu:support", "f:menu:sales")
    assert r.session.expires_at == T0 + timedelta(hours=4)
    with pytest.raises(NoMatchingTrigger):
        start(flow, REG, Inbound(text="pricing"), T0)


def test_full_scenario_retry_http_ok_handoff() -> None:
    flow = support_flow()
    r = _to_email_question()
    assert r.session.variables["topic"] == "Support"
    assert r.actions == (SendText("ask", "Your email?"),)
    assert r.session.waiting_for == "answer"

    r = step(flow, REG, r.session, Inbound(text="not an email"), T0)
    assert r.actions == (SendText("ask", "That is not an email."),)
    assert r.session.retry_count == 1 and r.session.waiting_for == "answer"

    r = step(flow, REG, r.session, Inbound(text="Ann@Example.com"), T0)
    assert r.session.variables["email"] == "ann@example.com"
    (req,) = r.actions
    assert isinstance(req, HttpRequest)
    assert req.method == "POST"
    assert req.url == "https://crm.example/leads?topic=Support"
    assert req.body == {"email": "ann@example.com", "note": "from Ann"}
    assert req.headers == (("X-Source", "wadesk"),)
    assert r.session.waiting_for == "http"

    # a message while the request runs is ignored, not lost in a half state
    busy = step(flow, REG, r.session, Inbound(text="hello?"), T0)
    assert busy.actions == () and busy.session.waiting_for == "http"

    result = {"status": 201, "json": {"data": {"ticket": "T-9"}}}
    r = step(flow, REG, r.session, Resume("http", "crm", result), T0)
    assert r.session.variables["ticket"] == "T-9"
    assert r.session.variables["crm_status"] == 201
    assert r.actions == (
        SendText("ok_text", "Ticket T-9 for ann@example.com"),
        SendText("human", "A person joins."),
        HandOff("human", "support: ann@example.com"),
    )
    assert r.session.status == "handed_off"
    # hand-off pauses the bot: later messages produce nothing
    paused = step(flow, REG, r.session, Inbound(text="hi"), T0)
    assert paused.actions == () and paused.session.status == "handed_off"


def test_http_error_branch() -> None:
    flow = support_flow()
    r = _to_email_question()
    r = step(flow, REG, r.session, Inbound(text="a@b.io"), T0)
    r = step(flow, REG, r.session, Resume("http", "crm", {"error": "timeout"}), T0)
    assert r.actions == (SendText("err_text", "Sorry, try later."), EndSession("bye", "end"))
    assert r.session.status == "ended"
    assert "ticket" not in r.session.variables
    r2 = step(flow, REG, _session_at_http(), Resume("http", "crm", {"status": 500}), T0)
    assert r2.actions[0] == SendText("err_text", "Sorry, try later.")


def _session_at_http() -> Session:
    r = _to_email_question()
    return step(support_flow(), REG, r.session, Inbound(text="a@b.io"), T0).session


def test_too_many_invalid_answers_take_invalid_path() -> None:
    flow = support_flow()
    r = _to_email_question()
    r = step(flow, REG, r.session, Inbound(text="x"), T0)
    r = step(flow, REG, r.session, Inbound(text="y"), T0)
    assert r.actions == (EndSession("bad", "no email"),)
    assert r.session.status == "ended"


def test_sales_branch_and_typed_choice() -> None:
    flow = support_flow()
    r = start(flow, REG, Inbound(text="hi"), T0)
    r = step(flow, REG, r.session, Inbound(text="2"), T0)  # "2" = second button
    assert r.actions == (SendText("sales_text", "Sales will call you."), EndSession("bye", "end"))


def test_typed_text_not_matching_a_button_reprompts_then_gives_up() -> None:
    flow = support_flow()
    r = start(flow, REG, Inbound(text="hi"), T0)
    r = step(flow, REG, r.session, Inbound(text="what?"), T0)
    assert isinstance(r.actions[0], SendText) and isinstance(r.actions[1], SendButtons)
    r = step(flow, REG, r.session, Inbound(text="??"), T0)
    r = step(flow, REG, r.session, Inbound(text="???"), T0)
    assert r.session.status == "ended"
    assert isinstance(r.actions[-1], EndSession)


def test_old_button_of_another_node_continues_from_that_node() -> None:
    flow = support_flow()
    r = _to_email_question()  # waiting at "ask"
    r = step(flow, REG, r.session, Inbound(choice_id=encode_choice("menu", "sales")), T0)
    assert r.actions[0] == SendText("sales_text", "Sales will call you.")
    assert any(t.event == "old_choice" for t in r.trace)
    assert r.session.variables["topic"] == "Sales"


def test_button_of_removed_node_reprompts_current_question() -> None:
    flow = support_flow()
    r = _to_email_question()
    r = step(flow, REG, r.session, Inbound(choice_id=encode_choice("gone", "x")), T0)
    assert r.actions == (SendText("ask", "Your email?"),)
    assert r.session.waiting_for == "answer"
    assert any(t.event == "stale_choice" for t in r.trace)


def test_tap_on_ended_session_menu_revives_it() -> None:
    flow = support_flow()
    r = start(flow, REG, Inbound(text="hi"), T0)
    r = step(flow, REG, r.session, Inbound(text="sales"), T0)
    assert r.session.status == "ended"
    r = step(flow, REG, r.session, Inbound(choice_id=encode_choice("menu", "support")), later(60))
    assert r.actions == (SendText("ask", "Your email?"),)
    assert r.session.status == "waiting"
    ignored = step(
        flow, REG, step(flow, REG, r.session, Inbound(text="x"), T0).session, Inbound(text="y"), T0
    )
    after = step(flow, REG, ignored.session, Inbound(text="plain"), T0)
    assert after.actions == () and any(t.event == "ignored" for t in after.trace)


def test_session_expires_after_ttl() -> None:
    flow = support_flow()
    r = start(flow, REG, Inbound(text="hi"), T0)
    r = step(flow, REG, r.session, Inbound(text="support"), later(5 * 3600))
    assert r.session.status == "ended"
    assert any(t.event == "expired" for t in r.trace)
    assert r.actions == (EndSession("menu", "session expired"),)


def test_stale_resume_is_ignored() -> None:
    flow = support_flow()
    r = _to_email_question()
    s = step(flow, REG, r.session, Resume("delay", "menu"), T0)
    assert s.actions == () and s.session.to_dict() == {
        **r.session.to_dict(),
        "updated_at": T0.isoformat(),
        "expires_at": s.session.to_dict()["expires_at"],
    }


def test_runaway_guard_stops_loops() -> None:
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "a": ("set_variable", {"variable": "n", "value": "x"}),
            "b": ("jump", {"node": "a"}),
        },
        {("t", "next"): "a", ("a", "next"): "b"},
    )
    r = start(flow, REG, Inbound(text="go"), T0, max_steps_without_wait=20)
    assert r.session.status == "error"
    assert isinstance(r.actions[-1], EndSession)
    assert r.trace[-1].error is not None and "20 steps" in r.trace[-1].error
    assert r.session.total_steps == 20


def test_determinism_and_input_session_untouched() -> None:
    flow = support_flow()
    r = _to_email_question()
    before = r.session.to_dict()
    a = step(flow, REG, r.session, Inbound(text="a@b.io"), later(10))
    b = step(flow, REG, r.session, Inbound(text="a@b.io"), later(10))
    assert a == b
    assert r.session.to_dict() == before


def test_session_json_round_trip_mid_flow() -> None:
    import json

    flow = support_flow()
    r = _to_email_question()
    restored = Session.from_dict(json.loads(json.dumps(r.session.to_dict())))
    assert restored == r.session
    a = step(flow, REG, restored, Inbound(text="a@b.io"), T0)
    assert isinstance(a.actions[0], HttpRequest)
