"""Quoted against authorial text: quote spans, segments and their tone."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from utils.sentiment.articles import _check_corpus, sentence_sentiment
from utils.sentiment.groups import _group_seed, bootstrap_mean_ci, group_values
from utils.sentiment.scoring import (
    SCORE_COLUMNS,
    SentimentError,
    _as_text,
    get_engine,
    score_sentences,
)


class _Mean:
    """A running mean summed as pandas' grouped mean sums (Kahan compensation), so that the
    mean of each article's segments equals :func:`quoted_vs_authorial`'s to the last bit."""

    __slots__ = ("compensation", "count", "total")

    def __init__(self) -> None:
        self.total = 0.0
        self.compensation = 0.0
        self.count = 0

    def add(self, value: float) -> None:
        y = value - self.compensation
        t = self.total + y
        self.compensation = t - self.total - y
        if self.compensation != self.compensation:  # an infinite value: no compensation
            self.compensation = 0.0
        self.total = t
        self.count += 1

    def mean(self) -> float | None:
        return self.total / self.count if self.count else None


def _article_quote_tone(engine, text: str, sentence_rows, min_authorial_words: int):
    """``(n_quoted, quoted_compound, n_authorial, authorial_compound)`` of one article from its
    sentences' ``(start, end, compound)``, or ``None`` when it has no segment. A segment that
    scores as its whole sentence (:func:`_sentence_segments`) takes the sentence's compound."""
    quotes = _merge(quote_spans(text))
    quote_ends = [q_end for _, q_end in quotes]
    means = {"quoted": _Mean(), "authorial": _Mean()}
    for start, end, compound in sentence_rows:
        for kind, _s, _e, piece, whole in _sentence_segments(
                text, int(start), int(end), quotes, quote_ends, min_authorial_words):
            means[kind].add(compound if whole and compound is not None
                            else engine.score_tuple(piece)[3])
    quoted, authorial = means["quoted"], means["authorial"]
    if not quoted.count and not authorial.count:
        return None
    return (quoted.count, quoted.mean(), authorial.count, authorial.mean())


def article_quote_tone(corpus: pd.DataFrame, sentences: pd.DataFrame) -> list[tuple]:
    """``(doc_id, n_quoted, quoted_compound, n_authorial, authorial_compound)`` for every
    article of ``corpus`` having quoted or authorial segments (:func:`quote_segments` of its
    ``sentences``, summarised by :func:`quoted_vs_authorial`): the per-article part of the
    quoted-vs-authorial comparison. A missing mean is ``None``. Articles in order of first
    appearance in ``sentences``.

    The same numbers as those two functions, computed without their tables: an authorial
    segment that is its whole sentence (no quote in it) takes the sentence's ``compound`` from
    ``sentences`` (scored by the default engine, as :func:`sentence_sentiment` gives) instead of
    being scored again.
    """
    _check_corpus(corpus)
    engine = get_engine("vader")
    texts = dict(zip(corpus["doc_id"].astype("string").tolist(), corpus["text"].tolist(),
                     strict=True))
    compounds = (sentences["compound"].astype("float64").tolist() if "compound" in sentences
                 else [None] * len(sentences))
    by_doc: dict[str, list] = {}
    for doc_id, start, end, compound in zip(sentences["doc_id"].astype("string").tolist(),
                                            sentences["start"].tolist(),
                                            sentences["end"].tolist(), compounds, strict=True):
        by_doc.setdefault(doc_id, []).append((start, end, compound))
    rows = []
    for doc_id, sentence_rows in by_doc.items():
        tone = _article_quote_tone(engine, _as_text(texts[doc_id], doc_id), sentence_rows, 4)
        if tone is not None:
            rows.append((doc_id, *tone))
    return rows



#: Opening and closing typographic double quotation marks, and neutral (straight) ones.
OPENING_QUOTES = frozenset("\u201c\u201e\u00ab")
CLOSING_QUOTES = frozenset("\u201d\u00bb")
NEUTRAL_QUOTES = frozenset('"\u201f\u2033')
_DROP_QUOTE_MARKS = str.maketrans(dict.fromkeys(OPENING_QUOTES | CLOSING_QUOTES | NEUTRAL_QUOTES,
                                                " "))
