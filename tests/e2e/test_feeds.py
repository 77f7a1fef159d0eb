"""`newsbeam ingest --feeds` end to end against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.e2e.helpers import newsbeam, page, parquet_files, table
from tests.e2e.server import LoopbackServer, redirect, stall, static, status, with_etag

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Harbour Gazette</title><link>{base}/</link><description>Local news</description>
{items}</channel></rss>"""
RSS_ITEM = """<item><title>{title}</title><link>{link}</link>
<pubDate>Mon, 03 Aug 2026 10:15:00 GMT</pubDate>{content}</item>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Quay Notes</title><id>urn:quay</id>
<updated>2026-08-04T09:00:00Z</updated>{entries}</feed>"""
ATOM_ENTRY = """<entry><title>{title}</title><link href="{link}"/><id>{link}</id>
<updated>2026-08-04T09:00:00Z</updated><author><name>Robin Ash</name></author></entry>"""
RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="{base}/rdf"><title>Pier Wire</title><link>{base}/</link>
<description>d</description></channel>{items}</rdf:RDF>"""
RDF_ITEM = """<item rdf:about="{link}"><title>{title}</title><link>{link}</link></item>"""


def _content(html: str) -> str:
    return f"<content:encoded><![CDATA[{html}]]></content:encoded>"


@pytest.fixture
def news_site():
    """Feeds in four formats over pages the site serves, plus failures a real site shows."""
    server = LoopbackServer()
    with server:
        base = server.base
        slugs = [f"story-{n}" for n in range(1, 9)]
        for day, slug in enumerate(slugs, start=1):
            server.routes[f"/news/{slug}"] = static(
                page(slug, f"Story {slug}", day, f"the {slug.replace('-', ' ')}").encode()
            )
        server.routes["/news/moved"] = redirect("/news/story-8")
        server.routes["/robots.txt"] = static(b"User-agent: *\nDisallow: /private/\n", "text/plain")
        server.routes["/news/report.pdf"] = static(b"%PDF-1.4 ...", "application/pdf")
        rss_items = [
            RSS_ITEM.format(title=f"Story {s}", link=f"{base}/news/{s}?utm_source=rss", content="")
            for s in slugs[:3]
        ]
        rss_items += [
            # The page is gone but the feed carries the full text: used, and said so.
            RSS_ITEM.format(
                title="Gone story",
                link=f"{base}/news/gone",
                content=_content(page("gone", "Gone story", 20, "the missing page")),
            ),
            RSS_ITEM.format(title="Dead link", link=f"{base}/news/dead", content=""),
            RSS_ITEM.format(title="Private", link=f"{base}/private/memo", content=""),
            RSS_ITEM.format(title="A PDF", link=f"{base}/news/report.pdf", content=""),
            RSS_ITEM.format(title="Moved", link=f"{base}/news/moved", content=""),
        ]
        server.routes["/feed.rss"] = with_etag(
            RSS.format(base=base, items="".join(rss_items)).encode(), "application/rss+xml"
        )
        atom_entries = [
            ATOM_ENTRY.format(title=f"Story {s}", link=f"{base}/news/{s}") for s in slugs[2:5]
        ]
        server.routes["/atom.xml"] = with_etag(
            ATOM.format(entries="".join(atom_entries)).encode(), "application/atom+xml"
        )
        rdf_items = [
            RDF_ITEM.format(title=f"Story {s}", link=f"{base}/news/{s}") for s in slugs[5:6]
        ]
        server.routes["/rdf"] = with_etag(
            RDF.format(base=base, items="".join(rdf_items)).encode(), "application/rdf+xml"
        )
        json_feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Tram Times",
            "items": [
                {
                    "id": "7",
                    "url": f"{base}/news/story-7",
                    "title": "Story 7",
                    "date_published": "2026-08-07T08:00:00Z",
                }
            ],
        }
        server.routes["/feed.json"] = with_etag(
            json.dumps(json_feed).encode(), "application/feed+json"
        )
        server.routes["/not-a-feed"] = static(b"<html><body>Welcome!</body></html>")
        server.routes["/broken-feed"] = status(500)
        yield server


def test_feeds_ingest_then_a_second_run_fetches_nothing_new(news_site, tmp_path):
    base = news_site.base
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        f"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
        <outline text="local"><outline text="rss" type="rss" xmlUrl="{base}/feed.rss"/>
          <outline text="nested"><outline text="atom" xmlUrl="{base}/atom.xml"/></outline>
        </outline></body></opml>"""
    )
    listing = tmp_path / "feeds.txt"
    listing.write_text(
        f"# more feeds\n{base}/rdf\n{base}/feed.json  # JSON Feed\n\n{base}/not-a-feed\n"
        f"{base}/broken-feed\n"
    )
    output = tmp_path / "out"
    args = [
        "ingest",
        "--feeds",
        str(opml),
        "--feeds",
        str(listing),
        "--output",
        str(output),
        "--allow-private-hosts",
        "--http-retries",
        "1",
    ]
    first = newsbeam(*args)
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    counts = first.counts
    assert counts["inputs"] == counts["articles"] + counts["duplicates"] + counts["rejects"]

    articles = {a["canonical_url"].rsplit("/", 1)[1]: a for a in table(output, "articles")}
    assert set(articles) == {f"story-{n}" for n in range(1, 9)} | {"gone"}
    assert articles["gone"]["content_source"] == "feed"
    assert articles["story-1"]["content_source"] == "page"
    assert articles["story-1"]["origin"] == f"{base}/feed.rss"
    assert articles["story-7"]["origin"] == f"{base}/feed.json"
    # story-3 is in the RSS and the Atom feed: one article, one URL duplicate.
    duplicates = table(output, "duplicates")
    assert [(d["kind"], d["canonical_url"].rsplit("/", 1)[1]) for d in duplicates] == [
        ("url", "story-3")
    ]
    rejects = {(r["url"] or r["origin"]).replace(base, ""): r for r in table(output, "rejects")}
    assert {path: r["error"] for path, r in rejects.items()} == {
        "/news/dead": "http-404",
        "/private/memo": "robots-disallowed",
        "/news/report.pdf": "not-a-page",
        "/not-a-feed": "not-a-feed",
        "/broken-feed": "http-500",
    }
    assert all(r["stage"] in ("fetch", "parse") and r["detail"] for r in rejects.values())
    assert len(news_site.requests_to("/broken-feed")) == 2  # one retry, then a reject

    # Second run over unchanged feeds: conditional GETs answered 304, no page fetched again.
    before_log = len(news_site.log)
    before_files = parquet_files(output)
    second = newsbeam(*args)
    assert second.returncode == 0, second.stderr
    requests = news_site.log[before_log:]
    fetched_paths = {r.path.split("?")[0] for r in requests}
    assert not any(path.startswith("/news/") for path in fetched_paths), fetched_paths
    for feed in ("/feed.rss", "/atom.xml", "/rdf", "/feed.json"):
        [request] = [r for r in requests if r.path == feed]
        assert "if-none-match" in request.headers, feed
    assert second.counts["articles"] == second.counts["duplicates"] == 0
    new_files = parquet_files(output) - before_files
    assert all(not name.startswith(("articles/", "duplicates/")) for name in new_files)


