"""The VADER engines and sentence scoring: exact VADER (parity with vaderSentiment 3.3.2),
the reference analyzer, NLTK's port, and ``score_sentences`` over a process pool."""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from utils.sentiment.vader import SCORE_COLUMNS, ExactVader

#: Engines accepted by every scoring function.
ENGINES = ("vader", "reference", "nltk", "news")
#: Compound threshold of the VADER paper: >= 0.05 positive, <= -0.05 negative, else neutral.
NEUTRAL_THRESHOLD = 0.05
#: Bump when the engine or the cached layout changes (part of every cache key).
SCORER_REVISION = 1


class SentimentError(ValueError):
    """Input the sentiment functions cannot use; the message says why and what to do."""


@functools.cache
def get_engine(engine: str = "vader"):
    """The analyzer object behind ``engine`` (cached: the lexicon is read once per process)."""
    if engine == "vader":
        return ExactVader()
    if engine == "reference":
        return SentimentIntensityAnalyzer()
    if engine == "nltk":
        from nltk.sentiment.vader import SentimentIntensityAnalyzer as NltkAnalyzer

        from utils.resources import use_project_nltk_data

        use_project_nltk_data()
        return NltkAnalyzer()
    if engine == "news":
        from utils.sentiment.news import NewsScorer

        return NewsScorer()
    raise SentimentError(f"Unknown sentiment engine {engine!r}; use one of {list(ENGINES)}.")


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise SentimentError(f"Unknown sentiment engine {engine!r}; use one of {list(ENGINES)}.")


def _as_text(value, position) -> str:
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    raise SentimentError(
        f"Sentence {position!r} is a {type(value).__name__}, not text; pass strings "
        "(missing values are scored as empty text)."
    )


def score_text(text: str, *, engine: str = "vader") -> dict[str, float]:
    """Scores of one text as the reference's dict ``{neg, neu, pos, compound}``."""
    _check_engine(engine)
    return dict(get_engine(engine).polarity_scores(_as_text(text, 0)))


def _score_chunk(engine: str, texts: list[str]) -> list[tuple[float, float, float, float]]:
    analyzer = get_engine(engine)
    if isinstance(analyzer, ExactVader):
        return [analyzer.score_tuple(text) for text in texts]
    if hasattr(analyzer, "score_many"):  # the news scorer: one matrix product for the batch
        return analyzer.score_many(texts)
    scorer = analyzer.polarity_scores
    out = []
    for text in texts:
        scores = scorer(text)
        out.append((scores["neg"], scores["neu"], scores["pos"], scores["compound"]))
    return out


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    # fork shares the already-built lexicon with the workers (nothing is re-read)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


def _chunks(items: list, n_chunks: int) -> list[list]:
    size = max(1, math.ceil(len(items) / n_chunks))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _run_parallel(function, engine: str, items: list, workers: int, *,
                  split_sentences: bool = False) -> list:
    """Apply ``function(engine, chunk)`` to large chunks in a process pool, in input order.
    ``split_sentences`` loads the sentence splitter first, so that forked workers inherit it."""
    chunks = _chunks(items, workers * 4)
    get_engine(engine)  # build the lexicon once, here: forked workers inherit it
    if split_sentences:
        from utils.text import sentence_spans

        sentence_spans("Warm up. The splitter.")
    with _pool(workers) as pool:
        results = pool.map(function, [engine] * len(chunks), chunks)
        return [row for chunk in results for row in chunk]


#: What forked scoring workers read: (engine, texts, shared result buffer, next text counter,
#: chunk size); set by _score_forked just before it forks, inherited by the children.
_FORK_JOB: tuple | None = None


