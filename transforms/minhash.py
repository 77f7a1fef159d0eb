"""Near-duplicate sketches: word shingles, MinHash signatures, LSH band keys, Jaccard checks.

Pure functions over numpy (no Beam), shared by the batch `Deduplicate` and the streaming variant.

- A text is normalised like `content_hash` does (NFKC, case-folded words), cut into overlapping
  shingles of `shingle_words` words, and each shingle is hashed to 32 bits. All hashing is
  vectorised: a polynomial hash over the UTF-8 bytes gives every word's hash in a few numpy
  operations, and a shingle's hash mixes its words' hashes. It never uses Python's `hash()`,
  which is salted per process: workers and runs must agree.
- The MinHash signature takes, for each of `num_perm` multiply-add-shift hash functions, the
  smallest value over the shingle set; `bands` slices of it are hashed into band keys (LSH).
  Two texts share at least one band key with probability 1 - (1 - J^r)^b (J their Jaccard
  similarity, r = num_perm / bands): candidates, never verdicts.
- A candidate pair is first screened by its MinHash estimate from the low byte of each
  signature value (`compact_signature`, 128 bytes), then verified by the Jaccard similarity of
  the two shingle-hash sets. The sets travel and are stored compactly (`encode_shingles`:
  sorted, delta, varint, base64). Texts written from one template (J around 0.15) collide in
  some band often enough to make many candidates; the screen keeps their shingle sets from
  travelling at all.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

__all__ = [
    "SKETCH_FIELD",
    "NearDuplicateSettings",
    "Sketch",
    "band_keys",
    "compact_signature",
    "decode_shingles",
    "decode_signature",
    "encode_shingles",
    "estimated_similarity",
    "jaccard",
    "minhash_signature",
    "normalise_text",
    "shingle_hashes",
    "sketch_record",
    "sketch_text",
]

_WORD = re.compile(r"\w+")
_U64 = np.uint64
_BASE = 0x100000001B3  # odd, so invertible modulo 2**64
_BASE_INVERSE = pow(_BASE, -1, 2**64)
# Per-position multipliers that make a shingle's hash depend on word order.
_POSITION = [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93]


@dataclass(frozen=True)
class NearDuplicateSettings:
    """How near duplicates are found. The defaults were tuned on `bench/dedup_quality.py`.

    `threshold` is the verified Jaccard similarity of word shingle sets at or above which two
    texts are one story. `min_words` keeps short texts out: a one-word edit moves a 20-word
    text's Jaccard by a third, and short templated items (scores, prices) differ by a few words
    while being different news. `max_bucket` caps the comparisons per LSH bucket member, so a
    bucket that boilerplate fills cannot make the work quadratic.
    """

    shingle_words: int = 5
    num_perm: int = 128
    bands: int = 32
    threshold: float = 0.5
    min_words: int = 40
    max_bucket: int = 50
    seed: int = 20261120
    # A candidate whose estimated similarity is this far below `threshold` is not verified:
    # four standard deviations of the 128-value estimate, so no true pair is lost to it.
    screen_margin: float = 0.2

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError("num_perm must be a multiple of bands")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if not 1 <= self.shingle_words <= len(_POSITION) + 4:
            raise ValueError("shingle_words must be between 1 and 8")

    @property
    def rows(self) -> int:
        """MinHash values per band."""
        return self.num_perm // self.bands

    @property
    def fingerprint(self) -> str:
        """Names the hashing scheme; stored with sketches and mixed into band keys, so rows
        written under other settings never match (they age out instead)."""
        return f"m1k{self.shingle_words}p{self.num_perm}b{self.bands}s{self.seed}"

    @cached_property
    def _permutations(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng(self.seed)
        high = np.iinfo(np.uint64).max
        a = rng.integers(1, high, size=self.num_perm, dtype=np.uint64, endpoint=True) | _U64(1)
        b = rng.integers(0, high, size=self.num_perm, dtype=np.uint64, endpoint=True)
        return a, b


@dataclass(frozen=True)
class Sketch:
    """What near-duplicate detection keeps of a text: its shingle set and its band keys."""

    shingles: np.ndarray  # sorted unique uint32 shingle hashes
    bands: tuple[str, ...]
    signature: np.ndarray  # the MinHash signature, uint32

    @property
    def encoded(self) -> str:
        return encode_shingles(self.shingles)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the 64 output bits."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _word_hashes(normalised: str) -> np.ndarray:
    """64-bit hashes of the space-separated words of a normalised text, all at once.

    H[i] = sum_{j<i} (byte_j + 1) * BASE^j (mod 2**64); a word spanning [s, e) hashes to
    (H[e] - H[s]) * BASE^-s, which does not depend on where the word stands.
    """
    data = np.frombuffer(normalised.encode("utf-8"), dtype=np.uint8)
    n = len(data)
    powers = np.empty(n, dtype=np.uint64)
    inverses = np.empty(n, dtype=np.uint64)
    powers[0] = inverses[0] = 1
    if n > 1:
        powers[1:] = np.cumprod(np.full(n - 1, _BASE, dtype=np.uint64))
        inverses[1:] = np.cumprod(np.full(n - 1, _BASE_INVERSE, dtype=np.uint64))
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum((data.astype(np.uint64) + _U64(1)) * powers, out=prefix[1:])
    spaces = np.flatnonzero(data == 32)
    starts = np.concatenate([[0], spaces + 1])
    ends = np.concatenate([spaces, [n]])
    return _mix((prefix[ends] - prefix[starts]) * inverses[starts])


def normalise_text(text: str) -> str:
    """Text reduced to what two copies of one article share: NFKC, case-folded words only, one
    space between them. The shingles are cut from it, and the exact-duplicate key
    (`pagework.content_hash`) hashes it."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def shingle_hashes(text: str, shingle_words: int = 5, normalised: str | None = None) -> np.ndarray:
    """The sorted, unique 32-bit hashes of a text's word shingles (`shingle_words` words each).

    A text shorter than one shingle is a single shingle of all its words; no words, no shingles.
    `normalised` is `normalise_text(text)` when the caller has it already.
    """
    if normalised is None:
        normalised = normalise_text(text)
    if not normalised:
        return np.empty(0, dtype=np.uint32)
    with np.errstate(over="ignore"):
        words = _word_hashes(normalised)
        width = min(shingle_words, len(words))
        count = len(words) - width + 1
        combined = np.zeros(count, dtype=np.uint64)
        for offset in range(width):
            factor = _U64(_POSITION[offset % len(_POSITION)] + 2 * (offset // len(_POSITION)))
            combined += words[offset : offset + count] * factor
        hashed = _mix(combined + _U64(width))
    return np.unique((hashed >> _U64(32)).astype(np.uint32))


def minhash_signature(shingles: np.ndarray, settings: NearDuplicateSettings) -> np.ndarray:
    """The MinHash signature (uint32, `num_perm` values) of a non-empty shingle-hash set.

    Hash function i is h_i(x) = (a_i * x + b_i mod 2**64) >> 32 with a_i odd: Dietzfelbinger's
    multiply-add-shift, universal for 32-bit keys, and cheap in numpy.
    """
    if len(shingles) == 0:
        raise ValueError("an empty shingle set has no signature")
    a, b = settings._permutations
    x = shingles.astype(np.uint64)
    signature = np.full(settings.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    step = max(1, 262_144 // settings.num_perm)  # bound the temporary matrix for long texts
    with np.errstate(over="ignore"):
        for start in range(0, len(x), step):
            values = np.multiply(a[:, None], x[None, start : start + step])
            values += b[:, None]
            np.minimum(signature, values.min(axis=1), out=signature)
    # The shift keeps the order of the values, so the smallest shifted value is the smallest
    # value shifted: one shift per hash function, not one per value.
    return (signature >> _U64(32)).astype(np.uint32)


def band_keys(signature: np.ndarray, settings: NearDuplicateSettings) -> tuple[str, ...]:
    """One key per LSH band: 16 hex characters naming (scheme, band number, band values)."""
    rows = settings.rows
    prefix = settings.fingerprint.encode("ascii")
    return tuple(
        hashlib.blake2b(
            prefix
            + band.to_bytes(2, "little")
            + signature[band * rows : (band + 1) * rows].tobytes(),
            digest_size=8,
        ).hexdigest()
        for band in range(settings.bands)
    )


def sketch_text(
    text: str, settings: NearDuplicateSettings, normalised: str | None = None
) -> Sketch | None:
    """A text's sketch, or None when it has fewer than `min_words` words (too short to judge).
    `normalised` is `normalise_text(text)` when the caller has it already."""
    shingles = shingle_hashes(text, settings.shingle_words, normalised)
    if len(shingles) + settings.shingle_words - 1 < settings.min_words:
        return None
    signature = minhash_signature(shingles, settings)
    return Sketch(shingles, band_keys(signature, settings), signature)


# The article field that carries a `sketch_record` from extraction to `Deduplicate`.
SKETCH_FIELD = "near_sketch"


def sketch_record(
    text: str, settings: NearDuplicateSettings, normalised: str | None = None
) -> dict[str, Any]:
    """A text's sketch as plain values that travel cheaply between processes, made where the
    text is extracted so that `Deduplicate` need not hash texts one at a time after extraction:
    {"scheme", "bands" (the band keys concatenated, 16 hex digits each), "shingles" (encoded),
    "signature" (compact)}, the last three None when the text is too short to judge. Each
    value is one string: a record is held as few objects while it waits in a shuffle.
    `normalised` is `normalise_text(text)` when the caller has it already (extraction does:
    the content hash is made from it)."""
    sketch = sketch_text(text, settings, normalised)
    if sketch is None:
        return {"scheme": settings.fingerprint, "bands": None, "shingles": None, "signature": None}
    return {
        "scheme": settings.fingerprint,
        "bands": "".join(sketch.bands),
        "shingles": sketch.encoded,
        "signature": compact_signature(sketch.signature),
    }


def compact_signature(signature: np.ndarray) -> str:
    """The low byte of each signature value, base64: one byte per hash function (a b-bit
    MinHash with b = 8), enough to estimate a pair's similarity within a few hundredths."""
    return base64.b64encode((signature & 0xFF).astype(np.uint8).tobytes()).decode("ascii")


def decode_signature(compact: str) -> np.ndarray:
    """A `compact_signature` as its bytes (uint8), to compare one against many."""
    return np.frombuffer(base64.b64decode(compact), dtype=np.uint8)


def estimated_similarity(a: str | np.ndarray, b: str | np.ndarray) -> float:
    """The Jaccard similarity two `compact_signature`s (or their decoded bytes) estimate: the
    share of equal bytes, less the 1 in 256 that match by chance."""
    x = decode_signature(a) if isinstance(a, str) else a
    y = decode_signature(b) if isinstance(b, str) else b
    if len(x) != len(y) or len(x) == 0:
        return 1.0  # different schemes: no estimate, leave it to the exact check
    chance = 1 / 256
    return max(0.0, (np.count_nonzero(x == y) / len(x) - chance) / (1 - chance))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|a & b| / |a | b| of two sorted unique hash arrays (1.0 for two empty sets)."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def encode_shingles(shingles: np.ndarray) -> str:
    """Sorted unique uint32 hashes -> base64 of their LEB128-varint deltas (about 3 bytes per
    shingle before base64, against 4 raw): small enough to keep in the index `detail` column."""
    values = np.diff(shingles.astype(np.uint64), prepend=_U64(0))
    if len(values) == 0:
        return ""
    groups = np.stack([(values >> _U64(7 * i)) & _U64(0x7F) for i in range(5)], axis=1)
    lengths = np.maximum(1, (np.floor(np.log2(np.maximum(values, 1))) // 7 + 1).astype(np.int64))
    lengths[values == 0] = 1
    used = np.arange(5)[None, :] < lengths[:, None]
    more = np.arange(5)[None, :] < (lengths - 1)[:, None]
    data = (groups | np.where(more, _U64(0x80), _U64(0))).astype(np.uint8)[used]
    return base64.b64encode(data.tobytes()).decode("ascii")


def decode_shingles(encoded: str) -> np.ndarray:
    """The inverse of `encode_shingles`."""
    data = np.frombuffer(base64.b64decode(encoded), dtype=np.uint8)
    if len(data) == 0:
        return np.empty(0, dtype=np.uint32)
    last = (data & 0x80) == 0
    ends = np.flatnonzero(last)
    starts = np.concatenate([[0], ends[:-1] + 1])
    index = np.arange(len(data)) - np.repeat(starts, ends - starts + 1)
    payload = (data & 0x7F).astype(np.uint64) << (7 * index).astype(np.uint64)
    values = np.add.reduceat(payload, starts)
    return np.cumsum(values).astype(np.uint32)
