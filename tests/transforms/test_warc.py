"""WARC reading: ranges of whole records, every response once, broken tails as one reject."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsbeam.schemas.records import InboxFile, Item, Reject
from newsbeam.transforms.inbox import read_inbox_file
from newsbeam.transforms.warc import index_warc, read_warc_range
from tests.e2e.helpers import newsbeam, page, table


def write_warc(path: Path, pages: int, gzipped: bool = True) -> list[str]:
    """A WARC like a CC-NEWS file: warcinfo, then request/response pairs, one image response."""
    urls = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for n in range(pages):
            url = f"https://quay.example/news/{n}"
            urls.append(url)
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET /news HTTP/1.1", [], is_http_request=True),
            )
            writer.write_record(request)
            body = page(f"w{n}", f"Quay {n}", 1 + n % 28, f"warc story {n}").encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://quay.example/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG...."),
                http_headers=image,
            )
        )
    return urls


@pytest.mark.parametrize("gzipped", [True, False])
def test_ranges_cover_every_response_exactly_once(tmp_path, gzipped):
    path = tmp_path / ("cc.warc.gz" if gzipped else "cc.warc")
    urls = write_warc(path, 7, gzipped)
    ranges = index_warc(str(path), records_per_range=2)
    assert len(ranges) == 4
    assert [r.records for r in ranges] == [2, 2, 2, 2]  # the image is a response too
    records = [record for r in ranges for record in read_warc_range(r, 1_000_000)]
    items = [r for r in records if isinstance(r, Item)]
    assert [item.url for item in items] == urls
    assert all(item.charset == "utf-8" and b"warc story" in item.body for item in items)
    [image] = [r for r in records if isinstance(r, Reject)]
    assert image.error == "not-a-page" and image.url.endswith("logo.png")


def test_a_truncated_warc_keeps_what_it_could_read_and_rejects_the_rest(tmp_path):
    path = tmp_path / "cut.warc.gz"
    write_warc(path, 6)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    records = list(read_inbox_file(InboxFile(str(path), 0, 0.0), 1_000_000))
    items = [r for r in records if isinstance(r, Item)]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert 1 <= len(items) < 6
    assert [r.error for r in rejects] == ["bad-warc"]


def test_not_a_warc_is_one_clean_reject(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_bytes(b"this is not a web archive at all\n" * 10)
    records = list(read_inbox_file(InboxFile(str(path), 0, 0.0), 1_000_000))
    assert [(r.stage, r.error) for r in records] == [("read", "bad-warc")]


def test_cli_ingests_a_warc_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_warc(inbox / "CC-NEWS-20261125.warc.gz", 12)
    output = tmp_path / "out"
    run = newsbeam("ingest", "--inbox", str(inbox), "--output", str(output))
    assert run.returncode == 0, run.stderr
    assert run.counts["inputs"] == 13 and run.counts["articles"] == 12
    assert run.counts["rejects"] == 1
    urls = {a["url"] for a in table(output, "articles")}
    assert urls == {f"https://quay.example/news/{n}" for n in range(12)}


@pytest.mark.parametrize("cut", [30, 700, 1800])
def test_an_uncompressed_warc_cut_inside_its_last_record_rejects_that_record(tmp_path, cut):
    """warcio hands out a record cut short by the end of an uncompressed file as if whole:
    the record is a bad-warc reject, not an article of half a page; the others stand."""
    path = tmp_path / "cut.warc"
    urls = write_warc(path, 3, gzipped=False)
    data = path.read_bytes()
    last = data.rindex(b"WARC/1.0\r\nWARC-Type: response")  # the image's record
    last = data.rindex(b"WARC/1.0\r\nWARC-Type: response", 0, last)  # the third page's
    block = data.index(b"\r\n\r\n", last) + 4  # its HTTP headers, then the page (~2,000 bytes)
    path.write_bytes(data[: block + cut])
    records = list(read_inbox_file(InboxFile(str(path), 0, 0.0), 1_000_000))
    items = [r for r in records if isinstance(r, Item)]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert [item.url for item in items] == urls[:2]
    assert [(r.stage, r.error) for r in rejects] == [("read", "bad-warc")]
    assert "cut off" in rejects[0].detail