def _fork_worker() -> None:
    """Score chunks of ``_FORK_JOB``'s texts until none is left, each chunk's scores written
    into the shared buffer at the chunk's rows (four float64 a text, in column order)."""
    from array import array
    from itertools import chain

    engine, texts, shared, next_start, chunk = _FORK_JOB
    analyzer = get_engine(engine)
    score = analyzer.score_tuple if isinstance(analyzer, ExactVader) else None
    out = memoryview(shared).cast("d")
    n = len(texts)
    while True:
        with next_start.get_lock():
            start = next_start.value
            next_start.value = start + chunk
        if start >= n:
            break
        end = min(n, start + chunk)
        rows = map(score, texts[start:end]) if score else _score_chunk(engine, texts[start:end])
        out[4 * start : 4 * end] = array("d", chain.from_iterable(rows))
    out.release()


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _score_forked(engine: str, texts: list[str], workers: int):
    """Scores of ``texts`` as a float64 array ``(len(texts), 4)``, by this process and
    ``workers - 1`` forked children.

    The children inherit the texts and the built engine (nothing is pickled or re-read), take
    chunks from a shared counter (a busy core takes fewer), and write their scores into an
    anonymous shared memory map that this process reads. Rows a failed child left unscored are
    scored here.
    """
    import mmap
    import multiprocessing

    import numpy as np

    global _FORK_JOB
    n = len(texts)
    context = multiprocessing.get_context("fork")
    shared = mmap.mmap(-1, max(1, n) * 4 * 8)  # anonymous and shared: children write here
    scores = np.frombuffer(shared, dtype="float64", count=4 * n).reshape(n, 4)
    scores.fill(np.nan)
    chunk = max(200, min(4096, math.ceil(n / (workers * 48))))  # a short wait for the last
    get_engine(engine)  # build the lexicon once, here: forked workers inherit it
    _FORK_JOB = (engine, texts, shared, context.Value("q", 0), chunk)
    children = []
    try:
        for _ in range(workers - 1):
            child = context.Process(target=_fork_worker, daemon=True)
            try:
                child.start()
            except (AssertionError, OSError):  # e.g. a daemonic process: score here alone
                break
            children.append(child)
        _fork_worker()
    except BaseException:
        for child in children:
            child.terminate()
        raise
    finally:
        for child in children:
            child.join()
        _FORK_JOB = None
    result = scores.copy()
    del scores
    shared.close()
    missing = np.flatnonzero(np.isnan(result[:, 0]))
    if len(missing):
        result[missing] = _score_chunk(engine, [texts[i] for i in missing])
    return result


def default_workers() -> int:
    """Worker processes used when ``workers=None``: the available cores not already busy.

    Like ``make --load-average``: with the 1-minute load average at ``L`` on ``C`` cores,
    ``C + 1 - L`` workers rounded (this process counts for one load unit), at least 1 (scoring in
    this process) and at most ``C``.
    On a shared, oversubscribed machine extra processes only add overhead; results are the same
    whatever the number of workers.
    """
    cores = available_cores()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not available on this platform
        return cores
    return max(1, min(cores, int(cores + 1.5 - load)))


def _resolve_workers(workers: int | None) -> int:
    if workers is None:
        return default_workers()
    if not isinstance(workers, int) or workers < 1:
        raise SentimentError(f"workers must be a positive integer or None, not {workers!r}.")
    return workers


def score_sentences(
    sentences: Iterable[str],
    *,
    engine: str = "vader",
    workers: int | None = None,
    min_parallel: int = 20_000,
) -> pd.DataFrame:
    """Score each text with VADER: a DataFrame ``neg, neu, pos, compound``, one row per text.

    ``sentences`` is any iterable of strings (a Series keeps its index). Missing values (None,
    NaN, ``<NA>``) are scored as empty text (all zeros, as the reference does for ``""``); any
    other non-string raises :class:`SentimentError`. With at least ``min_parallel`` texts and
    more than one worker the texts are scored by this process and forked workers
    (:func:`_score_forked`; a process pool where fork is not available), input order kept;
    fewer texts are scored in this process (workers cost more than they save).
    """
    _check_engine(engine)
    index = sentences.index if isinstance(sentences, pd.Series) else None
    texts = [_as_text(value, pos) for pos, value in enumerate(sentences)]
    n_workers = _resolve_workers(workers)
    if n_workers > 1 and len(texts) >= max(min_parallel, 2):
        if _can_fork():
            rows = _score_forked(engine, texts, n_workers)
        else:
            rows = _run_parallel(_score_chunk, engine, texts, n_workers)
    else:
        rows = _score_chunk(engine, texts)
    frame = pd.DataFrame(rows, columns=list(SCORE_COLUMNS), dtype="float64")
    if not len(rows):
        frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in SCORE_COLUMNS})
    if index is not None:
        frame.index = index
    return frame
