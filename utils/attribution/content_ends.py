"""A learned corrector of where a content ends: the last step of the learned extractor.

The rules end a content at the end of its sentence or at the first clause boundary their
patterns know; PolNeAR's annotators often end it elsewhere: before ", according to ...", before
", who ...", before a dash, or one clause or one sentence later than the rules. On the held-out
fifth of PolNeAR train, of the predicted contents whose cue was right but whose span was not,
about two in three had the right start and the wrong end (mostly too long).

For every content, the candidate ends are the positions before each clause mark (comma,
semicolon, colon, dash), each closing quotation mark and each sentence end from a few words
after its start up to the end of the next sentence of its paragraph (never past another
attribution's source or cue), plus the content's own end. Each candidate gets a few dozen
hashed features (:func:`_features`: the mark, the words after and before it, how far it is from
the rules' end and in which direction, whether it is inside a quote, the cue word) and a
logistic regression over them scores it; the content ends at the best-scoring candidate. The
rules' end is one of the candidates, with features of its own, so the model changes an end only
when the words around another mark outweigh the rules' choice.

The weights are a ``(END_BUCKETS,)`` vector stored beside the tagger's
(``model/attribution_tagger.npz``, key ``end_weights``), trained by
:func:`utils.attribution.training.fit_end_weights` on the learned extractor's own contents over
PolNeAR train (both forms), with the gold ends as labels.
"""

from __future__ import annotations

import bisect
import re
import zlib

import numpy as np

from utils.attribution.document import _Attribution, _Doc

#: Feature buckets of the end model (a power of two).
END_BUCKETS = 1 << 16
#: Words a content has at least before a candidate end.
MIN_WORDS = 2
#: Candidates farther than this many marks before or after the rules' end are not considered.
MAX_STEPS = 6

#: A clause mark: the candidate end is before it (spaces before a dash included).
_MARK = re.compile(r"\s*(?:[,;:]|\s[-\u2013\u2014]+\s|[\u2013\u2014]+|--)")
#: A conjunction that can open the next clause: the candidate end is before it.
_JOIN = re.compile(r"\s+(?=(?:and|but|because|when|while|who|which|as|after|before)\s)")
_WORD = re.compile(r"[\w'\u2019]+")
_TRAIL = " \t\n\r\xa0,;:-\u2013\u2014"
_QUOTE_CHARS = "\"'\u201c\u201d\u2018\u2019"


def _hash(feature: str) -> int:
    """The bucket of a feature string (CRC-32)."""
    return zlib.crc32(feature.encode()) & (END_BUCKETS - 1)


def _trimmed_end(norm: str, start: int, end: int) -> int:
    """``end`` moved left over spaces and clause punctuation (never before ``start``)."""
    while end > start and norm[end - 1] in _TRAIL:
        end -= 1
    return end


def _scored_end(norm: str, start: int, end: int) -> int:
    """``end`` as the PolNeAR scoring sees it: without trailing punctuation and quote marks."""
    while end > start and (not norm[end - 1].isalnum()):
        end -= 1
    return end


def candidates(
    doc: _Doc, start: int, end: int, limit: int
) -> list[tuple[int, str]]:
    """``[(end, kind), ...]``: the candidate ends of a content starting at ``start`` whose
    rules' end is ``end``, before ``limit`` (the next mark of another attribution), in text
    order, with the kind of mark after each (``rules`` for the rules' own end)."""
    norm = doc.norm
    para_end = doc.paragraph_of(start)[1]
    sent_start, sent_end = doc.sentence_of(max(start, end - 1))
    hi = min(limit, para_end)
    # the end of the sentence after the one holding the rules' end, within the paragraph
    nxt = doc.sentence_of(sent_end + 1)
    if nxt[0] >= sent_end and nxt[1] <= para_end:
        hi = min(hi, nxt[1])
    else:
        hi = min(hi, max(sent_end, end))
    found: dict[int, str] = {}
    for m in _MARK.finditer(norm, start, hi):
        found.setdefault(m.start(), "dash" if "-" in m.group() or "\u2014" in m.group()
                         or "\u2013" in m.group() else m.group().strip())  # fmt: skip
    for m in _JOIN.finditer(norm, start, hi):
        found.setdefault(m.start(), "join")
    for q_start, q_end in doc.quotes[bisect.bisect_left(doc.quote_ends, start + 1):]:
        if q_end > hi:
            break
        if q_start < start <= q_end or q_start >= start:
            found.setdefault(q_end, "quote")
    i = bisect.bisect_left(doc.sent_starts, start)
    for s, e in doc.sentences[max(0, i - 1):]:
        if s >= hi:
            break
        if start < e <= hi:
            found.setdefault(e, "sentence")
    # the word starts once (a word count up to t is the number of starts before t)
    word_starts = [m.start() for m in _WORD.finditer(norm, start, max(hi, end))]
    out = {}
    for pos, kind in found.items():
        t = _trimmed_end(norm, start, pos)
        if bisect.bisect_left(word_starts, t) >= MIN_WORDS and t not in out:
            out[t] = kind
    t = _trimmed_end(norm, start, end)
    out[t] = "rules"
    ordered = sorted(out.items())
    here = [p for p, _ in ordered].index(t)
    return ordered[max(0, here - MAX_STEPS) : here + MAX_STEPS + 1]


