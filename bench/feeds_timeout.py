"""A run whose feeds all stall: its time is bounded by the timeouts, not by their number.

    python -m bench.feeds_timeout [--feeds 50] [--hosts 10] [--http-timeout 2]

Serves N feeds from loopback servers (one per host, 127.0.0.1 to 127.0.0.H, as feeds of a real
list sit on many hosts; `--per-host` caps the requests to one host) that send headers and a
few bytes, then hang; runs
`newsbeam ingest --feeds` over them with `--http-retries 1` (and `--max-reject-ratio 1`: every
input fails here, which a real run would refuse to commit) and reports the run's time against
what the same timeouts would cost one feed after another.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import threading
from pathlib import Path

from bench.common import newsbeam_command, run_measured
from tests.e2e.server import LoopbackServer, stall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--http-timeout", type=float, default=2.0)
    args = parser.parse_args()
    release = threading.Event()

    servers = [LoopbackServer(host=f"127.0.0.{number + 1}") for number in range(args.hosts)]
    with contextlib.ExitStack() as running, tempfile.TemporaryDirectory() as scratch:
        urls = []
        for server in servers:
            running.enter_context(server)
        for number in range(args.feeds):
            server = servers[number % len(servers)]
            server.routes[f"/stuck-{number}.rss"] = stall(release)
            urls.append(server.url(f"/stuck-{number}.rss"))
        listing = Path(scratch) / "feeds.txt"
        listing.write_text("\n".join(urls), encoding="utf-8")
        command = newsbeam_command(
            "ingest", "--feeds", str(listing), "--output", str(Path(scratch) / "out"),
            "--allow-private-hosts", "--http-timeout", str(args.http_timeout),
            "--http-retries", "1", "--max-reject-ratio", "1", "--quiet",
        )  # fmt: skip
        seconds, _peak, stdout, stderr, status = run_measured(command)
        release.set()
    if status != 0:
        raise SystemExit(f"newsbeam failed: {stderr.strip()[-500:]}")
    counts = " ".join(line.strip() for line in stdout.splitlines()[1:6])
    per_feed = 2 * args.http_timeout  # two attempts, each ended by the read timeout at least
    print(f"command: python -m bench.feeds_timeout --feeds {args.feeds} --hosts {args.hosts} "
          f"--http-timeout {args.http_timeout:g}")  # fmt: skip
    print(f"{args.feeds} feeds on {args.hosts} hosts that all stall, "
          f"--http-timeout {args.http_timeout:g} s, --per-host 4: "
          f"run finished in {seconds:.1f} s (start-up included); {counts}")  # fmt: skip
    print(f"one feed after another, their read timeouts alone would add up to "
          f"{args.feeds * per_feed:.0f} s: the run took {seconds / (args.feeds * per_feed):.1%} "
          f"of that")  # fmt: skip


if __name__ == "__main__":
    main()