_QUOTE_MARKS = OPENING_QUOTES | CLOSING_QUOTES | NEUTRAL_QUOTES
_QUOTE_MARK_PATTERN = re.compile("[" + re.escape("".join(sorted(_QUOTE_MARKS))) + "]")


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text inside double quotation marks, the marks excluded, whitespace trimmed.

    Paragraph by paragraph (:func:`utils.text.paragraph_spans`): a typographic opening mark
    (“ „ «) opens a quote and a closing one (” ») closes it; straight quotes alternate, except
    that a straight quote glued to the end of a word with no quote open (12" pipes) is not an
    opening. A quote still open at the end of a paragraph ends there (news style: a quote running
    over several paragraphs repeats only the opening mark). A quote split around its attribution
    (“I am here,” he said, “to stay.”) gives two spans. Single quotes are not used (they are
    mostly apostrophes). Returns sorted, non-overlapping spans into ``text`` as given.
    """
    from utils.text import append_stripped_span, paragraph_spans

    if not isinstance(text, str) or _QUOTE_MARKS.isdisjoint(text):
        return []
    spans: list[tuple[int, int]] = []
    for para_start, para_end in paragraph_spans(text):
        opened: int | None = None
        # only the quotation marks change anything: visit them, not every character
        for match in _QUOTE_MARK_PATTERN.finditer(text, para_start, para_end):
            pos = match.start()
            char = text[pos]
            if char in OPENING_QUOTES:
                if opened is not None:
                    append_stripped_span(text, opened + 1, pos, spans)
                opened = pos
            elif char in CLOSING_QUOTES:
                if opened is not None:
                    append_stripped_span(text, opened + 1, pos, spans)
                    opened = None
            elif char in NEUTRAL_QUOTES:
                if opened is not None:
                    append_stripped_span(text, opened + 1, pos, spans)
                    opened = None
                elif not _glued_closer(text, pos, para_start, para_end):
                    opened = pos
        if opened is not None:
            append_stripped_span(text, opened + 1, para_end, spans)
    return spans


def _glued_closer(text: str, pos: int, para_start: int, para_end: int) -> bool:
    before = text[pos - 1] if pos > para_start else " "
    after = text[pos + 1] if pos + 1 < para_end else " "
    return before.isalnum() and not after.isalnum()


def _spans_by_doc(spans, doc_ids: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
    """Quote spans per article from a mapping or a frame (see :func:`quote_segments`)."""
    if isinstance(spans, pd.DataFrame):
        if "doc_id" not in spans.columns:
            raise SentimentError("spans frame has no 'doc_id' column.")
        if "content_spans" in spans.columns:  # pieces of attribution contents
            pieces = spans["content_spans"]
        else:
            for start_column, end_column in (("start", "end"), ("content_start", "content_end")):
                if start_column in spans.columns and end_column in spans.columns:
                    pieces = [[(s, e)] for s, e in zip(spans[start_column], spans[end_column],
                                                       strict=True)]
                    break
            else:
                raise SentimentError(
                    "spans frame needs doc_id with start/end, content_start/content_end or "
                    f"content_spans columns; columns found: {list(spans.columns)}."
                )
        by_doc: dict[str, list[tuple[int, int]]] = {}
        for doc, parts in zip(spans["doc_id"].astype(str), pieces, strict=True):
            by_doc.setdefault(doc, []).extend((int(s), int(e)) for s, e in parts)
        return {doc: by_doc.get(doc, []) for doc in doc_ids}
    if isinstance(spans, Mapping):
        return {doc: [(int(s), int(e)) for s, e in spans.get(doc, [])] for doc in doc_ids}
    raise SentimentError("spans must be a mapping doc_id -> [(start, end)] or a DataFrame with "
                         "doc_id and start/end (or content_start/content_end, content_spans).")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans covering the non-empty ``spans`` (overlapping or touching spans
    are joined)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]



def _trim_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past whitespace and double quotation marks at its ends."""
    while start < end and (text[start].isspace() or text[start] in _QUOTE_MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _QUOTE_MARKS):
        end -= 1
    return start, end


def _split_sentence(
    text: str, start: int, end: int, quotes: list[tuple[int, int]], quote_ends: list[int]
):
    """Quoted pieces (clipped to the sentence) and the authorial remainder of one sentence.

    ``quotes`` are the article's sorted, disjoint quote spans (:func:`_merge`) and
    ``quote_ends`` their ends; only the quotes overlapping the sentence are visited (found by
    bisection), so splitting every sentence of an article is linear in its length and number
    of quotes, not their product.
    """
    quoted = []
    outside = []
    cursor = start
    # disjoint and sorted by start, so the ends are sorted too: the first quote ending after
    # the sentence start, then the following ones until one starts at or after its end
    for index in range(bisect.bisect_right(quote_ends, start), len(quotes)):
        q_start, q_end = quotes[index]
        if q_start >= end:
            break
        s, e = max(q_start, start), min(q_end, end)
        quoted.append((s, e))
        outside.append(text[cursor:s])
        cursor = e
    outside.append(text[cursor:end])
    remainder = " ".join(" ".join(outside).translate(_DROP_QUOTE_MARKS).split())
    return quoted, remainder


def _sentence_segments(text: str, start: int, end: int, quotes: list[tuple[int, int]],
                       quote_ends: list[int], min_authorial_words: int):
    """``(kind, start, end, text, whole)`` of each segment of one sentence (the rules of
    :func:`quote_segments`). ``whole`` is true for an authorial segment that VADER scores as
    the sentence itself: no quote in the sentence, and no quotation mark or emoji in its text,
    so the remainder differs from the sentence only by whitespace and splits into the same
    tokens (the same punctuation too)."""
    quoted, remainder = _split_sentence(text, start, end, quotes, quote_ends)
    for q_start, q_end in quoted:
        q_start, q_end = _trim_marks(text, q_start, q_end)
        piece = text[q_start:q_end]
        if any(ch.isalnum() for ch in piece):
            yield "quoted", q_start, q_end, piece, False
    if len(remainder.split()) >= min_authorial_words:
        sentence = text[start:end]
        whole = (not quoted and _QUOTE_MARKS.isdisjoint(sentence)
                 and get_engine("vader")._emoji_chars.isdisjoint(sentence))
        yield "authorial", start, end, remainder, whole


def quote_segments(
    corpus: pd.DataFrame,
    *,
    spans=None,
    sentences: pd.DataFrame | None = None,
    min_authorial_words: int = 4,
    engine: str = "vader",
) -> pd.DataFrame:
    """Each sentence split into quoted parts and its authorial remainder, each scored.

    Quoted segments are the parts of the sentence inside a quote span (a quote running over
    several sentences gives one segment per sentence, as VADER scores sentences). The authorial
    segment is the rest of the sentence, quote marks and quotes removed, kept when it has at least
    ``min_authorial_words`` words, so a bare attribution ("he said") is not counted as a neutral
    authorial sentence. Its ``start``/``end`` are those of the sentence. ``spans`` replaces the
    quotation-mark spans of :func:`quote_spans` (e.g. the content spans of attributions): a
    mapping ``doc_id -> [(start, end), ...]`` or a DataFrame with ``doc_id`` and ``start``/``end``,
    ``content_start``/``content_end`` or ``content_spans`` (lists of ``(start, end)`` pieces, as
    in the table of :func:`utils.attribution.corpus_attributions`). Quoted pieces are trimmed of
    quotation marks. The quote spans of each article are merged once and each sentence looks up
    only the quotes it overlaps, so the time grows linearly with the article's length.
    """
    _check_corpus(corpus)
    if sentences is None:
        sentences = sentence_sentiment(corpus, engine=engine, include_text=False)
    doc_ids = corpus["doc_id"].astype("string").tolist()
    texts = dict(zip(doc_ids, corpus["text"].tolist(), strict=True))
    if spans is None:
        by_doc = {doc: quote_spans(texts[doc]) for doc in doc_ids}
    else:
        by_doc = _spans_by_doc(spans, doc_ids)
    merged: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}
    for doc, doc_spans in by_doc.items():
        quotes = _merge(doc_spans)
        merged[doc] = (quotes, [q_end for _, q_end in quotes])
    rows = []
    for doc, index, start, end in zip(
        sentences["doc_id"].astype("string"), sentences["sentence_index"], sentences["start"],
        sentences["end"], strict=True,
    ):
        for kind, s, e, piece, _whole in _sentence_segments(
                texts[doc], int(start), int(end), *merged[doc], min_authorial_words):
            rows.append((doc, int(index), kind, s, e, piece))
    frame = pd.DataFrame(rows, columns=["doc_id", "sentence_index", "kind", "start", "end", "text"])
    frame = frame.astype({"doc_id": "string", "sentence_index": "int64", "kind": "string",
                          "start": "int64", "end": "int64"})
    scores = score_sentences(frame["text"].tolist(), engine=engine)
    for column in SCORE_COLUMNS:
        frame[column] = scores[column].to_numpy()
    return frame


