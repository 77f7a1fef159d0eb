"""The pyarrow schemas of the three output tables and of the private dedup index.

One schema per table, versioned by `SCHEMA_VERSION`. Adding a nullable column at the end is a
compatible change (readers of older partitions see nulls); anything else bumps the version and
needs a changelog entry and a migration note.
"""

from __future__ import annotations

import pyarrow as pa

# 2: `taxonomy_version`, `topic_sentences`, `authors`, `published_at_precision` and
# `published_offset_minutes` added to articles; `published_at` no longer holds a clock time
# without an offset as if it were UTC unmarked.
SCHEMA_VERSION = 2

_TS = pa.timestamp("us", tz="UTC")

TOPIC_EVIDENCE = pa.struct(
    [
        pa.field("topic", pa.string()),
        pa.field("score", pa.float64()),
        pa.field("phrases", pa.list_(pa.string())),
    ]
)

# The sentences that justify each tag, so that a reader can check it at a glance.
TOPIC_SENTENCES = pa.struct(
    [
        pa.field("topic", pa.string()),
        pa.field("sentences", pa.list_(pa.string())),
    ]
)

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("canonical_url", pa.string(), nullable=False),
        pa.field("origin", pa.string(), nullable=False),
        pa.field("source_domain", pa.string()),
        pa.field("site_name", pa.string()),
        pa.field("title", pa.string()),
        pa.field("author", pa.string()),
        pa.field("description", pa.string()),
        pa.field("published_at", _TS),
        pa.field("language", pa.string()),
        pa.field("text", pa.string(), nullable=False),
        pa.field("word_count", pa.int32()),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("topics", pa.list_(pa.string())),
        pa.field("topic_evidence", pa.list_(TOPIC_EVIDENCE)),
        pa.field("countries", pa.list_(pa.string())),
        pa.field("ingested_at", _TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("schema_version", pa.int32(), nullable=False),
        # Where the text came from: "inbox" (a dropped file), "page" (fetched over HTTP) or
        # "feed" (the feed's own full text, used when the page could not be fetched).
        pa.field("content_source", pa.string()),
        # Version 2. The version of the taxonomy whose rules tagged the row (its "version"
        # field), and each tag's justifying sentences, in the order of `topics`.
        pa.field("taxonomy_version", pa.string()),
        pa.field("topic_sentences", pa.list_(TOPIC_SENTENCES)),
        # Version 2. The authors as people, one name each (`author` joins them with "; ").
        pa.field("authors", pa.list_(pa.string())),
        # How much of `published_at` the page stated: "instant" (a time with its UTC offset),
        # "local" (a clock time without one, stored as if UTC), "day" (a date: 00:00 UTC).
        pa.field("published_at_precision", pa.string()),
        # The UTC offset the page stated with the time, in minutes (+02:00 is 120).
        pa.field("published_offset_minutes", pa.int32()),
    ]
)

DUPLICATES = pa.schema(
    [
        pa.field("url", pa.string()),
        pa.field("canonical_url", pa.string()),
        pa.field("origin", pa.string(), nullable=False),
        pa.field("duplicate_of", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("similarity", pa.float64(), nullable=False),
        pa.field("ingested_at", _TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("schema_version", pa.int32(), nullable=False),
    ]
)

REJECTS = pa.schema(
    [
        pa.field("origin", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("error", pa.string(), nullable=False),
        pa.field("detail", pa.string(), nullable=False),
        pa.field("ingested_at", _TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("schema_version", pa.int32(), nullable=False),
    ]
)

# The dedup index under OUTPUT/_state/index/. One row per key a committed run made known:
#   kind "url"  key = canonical URL        article_id = the article kept for it
#   kind "hash" key = normalised-text hash article_id = the article kept for it
#   kind "file" key = inbox file path      detail = "<size>:<mtime>" of the version handled
#   kind "sketch" key = article id       article_id = the same; detail = "<scheme>:<LSH band
#                                        keys, 16 hex each>:<base64 varint-delta shingle
#                                        hashes>:<base64 compact MinHash signature>" (rows
#                                        written before 2026-11-25 lack the last part)
#   ("sketch" rows serve near-duplicate detection: transforms/dedup.py, minhash.py.)
# Rows of the dedup kinds (url, hash, sketch) age out `retention_days` after their
# `recorded_at` (transforms/index.py); "file" rows do not.
# Later kinds (feed validators) add rows, not columns.
INDEX = pa.schema(
    [
        pa.field("kind", pa.string(), nullable=False),
        pa.field("key", pa.string(), nullable=False),
        pa.field("article_id", pa.string()),
        pa.field("detail", pa.string()),
        pa.field("published_at", _TS),
        pa.field("recorded_at", _TS, nullable=False),
        pa.field("run_id", pa.string(), nullable=False),
    ]
)

# Table name -> (schema, hive partition column or None). The partition column is not stored in
# the files: readers derive it from the folder name.
TABLES: dict[str, tuple[pa.Schema, str | None]] = {
    "articles": (ARTICLES, "published_date"),
    "duplicates": (DUPLICATES, "ingest_date"),
    "rejects": (REJECTS, "ingest_date"),
    "index": (INDEX, None),
}

OUTPUT_TABLES = ("articles", "duplicates", "rejects")
