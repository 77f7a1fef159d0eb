"""Bad input of every kind, killed runs, and the reject-ratio guard: nothing lost, nothing broken.

The bad-input corpus is generated here (no committed binaries)."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.helpers import newsbeam, page, table
from tests.e2e.server import LoopbackServer, static

JAPANESE = (
    "港町の市議会は月曜日、老朽化した防波堤の修理計画について住民説明会を開いた。"
    "技術者によると、工事は来年の春までに完了する見込みで、費用は当初の予算を少し上回る。"
    "漁業関係者は工事中の船の出入りについて不安を口にし、市は臨時の桟橋を用意すると約束した。"
)
RUSSIAN = (
    "Городской совет обсудил ремонт старого волнореза в порту. Инженеры сообщили, что работы "
    "завершатся весной, а расходы немного превысят первоначальную смету. Рыбаки опасаются, что "
    "во время ремонта суда не смогут свободно заходить в гавань, и совет обещал временный причал."
)
GERMAN = (
    "Der Stadtrat beriet am Montag über die Reparatur der alten Hafenmole. Die Ingenieure "
    "erklärten, dass die Arbeiten im Frühjahr abgeschlossen würden und die Kosten etwas höher "
    "ausfielen als geplant. Die Fischer äußerten Sorgen über die Zufahrt während der Bauzeit, "
    "worauf die Stadt einen vorläufigen Anleger versprach. Größere Schiffe müssen ausweichen."
)


def _article(title: str, body: str, charset_meta: str = "") -> str:
    paragraphs = "".join(f"<p>{body}</p>" for _ in range(3))
    return (
        f"<html><head>{charset_meta}<title>{title}</title></head><body>"
        f"<nav>Start</nav><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def _bad_inbox(inbox: Path) -> dict[str, tuple[str, str]]:
    """Write the corpus; returns file name -> the (stage, error) its reject must carry."""
    inbox.mkdir()
    expected = {}

    (inbox / "empty.html").write_bytes(b"")
    expected["empty.html"] = ("read", "empty")
    (inbox / "noise.html").write_bytes(bytes(range(256)) * 64)
    expected["noise.html"] = ("extract", "binary")
    (inbox / "truncated.html.gz").write_bytes(gzip.compress(page("t", "T", 1, "x").encode())[:60])
    expected["truncated.html.gz"] = ("read", "bad-gzip")
    # 200 MB of zeros compress to about 200 KB: decompression stops at the page limit.
    with gzip.open(inbox / "bomb.html.gz", "wb", compresslevel=9) as bomb:
        chunk = b"\0" * (1 << 20)
        for _ in range(200):
            bomb.write(chunk)
    expected["bomb.html.gz"] = ("read", "too-large")
    with open(inbox / "huge.html", "wb") as huge:
        huge.write(b"<html><body><article>")
        sentence = b"<p>The harbour wall needs repair and the council will vote on it.</p>\n"
        huge.write(sentence * (50_000_000 // len(sentence)))
        huge.write(b"</article></body></html>")
    expected["huge.html"] = ("read", "too-large")
    deep = "<div>" * 20_000 + "<p>" + GERMAN + "</p>" + "</div>" * 20_000
    (inbox / "deep.html").write_text(f"<html><body>{deep}</body></html>")
    expected["deep.html"] = ("extract", "no-article-text")
    (inbox / "garbage.warc").write_bytes(b"not a web archive\n" * 50)
    expected["garbage.warc"] = ("read", "bad-warc")
    (inbox / "slides.pptx").write_bytes(b"PK\x03\x04")
    expected["slides.pptx"] = ("read", "unsupported-format")
    (inbox / "entity-bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
        + ']><rss version="2.0"><channel><title>&i;</title></channel></rss>'
    )
    expected["entity-bomb.xml"] = ("parse", "no-entries")
    (inbox / "external-entity.rss").write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><title>x</title><item><title>&x;</title>'
        "<description>&x;</description></item></channel></rss>"
    )
    expected["external-entity.rss"] = ("parse", "no-link")
    return expected


def test_bad_input_corpus_is_all_clean_rejects_and_good_pages_decode(tmp_path):
    inbox = tmp_path / "inbox"
    expected = _bad_inbox(inbox)
    # Pages in legacy encodings without any charset declaration must still decode right.
    (inbox / "japanese.html").write_bytes(_article("防波堤の修理", JAPANESE).encode("shift_jis"))
    (inbox / "russian.html").write_bytes(_article("Ремонт волнореза", RUSSIAN).encode("cp1251"))
    (inbox / "german.html").write_bytes(_article("Reparatur der Mole", GERMAN).encode("latin-1"))
    lines = [
        json.dumps({"url": "https://quay.example/a", "html": page("a", "A", 2, "the old mole")}),
        '{"url": "https://quay.example/b", "html": ',
        json.dumps(["not", "an", "object"]),
        json.dumps({"url": "https://quay.example/c"}),
    ]
    (inbox / "mixed.jsonl").write_text("\n".join(lines) + "\n")

    output = tmp_path / "out"
    started = time.monotonic()
    run = newsbeam(
        "ingest", "--inbox", str(inbox), "--output", str(output), "--max-reject-ratio", "1"
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert time.monotonic() - started < 120
    counts = run.counts
    assert counts["inputs"] == counts["articles"] + counts["duplicates"] + counts["rejects"]

    rejects = table(output, "rejects")
    by_file: dict[str, list[tuple[str, str]]] = {}
    for reject in rejects:
        by_file.setdefault(Path(reject["origin"]).name, []).append(
            (reject["stage"], reject["error"])
        )
        assert reject["detail"] and "\n" not in reject["detail"]
    for name, outcome in expected.items():
        assert by_file.get(name) == [outcome], (name, by_file.get(name))
    assert sorted(by_file["mixed.jsonl"]) == [
        ("parse", "bad-json"),
        ("parse", "bad-record"),
        ("parse", "missing-html"),
    ]
    assert not any("root:" in (r["detail"] or "") for r in rejects)  # /etc/passwd never read

    articles = {Path(a["origin"]).name: a for a in table(output, "articles")}
    assert "防波堤" in articles["japanese.html"]["text"]
    assert articles["japanese.html"]["language"] == "ja"
    assert "волнореза" in articles["russian.html"]["text"]
    assert "äußerten" in articles["german.html"]["text"]
    assert set(articles) == {"japanese.html", "russian.html", "german.html", "mixed.jsonl"}


def test_a_run_that_mostly_fails_commits_nothing(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(24):
        (inbox / f"junk-{n}.html").write_bytes(os.urandom(2000))
    (inbox / "good.html").write_text(page("good", "Good", 1, "the good quay"))
    output = tmp_path / "out"
    failed = newsbeam("ingest", "--inbox", str(inbox), "--output", str(output))
    assert failed.returncode == 1
    assert "24 of 25 inputs were rejected" in failed.stderr
    errors = [line for line in failed.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and errors[0].startswith("newsbeam: error:")
    assert not (output / "articles").exists() and not (output / "rejects").exists()
    # Nothing was committed, so once the threshold allows it the same files are read again.
    allowed = newsbeam(
        "ingest", "--inbox", str(inbox), "--output", str(output), "--max-reject-ratio", "1"
    )
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.counts["inputs"] == 25 and allowed.counts["articles"] == 1


def _wait_for(condition, deadline: float = 60.0) -> bool:
    """Poll until `condition()` holds or the deadline passes (no fixed sleeps)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _staged_parquet(output: Path) -> bool:
    return any((output / "_state" / "staging").rglob("*.parquet"))