def quoted_vs_authorial(
    segments: pd.DataFrame,
    corpus: pd.DataFrame | None = None,
    group_column: str | None = None,
    *,
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare quoted and authorial sentiment per article, or per group with bootstrap CIs.

    Without ``group_column``: one row per article having segments (``doc_id, n_quoted,
    quoted_compound, n_authorial, authorial_compound, difference``; means of segment compounds,
    ``<NA>`` when an article has no segment of a kind). With ``group_column`` (and ``corpus``):
    ``group, kind, n_articles, mean, ci_low, ci_high`` where ``mean`` averages the per-article
    means (each article counts once) and the interval is a bootstrap over articles. Groups sorted
    alphabetically, ``authorial`` before ``quoted``.
    """
    missing = [c for c in ("doc_id", "kind", "compound") if c not in segments.columns]
    if missing:
        raise SentimentError(f"segments lacks {missing}; pass the frame of quote_segments.")
    doc = segments["doc_id"].astype("string")
    per_kind = segments.groupby([doc, segments["kind"].astype("string")], sort=True)["compound"]
    stats = per_kind.agg(["size", "mean"]).unstack("kind")
    order = list(dict.fromkeys(doc.tolist()))
    article = pd.DataFrame({"doc_id": pd.array(order, dtype="string")})
    for kind in ("quoted", "authorial"):
        if ("size", kind) in stats.columns:
            sizes = stats[("size", kind)].reindex(order).fillna(0).to_numpy()
            means = stats[("mean", kind)].reindex(order).to_numpy(dtype="float64")
        else:
            sizes = np.zeros(len(order))
            means = np.full(len(order), np.nan)
        article[f"n_{kind}"] = sizes.astype("int64")
        article[f"{kind}_compound"] = pd.array(means, dtype="Float64")
    article["difference"] = article["quoted_compound"] - article["authorial_compound"]
    if group_column is None:
        return article
    if corpus is None:
        raise SentimentError("Grouping needs the corpus frame (corpus=...).")
    groups = group_values(corpus, group_column).reindex(article["doc_id"]).to_numpy()
    rows = []
    for name in sorted({g for g in groups if not pd.isna(g)}):
        # articles without a group value (<NA>) belong to no group
        in_group = article[np.array([not pd.isna(g) and g == name for g in groups], dtype=bool)]
        for kind in ("authorial", "quoted"):
            values = in_group[f"{kind}_compound"].dropna().astype("float64")
            mean, low, high = bootstrap_mean_ci(
                values, n_boot=n_boot, confidence=confidence,
                seed=_group_seed(seed, f"{name}\0{kind}"),
            )
            rows.append((str(name), kind, len(values), mean, low, high))
    return pd.DataFrame(rows, columns=["group", "kind", "n_articles", "mean", "ci_low", "ci_high"])


def summarise_quoted_vs_authorial(
    per_article: pd.DataFrame, *, n_boot: int = 2000, confidence: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Corpus-wide comparison from the per-article table of :func:`quoted_vs_authorial`.

    Rows ``authorial``, ``quoted`` (mean over articles having that kind of text) and
    ``quoted - authorial`` (mean paired difference over articles having both), with
    ``n_articles, mean, ci_low, ci_high`` (bootstrap over articles, fixed seed).
    """
    missing = [c for c in ("quoted_compound", "authorial_compound", "difference")
               if c not in per_article.columns]
    if missing:
        raise SentimentError(f"per_article lacks {missing}; pass quoted_vs_authorial(segments).")
    rows = []
    for label, column in (("authorial", "authorial_compound"), ("quoted", "quoted_compound"),
                          ("quoted - authorial", "difference")):
        values = per_article[column].dropna().astype("float64")
        mean, low, high = bootstrap_mean_ci(values, n_boot=n_boot, confidence=confidence,
                                            seed=_group_seed(seed, label))
        rows.append((label, len(values), mean, low, high))
    return pd.DataFrame(rows, columns=["kind", "n_articles", "mean", "ci_low", "ci_high"])
