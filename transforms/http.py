"""HTTP as a good citizen, and safe against the links a hostile feed can choose.

A real User-Agent, connect/read timeouts, bounded retries with exponential backoff on 429, 5xx and
connection errors honouring `Retry-After`, redirects followed by hand (at most a few, each one
checked), a response size cap, per-host concurrency limits with a politeness delay, conditional
GET, and no requests to loopback, private, link-local or multicast addresses unless allowed.
The address check reads a URL the way the client sends it (`safe_url`): a URL that two parsers
could read as naming two different hosts is refused, never guessed at.
Pure Python (requests), no Beam: tested on its own against a loopback server.
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from urllib3.util import parse_url

from newsbeam import __version__

__all__ = ["FetchError", "HttpClient", "HttpSettings", "Response", "check_address", "safe_url"]

_LOGGER = logging.getLogger(__name__)

USER_AGENT = f"newsbeam/{__version__} (news ingestion; +https://github.com/newsbeam/newsbeam)"
_RETRY_STATUS = {429, 500, 502, 503, 504}
_REDIRECT_STATUS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that failed for a reason worth a rejects row: `error` is a short class."""

    def __init__(self, error: str, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.error = error
        self.detail = detail
        self.status = status


@dataclass(frozen=True)
class HttpSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0  # one URL, retries and redirects included
    retries: int = 3
    backoff: float = 0.5  # seconds; doubled each retry, with jitter
    max_retry_after: float = 30.0  # a longer Retry-After is not waited for
    max_redirects: int = 5
    max_bytes: int = 10_000_000
    per_host: int = 2  # concurrent requests to one host
    politeness_delay: float = 0.0  # seconds between request starts to one host
    allow_private_hosts: bool = False
    user_agent: str = USER_AGENT


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    charset: str | None = None
    not_modified: bool = False

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


# The authority of an absolute URL as RFC 3986 delimits it: up to the first "/", "?" or "#".
_AUTHORITY = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)")
# In an authority, these make parsers disagree about the host: browsers and urllib3 end it at a
# backslash, Python's urlsplit does not; urlsplit drops tabs and newlines, urllib3 keeps them.
_SPLITTERS = re.compile(r"[\\\x00-\x20\x7f]")


def _bad_url(url: str, why: str) -> FetchError:
    return FetchError("bad-url", f"{why}: {url[:200]!r}")


def _prepared(url: str) -> str:
    try:
        prepared = requests.models.PreparedRequest()
        prepared.prepare_url(url, None)
    except (requests.exceptions.RequestException, ValueError, UnicodeError) as exc:
        raise _bad_url(url, f"the URL does not parse ({type(exc).__name__})") from exc
    return prepared.url


def safe_url(url: str) -> str:
    """`url` as the HTTP client sends it, once it is certain which host that is.

    Raises `FetchError` (`bad-scheme`, `bad-url`) for anything but http(s), and for a URL whose
    host part holds a backslash, a user name (`user@`), white space or control characters, a
    percent sign, or that the client's parser (urllib3, under requests) and Python's urlsplit
    read differently: `http://127.0.0.1:8080\\@example.com/` is a request to 127.0.0.1 for the
    one and to example.com for the other. No DNS; `check_address` adds the address check.
    """
    match = _AUTHORITY.match(url)
    try:
        scheme = (match.group(1) if match else urlsplit(url).scheme).lower()
    except ValueError as exc:
        raise _bad_url(url, f"the URL does not parse ({exc})") from exc
    if scheme not in ("http", "https"):
        raise FetchError("bad-scheme", f"only http and https are fetched, not {scheme!r}")
    authority = match.group(2) if match else ""
    if not authority:
        raise _bad_url(url, "the URL has no host")
    if _SPLITTERS.search(authority):
        raise _bad_url(
            url,
            "the host part holds a backslash, white space or a control character, which HTTP "
            "clients read in different ways",
        )
    if "@" in authority:  # a host hidden behind a user name, and credentials nobody should send
        raise _bad_url(url, "the URL carries a user name before its host (user@host)")
    if "%" in authority:  # an encoded host, or an IPv6 zone: a local interface, never public
        raise _bad_url(url, "the host part is percent-encoded or names an IPv6 zone")
    sent = _prepared(url)
    try:
        ours, theirs = urlsplit(sent), parse_url(sent)
        same = (
            ours.hostname
            and ours.hostname == (theirs.host or "").strip("[]").lower()
            and ours.port == theirs.port
            and not (ours.username or theirs.auth)
            and _prepared(sent) == sent
        )
    except ValueError as exc:  # urllib3's LocationParseError is a ValueError too
        raise _bad_url(url, f"the URL does not parse ({type(exc).__name__})") from exc
    if not same:
        raise _bad_url(url, "the URL names its host ambiguously")
    return sent


