"""`wadesk send --image PATH` as a person runs it: a real subprocess against `wadesk serve
--sandbox` (the sandbox is Meta). The image is uploaded (multipart) and sent by its media id;
the sandbox serves back the very bytes; an unreadable path is a usage error, not a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.integration.serve_proc import wadesk
from tests.integration.test_demo_cli import ANNA, Served, served  # noqa: F401  (module fixture)
from tests.integration.test_media_sync import png


def test_send_image_uploads_it_and_sends_it_by_media_id(served: Served, tmp_path: Path) -> None:  # noqa: F811
    data = png(32, 24)
    path = tmp_path / "offer.png"
    path.write_bytes(data)
    base = ["send", "--sandbox", "--number", "Demo Salon", "--to", ANNA]
    r = wadesk(served.env, *base, "--image", str(path), "--caption", "Наш прайс")
    assert r.returncode == 0, r.stderr
    wamid = r.stdout.strip()
    assert wamid.startswith("wamid.")

    session = json.loads((served.data / "sandbox-session.json").read_text())
    state = httpx.get(session["url"] + "/_sandbox/state", timeout=5).json()
    body = next(m["body"] for m in state["sent"] if m["wamid"] == wamid)
    assert body["type"] == "image" and body["to"] == ANNA
    assert body["image"]["caption"] == "Наш прайс"
    media_id = body["image"]["id"]
    assert "link" not in body["image"]

    # the uploaded media is the file's bytes, with its type
    auth = {"Authorization": f"Bearer {session['access_token']}"}
    with httpx.Client(base_url=session["url"], headers=auth, timeout=5) as graph:
        info = graph.get(f"/v23.0/{media_id}").json()
        assert info["mime_type"] == "image/png"
        assert int(info["file_size"]) == len(data)
        assert graph.get(info["url"]).content == data


def test_send_image_that_cannot_be_read_is_a_usage_error(served: Served, tmp_path: Path) -> None:  # noqa: F811
    missing = tmp_path / "nope.png"
    r = wadesk(
        served.env, "send", "--sandbox", "--number", "Demo Salon", "--to", ANNA,
        "--image", str(missing),
    )  # fmt: skip
    assert r.returncode == 2
    assert f"Cannot read {missing}" in r.stderr
    assert "Traceback" not in r.stderr and not r.stdout
