"""The lexicon terms that drive the scores (per article and per group)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from utils.sentiment.groups import group_values
from utils.sentiment.scoring import SentimentError, _as_text, get_engine


def _group_of_sentences(
    sentences: pd.DataFrame, corpus: pd.DataFrame | None, group_column: str | None
) -> pd.Series | None:
    if group_column is None:
        return None
    if corpus is None:
        raise SentimentError("Grouping needs the corpus frame (corpus=...).")
    groups = group_values(corpus, group_column)
    return pd.Series(
        groups.reindex(sentences["doc_id"].astype("string")).to_numpy(),
        index=sentences.index,
        dtype="string",
    )


def term_contributions(texts: Iterable[str]) -> pd.DataFrame:
    """Per lexicon term over ``texts``: ``term, lexicon_valence, occurrences, total_valence``.

    A term's valence in a sentence is the value VADER's rules give that token (negation flips
    it, boosters scale it); tokens with valence 0 are not counted. Sorted by term.
    """
    engine = get_engine("vader")
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for position, text in enumerate(texts):
        for term, valence in engine.token_valences(_as_text(text, position)):
            if valence != 0:
                totals[term] = totals.get(term, 0.0) + valence
                counts[term] = counts.get(term, 0) + 1
    terms = sorted(totals)
    return pd.DataFrame(
        {
            "term": pd.array(terms, dtype="string"),
            "lexicon_valence": [engine.lexicon.get(t, np.nan) for t in terms],
            "occurrences": np.array([counts[t] for t in terms], dtype="int64"),
            "total_valence": np.array([totals[t] for t in terms], dtype="float64"),
        }
    )


def _add_valences(pairs, totals: dict, counts: dict) -> None:
    """Add ``(term, valence)`` pairs to the running totals and counts of one article."""
    for term, valence in pairs:
        totals[term] = totals.get(term, 0.0) + valence
        counts[term] = counts.get(term, 0) + 1


def _moves_no_score(neg: float, pos: float, text: str) -> bool:
    """Whether a sentence scored ``neg`` and ``pos`` (rounded to 3 decimals) can be known to have
    no token of nonzero valence without running the rules again.

    A token of nonzero valence adds more than 1 to the positive or negative sum of
    ``score_valence``, so both rounded shares are 0 only when there are at least 999 neutral
    tokens; a text of fewer than 1,000 characters without emoji (an emoji can become several
    words) has fewer tokens than that.
    """
    return neg == 0 and pos == 0 and len(text) < 1000 and \
        get_engine("vader")._emoji_chars.isdisjoint(text)


def article_tone_terms(sentences: pd.DataFrame) -> list[tuple[str, str, int, float]]:
    """``(doc_id, term, occurrences, total_valence)`` of every lexicon term in every article
    of ``sentences`` (the frame of :func:`sentence_sentiment`, with ``text``): the per-article
    part of :func:`driving_words` (summed over articles, :func:`term_contributions` of all the
    sentences). Articles in order of first appearance, terms sorted.

    Sentences whose ``neg`` and ``pos`` scores show that no token moved them are skipped (see
    :func:`_moves_no_score`); :func:`sentiment_tables` gives the same rows from the pass that
    scores the sentences, without a second pass.
    """
    engine = get_engine("vader")
    totals: dict[str, dict[str, float]] = {}
    counts: dict[str, dict[str, int]] = {}
    texts = sentences["text"].tolist()
    if "neg" in sentences.columns and "pos" in sentences.columns:
        silent = [_moves_no_score(neg, pos, text) if isinstance(text, str) else False
                  for neg, pos, text in zip(sentences["neg"].tolist(), sentences["pos"].tolist(),
                                            texts, strict=True)]
    else:
        silent = [False] * len(texts)
    for position, (doc_id, text, skip) in enumerate(zip(sentences["doc_id"].tolist(), texts,
                                                        silent, strict=True)):
        if doc_id not in totals:
            totals[doc_id], counts[doc_id] = {}, {}
        if skip:
            continue
        pairs = [(t, v) for t, v in engine.token_valences(_as_text(text, position)) if v != 0]
        _add_valences(pairs, totals[doc_id], counts[doc_id])
    return [(doc_id, term, counts[doc_id][term], doc_totals[term])
            for doc_id, doc_totals in totals.items() for term in sorted(doc_totals)]



#: Decimals of a term's total valence used to rank and tie terms (sums of the same valences
#: in another order differ in the last bits; a results store sums article by article).
RANK_DECIMALS = 9


def _top_terms(contributions: pd.DataFrame, top: int) -> pd.DataFrame:
    key = contributions.assign(_key=contributions["total_valence"].round(RANK_DECIMALS))
    positive = key[key["_key"] > 0].sort_values(
        ["_key", "term"], ascending=[False, True], kind="stable"
    ).head(top).drop(columns="_key")
    negative = key[key["_key"] < 0].sort_values(
        ["_key", "term"], ascending=[True, True], kind="stable"
    ).head(top).drop(columns="_key")
    parts = []
    for direction, part in (("positive", positive), ("negative", negative)):
        part = part.copy()
        part.insert(0, "rank", np.arange(1, len(part) + 1, dtype="int64"))
        part.insert(0, "direction", direction)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def driving_words(
    sentences: pd.DataFrame,
    corpus: pd.DataFrame | None = None,
    group_column: str | None = None,
    *,
    top: int = 10,
) -> pd.DataFrame:
    """The lexicon terms adding the most positive and the most negative valence.

    ``sentences`` is the frame of :func:`sentence_sentiment` (with its ``text`` column). With
    ``group_column`` (and ``corpus``) the ranking is made per group. Ties are broken
    alphabetically. Always computed with the exact VADER rules (engine ``"vader"``).
    """
    if "text" not in sentences.columns:
        raise SentimentError("sentences has no 'text' column; use sentence_sentiment(...) with "
                             "include_text=True.")
    if top < 1:
        raise SentimentError(f"top must be at least 1, not {top!r}.")
    groups = _group_of_sentences(sentences, corpus, group_column)
    if groups is None:
        return _top_terms(term_contributions(sentences["text"]), top)
    parts = []
    for name in sorted(groups.dropna().unique()):
        part = _top_terms(term_contributions(sentences.loc[groups == name, "text"]), top)
        part.insert(0, "group", name)
        parts.append(part)
    if not parts:
        columns = ["group", "direction", "rank", "term", "lexicon_valence", "occurrences",
                   "total_valence"]
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)
