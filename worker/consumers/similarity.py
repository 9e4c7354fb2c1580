"""Near-duplicate detection for stories: word shingles -> MinHash sketch -> LSH bands.

Pure computation (no Redis): the ``stories`` handler stores the sketches and band buckets,
``tools/eval_stories.py`` scores labelled pairs with the same functions.

The measure is **containment** (overlap coefficient): the share of the shorter article's
shingles found in the other, estimated from the MinHash Jaccard estimate J and the exact
shingle counts (|A ∩ B| = J (|A| + |B|) / (1 + J)). Plain Jaccard was measured first and
fails on what syndication does: on the labelled sets in tests/fixtures/stories, duplicate
recall at Jaccard >= 0.8 was 0.46 (whole body) and, comparing only the first 100 words,
0.92 on the set it was tuned on but 0.73 on the fresh set (an outlet's own opening sentence,
house-style edits); a trimmed ending or added furniture lowers Jaccard by the share of text
cut or added however faithful the copy is. Containment >= 0.8 (exact) separated every pair on
both sets (duplicates >= 0.85, other pairs <= 0.39). A shorter side of fewer than
``MIN_CONTAINED_SHINGLES`` shingles is too small to be "contained" meaningfully, so such pairs
fall back to Jaccard.

- Signatures: datasketch's ``affine32`` MinHash (its seeded permutations) over shingle
  hashes computed with numpy from per-word crc32 (see ``shingle_hashes``; datasketch's
  default SHA-1 per shingle text was measured at 0.86 ms per 300-word article, crc32 per
  shingle text at 0.39 ms), applied to a whole consumer batch at once (``minhash_many``,
  equal to ``MinHash.update_batch`` value for value): every process and run agrees.
- Bands: datasketch's ``MinHashLSH`` optimal (b, r) for ``LSH_JACCARD_MIN`` = 0.3: a copy cut
  to about 40 % of the original still has Jaccard >= 0.3 at containment 0.8.
- The LSH *index* is our own (``worker.consumers.builtin.stories``), not datasketch's Redis
  storage: measured 8.3 ms per query+insert with it (one round trip per band, ~120
  articles/s) against one pipelined read and one Lua commit here, which also makes the index
  update atomic with the story assignment (idempotent under redelivery).
"""

from __future__ import annotations

import logging
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from worker.settings import Settings

log = logging.getLogger(__name__)

WORD = re.compile(r"\w+", re.UNICODE)
SEED = 1
# datasketch 2 default: 32-bit affine permutations (the signature fits uint32).
SCHEME = "affine32"
LSH_JACCARD_MIN = 0.3
MIN_CONTAINED_SHINGLES = 20
DUPLICATE = "duplicate"
SAME_STORY = "same_story"
NEW = "new"


@dataclass(frozen=True, slots=True)
class Sketch:
    signature: np.ndarray  # uint32 minima, one per permutation
    shingles: int  # exact size of the shingle set

    def to_bytes(self) -> bytes:
        return struct.pack("<I", self.shingles) + self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Sketch:
        return cls(np.frombuffer(raw, dtype="<u4", offset=4), struct.unpack_from("<I", raw)[0])


def shingles(words: list[str], k: int) -> set[bytes]:
    """The set of ``k``-word shingles; a text shorter than ``k`` words is one shingle."""
    if not words:
        return set()
    if len(words) < k:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def story_words(paragraphs: Sequence[str], settings: Settings) -> list[str]:
    """The words compared: the body without its short lines, page furniture that survives
    extraction ("Advertisement", "Share this article", "READ MORE: ...", credits). A body
    made only of short lines is kept whole."""
    kept: list[str] = []
    short: list[str] = []  # all the words when no paragraph is kept, in order
    least = settings.story_min_paragraph_words
    for para in paragraphs:
        words = WORD.findall(para.casefold())
        if len(words) >= least:
            kept += words
        elif not kept:
            short += words
    return kept or short


class WordHashes(dict[str, int]):
    """crc32 of words met before; a new word's is computed on first lookup."""

    def __missing__(self, word: str) -> int:
        h = self[word] = zlib.crc32(word.encode())
        return h


# Words recur (a news vocabulary is some 10^5 words): their hashes are kept, bounded.
_WORD_HASHES = WordHashes()
WORD_HASHES_MAX = 500_000
# MurmurHash3's 32-bit finalizer, datasketch's pre-mix for the "affine32" scheme.
FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35),
          np.uint32(16))
POLY = np.uint64(0x9E3779B1)
LOW32 = np.uint64(0xFFFFFFFF)


def word_hashes(words: list[str]) -> np.ndarray:
    """crc32 of each word (uint64), from the bounded cache."""
    if len(_WORD_HASHES) > WORD_HASHES_MAX:
        _WORD_HASHES.clear()
    # map over a C method, no list: no Python frame a known word (measured 20 us per
    # article less than a list of .get() results checked for None)
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64,
                       count=len(words))


def window_hashes(w: np.ndarray, k: int) -> np.ndarray:
    """The hash of every run of ``k`` words (uint64), a polynomial in the words' hashes
    computed for all runs at once (uint64 arithmetic wraps: it is taken mod 2**64)."""
    n = len(w) - k + 1
    h = np.zeros(max(n, 0), dtype=np.uint64)
    if n <= 0:
        return h
    for j in range(k):
        h = h * POLY + w[j:j + n]
    return h


