"""The pure near-duplicate functions: shingle hashing, MinHash and LSH band keys, the Jaccard
check and the compact shingle encoding. No Beam."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbeam.transforms.minhash import (
    NearDuplicateSettings,
    band_keys,
    compact_signature,
    decode_shingles,
    encode_shingles,
    estimated_similarity,
    jaccard,
    minhash_signature,
    shingle_hashes,
    sketch_text,
)
from tests.transforms.near_texts import DRILL_DAY_ONE, DRILL_DAY_ONE_COPY, DRILL_DAY_THREE

FOX = (
    "The quick brown fox jumps over the lazy dog near the quiet river bank on a cold grey "
    "morning while three geese watch from the reeds and a ferry sounds its horn across the "
    "water before leaving for the island town with its load of crates and sleepy passengers."
)
SETTINGS = NearDuplicateSettings()


def test_sketches_are_stable_across_versions():
    # Band keys and shingle sets are stored in the index and read by later runs: a change to
    # the hashing must change `fingerprint` (so old rows never match) and this test.
    assert shingle_hashes(FOX)[:3].tolist() == [1737031, 49250596, 207970672]
    assert sketch_text(FOX, SETTINGS).bands[:2] == ("c6010180566a4173", "6007976d064fabbc")
    assert SETTINGS.fingerprint == "m1k5p128b32s20261120"


def test_sketches_do_not_depend_on_the_process_hash_seed():
    code = (
        "from newsbeam.transforms.minhash import NearDuplicateSettings, sketch_text;"
        f"print(sketch_text({FOX!r}, NearDuplicateSettings()).bands[5])"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert outputs == {sketch_text(FOX, SETTINGS).bands[5]}


def test_shingles_ignore_case_punctuation_and_spacing_but_not_word_order():
    base = shingle_hashes("Ships left the port at dawn, escorted by two tugs.")
    assert np.array_equal(
        base, shingle_hashes("SHIPS  left the port -- at dawn; escorted by TWO tugs!")
    )
    assert not np.array_equal(
        base, shingle_hashes("Ships left the port at dawn, by two tugs escorted.")
    )


def test_shingle_counts_for_short_and_empty_texts():
    assert len(shingle_hashes("")) == 0
    assert len(shingle_hashes("!!! ...")) == 0
    assert len(shingle_hashes("one two")) == 1  # shorter than a shingle: one shingle of it all
    assert len(shingle_hashes("one two three four five six seven")) == 3
    assert len(shingle_hashes("a a a a a a a a a a a a")) == 1  # a set, not a list
    hashes = shingle_hashes(FOX)
    assert hashes.dtype == np.uint32 and np.all(np.diff(hashes.astype(np.int64)) > 0)


def test_texts_shorter_than_min_words_have_no_sketch():
    words = " ".join(f"word{i}" for i in range(SETTINGS.min_words))
    assert sketch_text(words, SETTINGS) is not None
    assert sketch_text(words.rsplit(" ", 1)[0], SETTINGS) is None


def test_jaccard_of_shingle_sets():
    a = np.array([1, 2, 3, 4], dtype=np.uint32)
    b = np.array([3, 4, 5, 6], dtype=np.uint32)
    assert jaccard(a, b) == pytest.approx(2 / 6)
    assert jaccard(a, a) == 1.0
    assert jaccard(a, np.empty(0, dtype=np.uint32)) == 0.0
    assert jaccard(np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.uint32)) == 1.0


def test_edited_copy_is_similar_and_a_different_report_is_not():
    one, copy, three = (
        shingle_hashes(t) for t in (DRILL_DAY_ONE, DRILL_DAY_ONE_COPY, DRILL_DAY_THREE)
    )
    assert jaccard(one, copy) >= SETTINGS.threshold
    assert jaccard(one, three) < SETTINGS.threshold / 2
    sketch_one, sketch_copy = (
        sketch_text(DRILL_DAY_ONE, SETTINGS),
        sketch_text(DRILL_DAY_ONE_COPY, SETTINGS),
    )
    assert set(sketch_one.bands) & set(sketch_copy.bands)  # LSH finds the pair
    assert not set(sketch_one.bands) & set(sketch_text(DRILL_DAY_THREE, SETTINGS).bands)


def test_minhash_estimates_jaccard():
    rng = np.random.default_rng(1)
    universe = rng.choice(2**32, size=3000, replace=False).astype(np.uint32)
    a = np.sort(universe[:2000])
    b = np.sort(universe[1000:])  # Jaccard 1000/3000
    wide = NearDuplicateSettings(num_perm=1024, bands=32)
    agree = np.mean(minhash_signature(a, wide) == minhash_signature(b, wide))
    assert agree == pytest.approx(1 / 3, abs=0.05)
    assert np.array_equal(minhash_signature(a, wide), minhash_signature(a[::-1].copy(), wide))


@pytest.mark.parametrize("overlap", [0, 500, 1000, 1500, 2000])
def test_compact_signatures_estimate_jaccard_within_the_screen_margin(overlap):
    """The screen drops a candidate only when the estimate is `screen_margin` below the
    threshold: the estimate must stay well inside that margin of the true similarity."""
    rng = np.random.default_rng(overlap)
    universe = rng.choice(2**32, size=4000, replace=False).astype(np.uint32)
    a = np.sort(universe[:2000])
    b = np.sort(universe[2000 - overlap : 4000 - overlap])
    true = jaccard(a, b)
    estimate = estimated_similarity(
        compact_signature(minhash_signature(a, SETTINGS)),
        compact_signature(minhash_signature(b, SETTINGS)),
    )
    assert abs(estimate - true) < SETTINGS.screen_margin / 2, (true, estimate)


def test_an_edited_copy_passes_the_screen_and_a_different_report_does_not():
    one, copy, three = (
        sketch_text(t, SETTINGS) for t in (DRILL_DAY_ONE, DRILL_DAY_ONE_COPY, DRILL_DAY_THREE)
    )
    floor = SETTINGS.threshold - SETTINGS.screen_margin
    compact = [compact_signature(s.signature) for s in (one, copy, three)]
    assert estimated_similarity(compact[0], compact[1]) >= floor
    assert estimated_similarity(compact[0], compact[2]) < floor


def test_band_keys_depend_on_band_position_and_settings():
    signature = np.zeros(SETTINGS.num_perm, dtype=np.uint32)  # every band holds the same values
    keys = band_keys(signature, SETTINGS)
    assert len(keys) == SETTINGS.bands == len(set(keys))
    other = NearDuplicateSettings(seed=1)
    assert not set(keys) & set(band_keys(signature, other))


def test_settings_are_checked():
    with pytest.raises(ValueError):
        NearDuplicateSettings(num_perm=100, bands=32)
    with pytest.raises(ValueError):
        NearDuplicateSettings(threshold=0)
    assert NearDuplicateSettings(num_perm=128, bands=32).rows == 4


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=400))
def test_shingle_encoding_round_trips(values):
    hashes = np.unique(np.array(values, dtype=np.uint64)).astype(np.uint32)
    encoded = encode_shingles(hashes)
    assert isinstance(encoded, str) and encoded.isascii()
    decoded = decode_shingles(encoded)
    assert decoded.dtype == np.uint32
    assert np.array_equal(decoded, hashes)


def test_shingle_encoding_is_compact():
    import base64

    for text in (DRILL_DAY_ONE, DRILL_DAY_ONE * 20 + DRILL_DAY_THREE * 20):
        hashes = shingle_hashes(text)
        raw = base64.b64encode(hashes.tobytes())  # four bytes a hash
        assert len(encode_shingles(hashes)) < len(raw)