def test_feed_that_ignores_validators_is_skipped_by_its_hash(tmp_path):
    server = LoopbackServer()
    with server:
        server.routes["/news/one"] = static(page("one", "One", 1, "the first pier").encode())
        feed = RSS.format(
            base=server.base,
            items=RSS_ITEM.format(title="One", link=f"{server.base}/news/one", content=""),
        )
        server.routes["/plain.rss"] = static(feed.encode(), "application/rss+xml")
        output = tmp_path / "out"
        args = [
            "ingest",
            "--feeds",
            server.url("/plain.rss"),
            "--output",
            str(output),
            "--allow-private-hosts",
        ]
        assert newsbeam(*args).counts["articles"] == 1
        again = newsbeam(*args)
        assert again.returncode == 0
        assert again.counts["inputs"] == 0
        assert len(server.requests_to("/news/one")) == 1


def test_private_addresses_are_refused_by_default(tmp_path):
    server = LoopbackServer()
    with server:
        server.routes["/feed.rss"] = static(b"<rss/>", "application/rss+xml")
        # The same server behind a parser differential: urlsplit reads 93.184.216.34 as the
        # host, the HTTP client 127.0.0.1.
        disguised = server.url("\\@93.184.216.34/feed.rss")
        output = tmp_path / "out"
        run = newsbeam(
            "ingest",
            "--feeds",
            server.url("/feed.rss"),
            "--feeds",
            disguised,
            "--output",
            str(output),
        )
        assert run.returncode == 0, run.stderr
        assert server.log == []
        rejects = {r["origin"]: r for r in table(output, "rejects")}
        plain = rejects[server.url("/feed.rss")]
        assert plain["error"] == "private-address" and "127.0.0.1" in plain["detail"]
        assert rejects[disguised]["error"] == "bad-url"


