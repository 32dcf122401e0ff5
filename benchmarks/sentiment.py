"""Sentences per second: utils.sentiment against vaderSentiment 3.3.2, on one core and on two.

Usage: .venv/bin/python benchmarks/sentiment.py [--repeats N] [--pin]

Scores every sentence of ``../shared/corpora/bbc_news_2225.csv.gz`` (split with
``utils.text.split_sentences``) plus the 5,190 NYT editorial snippets of the VADER paper, with

- the baseline: ``vaderSentiment.SentimentIntensityAnalyzer().polarity_scores`` on each text,
  one process;
- ``utils.sentiment.score_sentences(texts, workers=1)``: the exact engine alone, one process;
- ``utils.sentiment.score_sentences(texts, workers=2)``: this process and one forked child
  (the two-core figure; at least two available cores needed);
- ``utils.sentiment.score_sentences(texts)``: the default (``default_workers()``: the cores not
  already busy according to the load average).

How the ratios are measured: all in the same process and run, the settings taking turns in each
of ``--repeats`` rounds (so that the load other processes put on the shared machine falls on
every side alike); each setting's best wall-clock time of the rounds is kept, and a ratio is the
baseline's best time divided by the setting's. "one core" is ``workers=1`` against the baseline,
"two cores" is ``workers=2`` against the same single-process baseline. The times include
everything ``score_sentences`` does (checking the texts, the DataFrame, forking). The engine
keeps a bounded per-process cache of the tokens it has met, warm after the first round (the
worker forked for the two-core runs inherits it); the first round of a fresh engine is printed
too. With ``--pin`` the baseline and one-worker runs are pinned to one core
(``os.sched_setaffinity``) and the others use every available core. Every score (neg, neu, pos,
compound) of every setting is asserted identical to the baseline's. On a machine other
sessions keep busy the two workers get about one session's share of the cores (the Linux
autogroup scheduler shares them out by session), so the two-core ratio shows what a second
core adds only when one is free.

It then times ``sentence_sentiment`` on the BBC articles with an empty and with a warm cache.
The last line is ``speed-up: N.Nx`` (default settings against the baseline). Without the shared
corpora only the NYT snippets are scored (and said so).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from utils.corpus import load_corpus, load_nyt_sentences
from utils.paths import shared_corpora_dir
from utils.sentiment import (
    SCORE_COLUMNS,
    available_cores,
    default_workers,
    get_engine,
    score_sentences,
    sentence_sentiment,
)
from utils.text import split_sentences


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (forked workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function, cores: set[int] | None):
    """Wall-clock seconds, CPU seconds and result of one call, on ``cores`` if given."""
    if cores is not None:
        os.sched_setaffinity(0, cores)
    try:
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        result = function()
        return time.perf_counter() - started, cpu_seconds() - cpu_before, result
    finally:
        if cores is not None:
            os.sched_setaffinity(0, ALL_CORES)


ALL_CORES: set[int] = set()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pin", action="store_true",
                        help="pin the baseline and the one-worker runs to one core")
    args = parser.parse_args(argv)

    bbc_path = shared_corpora_dir() / "bbc_news_2225.csv.gz"
    sentences: list[str] = []
    bbc = None
    if bbc_path.exists():
        bbc = load_corpus(bbc_path)
        for text in bbc["text"]:
            sentences.extend(split_sentences(text))
        print(f"BBC news: {len(bbc):,} articles, {len(sentences):,} sentences")
    else:
        print("BBC news corpus absent (../shared/corpora); scoring the NYT snippets only")
    nyt = load_nyt_sentences()["text"].tolist()
    sentences.extend(nyt)
    n = len(sentences)
    cores = available_cores()
    print(f"NYT editorial snippets: {len(nyt):,}; total {n:,} texts; {cores} cores available; "
          f"best of {args.repeats} rounds")

    one_core = None
    if args.pin and hasattr(os, "sched_setaffinity"):
        ALL_CORES.update(os.sched_getaffinity(0))
        one_core = {min(ALL_CORES)}
        print(f"baseline and 1-worker runs pinned to core {min(ALL_CORES)}")

    analyzer = SentimentIntensityAnalyzer()
    get_engine.cache_clear()
    get_engine("vader")  # a fresh engine: its token cache is empty for the first round
    load_before = os.getloadavg()[0]

    settings = {
        "baseline": (lambda: [analyzer.polarity_scores(s) for s in sentences], one_core),
        "1 worker": (lambda: score_sentences(sentences, workers=1), one_core),
    }
    if cores >= 2:
        settings["2 workers"] = (lambda: score_sentences(sentences, workers=2), None)
    settings["default"] = (lambda: score_sentences(sentences), None)
    best: dict[str, tuple[float, float]] = {}
    results = {}
    first_round_one_worker = None
    chosen = []
    for _ in range(args.repeats):
        for name, (function, pinned) in settings.items():
            if name == "default":
                chosen.append(default_workers())  # what workers=None picks now
            seconds, cpu, results[name] = timed(function, pinned)
            if name == "1 worker" and first_round_one_worker is None:
                first_round_one_worker = (seconds, cpu)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, cpu)

    expected = results.pop("baseline")
    for name, frame in results.items():
        for column in SCORE_COLUMNS:
            got = frame[column].tolist()
            want = [scores[column] for scores in expected]
            mismatches = sum(a != b for a, b in zip(got, want, strict=True))
            assert mismatches == 0, f"{name}: {mismatches} {column} scores differ from the baseline"
    print(f"identical scores: {n:,} texts x {len(SCORE_COLUMNS)} columns, every setting")

    base_time = best["baseline"][0]
    labels = {
        "baseline": "vaderSentiment 3.3.2, 1 process",
        "1 worker": "utils.sentiment, 1 worker",
        "2 workers": "utils.sentiment, 2 workers",
        "default": f"utils.sentiment, default (chose {min(chosen)}-{max(chosen)} worker(s))",
    }
    print(f"load average before the runs: {load_before:.1f}, after: {os.getloadavg()[0]:.1f} "
          "(timings are wall-clock; CPU seconds include forked workers)")
    for name, (seconds, cpu) in best.items():
        print(f"{labels[name]:<46} {n / seconds:>10,.0f} sentences/s  ({seconds:.3f} s wall, "
              f"{cpu:.2f} s CPU, {base_time / seconds:.2f}x)")
    print("utils.sentiment, 1 worker, first round (fresh engine, empty token cache): "
          f"{first_round_one_worker[0]:.3f} s wall, {first_round_one_worker[1]:.2f} s CPU")
    print(f"one core: {base_time / best['1 worker'][0]:.2f}x")
    if "2 workers" in best:
        print(f"two cores: {base_time / best['2 workers'][0]:.2f}x")
    else:
        print("two cores: not measured (one core available)")

    if bbc is not None:
        with tempfile.TemporaryDirectory() as folder:
            cache = Path(folder) / "sentiment.sqlite"
            started = time.perf_counter()
            sentence_sentiment(bbc, cache=cache)
            cold = time.perf_counter() - started
            started = time.perf_counter()
            sentence_sentiment(bbc, cache=cache)
            warm = time.perf_counter() - started
        print(f"sentence_sentiment on BBC (split + score): empty cache {len(bbc) / cold:,.0f} "
              f"articles/s ({cold:.2f} s), warm cache {len(bbc) / warm:,.0f} articles/s "
              f"({warm:.2f} s)")

    print(f"speed-up: {base_time / best['default'][0]:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