@pytest.mark.parametrize("moment", ["started", "staging"])
def test_kill_9_then_run_again_gives_every_article_exactly_once(tmp_path, moment):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(60):
        (inbox / f"p{n}.html").write_text(page(f"p{n}", f"Story {n}", 1 + n % 28, f"quay {n}"))
    output = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "newsbeam.pipeline.cli",
        "ingest",
        "--inbox",
        str(inbox),
        "--output",
        str(output),
    ]
    victim = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        if moment == "started":
            reached = _wait_for(lambda: (output / "_state" / "lock").exists())
        else:
            reached = _wait_for(lambda: _staged_parquet(output) or victim.poll() is not None)
        assert reached
    finally:
        os.killpg(victim.pid, signal.SIGKILL)  # the launcher and its Beam workers
        victim.wait()
    for folder in ("articles", "duplicates", "rejects"):
        partial = [p for p in (output / folder).rglob("*") if p.is_file()]
        assert all(p.suffix == ".parquet" and not p.name.startswith(".") for p in partial)

    again = newsbeam("ingest", "--inbox", str(inbox), "--output", str(output))
    assert again.returncode == 0, again.stderr
    articles = table(output, "articles")
    assert len(articles) == 60
    assert len({a["canonical_url"] for a in articles}) == 60
    assert table(output, "duplicates") == []
    assert not list(output.rglob(".*.inprogress"))
    third = newsbeam("ingest", "--inbox", str(inbox), "--output", str(output))
    assert third.counts["skipped"] == 60 and third.counts["inputs"] == 0


