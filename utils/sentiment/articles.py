"""Sentence-level and article-level sentiment of a corpus, cached per article."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from utils import paths
from utils.sentiment.scoring import (
    NEUTRAL_THRESHOLD,
    SCORE_COLUMNS,
    SCORER_REVISION,
    ExactVader,
    SentimentError,
    _as_text,
    _check_engine,
    _resolve_workers,
    _run_parallel,
    get_engine,
    score_sentences,
    score_text,
)


def _analyse_articles(engine: str, texts: list[str]) -> list[np.ndarray]:
    """For each article, an array ``(n_sentences, 6)``: start, end, neg, neu, pos, compound."""
    from utils.text import sentence_spans

    analyzer = get_engine(engine)
    if isinstance(analyzer, ExactVader):
        scorer = analyzer.score_tuple
    else:
        def scorer(sentence: str) -> tuple[float, float, float, float]:
            scores = analyzer.polarity_scores(sentence)
            return tuple(scores[column] for column in SCORE_COLUMNS)

    out = []
    for text in texts:
        spans = sentence_spans(text)
        if hasattr(analyzer, "score_many"):  # the news scorer: the article's sentences at once
            scores = analyzer.score_many([text[start:end] for start, end in spans])
        else:
            scores = [scorer(text[start:end]) for start, end in spans]
        rows = [(start, end, *row) for (start, end), row in zip(spans, scores, strict=True)]
        out.append(np.array(rows, dtype="float64").reshape(len(rows), 6))
    return out


@functools.cache
def scorer_version(engine: str = "vader") -> str:
    """Identity of what produces cached results: engine, vaderSentiment version and lexicon,
    NLTK version, the sentence splitter's code and abbreviations, :data:`SCORER_REVISION`."""
    from utils import text as text_module
    from utils.resources import NEWS_ABBREVIATIONS, vader_lexicon_path

    digest = hashlib.sha256()
    for part in (
        engine,
        str(SCORER_REVISION),
        importlib.metadata.version("vaderSentiment"),
        importlib.metadata.version("nltk"),
        "\n".join(sorted(NEWS_ABBREVIATIONS)),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(vader_lexicon_path().read_bytes())
    digest.update(Path(text_module.__file__).read_bytes())
    if engine == "news":  # a rebuilt news model or a changed news lexicon is a new scorer
        from utils.sentiment import news

        digest.update(news.NEWS_MODEL_FILE.read_bytes() if news.NEWS_MODEL_FILE.exists()
                      else b"")
        digest.update(Path(news.__file__).read_bytes())
    return digest.hexdigest()[:16]


def article_key(text: str, engine: str = "vader") -> str:
    """Cache key of one article: sha256 of the scorer version and the text."""
    return hashlib.sha256(f"{scorer_version(engine)}\0{text}".encode()).hexdigest()


class SentimentCache:
    """Per-article sentence scores in a SQLite file (default ``.cache/sentiment.sqlite``).

    Keys are :func:`article_key` (hash of the text and of :func:`scorer_version`), so a changed
    article, splitter or engine is simply a miss. SQLite's locking (WAL journal, 60 s busy
    timeout, ``INSERT OR REPLACE`` in one transaction) makes it safe when two processes read and
    write at once. A cache that cannot be opened is bypassed (results are computed, not stored).
    """

    def __init__(self, path: str | os.PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else paths.CACHE_DIR / "sentiment.sqlite"
        self._connection: sqlite3.Connection | None = None
        connection = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=60)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                pass  # another process holds the lock; the default journal works too
            connection.execute(
                "CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, rows BLOB NOT NULL)"
            )
            connection.commit()
            self._connection = connection
        except (OSError, sqlite3.Error):
            if connection is not None:
                connection.close()
            self._connection = None

    @property
    def available(self) -> bool:
        return self._connection is not None

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        if not self.available or not keys:
            return {}
        found = {}
        unique = sorted(set(keys))
        for i in range(0, len(unique), 500):
            batch = unique[i : i + 500]
            marks = ",".join("?" * len(batch))
            try:
                cursor = self._connection.execute(
                    f"SELECT key, rows FROM articles WHERE key IN ({marks})", batch
                )
                for key, blob in cursor:
                    found[key] = np.frombuffer(blob, dtype="float64").reshape(-1, 6)
            except sqlite3.Error:
                return found
        return found

    def put_many(self, items: Mapping[str, np.ndarray]) -> None:
        if not self.available or not items:
            return
        rows = [(key, np.ascontiguousarray(a, "float64").tobytes()) for key, a in items.items()]
        try:
            with self._connection:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO articles (key, rows) VALUES (?, ?)", rows
                )
        except sqlite3.Error:
            pass  # a busy or read-only cache only costs a re-computation next time

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> SentimentCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _check_corpus(corpus: pd.DataFrame, *columns: str) -> None:
    if not isinstance(corpus, pd.DataFrame):
        raise SentimentError(
            f"Expected the DataFrame returned by load_corpus, got {type(corpus).__name__}."
        )
    missing = [c for c in ("doc_id", "text", *columns) if c not in corpus.columns]
    if missing:
        raise SentimentError(
            f"The corpus frame has no column(s) {missing}; columns found: {list(corpus.columns)}. "
            "Load it with utils.corpus.load_corpus."
        )


