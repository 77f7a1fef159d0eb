"""A CC-NEWS-like WARC against the same pages as HTML files: throughput and peak memory.

    python -m bench.warc_throughput [--gib 1.0]

Writes real-sized distinct pages (as `bench.e2e_throughput` makes them, about 150 KB each) up to
GIB gibibytes of HTML, twice: as one
`.warc.gz` of request/response record pairs, one gzip member per record as Common Crawl writes
them, and as an inbox of `.html` files. Then runs `newsbeam ingest` on each, in the same run,
and reports pages per second, the WARC's throughput as a share of the HTML files' (the target is
within 10%), and the peak memory of each run's process tree, summed PSS (it must stay flat: the
WARC is read range by range, never whole).
"""

from __future__ import annotations

import argparse
import io
import tempfile
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.common import distinct_page, newsbeam_command, real_pages, run_measured


def write_inputs(pages: list[str], size: int, warc_path: Path, inbox: Path) -> tuple[int, int]:
    """Both inputs, pages until `size` bytes; returns (pages, their total size in bytes)."""
    total = number = 0
    inbox.mkdir(parents=True)
    with open(warc_path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record(warc_path.name, {"software": "bench"}))
        while total < size:
            body = distinct_page(pages, number).encode("utf-8")
            total += len(body)
            url = f"https://bench.example/story/{number}"
            request = StatusAndHeaders("GET /story HTTP/1.1", [], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), http_headers=request
                )
            )
            response = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=response
                )
            )
            folder = inbox / f"{number // 1000:03d}"
            folder.mkdir(exist_ok=True)
            (folder / f"{number}.html").write_bytes(body)
            number += 1
    return number, total


def ingest(source: Path, output: Path) -> tuple[float, int, str]:
    seconds, peak, stdout, stderr, status = run_measured(
        newsbeam_command("ingest", "--inbox", str(source), "--output", str(output), "--quiet")
    )
    if status != 0:
        raise SystemExit(f"newsbeam failed on {source}: {stderr.strip()[-800:]}")
    counts = " ".join(line.strip() for line in stdout.splitlines()[1:5])
    return seconds, peak, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gib", type=float, default=1.0)
    args = parser.parse_args()
    pages = real_pages()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        warc = root / "warc" / "news.warc.gz"
        warc.parent.mkdir()
        count, total = write_inputs(pages, int(args.gib * 2**30), warc, root / "html")
        warc_seconds, warc_peak, warc_counts = ingest(warc.parent, root / "out-warc")
        html_seconds, html_peak, html_counts = ingest(root / "html", root / "out-html")
        compressed = warc.stat().st_size
    print(f"command: python -m bench.warc_throughput --gib {args.gib}")
    print(
        f"{count:,} pages, {total / 2**30:.2f} GiB of HTML; "
        f"the .warc.gz is {compressed / 2**20:,.0f} MiB"
    )
    print(
        f"WARC:       {warc_seconds:7.1f} s = {count / warc_seconds:6.1f} pages/s, "
        f"peak memory {warc_peak / 2**20:6,.0f} MiB; {warc_counts}"
    )
    print(
        f"HTML files: {html_seconds:7.1f} s = {count / html_seconds:6.1f} pages/s, "
        f"peak memory {html_peak / 2**20:6,.0f} MiB; {html_counts}"
    )
    print(
        f"WARC throughput / HTML files throughput: {html_seconds / warc_seconds:.2f} "
        "(target at least 0.90)"
    )


if __name__ == "__main__":
    main()