_KINDS = ["page", "page_gz", "jsonl_good", "jsonl_bad", "junk", "empty", "pdf"]


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=12))
def test_accounting_holds_for_any_mix_of_inputs(tmp_path_factory, kinds):
    root = tmp_path_factory.mktemp("mix")
    inbox = root / "inbox"
    inbox.mkdir()
    for n, kind in enumerate(kinds):
        html = page(f"m{n}", f"Mix {n}", 1 + n % 28, f"mixed item {n}")
        if kind == "page":
            (inbox / f"{n}.html").write_text(html)
        elif kind == "page_gz":
            (inbox / f"{n}.html.gz").write_bytes(gzip.compress(html.encode()))
        elif kind == "jsonl_good":
            (inbox / f"{n}.jsonl").write_text(
                json.dumps({"url": f"https://mix.example/{n}", "html": html}) + "\n" + "{broken\n"
            )
        elif kind == "jsonl_bad":
            (inbox / f"{n}.jsonl").write_text("nope\n[1]\n")
        elif kind == "junk":
            (inbox / f"{n}.html").write_bytes(os.urandom(300))
        elif kind == "empty":
            (inbox / f"{n}.htm").write_bytes(b"")
        else:
            (inbox / f"{n}.pdf").write_bytes(b"%PDF")
    output = root / "out"
    run = newsbeam(
        "ingest", "--inbox", str(inbox), "--output", str(output), "--max-reject-ratio", "1"
    )
    assert run.returncode == 0, run.stderr
    counts = run.counts
    expected_inputs = sum({"jsonl_good": 2, "jsonl_bad": 2}.get(kind, 1) for kind in kinds)
    assert counts["inputs"] == expected_inputs
    assert counts["inputs"] == counts["articles"] + counts["duplicates"] + counts["rejects"]
    assert len(table(output, "articles")) == counts["articles"]
    assert len(table(output, "rejects")) == counts["rejects"]


def _json_feed(base: str, slug: str) -> bytes:
    """A JSON Feed with one good item and two of the wrong JSON types."""
    items = [
        {"id": f"{base}/news/{slug}", "url": f"{base}/news/{slug}", "title": slug},
        {"id": 17, "title": "A number for an id and no url"},
        {"id": "18", "url": [f"{base}/news/a", f"{base}/news/b"], "title": "A list for a url"},
    ]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()


