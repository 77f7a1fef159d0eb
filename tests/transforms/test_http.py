"""HttpClient against a real loopback server that misbehaves in every way a web server can."""

from __future__ import annotations

import socket
import time
from http.server import BaseHTTPRequestHandler

import pytest

from newsbeam.transforms import http as http_module
from newsbeam.transforms.http import FetchError, HttpClient, HttpSettings, check_address
from tests.e2e.server import LoopbackServer, redirect, send, static, status

FAST = HttpSettings(
    connect_timeout=1.0,
    read_timeout=0.5,
    total_timeout=5.0,
    retries=2,
    backoff=0.01,
    max_bytes=10_000,
    allow_private_hosts=True,
)


@pytest.fixture
def server():
    with LoopbackServer() as running:
        yield running


def fetch_error(client: HttpClient, url: str) -> FetchError:
    with pytest.raises(FetchError) as caught:
        client.get(url)
    return caught.value


@pytest.mark.parametrize("code", [404, 410, 403])
def test_client_errors_are_not_retried(server, code):
    server.routes["/x"] = status(code)
    error = fetch_error(HttpClient(FAST), server.url("/x"))
    assert error.error == f"http-{code}" and error.status == code
    assert len(server.requests_to("/x")) == 1


def test_server_errors_are_retried_a_bounded_number_of_times(server):
    server.routes["/x"] = status(500)
    error = fetch_error(HttpClient(FAST), server.url("/x"))
    assert error.error == "http-500"
    assert len(server.requests_to("/x")) == 3  # the first try and two retries


def test_429_with_retry_after_then_success(server):
    answers = iter([(429, {"Retry-After": "0"}), (429, {"Retry-After": "0"}), (200, {})])

    def handle(handler: BaseHTTPRequestHandler) -> None:
        code, headers = next(answers)
        send(handler, code, b"<p>finally</p>" if code == 200 else b"slow down", headers=headers)

    server.routes["/x"] = handle
    response = HttpClient(FAST).get(server.url("/x"))
    assert response.status == 200 and response.body == b"<p>finally</p>"
    assert len(server.requests_to("/x")) == 3


def test_a_retry_after_longer_than_allowed_is_not_waited_for(server):
    server.routes["/x"] = status(503, {"Retry-After": "3600"})
    started = time.monotonic()
    error = fetch_error(HttpClient(FAST), server.url("/x"))
    assert error.error == "http-503"
    assert time.monotonic() - started < 2
    assert len(server.requests_to("/x")) == 1


def test_a_stalled_response_times_out(server):
    def stall(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b"<p>")
        handler.wfile.flush()
        time.sleep(3)  # the server stalls; the client must give up on its own

    server.routes["/x"] = stall
    client = HttpClient(HttpSettings(**{**FAST.__dict__, "retries": 0}))
    started = time.monotonic()
    error = fetch_error(client, server.url("/x"))
    assert error.error == "timeout"
    assert time.monotonic() - started < 2.5


def test_a_slow_trickle_is_cut_by_the_total_timeout(server):
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.05)  # each byte arrives within the read timeout
        except OSError:
            pass

    server.routes["/x"] = trickle
    settings = HttpSettings(**{**FAST.__dict__, "retries": 0, "total_timeout": 1.0})
    started = time.monotonic()
    error = fetch_error(HttpClient(settings), server.url("/x"))
    assert error.error == "timeout"
    assert time.monotonic() - started < 2


def test_redirects_are_followed_a_few_times_and_loops_stop(server):
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect("/c", 301)
    server.routes["/c"] = static(b"<p>here</p>")
    response = HttpClient(FAST).get(server.url("/a"))
    assert response.url == server.url("/c") and response.body == b"<p>here</p>"

    server.routes["/loop1"] = redirect("/loop2")
    server.routes["/loop2"] = redirect("/loop1")
    assert fetch_error(HttpClient(FAST), server.url("/loop1")).error == "redirect-loop"

    for n in range(10):
        server.routes[f"/hop{n}"] = redirect(f"/hop{n + 1}")
    assert fetch_error(HttpClient(FAST), server.url("/hop0")).error == "too-many-redirects"


def _loopback_is_the_public_web(monkeypatch) -> None:
    """127.0.0.1 passes the address check, as a public web server would; every other address
    is judged as usual (127.0.0.2, also loopback, stays private)."""
    real = http_module._is_public
    monkeypatch.setattr(http_module, "_is_public", lambda a: str(a) == "127.0.0.1" or real(a))


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    _loopback_is_the_public_web(monkeypatch)
    server.routes["/x"] = redirect("http://10.20.30.40/admin")
    client = HttpClient(HttpSettings(**{**FAST.__dict__, "allow_private_hosts": False}))
    error = fetch_error(client, server.url("/x"))
    assert error.error == "private-address" and "10.20.30.40" in error.detail
    assert len(server.log) == 1


def test_check_address():
    with pytest.raises(FetchError, match="non-public"):
        check_address("http://127.0.0.1:8080/", allow_private=False)
    with pytest.raises(FetchError) as caught:
        check_address("file:///etc/passwd", allow_private=True)
    assert caught.value.error == "bad-scheme"
    with pytest.raises(FetchError) as caught:
        check_address("http://no-such-host.invalid/", allow_private=True)
    assert caught.value.error == "dns"
    check_address("http://127.0.0.1/", allow_private=True)


def test_size_caps_declared_and_actual(server):
    server.routes["/big"] = static(b"x" * 20_000)
    assert fetch_error(HttpClient(FAST), server.url("/big")).error == "too-large"

    def undeclared(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"y" * 20_000)

    server.routes["/undeclared"] = undeclared
    assert fetch_error(HttpClient(FAST), server.url("/undeclared")).error == "too-large"


def test_a_lying_content_length_is_a_broken_response(server):
    def liar(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "5000")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(b"<p>short</p>")
        handler.wfile.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)

    server.routes["/x"] = liar
    client = HttpClient(HttpSettings(**{**FAST.__dict__, "retries": 0}))
    assert fetch_error(client, server.url("/x")).error == "connection"


def test_conditional_get_and_user_agent(server):
    def conditional(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == '"v1"':
            handler.send_response(304)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            send(handler, 200, b"<rss/>", headers={"ETag": '"v1"'})

    server.routes["/feed"] = conditional
    client = HttpClient(FAST)
    first = client.get(server.url("/feed"))
    assert first.headers["etag"] == '"v1"' and not first.not_modified
    second = client.get(server.url("/feed"), {"If-None-Match": '"v1"'})
    assert second.not_modified and second.status == 304
    assert all(r.headers["user-agent"].startswith("newsbeam/") for r in server.log)


def test_per_host_limit_bounds_concurrency(server):
    import threading

    active, peak, lock = [0], [0], threading.Lock()

    def slow(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.1)  # server-side latency
        with lock:
            active[0] -= 1
        send(handler, 200, b"<p>ok</p>")

    server.routes["/slow"] = slow
    client = HttpClient(HttpSettings(**{**FAST.__dict__, "per_host": 2}))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: client.get(server.url("/slow")), range(8)))
    assert peak[0] == 2


def test_a_refused_connection_says_so_in_a_whole_sentence():
    import socket

    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = fetch_error(HttpClient(FAST), f"http://127.0.0.1:{port}/feed.xml")
    assert error.error == "connection"
    assert error.detail == "could not connect: [Errno 111] Connection refused"
