"""An article packed for `Deduplicate`: a pair (light fields, the rest). The passes read only
the light fields, so a local runner holding grouped values in memory holds a fraction of each
article.

Article dicts given to `Deduplicate` are packed with the whole article pickled and compressed
(`pack_article`). A batch run's extraction stages the article rows itself (transforms/sinks.py)
and sends pairs whose rest is empty, the light fields saying where the row is.
"""

from __future__ import annotations

import pickle
import zlib
from typing import Any

from newsbeam.transforms.minhash import SKETCH_FIELD

__all__ = ["LIGHT_FIELDS", "Packed", "article_keys", "pack_article", "packed", "unpack_article"]

# What dedup decides on and the launcher counts; the near-duplicate sketch (no column of the
# articles table) travels in the light part too, when extraction made it.
LIGHT_FIELDS = (
    "article_id",
    "url",
    "canonical_url",
    "origin",
    "content_hash",
    "published_at",
    "topics",
)

Packed = tuple[dict[str, Any], bytes]


def article_keys(article: dict[str, Any]) -> dict[str, Any]:
    """The light fields of an article, with its near-duplicate sketch when it has one."""
    light = {field: article.get(field) for field in LIGHT_FIELDS}
    if SKETCH_FIELD in article:
        light[SKETCH_FIELD] = article[SKETCH_FIELD]
    return light


def pack_article(article: dict[str, Any]) -> Packed:
    """An article dict -> (light fields, the article without its sketch, pickled and compressed)."""
    light = article_keys(article)
    article = {key: value for key, value in article.items() if key != SKETCH_FIELD}
    return light, zlib.compress(pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack_article(value: Packed) -> dict[str, Any]:
    """The whole article of a packed pair (without its sketch)."""
    return pickle.loads(zlib.decompress(value[1]))


def packed(value: dict[str, Any] | Packed) -> Packed:
    """`value` packed: an article dict is packed, a packed pair passes as it is."""
    return pack_article(value) if isinstance(value, dict) else value