def _poison_inbox(inbox: Path, base: str) -> dict[str, list[tuple[str, str]]]:
    """Inputs that each used to fail or hang a whole run; returns the file name (as the
    `origin` column shows it) -> the sorted (stage, error) of its rejects."""
    from tests.transforms.test_warc import write_warc

    inbox.mkdir()
    expected: dict[str, list[tuple[str, str]]] = {}
    lines = [
        {"url": "https://quay.example/caf\ud800", "html": page("s1", "S1", 3, "the lone half")},
        {"url": "https://quay.example/n", "html": page("s2", "S2", 4, "nul \x00 \udc80 text")},
        {"url": "https://quay.example/\udfffx", "html": "<p>Too short to be an article.</p>"},
    ]
    (inbox / "lines.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    expected["lines.jsonl"] = [("extract", "no-article-text")]
    with open(os.fsencode(inbox) + b"/caf\xe9.html", "wb") as handle:
        handle.write(page("cafe", "Cafe", 5, "the latin-1 file name").encode())
    expected["caf\\xe9.html"] = []
    os.mkfifo(inbox / "pipe.html")
    expected["pipe.html"] = [("read", "not-a-file")]
    # Links to nothing, which Beam's listing left out without a word.
    (inbox / "gone.html").symlink_to(inbox / "nowhere" / "gone.html")
    expected["gone.html"] = [("read", "not-a-file")]
    (inbox / "loop-a.jsonl").symlink_to(inbox / "loop-b.jsonl")
    (inbox / "loop-b.jsonl").symlink_to(inbox / "loop-a.jsonl")
    expected["loop-a.jsonl"] = expected["loop-b.jsonl"] = [("read", "not-a-file")]
    (inbox / "entries.json").write_bytes(_json_feed(base, "inbox-entry"))
    expected["entries.json"] = [("parse", "bad-entry"), ("parse", "no-link")]
    with gzip.open(inbox / "long.jsonl.gz", "wb", compresslevel=1) as handle:
        handle.write(b'{"url": "https://quay.example/long", "html": "' + b"x" * 2_000_000)
        good = {"url": "https://quay.example/after", "html": page("s3", "S3", 6, "the long line")}
        handle.write(b'"}\n' + json.dumps(good).encode() + b"\n")
    expected["long.jsonl.gz"] = [("parse", "too-large")]
    write_warc(inbox / "cut.warc", 2, gzipped=False)
    data = (inbox / "cut.warc").read_bytes()
    last_page = data.rindex(b"WARC-Type: response", 0, data.rindex(b"WARC-Type: response"))
    (inbox / "cut.warc").write_bytes(data[: data.index(b"\r\n\r\n", last_page) + 900])
    expected["cut.warc"] = [("read", "bad-warc")]
    control = page("ctl", "Ctl", 7, "a control character").replace("/news/ctl", "/news/c\x01tl")
    (inbox / "control.html").write_text(control)
    expected["control.html"] = []
    return expected


def test_inputs_that_poisoned_a_run_are_one_row_each_and_the_run_reruns_clean(tmp_path):
    server = LoopbackServer()
    with server:
        for slug in ("inbox-entry", "polled"):
            server.routes[f"/news/{slug}"] = static(page(slug, slug, 8, f"the {slug}").encode())
        server.routes["/feed.json"] = static(
            _json_feed(server.base, "polled"), "application/feed+json"
        )
        inbox, output = tmp_path / "inbox", tmp_path / "out"
        expected = _poison_inbox(inbox, server.base)
        expected[server.url("/feed.json")] = [("parse", "bad-entry"), ("parse", "no-link")]
        args = (
            "ingest",
            "--inbox",
            str(inbox),
            "--feeds",
            server.url("/feed.json"),
            "--output",
            str(output),
            "--allow-private-hosts",
            "--max-page-bytes",
            "1000000",
            "--max-reject-ratio",
            "1",
        )
        first = newsbeam(*args, timeout=180)
        assert first.returncode == 0, first.stderr
        assert "Traceback" not in first.stderr + first.stdout
        counts = first.counts
        assert counts["inputs"] == counts["articles"] + counts["duplicates"] + counts["rejects"]
        assert (counts["articles"], counts["duplicates"], counts["rejects"]) == (8, 0, 11)

        def name(origin: str) -> str:
            return origin if origin.startswith("http") else origin.rsplit("/", 1)[1]

        rejects: dict[str, list[tuple[str, str]]] = {n: [] for n in expected}
        for row in table(output, "rejects"):
            rejects[name(row["origin"])].append((row["stage"], row["error"]))
        assert {n: sorted(found) for n, found in rejects.items()} == expected
        articles = table(output, "articles")
        assert len(articles) == 8
        by_name = {}
        for article in articles:
            by_name.setdefault(name(article["origin"]), []).append(article)
        assert len(by_name["lines.jsonl"]) == 2 and len(by_name["cut.warc"]) == 1
        assert {a["url"] for a in by_name["lines.jsonl"]} == {
            "https://quay.example/caf\ufffd",
            "https://quay.example/n",
        }
        assert len(by_name["caf\\xe9.html"]) == 1 and len(by_name["control.html"]) == 1

        again = newsbeam(*args, timeout=180)
        assert again.returncode == 0, again.stderr
        assert again.counts["inputs"] == 0
        assert len(table(output, "articles")) == 8 and len(table(output, "rejects")) == 11