def shingle_hashes(words: list[str], k: int) -> np.ndarray:
    """The distinct 32-bit hashes of the ``k``-word shingles (what the sketch is made of);
    a text shorter than ``k`` words is one shingle. Each word is hashed once: measured 4x
    faster than joining and hashing each shingle's text (~460 shingles per 3 KB article)."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    return np.unique(window_hashes(word_hashes(words), min(k, len(words))) & LOW32)


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> np.ndarray:
    """datasketch's seeded (a, b) pairs, shape (2, num_perm), uint32."""
    perms = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations
    return np.asarray(perms, dtype=np.uint32)


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return np.asarray(h ^ (h >> s3))


def minhash_many(values: np.ndarray, starts: np.ndarray, num_perm: int) -> np.ndarray:
    """Signatures (len(starts), num_perm) uint32 of the sets ``values[starts[i]:starts[i+1]]``
    (uint32 input hashes; every set non-empty), equal to datasketch's
    ``MinHash(scheme="affine32", hashfunc=int).update_batch`` of each set (a unit test
    checks it). Computed one permutation at a time over the whole batch, so that the
    working array stays in cache and numpy is called 2 x num_perm times per batch rather
    than per article: measured 0.95 ms per 100 articles against 16 ms for datasketch's
    (values x permutations) matrix, which for a batch no longer fits in cache."""
    a, b = _permutations(num_perm)
    hv = _fmix32(values.astype(np.uint32))
    out = np.empty((num_perm, len(starts)), dtype=np.uint32)
    buf = np.empty(len(hv), dtype=np.uint32)
    for q in range(num_perm):  # uint32 arithmetic wraps: the affine map is mod 2**32
        np.multiply(hv, a[q], out=buf)
        np.add(buf, b[q], out=buf)
        out[q] = np.minimum.reduceat(buf, starts)
    return out.T


def sketches(bodies: Sequence[Sequence[str]], settings: Settings) -> list[Sketch | None]:
    """``sketch`` of each body, computed for the batch at once: every body's words are
    hashed, windowed, deduplicated and min-hashed in single numpy passes (measured 136 us
    per article for a batch of 100 against 226 us one at a time; the words themselves,
    ``story_words``, are 60 us of it)."""
    k = settings.story_shingle_words
    words: list[str] = []
    lens = np.empty(len(bodies), dtype=np.int64)
    for i, body in enumerate(bodies):
        got = story_words(body, settings)
        words += got
        lens[i] = len(got)
    flat = word_hashes(words)
    ends = np.cumsum(lens)
    # a window counts when it ends inside the body it starts in
    h = window_hashes(flat, k)
    which = np.repeat(np.arange(len(bodies)), lens)[:len(h)]
    keep = np.arange(len(h)) + k <= ends[which]
    keys = [(which[keep].astype(np.uint64) << np.uint64(32)) | (h[keep] & LOW32)]
    for t in map(int, np.flatnonzero((lens > 0) & (lens < k))):  # shorter than k: one shingle
        short = window_hashes(flat[ends[t] - lens[t]:ends[t]], int(lens[t]))
        keys.append((np.uint64(t) << np.uint64(32)) | (short & LOW32))
    key = np.concatenate(keys)
    key.sort()
    key = key[np.concatenate(([True], key[1:] != key[:-1]))] if len(key) else key
    counts = np.bincount((key >> np.uint64(32)).astype(np.int64), minlength=len(bodies))
    present = np.flatnonzero(counts)
    out: list[Sketch | None] = [None] * len(bodies)
    if len(present):
        starts = np.concatenate(([0], np.cumsum(counts[present])[:-1]))
        sigs = minhash_many(key & LOW32, starts, settings.story_minhash_permutations)
        for row, t in enumerate(map(int, present)):
            out[t] = Sketch(sigs[row], int(counts[t]))
    return out


def sketch(paragraphs: Sequence[str], settings: Settings) -> Sketch | None:
    """The MinHash sketch of the body's word shingles; None when there are no words."""
    return sketches([paragraphs], settings)[0]


def jaccard(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of the two shingle sets (share of equal minima)."""
    if a.signature.shape != b.signature.shape:
        return 0.0
    return float(np.count_nonzero(a.signature == b.signature)) / float(a.signature.shape[0])


def similarity(a: Sketch, b: Sketch) -> float:
    """Estimated containment of the smaller shingle set in the other (see module doc)."""
    j = jaccard(a, b)
    small = min(a.shingles, b.shingles)
    if small < MIN_CONTAINED_SHINGLES:
        return j
    return min(1.0, j * (a.shingles + b.shingles) / (1.0 + j) / small)


@lru_cache(maxsize=8)
def bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(b, r): datasketch's optimal banding for ``threshold`` (weights 0.5/0.5)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def band_fields(sk: Sketch, settings: Settings) -> list[bytes]:
    """One bucket name per band: the band's number then its rows' raw bytes (14 bytes at
    r = 3; no hashing needed, Redis hash fields are binary)."""
    b, r = bands(LSH_JACCARD_MIN, settings.story_minhash_permutations)
    # the band numbers as a (b, 2) prefix beside the rows, then one bytes object cut up
    rows = sk.signature[:b * r].astype("<u4").view(np.uint8).reshape(b, 4 * r)
    raw = np.hstack((_band_numbers(b), rows)).tobytes()
    width = 2 + 4 * r
    return [raw[i:i + width] for i in range(0, len(raw), width)]


@lru_cache(maxsize=8)
def _band_numbers(b: int) -> np.ndarray:
    return np.arange(b, dtype=">u2").view(np.uint8).reshape(b, 2)


def level(sim: float, settings: Settings) -> str:
    if sim >= settings.story_duplicate_containment_min:
        return DUPLICATE
    if sim >= settings.story_same_containment_min:
        return SAME_STORY
    return NEW
