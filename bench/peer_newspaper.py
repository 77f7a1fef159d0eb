"""A peer on the same pages: newspaper4k against newsbeam's extraction and a bare trafilatura.

    python -m bench.peer_newspaper [--venv DIR]

newspaper4k pins its own versions of lxml and friends, so it runs in a virtualenv of its own
(created and installed from PyPI on the first run, then reused; default `bench/.peer-venv`, which
git ignores). Each extractor reads the 181 pages of the extraction benchmark in place, in one
process, and is timed by CPU seconds; F1 is the benchmark's own metric (token 4-gram shingles)
against its ground truth. newspaper4k is given the HTML (`Article.download(input_html=...)`,
`parse()`), so nothing is fetched.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

import trafilatura

from bench.common import REPO, benchmark_pages_and_truth, newsbeam_texts
from tests.e2e.shingle_f1 import score

PEER = "newspaper4k"

# Runs inside the peer's virtualenv: reads {name: html} JSON, writes {name: text} and CPU seconds.
_PEER_SCRIPT = """
import json, sys, time
from newspaper import Article
pages = json.load(open(sys.argv[1]))
texts = {}
started = time.process_time()
for name, html in pages.items():
    article = Article("https://bench.example/" + name, fetch_images=False)
    try:
        article.download(input_html=html)
        article.parse()
        texts[name] = article.text
    except Exception:
        texts[name] = None
seconds = time.process_time() - started
json.dump({"texts": texts, "seconds": seconds}, open(sys.argv[2], "w"))
"""


def peer_python(folder: Path) -> Path:
    python = folder / "bin" / "python"
    if not python.exists():
        venv.create(folder, with_pip=True)
    check = subprocess.run([python, "-c", "import newspaper"], capture_output=True, check=False)
    if check.returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "-q", PEER], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=REPO / "bench" / ".peer-venv")
    args = parser.parse_args()
    pages, truth = benchmark_pages_and_truth()

    try:
        python = peer_python(args.venv)
    except (subprocess.CalledProcessError, OSError) as exc:
        sys.exit(f"{PEER} did not install here: {exc}")
    version = subprocess.run(
        [python, "-c", "import newspaper; print(newspaper.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        given, taken = Path(scratch) / "pages.json", Path(scratch) / "texts.json"
        given.write_text(json.dumps(pages), encoding="utf-8")
        subprocess.run([python, "-c", _PEER_SCRIPT, given, taken], check=True)
        peer = json.loads(taken.read_text(encoding="utf-8"))

    started = time.process_time()
    bare = {key: trafilatura.extract(html) for key, html in pages.items()}
    bare_seconds = time.process_time() - started

    ours, ours_seconds = newsbeam_texts(pages, "fast")

    print(f"command: python -m bench.peer_newspaper  ({PEER} {version})")
    print(f"{len(pages)} pages of the extraction benchmark, one process, CPU seconds")
    print(f"{'extractor':<52}{'F1':>6}{'P':>7}{'R':>7}{'pages/s':>9}")
    for label, texts, seconds in (
        ("trafilatura.extract() defaults (baseline)", bare, bare_seconds),
        ("newsbeam extraction (fast, with metadata, language)", ours, ours_seconds),
        (f"{PEER} {version} (Article.parse)", peer["texts"], peer["seconds"]),
    ):
        s = score(truth, texts)
        print(
            f"{label:<52}{s['f1']:6.3f}{s['precision']:7.3f}{s['recall']:7.3f}"
            f"{len(pages) / seconds:9.1f}"
        )


if __name__ == "__main__":
    main()
