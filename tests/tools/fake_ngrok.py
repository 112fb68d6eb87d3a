#!/usr/bin/env python3
"""A fake ngrok v3 agent for the test-suite (stdlib only; never touches the network).

pyngrok drives it exactly like the real binary:

- ``start --none --log stdout [--config P] [--authtoken T] [--region R]`` serves the agent API on
  127.0.0.1 (ephemeral port, or ``agent.web_addr`` from the config, or ``$FAKE_NGROK_WEB_ADDR``)
  and prints the logfmt lines pyngrok waits for. The API answers before the last line is printed.
- API: ``/api/endpoints`` (v3) and ``/api/tunnels`` (v2) with GET (list), POST (create), GET one
  and DELETE. Each endpoint gets a public URL ``https://<12 hex>.ngrok-free.app`` (suffix from
  ``$FAKE_NGROK_DOMAIN``), or ``https://<domain>`` when the body has ``url`` / ``domain`` /
  ``hostname``. Extra field ``x_fake_forward_url``: a local HTTP forwarder to the upstream that
  adds ``X-Forwarded-For``, ``X-Forwarded-Proto: https`` and ``X-Forwarded-Host``, so tests can
  send traffic "through the tunnel".
- ``config add-authtoken T`` / ``config add-api-key K`` and ``--version``.

Switches (environment):

- ``FAKE_NGROK_REQUIRE_AUTHTOKEN=1``: with no authtoken, print the real ERR_NGROK_4018 line and
  exit 1.
- ``FAKE_NGROK_VALID_AUTHTOKEN=T``: any other authtoken gets the real ERR_NGROK_105 line, which
  (like the real agent) echoes the token, then exit 1.
- ``FAKE_NGROK_EXIT_EARLY=1``: exit 1 immediately without output.
- ``FAKE_NGROK_DIE_AFTER=<seconds>``: the agent exits that long after it is up.
- ``FAKE_NGROK_ARGV_FILE=<path>``: append ``{"pid": ..., "argv": [...]}`` as one JSON line.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

VERSION = "3.99.0-fake"
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
}
ERR_4018 = (
    "authentication failed: Usage of ngrok requires a verified account and authtoken.\\n\\n"
    "Sign up for an account: https://dashboard.ngrok.com/signup\\n"
    "Install your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken\\r\\n\\r\\n"
    "ERR_NGROK_4018\\r\\n"
)
ERR_105 = (
    "authentication failed: The authtoken you specified does not look like a proper ngrok "
    "tunnel authtoken.\\nYour authtoken: {token}\\nInstructions to install your authtoken are on "
    "your ngrok dashboard:\\nhttps://dashboard.ngrok.com/get-started/your-authtoken\\r\\n\\r\\n"
    "ERR_NGROK_105\\r\\n"
)


def log(lvl: str, msg: str, **fields: str) -> None:
    """Print one logfmt line the way the real agent does (``--log stdout``)."""
    ts = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    parts = [f"t={ts}", f"lvl={lvl}", f'msg="{msg}"']
    for key, value in fields.items():
        parts.append(f'{key}="{value}"' if (" " in value or not value) else f"{key}={value}")
    sys.stdout.write(" ".join(parts) + "\n")
    sys.stdout.flush()


def option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def read_config(path: str | None) -> dict[str, str]:
    """The few scalar keys the fake cares about, from the YAML config (no yaml in stdlib)."""
    found: dict[str, str] = {}
    if not path or not os.path.exists(path):
        return found
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"\s*(authtoken|web_addr|api_key)\s*:\s*['\"]?([^'\"\s]+)", line)
            if match:
                found[match.group(1)] = match.group(2)
    return found


def write_config_value(path: str | None, key: str, value: str) -> str:
    path = path or os.path.join(os.path.expanduser("~"), ".config", "ngrok", "ngrok.yml")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    lines: list[str] = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            lines = [ln for ln in handle.read().splitlines() if not ln.strip().startswith(key)]
    if not any(ln.startswith("version") for ln in lines):
        lines.insert(0, "version: '3'")
    if not any(ln.startswith("agent:") for ln in lines):
        lines.append("agent:")
    index = next(i for i, ln in enumerate(lines) if ln.startswith("agent:"))
    lines.insert(index + 1, f"  {key}: {value}")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


class Forwarder:
    """A loopback HTTP server that proxies every request to the endpoint's upstream."""

    def __init__(self, upstream: str, public_url: str) -> None:
        parsed = urllib.parse.urlsplit(upstream if "://" in upstream else f"http://{upstream}")
        self.upstream_host = parsed.hostname or "localhost"
        self.upstream_port = parsed.port or 80
        self.public_host = urllib.parse.urlsplit(public_url).netloc
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        forwarder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _proxy(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                headers["Host"] = forwarder.public_host
                headers["X-Forwarded-For"] = self.client_address[0]
                headers["X-Forwarded-Proto"] = "https"
                headers["X-Forwarded-Host"] = forwarder.public_host
                try:
                    conn = http.client.HTTPConnection(
                        forwarder.upstream_host, forwarder.upstream_port, timeout=30
                    )
                    conn.request(self.command, self.path, body=body, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    status, resp_headers = resp.status, resp.getheaders()
                    conn.close()
                except OSError as exc:
                    data = f"ERR_NGROK_8012: upstream unreachable: {exc}".encode()
                    status, resp_headers = 502, [("Content-Type", "text/plain")]
                self.send_response(status)
                for key, value in resp_headers:
                    if key.lower() not in HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _proxy

        return Handler


class Agent:
    """The fake agent's state: endpoints by name, each with its forwarder."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.endpoints: dict[str, dict[str, Any]] = {}
        self.forwarders: dict[str, Forwarder] = {}
        self.suffix = os.environ.get("FAKE_NGROK_DOMAIN", "ngrok-free.app")

    def create(self, body: dict[str, Any], v2: bool) -> tuple[int, dict[str, Any]]:
        name = str(body.get("name") or f"endpoint-{secrets.token_hex(4)}")
        if v2:
            addr = str(body.get("addr") or "80")
            upstream = addr if "://" in addr else f"http://localhost:{addr}"
        else:
            upstream = str((body.get("upstream") or {}).get("url") or "http://localhost:80")
        host = body.get("url") or body.get("domain") or body.get("hostname")
        if host:
            host = urllib.parse.urlsplit(str(host) if "://" in str(host) else f"//{host}").netloc
        public_url = f"https://{host or secrets.token_hex(6) + '.' + self.suffix}"
        with self.lock:
            if name in self.endpoints:
                return 400, {
                    "error_code": 102,
                    "status_code": 400,
                    "msg": "invalid tunnel configuration",
                    "details": {"err": f"a tunnel with the name {name!r} already exists"},
                }
            if any(e["public_url"] == public_url for e in self.endpoints.values()):
                return 400, {
                    "error_code": 102,
                    "status_code": 400,
                    "msg": "invalid tunnel configuration",
                    "details": {"err": f"The endpoint {public_url!r} is already online."},
                }
            forwarder = Forwarder(upstream, public_url)
            segment = "tunnels" if v2 else "endpoints"
            endpoint: dict[str, Any] = {
                "id": f"ep_{secrets.token_hex(8)}",
                "name": name,
                "uri": f"/api/{segment}/{name}",
                "public_url": public_url,
                "url": public_url,
                "proto": "https",
                "upstream": {"url": upstream, "protocol": "http1"},
                "metrics": {"conns": {"count": 0}, "http": {"count": 0}},
                "x_fake_forward_url": forwarder.url,
            }
            if v2:
                endpoint["config"] = {"addr": upstream, "inspect": True}
            self.endpoints[name] = endpoint
            self.forwarders[name] = forwarder
        log("info", "started tunnel", obj="tunnels", name=name, addr=upstream, url=public_url)
        return 201, endpoint

    def delete(self, name: str) -> bool:
        with self.lock:
            endpoint = self.endpoints.pop(name, None)
            forwarder = self.forwarders.pop(name, None)
        if forwarder is not None:
            forwarder.close()
        return endpoint is not None


class AgentServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], agent: Agent) -> None:
        self.agent = agent
        super().__init__(address, AgentHandler)


class AgentHandler(BaseHTTPRequestHandler):
    """The agent API (``/api/endpoints`` and ``/api/tunnels``)."""

    server: AgentServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, payload: dict[str, Any] | None) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _route(self) -> tuple[str, str | None] | None:
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        match = re.fullmatch(r"/api/(endpoints|tunnels)(?:/([^/]+))?", path)
        if not match:
            return None
        name = urllib.parse.unquote(match.group(2)) if match.group(2) else None
        return match.group(1), name

    def do_GET(self) -> None:
        route = self._route()
        if route is None:
            self._send(404, {"error_code": 100, "status_code": 404, "msg": "not found"})
            return
        segment, name = route
        with self.server.agent.lock:
            items = list(self.server.agent.endpoints.values())
            one = self.server.agent.endpoints.get(name) if name else None
        if name is None:
            self._send(200, {segment: items, "uri": f"/api/{segment}"})
        elif one is None:
            self._send(404, {"error_code": 100, "status_code": 404, "msg": "not found"})
        else:
            self._send(200, one)

    def do_POST(self) -> None:
        route = self._route()
        if route is None or route[1] is not None:
            self._send(404, {"error_code": 100, "status_code": 404, "msg": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._send(400, {"error_code": 100, "status_code": 400, "msg": "bad json"})
            return
        status, payload = self.server.agent.create(body, v2=route[0] == "tunnels")
        self._send(status, payload)

    def do_DELETE(self) -> None:
        route = self._route()
        if route is None or route[1] is None or not self.server.agent.delete(route[1]):
            self._send(404, {"error_code": 100, "status_code": 404, "msg": "not found"})
            return
        self._send(204, None)


def die_later(seconds: float) -> None:
    time.sleep(seconds)
    log("eror", "session closed", obj="tunnels.session", err="fake agent exiting (DIE_AFTER)")
    os._exit(0)


def watch_parent(parent: int) -> None:
    """Exit when the process that started us goes away (no orphaned agents after tests)."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent:
            os._exit(0)


def start(argv: list[str]) -> int:
    if os.environ.get("FAKE_NGROK_EXIT_EARLY") == "1":
        return 1
    config_path = option(argv, "--config")
    config = read_config(config_path)
    token = (
        option(argv, "--authtoken") or config.get("authtoken") or os.environ.get("NGROK_AUTHTOKEN")
    )
    web_addr = os.environ.get("FAKE_NGROK_WEB_ADDR") or config.get("web_addr") or "127.0.0.1:0"
    host, _, port = web_addr.rpartition(":")
    log(
        "info",
        "no configuration paths supplied" if not config_path else "open config file",
        path=config_path or "",
        err="nil",
    )
    agent = Agent()
    server = AgentServer((host or "127.0.0.1", int(port or 0)), agent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    addr = f"127.0.0.1:{server.server_address[1]}"
    log("info", "starting web service", obj="web", addr=addr, allow_hosts="[]")

    valid = os.environ.get("FAKE_NGROK_VALID_AUTHTOKEN")
    error: str | None = None
    if os.environ.get("FAKE_NGROK_REQUIRE_AUTHTOKEN") == "1" and not token:
        error = ERR_4018
    elif valid and token and token != valid:
        error = ERR_105.format(token=token)
    if error is not None:
        session = secrets.token_hex(6)
        log("eror", "failed to reconnect session", obj="tunnels.session", id=session, err=error)
        log("eror", "session closing", obj="tunnels.session", err=error)
        return 1

    log("info", "client session established", obj="tunnels.session")
    log("info", "tunnel session started", obj="tunnels.session")
    die_after = os.environ.get("FAKE_NGROK_DIE_AFTER")
    if die_after:
        threading.Thread(target=die_later, args=(float(die_after),), daemon=True).start()
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    stop = threading.Event()
    while not stop.wait(3600):
        pass
    return 0


def main(argv: list[str]) -> int:
    record = os.environ.get("FAKE_NGROK_ARGV_FILE")
    if record:
        with open(record, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"pid": os.getpid(), "argv": argv}) + "\n")
    if not argv or argv[0] in ("help", "--help", "-h"):
        print("NAME:\n  ngrok - tunnel local ports to public URLs (fake)")
        return 0
    if argv[0] in ("--version", "-v", "version"):
        print(f"ngrok version {VERSION}")
        return 0
    if argv[0] == "config" and len(argv) >= 3:
        commands: dict[str, tuple[str, str]] = {
            "add-authtoken": ("authtoken", "Authtoken saved to configuration file: {path}"),
            "add-api-key": ("api_key", "API key saved to configuration file: {path}"),
        }
        if argv[1] in commands:
            key, message = commands[argv[1]]
            path = write_config_value(option(argv, "--config"), key, argv[2])
            print(message.format(path=path))
            return 0
    if argv[0] == "start":
        return start(argv[1:])
    print(f"ERROR: unknown command {' '.join(argv[:2])!r} (fake ngrok)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
