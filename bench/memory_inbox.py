"""Peak memory of `newsbeam ingest` over large inboxes (issue: memory must not grow with input
size in the streaming parts).

    python -m bench.memory_inbox [--sizes 10000 50000] [--real-size]

Pages are short generated news pages (a few KB each, every one different), so the run measures
what the pipeline holds, not the cost of big pages. With `--real-size` they are the e2e
benchmark's real-sized pages instead (170 KB on average, about 5 KB of text; 9,050 different
texts, the pages beyond are exact copies of them). Peak RSS is that of the whole process tree
(the launcher and its extraction processes, summed PSS), sampled every 250 ms.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.common import distinct_page, newsbeam_command, real_pages, run_measured
from tests.e2e.helpers import page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--real-size", action="store_true", help="real-sized pages")
    args = parser.parse_args()
    real = real_pages() if args.real_size else None
    print(
        f"command: python -m bench.memory_inbox --sizes {' '.join(map(str, args.sizes))}"
        + (" --real-size" if real else "")
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as scratch:
            inbox = Path(scratch) / "inbox"
            for number in range(size):
                folder = inbox / f"{number // 1000:03d}"
                folder.mkdir(parents=True, exist_ok=True)
                if real:
                    html = distinct_page(real, number)
                else:
                    html = page(
                        f"m{number}",
                        f"Harbour report {number}",
                        1 + number % 28,
                        f"harbour matter {number}",
                    )
                (folder / f"{number}.html").write_text(html, encoding="utf-8")
            seconds, peak, stdout, stderr, status = run_measured(
                newsbeam_command(
                    "ingest",
                    "--inbox",
                    str(inbox),
                    "--output",
                    str(Path(scratch) / "out"),
                    "--quiet",
                )
            )
        if status != 0:
            raise SystemExit(f"newsbeam failed on {size} pages: {stderr.strip()[-500:]}")
        counts = " ".join(line.strip() for line in stdout.splitlines()[1:6])
        print(
            f"{size:>7,} pages: {seconds:7.1f} s ({size / seconds:6.1f} pages/s), "
            f"peak memory {peak / 2**20:7,.0f} MiB; {counts}"
        )


if __name__ == "__main__":
    main()
