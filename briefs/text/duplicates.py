"""Near-identical sentences: which sentence repeats an earlier one, in time linear in the text.

Used by the ``duplicate-text`` lint rule, within one brief and across a catalogue. Two
sentences are near-identical when the sets of their character n-grams (lower case, letters
and digits only, so spacing and punctuation do not count) have a Jaccard similarity of at
least :data:`THRESHOLD`. A Hangul syllable carries about as much as two or three Latin
letters, so Korean sentences are cut into 2-grams and others into 4-grams; on the example
briefs that puts a changed particle or word order (의 / 에 대한, 발표·철회 / 발표·변경) at
0.6–0.85 and two sentences that merely share a subject at 0.1–0.5.

Comparing every pair of sentences is quadratic, and a catalogue has thousands. Instead each
sentence gets a MinHash signature of :data:`BANDS` × :data:`ROWS` values; sentences that agree
on all the values of any band land in the same bucket, and only those are compared (the
usual locality-sensitive hashing scheme). For a similarity of 0.6 the chance that two
sentences share no bucket is (1 − 0.6²)⁸ ≈ 0.03, and for 0.75 it is 0.001. Each bucket keeps at most
:data:`PER_BUCKET` sentences to compare with, so many copies of one sentence cost linear time
too: a copy is found through the exact-text index first.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

THRESHOLD = 0.6
"""Jaccard similarity of n-gram sets from which two sentences count as near-identical."""
MIN_CHARS = 20
"""Sentences shorter than this (letters and digits) are never compared: "필요함" repeats."""
BANDS = 8
ROWS = 2
PER_BUCKET = 8

# Fixed masks make the signatures deterministic across runs (str hashes are salted).
_MASKS = [zlib.crc32(f"briefs-minhash-{i}".encode()) for i in range(BANDS * ROWS)]
_NOT_WORD = re.compile(r"[\W_]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

T = TypeVar("T")


@dataclass(frozen=True)
class Sentence(Generic[T]):
    """One sentence to compare, with what the caller needs to report it."""

    group: Hashable
    """Sentences of the same group (one item of a brief) are never reported as repeats."""
    text: str
    """The sentence."""
    where: T
    """Where it is, for the caller (a path and offset, a file …)."""


def compact(text: str) -> str:
    """``text`` reduced for comparison: lower case, letters and digits only."""
    return _NOT_WORD.sub("", text.lower())


def _grams(text: str) -> set[int]:
    n = 2 if 2 * len(_HANGUL.findall(text)) > len(text) else 4
    return {zlib.crc32(text[i : i + n].encode()) for i in range(len(text) - n + 1)}


def _signature(grams: set[int]) -> list[int]:
    values = list(grams)
    return [min(map(mask.__xor__, values)) for mask in _MASKS]


def _similar(a: set[int], b: set[int]) -> bool:
    return len(a & b) >= THRESHOLD * len(a | b)


def repeats(sentences: Iterable[Sentence[T]]) -> Iterator[tuple[Sentence[T], Sentence[T]]]:
    """``(sentence, earlier)`` for each sentence that repeats an earlier one of another group.

    Sentences are taken in the order given; each is reported at most once, against the
    first earlier sentence found to match.
    """
    exact: dict[str, Sentence[T]] = {}
    buckets: dict[tuple[int, ...], list[tuple[Sentence[T], set[int]]]] = {}
    for sentence in sentences:
        text = compact(sentence.text)
        if len(text) < MIN_CHARS:
            continue
        first = exact.setdefault(text, sentence)
        if first is not sentence:
            if first.group != sentence.group:
                yield sentence, first
            continue
        grams = _grams(text)
        signature = _signature(grams)
        keys = [(band, *signature[band * ROWS : (band + 1) * ROWS]) for band in range(BANDS)]
        match = next(
            (
                earlier
                for key in keys
                for earlier, earlier_grams in buckets.get(key, ())
                if earlier.group != sentence.group and _similar(grams, earlier_grams)
            ),
            None,
        )
        if match is not None:
            yield sentence, match
        for key in keys:
            bucket = buckets.setdefault(key, [])
            if len(bucket) < PER_BUCKET:
                bucket.append((sentence, grams))
