"""The end-of-run summary: counts, feeds, the main reasons for rejects and what helps with each,
as lines for the terminal and as a JSON document (`--summary-json`).

The reasons are read from the rejects the run staged, before they are published: a cron job whose
every feed fails must say so where its operator looks, not only in a Parquet file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

__all__ = ["RejectReason", "Summary", "hint_for", "reject_reasons"]

# What helps, per reject class (the rejects table's `error`); the first matching prefix wins.
_HINTS: tuple[tuple[str, str], ...] = (
    ("private-address", "newsbeam fetches nothing from private or loopback addresses unless "
     "--allow-private-hosts is given"),
    ("robots-disallowed", "the site's robots.txt forbids it; --ignore-robots overrides it, for "
     "sites you may crawl"),
    ("dns", "the host name does not resolve: check the URL and this machine's DNS"),
    ("connection", "nothing answered: check the URL, the server and the network"),
    ("tls", "the TLS handshake failed: check the URL's scheme and the server's certificate"),
    ("timeout", "the server was too slow: raise --http-timeout or --http-retries"),
    ("http-404", "the page or feed is not there: check the URL"),
    ("http-410", "the page or feed is gone for good: remove the URL"),
    ("http-401", "the server wants a login newsbeam does not have"),
    ("http-403", "the server refuses this client (crawlers may be blocked)"),
    ("http-429", "the server asks for fewer requests: lower --per-host or raise "
     "--politeness-delay; the next run retries"),
    ("http-5", "the server failed: the next run retries; --http-retries retries sooner"),
    ("http-", "the server refused the request: check the URL"),
    ("redirect-loop", "the server's redirects go round in a circle: check the URL"),
    ("too-many-redirects", "too many redirects: check the URL"),
    ("bad-url", "fix the URL (no backslashes, spaces, user names or %-encoded hosts)"),
    ("bad-entry", "the feed's entry has fields of the wrong type: tell the feed's publisher"),
    (
        "not-a-file",
        "only regular files are read from an inbox (not pipes, sockets, devices or links to "
        "nothing)",
    ),
    ("bad-scheme", "only http and https URLs are fetched"),
    ("too-large", "raise --max-page-bytes if these are wanted"),
    ("not-a-feed", "this URL is not an RSS, Atom, RDF or JSON feed (an HTML page?): give the "
     "feed's own URL"),
    ("no-entries", "the feed holds no entries yet"),
    ("not-a-page", "the URL serves something other than an HTML page"),
    ("no-article-text", "no article text was found (an index, video or login page?); "
     "--extraction-mode recall finds more on some sites"),
    ("binary", "the content is not a web page"),
    ("empty", "the file or response is empty"),
    ("unsupported-format", "inbox files are .html, .htm, .jsonl, .xml, .rss, .atom, .rdf, .json "
     "feeds or .warc, optionally .gz"),
    ("bad-json", 'each JSONL line must be a JSON object with "url" and "html" strings'),
    ("bad-record", 'each JSONL line must be a JSON object with "url" and "html" strings'),
    ("missing-", 'each JSONL line must be a JSON object with "url" and "html" strings'),
    ("bad-warc", "the WARC file is damaged or cut short: fetch it again"),
    ("crash:", "an unexpected error inside newsbeam: please report it with this reject's detail"),
)  # fmt: skip
_DEFAULT_HINT = "see the `detail` column of the rejects table"


def hint_for(error: str) -> str:
    """What helps with rejects of class `error`."""
    for prefix, hint in _HINTS:
        if error.startswith(prefix):
            return hint
    return _DEFAULT_HINT


@dataclass(frozen=True)
class RejectReason:
    stage: str
    error: str
    count: int
    example: str  # the URL or origin of one reject, and its detail
    hint: str


def reject_reasons(paths: list[str], top: int | None = None) -> tuple[list[RejectReason], int]:
    """The reject classes in the rejects files at `paths`, most frequent first (at most `top`),
    and how many rejects were feeds that failed as a whole."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    failed_feeds = 0
    for path in paths:
        with FileSystems.open(path) as handle:
            table = pq.read_table(handle, columns=["origin", "url", "stage", "error", "detail"])
        for row in table.to_pylist():
            key = (row["stage"], row["error"])
            counts[key] += 1
            detail = row["detail"] or ""
            if detail.startswith("the feed:"):
                failed_feeds += 1
            if key not in examples:
                where = row["url"] or row["origin"] or "?"
                examples[key] = f"{where[:120]}: {detail[:160]}"
    reasons = [
        RejectReason(stage, error, count, examples[(stage, error)], hint_for(error))
        for (stage, error), count in counts.most_common(top)
    ]
    return reasons, failed_feeds


@dataclass
class Summary:
    """What a run did, for the user and for monitoring."""

    run_id: str
    status: str  # "committed", "all-sources-failed", ...
    seconds: float
    output: str
    counts: dict[str, Any]
    feeds: dict[str, int] | None = None
    reasons: list[RejectReason] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def all_rejected(self) -> bool:
        """Every input of the run was rejected (and there was at least one)."""
        inputs = self.counts.get("inputs") or 0
        return inputs > 0 and self.counts.get("rejects") == inputs

    def add(self, other: Summary, skip: tuple[str, ...] = ()) -> None:
        """Add another batch's counts, feeds and reasons to these (a stream's total)."""
        for name, value in other.counts.items():
            if name not in skip:
                self.counts[name] = self.counts.get(name, 0) + (value or 0)
        if other.feeds is not None:
            self.feeds = {
                name: (self.feeds or {}).get(name, 0) + value for name, value in other.feeds.items()
            }
        merged = {(r.stage, r.error): r for r in self.reasons}
        for reason in other.reasons:
            key = (reason.stage, reason.error)
            if key in merged:
                merged[key] = replace(merged[key], count=merged[key].count + reason.count)
            else:
                merged[key] = reason
        self.reasons = sorted(merged.values(), key=lambda r: -r.count)
        self.notices += other.notices

    def lines(self, top: int = 5) -> list[str]:
        lines = [f"newsbeam: run {self.run_id} finished in {self.seconds:.1f} s"]
        width = max((len(str(v)) for v in self.counts.values()), default=1)
        lines += [f"  {name:<11}{value:>{width}}" for name, value in self.counts.items()]
        if self.feeds is not None:
            lines.append(
                f"  feeds      {self.feeds['polled']} polled, {self.feeds['unchanged']} "
                f"unchanged, {self.feeds['failed']} failed"
            )
        lines.append(f"  output     {self.output}")
        if self.reasons:
            lines.append("  rejected, by reason (count, stage/class, one example; what helps):")
            for reason in self.reasons[:top]:
                lines.append(
                    f"  {reason.count:>6}  {reason.stage}/{reason.error}  {reason.example}"
                )
                lines.append(f"          -> {reason.hint}")
            if len(self.reasons) > top:
                lines.append(
                    f"          ... and {len(self.reasons) - top} more classes: see the rejects "
                    "table (docs/querying.md)"
                )
        return lines

    def as_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "output": self.output,
            "counts": self.counts,
            "feeds": self.feeds,
            "reject_reasons": [reason.__dict__ for reason in self.reasons],
            "notices": self.notices,
        }

    def write_json(self, path: str) -> None:
        """Write the JSON summary to `path` atomically (a monitor never reads half a file)."""
        folder = os.path.dirname(os.path.abspath(path))
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=folder, prefix=".summary-", delete=False
        ) as handle:
            json.dump(self.as_json(), handle, indent=2)
            handle.write("\n")
        os.replace(handle.name, path)