def _open_cache(cache) -> SentimentCache | None:
    if cache is True:
        return SentimentCache()
    if cache is None or cache is False:
        return None
    if isinstance(cache, SentimentCache):
        return cache
    return SentimentCache(cache)


def sentence_sentiment(
    corpus: pd.DataFrame,
    *,
    engine: str = "vader",
    cache: bool | str | os.PathLike | SentimentCache | None = True,
    workers: int | None = None,
    include_text: bool = True,
    min_parallel_chars: int = 2_000_000,
) -> pd.DataFrame:
    """One row per sentence of every article (see the module docstring for the columns).

    ``cache``: ``True`` (``.cache/sentiment.sqlite``), a path, a :class:`SentimentCache`, or
    ``False``. Only articles missing from the cache are split and scored; when their text adds
    up to at least ``min_parallel_chars`` characters they are processed in a pool of ``workers``
    processes (default: :func:`default_workers`).
    """
    _check_engine(engine)
    _check_corpus(corpus)
    from utils.corpus.language import analysed_mask

    # articles in languages VADER cannot read have no scored sentences (their score is NaN)
    texts = [_as_text(t, doc) if ok else "" for doc, t, ok in
             zip(corpus["doc_id"], corpus["text"], analysed_mask(corpus), strict=True)]
    keys = [article_key(text, engine) for text in texts]
    store = _open_cache(cache)
    try:
        known = store.get_many(keys) if store is not None else {}
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in todo:
                todo[key] = text
        if todo:
            todo_keys = list(todo)
            todo_texts = [todo[k] for k in todo_keys]
            n_workers = _resolve_workers(workers)
            total_chars = sum(len(t) for t in todo_texts)
            if n_workers > 1 and len(todo_texts) > 1 and total_chars >= min_parallel_chars:
                arrays = _run_parallel(_analyse_articles, engine, todo_texts, n_workers,
                                       split_sentences=True)
            else:
                arrays = _analyse_articles(engine, todo_texts)
            computed = dict(zip(todo_keys, arrays, strict=True))
            if store is not None:
                store.put_many(computed)
            known.update(computed)
    finally:
        if store is not None and store is not cache:
            store.close()
    return _sentence_frame(corpus, texts, [known[k] for k in keys], include_text)


