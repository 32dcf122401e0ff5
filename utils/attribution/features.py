"""Token features of the learned attribution tagger: hashed, so no word is stored anywhere.

An article is cut into tokens (runs of word characters, or one other non-space character);
every token gets one integer per feature template, the hash of what the template reads
(the word, its neighbours, its shape, the rules' decision about it, ...) folded into
:data:`BUCKETS` buckets. A linear model is then a ``(BUCKETS, labels)`` weight table: the scores
of a token are the sum of the rows of its buckets (:func:`utils.attribution.model.scores`).

Hashing is written here with numpy integer arithmetic rather than taken from a library
(scikit-learn's ``FeatureHasher`` hashes Python strings one at a time): the words of an
article are hashed once each with :func:`zlib.crc32` (deterministic, unlike ``hash``), and every
template is then a few vectorised multiplications over the whole article, which is what keeps
the learned extractor within its speed budget.

The features read the rules' output (:mod:`utils.attribution.rules`): the label the rules give
each token (source, cue, content or none), the same for its neighbours, and where the token sits
relative to the rules' cues of its sentence. The rules' decisions are the strongest features; the
words let the model add what the rules miss (beliefs, noun cues, colons, dashes) and drop what
they get wrong.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from utils.attribution.document import _Attribution, _Doc

#: Feature buckets (a power of two).
BUCKETS = 1 << 18
#: Components a token can belong to (the rules' labels, a feature).
LABELS = ("O", "SOURCE", "CUE", "CONTENT")
NONE, SOURCE, CUE, CONTENT = range(4)
#: The tagger's classes, in the order of the model's weight columns: a component's first token
#: (B-) and its other tokens (I-); tag ``t`` belongs to component ``(t + 1) // 2``.
TAGS = ("O", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE", "B-CONTENT", "I-CONTENT")

TOKEN = re.compile(r"\w+|[^\w\s]")

_MASK = np.uint64(BUCKETS - 1)
_PAD = np.uint64(0x9E3779B97F4A7C15)  # the hash of the text edge
_MULTIPLIERS = tuple(
    np.uint64(m)
    for m in (
        0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63,
        0x27D4EB2F165667C5, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53,
    )
)  # fmt: skip

#: The feature templates, by name (their order is the model's; the names are in the model card).
TEMPLATES = (
    "bias", "w0", "w-1", "w+1", "w-2", "w+2", "w-3", "w+3", "w-1 w0", "w0 w+1",
    "shape0", "shape-1 shape0 shape+1", "suffix0", "rule0", "rule-1 rule0 rule+1",
    "rule-2 rule+2", "rule0 w0", "rule0 shape0", "quote0", "quote0 rule0", "quote0 w0",
    "position0", "position0 w0", "side-of-rule-cue rule0", "side-of-rule-cue w0",
    "side-of-cue-word", "side-of-cue-word w0", "cue-word0", "cue-word-1 cue-word+1",
    "paragraph-start0", "sentence-start0 w0",
)  # fmt: skip

def _shape(word: str) -> int:
    if word[0].isdigit():
        return 1
    if not word[0].isalnum() and word[0] != "_":
        return 2 + ("\"'`\u201c\u201d\u2018\u2019:-\u2014\u2013,.".find(word[0]) + 1)
    if word.isupper() and len(word) > 1:
        return 20
    if word[0].isupper():
        return 21
    return 22


def word_info(word: str) -> tuple[int, int, int]:
    """``(hash of the lower-cased word, shape id, hash of its last three letters)``."""
    low = word.lower()
    return (zlib.crc32(low.encode("utf-8", "surrogatepass")), _shape(word),
            zlib.crc32(b"~" + low[-3:].encode("utf-8", "surrogatepass")))  # fmt: skip


class _Vocabulary:
    """The :func:`word_info` of every word seen, as rows of one array with a word -> row
    dict: the values of an article's tokens are then one dict look-up per token and one numpy
    gather (building the array from per-token tuples cost as much as the hashing)."""

    LIMIT = 200_000

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.info = np.zeros((1024, 3), dtype=np.uint64)

    def rows(self, words: list[str]) -> np.ndarray:
        """``(len(words), 3)`` :func:`word_info` values."""
        found = list(map(self.ids.get, words))
        if None in found:
            if len(self.ids) + len(words) > self.LIMIT:
                self.ids.clear()
                found = [None] * len(words)
            for i, value in enumerate(found):
                if value is None:
                    word = words[i]
                    value = self.ids.get(word)
                    if value is None:
                        value = self._add(word)
                    found[i] = value
        return self.info[np.fromiter(found, dtype=np.int64, count=len(found))]

    def _add(self, word: str) -> int:
        value = len(self.ids)
        if value >= len(self.info):
            grown = np.zeros((2 * len(self.info), 3), dtype=np.uint64)
            grown[: len(self.info)] = self.info
            self.info = grown
        self.info[value] = word_info(word)
        self.ids[word] = value
        return value


_VOCABULARY = _Vocabulary()


def word_hash(word: str) -> int:
    """The hash :func:`word_info` gives the lower-cased ``word`` (as in the cue-word set)."""
    return zlib.crc32(word.lower().encode("utf-8", "surrogatepass"))


_char_classes: dict[int, int] = {}
_WORD_CHAR = re.compile(r"\w")
_SPACE_CHAR = re.compile(r"\s")


def _char_class(code: int) -> int:
    """0 whitespace, 1 word character, 2 other (as :data:`TOKEN` reads them)."""
    found = _char_classes.get(code)
    if found is None:
        ch = chr(code)
        found = 1 if _WORD_CHAR.match(ch) else 0 if _SPACE_CHAR.match(ch) else 2
        _char_classes[code] = found
    return found


def token_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, ends)`` of the tokens of :data:`TOKEN` (the same spans as its
    ``finditer``), found with numpy over the characters' classes rather than a Python loop over
    matches."""
    if not text:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    unique, inverse = np.unique(codes, return_inverse=True)
    classes = np.fromiter(
        (_char_class(c) for c in unique.tolist()), dtype=np.int8, count=len(unique)
    )[inverse.ravel()]
    word = classes == 1
    other = classes == 2
    before = np.r_[False, word[:-1]]
    after = np.r_[word[1:], False]
    starts = np.flatnonzero((word & ~before) | other)
    ends = np.flatnonzero((word & ~after) | other) + 1
    return starts.astype(np.int64), ends.astype(np.int64)


