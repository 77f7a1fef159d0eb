"""SSRF through parser differentials: URLs that Python's urlsplit and the HTTP client (urllib3,
under requests) could read as naming different hosts, fed through the real fetch path (robots.txt
included) against a loopback server. Each must end as a reject, and no request may reach the
server."""

from __future__ import annotations

import pytest

from newsbeam.schemas.records import Item, Reject
from newsbeam.transforms import http as http_module
from newsbeam.transforms.fetch import RobotsCache, fetch_page
from newsbeam.transforms.http import FetchError, HttpClient, HttpSettings, safe_url
from tests.e2e.server import LoopbackServer, redirect, static

GUARDED = HttpSettings(
    connect_timeout=1.0, read_timeout=1.0, total_timeout=3.0, retries=0, backoff=0.01
)
PUBLIC = "93.184.216.34"  # an address outside every private range; never connected to here

# {hp} is the loopback server's "127.0.0.1:port", {port} its port. Each form either hides that
# address from one of the two parsers or spells it so that only a resolver recognises it.
FORMS = {
    # the reported case: urlsplit takes the host after "@", urllib3 ends it at the backslash
    "backslash before @": "http://{hp}\\@" + PUBLIC + "/p",
    "two backslashes": "http://{hp}\\\\@" + PUBLIC + "/p",
    "backslash after the host": "http://{hp}\\" + PUBLIC + "/p",
    "user info": "http://" + PUBLIC + "@{hp}/p",
    "user info with a semicolon": "http://" + PUBLIC + ";@{hp}/p",
    "encoded backslash": "http://{hp}%5C@" + PUBLIC + "/p",
    "encoded slash": "http://{hp}%2F@" + PUBLIC + "/p",
    "tab before @": "http://{hp}\t@" + PUBLIC + "/p",
    "newline before @": "http://{hp}\n@" + PUBLIC + "/p",
    "CR LF before @": "http://{hp}\r\n@" + PUBLIC + "/p",
    "space before @": "http://{hp} @" + PUBLIC + "/p",
    "NUL before @": "http://{hp}\x00@" + PUBLIC + "/p",
    "newline inside user info": "http://" + PUBLIC + "\n@{hp}/p",
    "fragment before @": "http://{hp}#@" + PUBLIC + "/p",
    "query before @": "http://{hp}?@" + PUBLIC + "/p",
    "percent-encoded host": "http://%31%32%37.0.0.1:{port}/p",
    "fullwidth digits": "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11:{port}/p",
    "fullwidth backslash": "http://{hp}\uff3c@" + PUBLIC + "/p",
    "decimal address": "http://2130706433:{port}/p",
    "octal address": "http://0177.0.0.1:{port}/p",
    "hex address": "http://0x7f.0.0.1:{port}/p",
    "short address": "http://127.1:{port}/p",
    "zero address": "http://0:{port}/p",
    "unspecified address": "http://0.0.0.0:{port}/p",
    "localhost": "http://localhost:{port}/p",
    "localhost with a dot": "http://LOCALHOST.:{port}/p",
    "upper-case scheme": "HTTP://{hp}/p",
    "IPv6 loopback": "http://[::1]:{port}/p",
    "IPv4-mapped IPv6": "http://[::ffff:127.0.0.1]:{port}/p",
    "IPv4-mapped IPv6, hex": "http://[::ffff:7f00:1]:{port}/p",
    "IPv6 zone id": "http://[::1%25lo]:{port}/p",
    "encoded zone id": "http://[fe80::1%25eth0]:{port}/p",
    "6to4 of loopback": "http://[2002:7f00:1::1]:{port}/p",
    "one slash": "http:/{hp}/p",
    "backslashes for slashes": "http:\\\\{hp}/p",
}
# Forms that name the server's address in a way no parser disputes: refused for the address.
PLAINLY_PRIVATE = {
    "fragment before @",
    "query before @",
    "decimal address",
    "octal address",
    "hex address",
    "short address",
    "zero address",
    "unspecified address",
    "localhost",
    "upper-case scheme",
    "IPv6 loopback",
    "IPv4-mapped IPv6",
    "IPv4-mapped IPv6, hex",
    "6to4 of loopback",
}


@pytest.fixture(scope="module")
def server():
    with LoopbackServer() as running:
        running.routes["/p"] = static(b"<html><body><p>internal page</p></body></html>")
        running.routes["/robots.txt"] = static(b"User-agent: *\nAllow: /\n", "text/plain")
        yield running


def _url(form: str, server: LoopbackServer) -> str:
    hp = server.base.removeprefix("http://")
    return FORMS[form].format(hp=hp, port=hp.rsplit(":", 1)[1])


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_disguised_loopback_url_is_a_reject_and_reaches_no_server(server, form):
    url = _url(form, server)
    client = HttpClient(GUARDED)
    before = len(server.log)
    result = fetch_page(Item(origin="feed", url=url), client, RobotsCache(client))
    assert isinstance(result, Reject), result
    assert result.stage == "fetch"
    if form in PLAINLY_PRIVATE:
        assert result.error == "private-address", result
    else:
        assert result.error in ("bad-url", "bad-scheme", "private-address", "dns"), result
    assert server.log[before:] == []  # neither the page nor robots.txt was asked for


@pytest.mark.parametrize("form", ["backslash before @", "tab before @", "user info"])
def test_a_redirect_to_a_disguised_private_url_is_refused_before_it_is_followed(form, monkeypatch):
    """The first server stands for a public site (127.0.0.1 passes the address check); it
    redirects to a disguised URL of a private one (127.0.0.2, which must not be asked)."""
    real = http_module._is_public
    monkeypatch.setattr(http_module, "_is_public", lambda a: str(a) == "127.0.0.1" or real(a))
    with LoopbackServer() as public, LoopbackServer(host="127.0.0.2") as private:
        private.routes["/p"] = static(b"<html><body><p>internal page</p></body></html>")
        public.routes["/story"] = redirect(_url(form, private))
        client = HttpClient(GUARDED)
        result = fetch_page(Item(origin="feed", url=public.url("/story")), client, None)
        assert isinstance(result, Reject) and result.error == "bad-url", result
        assert [entry.path for entry in public.log] == ["/story"]
        assert private.log == []


def test_the_checked_url_is_the_url_sent():
    assert safe_url("https://news.example/a b?q=1") == "https://news.example/a%20b?q=1"
    assert safe_url("https://B\u00fccher.example/x") == "https://xn--bcher-kva.example/x"
    assert safe_url("https://news.example:8443/a") == "https://news.example:8443/a"
    assert safe_url("https://[2001:db8::1]/a") == "https://[2001:db8::1]/a"
    with pytest.raises(FetchError) as caught:
        safe_url("http://news.example\\@other.example/")
    assert caught.value.error == "bad-url" and "backslash" in caught.value.detail
    with pytest.raises(FetchError) as caught:
        safe_url("http://user:secret@news.example/")
    assert caught.value.error == "bad-url" and "user name" in caught.value.detail
    with pytest.raises(FetchError) as caught:
        safe_url("gopher://news.example/")
    assert caught.value.error == "bad-scheme"
