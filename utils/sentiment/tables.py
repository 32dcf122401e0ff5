"""What the pipeline's sentiment step keeps of a batch of articles, in one pass."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from utils.sentiment.articles import _check_corpus, _sentence_frame
from utils.sentiment.quotes import _article_quote_tone
from utils.sentiment.scoring import _as_text, get_engine
from utils.sentiment.terms import _add_valences


class SentimentTables(NamedTuple):
    """What the pipeline's sentiment step keeps of a batch of articles (:func:`sentiment_tables`).

    ``sentences``: the frame of :func:`sentence_sentiment`; ``tone_terms``: the rows of
    :func:`article_tone_terms`; ``quote_tone``: the rows of :func:`article_quote_tone`.
    """

    sentences: pd.DataFrame
    tone_terms: list[tuple[str, str, int, float]]
    quote_tone: list[tuple]


def sentiment_tables(corpus: pd.DataFrame, *, min_authorial_words: int = 4) -> SentimentTables:
    """The sentences, tone terms and quoted/authorial tone of every article, in one pass.

    Equal to ``sentence_sentiment(corpus, cache=False, workers=1)``, then
    :func:`article_tone_terms` and :func:`article_quote_tone` of those sentences, but each
    sentence goes through VADER's rules once: the pass that scores it also gives its tokens'
    valences (:meth:`ExactVader.score_and_valences`), and an authorial segment that is its whole
    sentence takes the sentence's score. Always the default engine (``"vader"``); articles in
    languages VADER cannot read have no sentences, as in :func:`sentence_sentiment`.
    """
    _check_corpus(corpus)
    from utils.corpus.language import analysed_mask
    from utils.text import sentence_spans

    engine = get_engine("vader")
    doc_ids = corpus["doc_id"].astype("string").tolist()
    texts = [_as_text(t, doc) if ok else "" for doc, t, ok in
             zip(corpus["doc_id"], corpus["text"], analysed_mask(corpus), strict=True)]
    arrays, tone_terms, quote_tone = [], [], []
    for doc_id, text in zip(doc_ids, texts, strict=True):
        rows, totals, counts = [], {}, {}
        for start, end in sentence_spans(text):
            scores, pairs = engine.score_and_valences(text[start:end])
            rows.append((start, end, *scores))
            _add_valences(pairs, totals, counts)
        arrays.append(np.array(rows, dtype="float64").reshape(len(rows), 6))
        tone_terms.extend((doc_id, term, counts[term], totals[term]) for term in sorted(totals))
        if rows:
            tone = _article_quote_tone(engine, text, [(r[0], r[1], r[5]) for r in rows],
                                       min_authorial_words)
            if tone is not None:
                quote_tone.append((doc_id, *tone))
    return SentimentTables(_sentence_frame(corpus, texts, arrays, True), tone_terms, quote_tone)