class Tokens:
    """The tokens of one text with offsets and per-token base values (numpy arrays)."""

    def __init__(self, doc: _Doc):
        text = doc.text
        self.starts, self.ends = token_spans(text)
        words = TOKEN.findall(text)  # the same tokens as the spans, read in C
        if len(words) != len(self.starts):  # never seen; kept so the arrays always align
            bounds = zip(self.starts.tolist(), self.ends.tolist(), strict=True)
            words = [text[s:e] for s, e in bounds]
        info = _VOCABULARY.rows(words).reshape(-1, 3)
        self.words, self.shapes, self.suffixes = info[:, 0], info[:, 1], info[:, 2]
        n = len(words)
        sent_starts = np.asarray([s for s, _ in doc.sentences] or [0], dtype=np.int64)
        self.sentence = np.maximum(np.searchsorted(sent_starts, self.starts, side="right") - 1, 0)
        para_starts = np.asarray(doc.para_starts or [0], dtype=np.int64)
        self.paragraph = np.maximum(np.searchsorted(para_starts, self.starts, side="right") - 1, 0)
        # position in the sentence: 0, 1, 2, 3-5, 6+
        first = np.ones(n, dtype=bool)
        first[1:] = self.sentence[1:] != self.sentence[:-1]
        index = np.arange(n)
        start_index = np.maximum.accumulate(np.where(first, index, 0)) if n else index
        position = index - start_index
        self.position = np.minimum(np.where(position >= 3, 3 + (position >= 6), position), 4)
        self.sentence_first = first
        para_first = np.ones(n, dtype=bool)
        para_first[1:] = self.paragraph[1:] != self.paragraph[:-1]
        self.paragraph_first = para_first
        quotes = doc.quotes
        self.quoted = _covered(self.starts, self.ends, quotes)

    def __len__(self) -> int:
        return len(self.starts)


def _covered(starts: np.ndarray, ends: np.ndarray, spans) -> np.ndarray:
    """Whether each token lies inside one of ``spans`` (sorted or not)."""
    out = np.zeros(len(starts), dtype=bool)
    for s, e in spans:
        lo = np.searchsorted(starts, s, side="left")
        hi = np.searchsorted(ends, e, side="right")
        if hi > lo:
            out[lo:hi] = True
    return out