def _features(
    doc: _Doc, att: _Attribution, start: int, cands: list[tuple[int, str]], rules_end: int
) -> list[list[str]]:
    """The feature strings of each candidate of :func:`candidates`."""
    norm = doc.norm
    ends = [p for p, _ in cands]
    here = ends.index(rules_end)
    cue = norm[att.cue[0] : att.cue[1]].lower().split()
    cue_word = cue[-1] if cue else ""
    side = "after" if att.cue[0] < start else "before"
    q = doc.quote_at(start + 1) or doc.quote_starting_at(start) or doc.quote_starting_at(start - 1)
    opens = "q" if q else "n"
    first = bisect.bisect_right(doc.sent_starts, doc.sentence_of(start)[0])
    word_starts = [m.start() for m in _WORD.finditer(norm, start, max(ends))]
    out = []
    for k, (pos, kind) in enumerate(cands):
        step = max(-3, min(3, k - here))
        after = _WORD.findall(norm, pos, min(len(norm), pos + 40))[:2]
        before = _WORD.findall(norm, max(start, pos - 30), pos)[-1:]
        nxt = after[0].lower() if after else "<end>"
        nxt2 = " ".join(after).lower() if after else "<end>"
        prev = before[0].lower() if before else ""
        gap = norm[pos : pos + 3]
        rest = norm[pos : pos + 1]
        # sentences starting after the content's first one and before the candidate
        sentences = min(2, max(0, bisect.bisect_left(doc.sent_starts, pos) - first))
        inside = doc.quote_at(pos) is not None
        words = bisect.bisect_left(word_starts, pos)
        size = min(6, words.bit_length())
        kind = "rules-" + _kind_at(norm, pos, doc) if kind == "rules" else kind
        f = [
            "bias", f"kind={kind}", f"step={step}", f"step={step} kind={kind}",
            f"next={nxt}", f"next2={nxt2}", f"kind={kind} next={nxt}", f"prev={prev}",
            f"sent={sentences}", f"sent={sentences} step={step}",
            f"inside={inside}", f"inside={inside} kind={kind}", f"opens={opens} kind={kind}",
            f"opens={opens} step={step}", f"size={size}", f"size={size} kind={kind}",
            f"side={side} step={step}", f"side={side} kind={kind}", f"cue={cue_word} step={step}",
            f"gap={gap!r}", f"rest={rest!r} step={step}",
            f"nextsfx={nxt[-3:]}" if len(nxt) > 4 else "nextsfx=",
            f"nextcap={bool(after) and after[0][:1].isupper()} kind={kind}",
        ]  # fmt: skip
        out.append(f)
    return out


def _kind_at(norm: str, pos: int, doc: _Doc) -> str:
    """The kind of mark right after ``pos`` (for the rules' own end)."""
    m = _MARK.match(norm, pos)
    if m:
        return "dash" if any(c in m.group() for c in "-\u2013\u2014") else m.group().strip()
    if doc.quote_ending_at(pos) or doc.quote_ending_at(pos + 1):
        return "quote"
    return "other"


def end_rows(doc: _Doc, att: _Attribution, limit: int):
    """``(start, candidates, features)`` of ``att``'s last content piece, or ``None`` when it
    has no other candidate than its own end."""
    start, end = max(att.pieces, key=lambda p: p[1])
    cands = candidates(doc, start, end, limit)
    if len(cands) < 2:
        return None
    rules_end = _trimmed_end(doc.norm, start, end)
    return start, cands, _features(doc, att, start, cands, rules_end)


def _limits(atts: list[_Attribution]) -> list[int]:
    """For each attribution, the first source or cue start of another one after its content."""
    marks = sorted({a.cue[0] for a in atts} | {a.source[0] for a in atts if a.source})
    out = []
    for att in atts:
        end = max(e for _, e in att.pieces)
        own = {att.cue[0]} | ({att.source[0]} if att.source else set())
        i = bisect.bisect_left(marks, end)
        while i < len(marks) and marks[i] in own:
            i += 1
        out.append(marks[i] if i < len(marks) else 1 << 62)
    return out


def corrected_ends(
    doc: _Doc, atts: list[_Attribution], weights: np.ndarray, margin: float = 0.0
) -> None:
    """Move the end of each attribution's last content piece to its best-scoring candidate
    (in place)."""
    table = _as_list(weights)
    for att, limit in zip(atts, _limits(atts), strict=True):
        if att.extra.get("cue_in_content"):
            continue
        rows = end_rows(doc, att, limit)
        if rows is None:
            continue
        start, cands, feats = rows
        best, best_score, own_score = None, -np.inf, 0.0
        for (pos, kind), f in zip(cands, feats, strict=True):
            score = sum(map(table.__getitem__, f))
            if kind == "rules":
                own_score = score
            if score > best_score:
                best, best_score = pos, score
        old = max(att.pieces, key=lambda p: p[1])
        if best_score <= own_score or best_score - own_score < margin:
            continue  # ties and small gains keep the rules' end
        if best is not None and best != _trimmed_end(doc.norm, *old) and best > old[0]:
            att.pieces = sorted(p if p != old else (old[0], best) for p in att.pieces)


class _FeatureWeights(dict):
    """Feature string -> its weight, filled on first use from the weight array (most feature
    strings recur, so scoring a candidate is mostly dictionary hits)."""

    def __init__(self, weights: np.ndarray):
        super().__init__()
        self.weights = weights
        self.values = weights.tolist()

    def __missing__(self, feature: str) -> float:
        if len(self) > 500_000:
            self.clear()
        value = self[feature] = self.values[_hash(feature)]
        return value


_TABLES: list[_FeatureWeights] = []


def _as_list(weights: np.ndarray) -> _FeatureWeights:
    """The :class:`_FeatureWeights` of ``weights``, made once per array."""
    for table in _TABLES:
        if table.weights is weights:
            return table
    del _TABLES[:-3]
    _TABLES.append(_FeatureWeights(weights))
    return _TABLES[-1]