def test_feed_files_in_an_inbox_are_ingested_like_polled_feeds(tmp_path):
    server = LoopbackServer()
    with server:
        for slug in ("alpha", "beta"):
            server.routes[f"/news/{slug}"] = static(
                page(slug, slug, 2, f"the {slug} quay").encode()
            )
        items = "".join(
            RSS_ITEM.format(title=s, link=f"{server.base}/news/{s}", content="")
            for s in ("alpha", "beta")
        )
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        (inbox / "dropped.rss").write_text(RSS.format(base=server.base, items=items))
        (inbox / "empty.xml").write_text(
            "<rss version='2.0'><channel><title>x</title></channel></rss>"
        )
        output = tmp_path / "out"
        run = newsbeam(
            "ingest", "--inbox", str(inbox), "--output", str(output), "--allow-private-hosts"
        )
        assert run.returncode == 0, run.stderr
        assert run.counts["articles"] == 2
        assert {r["error"] for r in table(output, "rejects")} == {"no-entries"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/no/such/feeds.txt", "feed list not found"),
        ("EMPTY", "no feed URLs in"),
        # Never opened: a named pipe would block the run, a device would be read without end.
        ("FIFO", "is a named pipe (FIFO), not a feed list"),
        ("/dev/zero", "is a character device, not a feed list"),
        ("FOLDER", "is a folder, not a feed list"),
    ],
)
def test_bad_feed_arguments(tmp_path, value, message):
    if value == "EMPTY":
        value = str(tmp_path / "empty.txt")
        Path(value).write_text("# nothing yet\n")
    elif value == "FIFO":
        value = str(tmp_path / "feeds.txt")
        os.mkfifo(value)
    elif value == "FOLDER":
        value = str(tmp_path)
    run = newsbeam("ingest", "--feeds", value, "--output", str(tmp_path / "out"))
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and message in run.stderr


def test_a_run_whose_feeds_all_stall_ends_within_the_timeouts(tmp_path):
    import threading
    import time as clock

    server, release = LoopbackServer(), threading.Event()
    with server:
        urls = []
        for n in range(12):
            server.routes[f"/stuck-{n}.rss"] = stall(release)  # the server hangs; newsbeam must not
            urls.append(server.url(f"/stuck-{n}.rss"))
        listing = tmp_path / "feeds.txt"
        listing.write_text("\n".join(urls))
        output = tmp_path / "out"
        started = clock.monotonic()
        run = newsbeam(
            "ingest",
            "--feeds",
            str(listing),
            "--output",
            str(output),
            "--allow-private-hosts",
            "--http-timeout",
            "1",
            "--http-retries",
            "1",
        )
        elapsed = clock.monotonic() - started
        release.set()
    assert run.returncode == 0, run.stderr
    assert {r["error"] for r in table(output, "rejects")} == {"timeout"}
    assert run.counts["rejects"] == 12
    # Polled concurrently: bounded by the per-URL allowance (3 x timeout), not 12 x that.
    assert elapsed < 25, elapsed


def test_the_feeds_of_a_run_are_polled_all_at_once(tmp_path):
    # Each feed answers only once all of them are waiting: a run that polled them a few at a
    # time (as Beam's adaptive batching did) would see every answer time out.
    import contextlib
    import threading

    from tests.e2e.server import send

    count = 12
    everyone = threading.Barrier(count, timeout=20)

    def together(handler) -> None:
        try:
            everyone.wait()
        except threading.BrokenBarrierError:
            send(handler, 503, b"alone", "text/plain")
            return
        send(handler, 200, RSS.format(base="http://x", items="").encode(), "application/rss+xml")

    # One host each: --per-host caps the requests to one host.
    servers = [LoopbackServer(host=f"127.0.0.{n + 1}") for n in range(count)]
    with contextlib.ExitStack() as running:
        for server in servers:
            running.enter_context(server)
            server.routes["/feed.rss"] = together
        listing = tmp_path / "feeds.txt"
        listing.write_text("\n".join(server.url("/feed.rss") for server in servers))
        run = newsbeam(
            "ingest",
            "--feeds",
            str(listing),
            "--output",
            str(tmp_path / "out"),
            "--allow-private-hosts",
            "--http-retries",
            "0",
        )
        everyone.abort()  # nobody is left waiting, whatever happened
    assert run.returncode == 0, run.stderr
    assert run.counts["rejects"] == 0
    assert all(server.requests_to("/feed.rss") for server in servers)