def label_spans(tokens: Tokens, labelled: list[tuple[int, list[tuple[int, int]]]]) -> np.ndarray:
    """Token labels from ``[(label, [(start, end), ...]), ...]``: a token takes the label of a
    span holding it; later entries win, so list contents, then sources, then cues.

    Each run of entries with one label is marked in one pass (a running count of span starts
    minus span ends over the tokens), not a slice per span."""
    n = len(tokens)
    labels = np.zeros(n, dtype=np.int64)
    i = 0
    while i < len(labelled):
        label = labelled[i][0]
        spans = []
        while i < len(labelled) and labelled[i][0] == label:
            spans.extend(labelled[i][1])
            i += 1
        if not spans:
            continue
        bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
        lo = np.searchsorted(tokens.starts, bounds[:, 0], side="left")
        hi = np.searchsorted(tokens.ends, bounds[:, 1], side="right")
        keep = hi > lo
        delta = np.zeros(n + 1, dtype=np.int64)
        np.add.at(delta, lo[keep], 1)
        np.add.at(delta, hi[keep], -1)
        labels[np.cumsum(delta[:n]) > 0] = label
    return labels


def tag_spans(tokens: Tokens, labelled: list[tuple[int, list[tuple[int, int]]]]) -> np.ndarray:
    """Tags (:data:`TAGS`) from ``[(component, [(start, end), ...]), ...]``: the first token of
    each span ``B-``, the others ``I-``; later entries win."""
    tags = np.zeros(len(tokens), dtype=np.int64)
    for label, spans in labelled:
        for s, e in spans:
            lo = np.searchsorted(tokens.starts, s, side="left")
            hi = np.searchsorted(tokens.ends, e, side="right")
            if hi > lo:
                tags[lo] = 2 * label - 1
                tags[lo + 1 : hi] = 2 * label
    return tags


def rule_labels(tokens: Tokens, atts: list[_Attribution]) -> np.ndarray:
    """The label the rules give each token (contents, then sources, then cues on top)."""
    content = [(CONTENT, att.pieces) for att in atts]
    source = [(SOURCE, [att.source]) for att in atts if att.source]
    cue = [(CUE, [att.cue]) for att in atts]
    return label_spans(tokens, content + source + cue)


def _side(tokens: Tokens, marks: np.ndarray) -> np.ndarray:
    """For each token: 0 no marked token in its sentence, 1 a marked token later in the sentence
    only, 2 an earlier one only, 3 both, 4 the token itself is marked."""
    n = len(tokens)
    if not n:
        return np.zeros(0, dtype=np.uint64)
    sent = tokens.sentence
    counts = np.cumsum(marks.astype(np.int64))
    before_incl = counts
    # counts at the sentence start (exclusive)
    first_index = np.flatnonzero(tokens.sentence_first)
    sent_base = np.zeros(sent.max() + 1 if n else 0, dtype=np.int64)
    sent_total = np.zeros_like(sent_base)
    ids = sent[first_index]
    sent_base[ids] = counts[first_index] - marks[first_index]
    last_index = np.r_[first_index[1:] - 1, n - 1]
    sent_total[ids] = counts[last_index]
    earlier = before_incl - marks - sent_base[sent]
    later = sent_total[sent] - before_incl
    side = (later > 0).astype(np.int64) + 2 * (earlier > 0)
    side[marks.astype(bool)] = 4
    return side.astype(np.uint64)


#: The base values the templates read, in the rows of :func:`_base_table`.
_BASES = ("bias", "w", "shape", "suffix", "rule", "quote", "position", "side-of-rule-cue",
          "side-of-cue-word", "cue-word", "paragraph-start", "sentence-start")  # fmt: skip
_B = {name: i for i, name in enumerate(_BASES)}
#: Each template of :data:`TEMPLATES` as ``(base, offset)`` parts, hashed in this order.
_TEMPLATE_PARTS = (
    (("bias", 0),), (("w", 0),), (("w", -1),), (("w", 1),), (("w", -2),), (("w", 2),),
    (("w", -3),), (("w", 3),), (("w", -1), ("w", 0)), (("w", 0), ("w", 1)),
    (("shape", 0),), (("shape", -1), ("shape", 0), ("shape", 1)), (("suffix", 0),),
    (("rule", 0),), (("rule", -1), ("rule", 0), ("rule", 1)), (("rule", -2), ("rule", 2)),
    (("rule", 0), ("w", 0)), (("rule", 0), ("shape", 0)), (("quote", 0),),
    (("quote", 0), ("rule", 0)), (("quote", 0), ("w", 0)), (("position", 0),),
    (("position", 0), ("w", 0)), (("side-of-rule-cue", 0), ("rule", 0)),
    (("side-of-rule-cue", 0), ("w", 0)), (("side-of-cue-word", 0),),
    (("side-of-cue-word", 0), ("w", 0)), (("cue-word", 0),),
    (("cue-word", -1), ("cue-word", 1)), (("paragraph-start", 0),),
    (("sentence-start", 0), ("w", 0)),
)  # fmt: skip