def _embedded(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list:
    """The address, and the IPv4 address an IPv6 one carries (mapped, 6to4, Teredo)."""
    found = [address]
    if isinstance(address, ipaddress.IPv6Address):
        found += [a for a in (address.ipv4_mapped, address.sixtofour) if a is not None]
        if address.teredo:
            found += list(address.teredo)
    return found


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return all(
        a.is_global and not (a.is_multicast or a.is_reserved or a.is_unspecified)
        for a in _embedded(address)
    )


def check_address(url: str, allow_private: bool) -> str:
    """`url` as the client sends it (`safe_url`), once its host resolves only to public
    addresses; raises `FetchError` otherwise."""
    sent = safe_url(url)
    parts = urlsplit(sent)
    host = parts.hostname
    default_port = 443 if parts.scheme == "https" else 80
    try:
        infos = socket.getaddrinfo(host, parts.port or default_port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise FetchError("dns", f"the host {host} does not resolve ({exc})") from exc
    if allow_private:
        return sent
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _is_public(address):
            raise FetchError(
                "private-address",
                f"{host} resolves to {address}, a non-public address "
                "(--allow-private-hosts permits it)",
            )
    return sent


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0


class HttpClient:
    """A thread-safe client; build one per worker (in a DoFn's `setup()`)."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self._session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=64, pool_maxsize=64, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["User-Agent"] = self.settings.user_agent
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.requests_sent = 0

    def close(self) -> None:
        self._session.close()

    def _host(self, url: str) -> _Host:
        key = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(threading.BoundedSemaphore(self.settings.per_host))
            return self._hosts[key]

    def get(
        self, url: str, headers: dict[str, str] | None = None, accept: str | None = None
    ) -> Response:
        """GET `url`, following redirects and retrying as the settings say; raises `FetchError`.

        A 304 answer to conditional `headers` returns a Response with `not_modified=True`.
        """
        deadline = time.monotonic() + self.settings.total_timeout
        seen: list[str] = []
        current = url
        while True:
            if current in seen:
                raise FetchError("redirect-loop", f"redirects loop back to {current[:200]}")
            if len(seen) > self.settings.max_redirects:
                raise FetchError(
                    "too-many-redirects", f"more than {self.settings.max_redirects} redirects"
                )
            seen.append(current)
            # Every hop, the first and each redirect's, is checked as it will be sent.
            sent = check_address(current, self.settings.allow_private_hosts)
            response = self._get_with_retries(sent, headers, accept, deadline)
            if response.status in _REDIRECT_STATUS:
                location = response.headers.get("location")
                if not location:
                    raise FetchError("bad-redirect", "a redirect without a Location header")
                current = urljoin(sent, location.strip())
                continue
            if response.status == 304:
                response.not_modified = True
                return response
            if response.status >= 400:
                raise FetchError(
                    f"http-{response.status}",
                    f"the server answered HTTP {response.status}",
                    status=response.status,
                )
            return response

    def _get_with_retries(
        self, url: str, headers: dict[str, str] | None, accept: str | None, deadline: float
    ) -> Response:
        attempt = 0
        while True:
            try:
                response = self._get_once(url, headers, accept, deadline)
                if response.status not in _RETRY_STATUS:
                    return response
                wait = _retry_after(response.headers.get("retry-after"))
                failure = FetchError(
                    f"http-{response.status}",
                    f"the server answered HTTP {response.status}"
                    + (f" {attempt + 1} times" if attempt else ""),
                    status=response.status,
                )
            except FetchError as exc:
                if exc.error not in ("timeout", "connection"):
                    raise
                wait, failure = None, exc
            attempt += 1
            if attempt > self.settings.retries:
                raise failure
            if wait is None:
                wait = self.settings.backoff * (2 ** (attempt - 1)) * (0.5 + random.random())
            if wait > self.settings.max_retry_after or time.monotonic() + wait > deadline:
                raise failure
            time.sleep(wait)  # backoff between retries of one URL, by design

    def _get_once(
        self, url: str, headers: dict[str, str] | None, accept: str | None, deadline: float
    ) -> Response:
        host = self._host(url)
        request_headers = dict(headers or {})
        if accept:
            request_headers["Accept"] = accept
        with host.slots:
            with host.lock:
                now = time.monotonic()
                start = max(now, host.next_start)
                host.next_start = start + self.settings.politeness_delay
            if start > now:
                time.sleep(start - now)  # the politeness delay between requests to one host
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError("timeout", "gave up: the time allowed for this URL ran out")
            timeout = (
                min(self.settings.connect_timeout, remaining),
                min(self.settings.read_timeout, remaining),
            )
            self.requests_sent += 1
            try:
                with self._session.get(
                    url,
                    headers=request_headers,
                    timeout=timeout,
                    stream=True,
                    allow_redirects=False,
                ) as raw:
                    body = self._read_capped(raw, deadline)
                    return Response(
                        url=url,
                        status=raw.status_code,
                        headers={k.lower(): v for k, v in raw.headers.items()},
                        body=body,
                        charset=raw.encoding
                        if "charset" in raw.headers.get("content-type", "").lower()
                        else None,
                    )
            except requests.exceptions.Timeout as exc:
                raise FetchError(
                    "timeout", f"no answer within the timeout ({exc.__class__.__name__})"
                ) from exc
            except requests.exceptions.SSLError as exc:
                raise FetchError("tls", f"the TLS handshake failed: {_reason(exc)}") from exc
            except requests.exceptions.ConnectionError as exc:
                raise FetchError("connection", f"could not connect: {_reason(exc)}") from exc
            except requests.exceptions.RequestException as exc:
                raise FetchError("http", f"the request failed: {_reason(exc)}") from exc

    def _read_capped(self, raw: requests.Response, deadline: float) -> bytes:
        declared = raw.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.settings.max_bytes:
            raise FetchError(
                "too-large",
                f"the response declares {int(declared):,} bytes, over the "
                f"{self.settings.max_bytes:,}-byte limit",
            )
        chunks, size = [], 0
        try:
            # read1 returns what has arrived, so a response that trickles in byte by byte (each
            # byte within the read timeout) still meets the deadline between two reads.
            while chunk := raw.raw.read1(65536, decode_content=True):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise FetchError(
                        "too-large",
                        f"the response exceeds the {self.settings.max_bytes:,}-byte limit",
                    )
                if time.monotonic() > deadline:
                    raise FetchError("timeout", "the response trickled in slower than allowed")
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
            if "timed out" in str(exc).lower():
                raise FetchError("timeout", "the response stalled (read timeout)") from exc
            raise FetchError("connection", f"the response broke off: {_reason(exc)}") from exc
        return b"".join(chunks)


# "[Errno 111] Connection refused" inside the chain of wrappers requests and urllib3 add.
_ERRNO = re.compile(r"\[Errno -?\d+\] [^'\")\]]+")


def _reason(exc: BaseException, limit: int = 160) -> str:
    """The cause of a failed request in a few words: the operating system's message when there
    is one ("[Errno 111] Connection refused"), else the innermost exception's message, cut at
    a word boundary."""
    found = _ERRNO.search(str(exc))
    if found:
        return found.group(0).strip()
    inner = exc
    while inner.__cause__ is not None or inner.__context__ is not None:
        inner = inner.__cause__ or inner.__context__
    text = " ".join(str(inner).split()) or type(inner).__name__
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " ..."
