"""A real HTTP server on 127.0.0.1 for tests: routes are small functions, every request is logged.

Started in a background thread by the test that needs it; nothing here reaches the internet.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Logged:
    path: str
    headers: dict[str, str]


@dataclass
class LoopbackServer:
    """`routes` maps a path to a handler; unknown paths answer 404."""

    routes: dict[str, Handler] = field(default_factory=dict)
    log: list[Logged] = field(default_factory=list)
    host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without this, Nagle's algorithm and delayed
            # ACKs add 40 ms to every keep-alive response.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                server.log.append(
                    Logged(self.path, {k.lower(): v for k, v in self.headers.items()})
                )
                route = server.routes.get(path)
                if route is None:
                    send(self, 404, b"not here", "text/plain")
                else:
                    route(self)

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer((self.host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def requests_to(self, path: str) -> list[Logged]:
        return [entry for entry in self.log if entry.path.split("?", 1)[0] == path]


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def static(
    body: bytes, content_type: str = "text/html; charset=utf-8", delay: float = 0.0
) -> Handler:
    """A fixed answer, with an optional latency (the delay is the server's, not the test's)."""

    def handle(handler: BaseHTTPRequestHandler) -> None:
        if delay:
            time.sleep(delay)
        send(handler, 200, body, content_type)

    return handle


def with_etag(body: bytes, content_type: str) -> Handler:
    """An answer that honours If-None-Match with a 304."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    def handle(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == etag:
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        send(handler, 200, body, content_type, {"ETag": etag})

    return handle


def stall(release: threading.Event, promised: int = 100_000) -> Handler:
    """Headers promising `promised` bytes, a few of them, then nothing until `release` is set
    (or two minutes pass): the server hangs, the client must give up on its own."""

    def handle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(promised))
        handler.end_headers()
        handler.wfile.write(b"<rss")
        handler.wfile.flush()
        release.wait(120)

    return handle


def status(code: int, headers: dict[str, str] | None = None) -> Handler:
    return lambda handler: send(handler, code, f"status {code}".encode(), "text/plain", headers)


def redirect(location: str, code: int = 302) -> Handler:
    return lambda handler: send(handler, code, b"", "text/plain", {"Location": location})