def _template_groups() -> list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """The templates grouped by their number of parts: ``(template ids, seeds, bases
    (templates, parts), offsets (templates, parts))``, so that each group is hashed in one
    vectorised pass instead of one pass per template."""
    groups = []
    for arity in sorted({len(p) for p in _TEMPLATE_PARTS}):
        ids = [t for t, p in enumerate(_TEMPLATE_PARTS) if len(p) == arity]
        seeds = np.asarray([np.uint64((t + 1) * 0x100000001B3) for t in ids], dtype=np.uint64)
        bases = np.asarray([[_B[b] for b, _ in _TEMPLATE_PARTS[t]] for t in ids])
        offsets = np.asarray([[k for _, k in _TEMPLATE_PARTS[t]] for t in ids])
        groups.append((np.asarray(ids), seeds, bases, offsets))
    return groups


_GROUPS = _template_groups()


def _base_table(tokens: Tokens, rules: np.ndarray, is_cue_word: np.ndarray) -> np.ndarray:
    """``(len(_BASES), tokens + 1)`` uint64 values of each token, the last column the text
    edge (:data:`_PAD`) that offsets beyond either end read."""
    n = len(tokens)
    table = np.empty((len(_BASES), n + 1), dtype=np.uint64)
    table[:, n] = _PAD
    table[_B["bias"], :n] = 1
    table[_B["w"], :n] = tokens.words
    table[_B["shape"], :n] = tokens.shapes
    table[_B["suffix"], :n] = tokens.suffixes
    table[_B["rule"], :n] = rules
    table[_B["quote"], :n] = tokens.quoted
    table[_B["position"], :n] = tokens.position
    table[_B["side-of-rule-cue"], :n] = _side(tokens, rules == CUE)
    table[_B["side-of-cue-word"], :n] = _side(tokens, is_cue_word)
    table[_B["cue-word"], :n] = is_cue_word
    table[_B["paragraph-start"], :n] = tokens.paragraph_first
    table[_B["sentence-start"], :n] = tokens.sentence_first
    return table


def cue_word_marks(words: np.ndarray, cue_words: np.ndarray) -> np.ndarray:
    """Whether each word hash is one of the sorted ``cue_words``."""
    marks = np.zeros(len(words), dtype=bool)
    if len(cue_words):
        idx = np.searchsorted(cue_words, words)
        inside = idx < len(cue_words)
        marks[inside] = cue_words[idx[inside]] == words[inside]
    return marks


class FeatureTable:
    """The feature buckets of one text's tokens, for any subset of them (:meth:`buckets`).

    The base values (word hashes, the rules' labels, sides of cues, ...) are gathered once per
    text; the templates are then hashed in three vectorised passes (templates of one, two and
    three parts), so the cost per call is small and the extractor can ask for the few tokens
    that could start a cue, then the tokens after them."""

    def __init__(self, tokens: Tokens, rules: np.ndarray, cue_words: np.ndarray,
                 is_cue_word: np.ndarray | None = None):  # fmt: skip
        if is_cue_word is None:
            is_cue_word = cue_word_marks(tokens.words, cue_words)
        self.n = len(tokens)
        self.table = _base_table(tokens, rules, is_cue_word)

    def buckets(self, rows: np.ndarray | None = None) -> np.ndarray:
        """``(rows, len(TEMPLATES))`` bucket indices (int64); ``rows=None``: every token."""
        n = self.n
        rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
        out = np.empty((len(rows), len(TEMPLATES)), dtype=np.int64)
        for ids, seeds, bases, offsets in _GROUPS:
            at = rows[None, None, :] + offsets[:, :, None]
            at[(at < 0) | (at >= n)] = n
            values = self.table[bases[:, :, None], at]  # (templates, parts, rows)
            h = np.repeat(seeds[:, None], len(rows), axis=1)
            for i in range(values.shape[1]):
                h ^= values[:, i, :]
                h *= _MULTIPLIERS[i % len(_MULTIPLIERS)]
                h ^= h >> np.uint64(29)
            out[:, ids] = (h & _MASK).T.astype(np.int64)
        return out


def feature_buckets(tokens: Tokens, rules: np.ndarray, cue_words: np.ndarray) -> np.ndarray:
    """``(tokens, len(TEMPLATES))`` bucket indices (int64) of every token's features.

    ``rules``: :func:`rule_labels`; ``cue_words``: sorted hashes of words that are often cues
    (the model's, see :func:`utils.attribution.training.cue_word_set`)."""
    if not len(tokens):
        return np.zeros((0, len(TEMPLATES)), dtype=np.int64)
    return FeatureTable(tokens, rules, cue_words).buckets()
