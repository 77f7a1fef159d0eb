"""Feeds end to end against a slow local web: 500 pages on 20 hosts, 100 ms latency each.

    python -m bench.fetch_throughput [--pages 500] [--hosts 20] [--latency 0.1]

Serves real article pages (the extraction benchmark's, read in place from ../shared/data) from
127.0.0.1 .. 127.0.0.N (N distinct hosts for the per-host limits), one RSS feed per host, runs
`newsbeam ingest --feeds ...` and reports pages per second end to end (start-up included).
Baselines measured in the same run: fetching a sample of the pages one by one, and a bare
single-process trafilatura loop over the same pages.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import trafilatura

from tests.e2e.server import LoopbackServer, static

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "extraction-benchmark"
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>host {host}</title>'
    "<link>http://{host}/</link><description>bench</description>{items}</channel></rss>"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()

    bodies = [gzip.decompress(p.read_bytes()) for p in sorted((DATA / "html").glob("*.html.gz"))]
    server = LoopbackServer(host="0.0.0.0")
    with server:
        port = server.base.rsplit(":", 1)[1]
        hosts = [f"127.0.0.{n}:{port}" for n in range(2, 2 + args.hosts)]
        urls = []
        for number in range(args.pages):
            host = hosts[number % len(hosts)]
            path = f"/news/{number}"
            server.routes[path] = static(bodies[number % len(bodies)], delay=args.latency)
            urls.append((host, f"http://{host}{path}"))
        feeds = []
        for host in hosts:
            items = "".join(
                f"<item><title>page</title><link>{url}</link></item>"
                for h, url in urls
                if h == host
            )
            route = f"/feed-{host.split(':')[0]}.rss"
            server.routes[route] = static(
                RSS.format(host=host, items=items).encode(), "application/rss+xml"
            )
            feeds.append(f"http://{host}{route}")

        sample = urls[:50]
        started = time.perf_counter()
        for _host, url in sample:
            requests.get(url, timeout=10).raise_for_status()
        sequential = (time.perf_counter() - started) / len(sample) * args.pages

        started = time.perf_counter()
        for number in range(args.pages):
            trafilatura.extract(
                bodies[number % len(bodies)].decode("utf-8"), include_comments=False
            )
        bare_loop = time.perf_counter() - started

        with tempfile.TemporaryDirectory() as scratch:
            listing = Path(scratch) / "feeds.txt"
            listing.write_text("\n".join(feeds) + "\n")
            command = [
                sys.executable,
                "-m",
                "newsbeam.pipeline.cli",
                "ingest",
                "--feeds",
                str(listing),
                "--output",
                str(Path(scratch) / "out"),
                "--allow-private-hosts",
            ]
            started = time.perf_counter()
            run = subprocess.run(command, capture_output=True, text=True, check=False)
            pipeline = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"newsbeam failed: {run.stderr.strip()}")
    print(run.stdout.strip())
    print(
        f"\ncommand: python -m bench.fetch_throughput --pages {args.pages} --hosts {args.hosts} "
        f"--latency {args.latency}"
    )
    print(f"pages {args.pages}, hosts {args.hosts}, latency {args.latency * 1000:.0f} ms")
    print(f"newsbeam ingest end to end: {pipeline:.1f} s = {args.pages / pipeline:.1f} pages/s")
    print(
        f"baseline, fetching one by one: {sequential:.1f} s (from {len(sample)} pages) -> "
        f"newsbeam is {sequential / pipeline:.1f}x faster"
    )
    print(
        f"baseline, bare trafilatura loop without fetching: {bare_loop:.1f} s = "
        f"{args.pages / bare_loop:.1f} pages/s -> newsbeam reaches "
        f"{bare_loop / pipeline:.2f}x of that"
    )


if __name__ == "__main__":
    main()