def _sentence_frame(
    corpus: pd.DataFrame, texts: list[str], arrays: list[np.ndarray], include_text: bool
) -> pd.DataFrame:
    counts = np.array([len(a) for a in arrays], dtype="int64")
    stacked = np.concatenate(arrays) if arrays else np.empty((0, 6))
    stacked = stacked.reshape(-1, 6)
    doc_ids = np.repeat(corpus["doc_id"].astype("string").to_numpy(dtype=object), counts)
    index = np.concatenate([np.arange(n) for n in counts]) if len(counts) else np.array([])
    n_sent = np.repeat(counts, counts)
    starts = stacked[:, 0].astype("int64")
    ends = stacked[:, 1].astype("int64")
    frame = pd.DataFrame(
        {
            "doc_id": pd.array(doc_ids, dtype="string"),
            "sentence_index": index.astype("int64"),
            "n_sentences": n_sent.astype("int64"),
            "position": (index + 0.5) / np.maximum(n_sent, 1),
            "start": starts,
            "end": ends,
        }
    )
    if include_text:
        pieces = []
        for text, array in zip(texts, arrays, strict=True):
            pieces.extend(text[int(s) : int(e)] for s, e in array[:, :2])
        frame["text"] = pd.array(pieces, dtype=object)
    for j, column in enumerate(SCORE_COLUMNS, start=2):
        frame[column] = stacked[:, j]
    return frame


def article_sentiment(
    corpus: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    *,
    engine: str = "vader",
    whole_text: bool = False,
    threshold: float = NEUTRAL_THRESHOLD,
    **sentence_options,
) -> pd.DataFrame:
    """Article-level sentiment, one row per article in corpus order (module docstring).

    ``sentences`` is the result of :func:`sentence_sentiment` for this corpus (computed when
    not given, with ``sentence_options``). ``share_positive``/``share_negative`` are the shares of
    sentences with compound >= ``threshold`` / <= ``-threshold``.
    """
    _check_corpus(corpus)
    if sentences is None:
        sentences = sentence_sentiment(corpus, engine=engine, **sentence_options)
    missing = [c for c in ("doc_id", "compound") if c not in sentences.columns]
    if missing:
        raise SentimentError(f"sentences lacks {missing}; pass the frame of sentence_sentiment.")
    compound = sentences["compound"].astype("float64")
    keys = sentences["doc_id"].astype("string")
    grouped = compound.groupby(keys, sort=False)
    stats = pd.DataFrame(
        {
            "n_sentences": grouped.size(),
            "mean_compound": grouped.mean(),
            "median_compound": grouped.median(),
            "min_compound": grouped.min(),
            "max_compound": grouped.max(),
            "share_positive": (compound >= threshold).groupby(keys, sort=False).mean(),
            "share_negative": (compound <= -threshold).groupby(keys, sort=False).mean(),
        }
    )
    doc_ids = corpus["doc_id"].astype("string")
    frame = stats.reindex(doc_ids.to_numpy()).reset_index(names="doc_id")
    frame["doc_id"] = frame["doc_id"].astype("string")
    frame["n_sentences"] = frame["n_sentences"].fillna(0).astype("int64")
    for column in frame.columns[2:]:
        frame[column] = frame[column].astype("Float64")
    from utils.corpus.language import analysed_mask

    headlines = []
    for title, english in zip(_titles(corpus), analysed_mask(corpus), strict=True):
        if pd.isna(title) or not str(title).strip() or not english:
            headlines.append(pd.NA)
        else:
            headlines.append(score_text(str(title), engine=engine)["compound"])
    frame["headline_compound"] = pd.array(headlines, dtype="Float64")
    if whole_text:
        scores = score_sentences(corpus["text"].tolist(), engine=engine, workers=1)
        frame["text_compound"] = pd.array(scores["compound"].to_numpy(), dtype="Float64")
        frame.loc[~pd.Series(analysed_mask(corpus)).to_numpy(), "text_compound"] = pd.NA
    return frame


def _titles(corpus: pd.DataFrame) -> list:
    if "title" not in corpus.columns:
        return [pd.NA] * len(corpus)
    return corpus["title"].tolist()
