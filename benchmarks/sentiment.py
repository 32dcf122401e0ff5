"""Sentences per second: utils.sentiment against vaderSentiment 3.3.2 in one process.

Usage: .venv/bin/python benchmarks/sentiment.py [--repeats N]

Scores every sentence of ``../shared/corpora/bbc_news_2225.csv.gz`` (split with
``utils.text.split_sentences``) plus the 5,190 NYT editorial snippets of the VADER paper, with

- the baseline: ``vaderSentiment.SentimentIntensityAnalyzer().polarity_scores`` in this process;
- ``utils.sentiment.score_sentences`` with one worker (the exact engine alone);
- ``utils.sentiment.score_sentences`` with its defaults (``default_workers()``: the cores not
  already busy according to the load average; a process pool when more than one);
- ``utils.sentiment.score_sentences`` forced onto every available core;

all in the same process and run, best of ``--repeats`` timings each (the machine is shared and
noisy), and asserts that every score (neg, neu, pos, compound) is identical to the baseline. It
then times ``sentence_sentiment`` on the BBC articles with an empty and with a warm cache. The
last line is ``speed-up: N.Nx`` (default settings against the baseline). Without the shared
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
    score_sentences,
    sentence_sentiment,
)
from utils.text import split_sentences


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (pool workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_time(function, repeats: int):
    """Best wall-clock time of ``repeats`` runs, the CPU seconds of that run, and the result."""
    best = None
    best_cpu = None
    result = None
    for _ in range(repeats):
        cpu_before = cpu_seconds()
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        if best is None or elapsed < best:
            best, best_cpu = elapsed, cpu_seconds() - cpu_before
    return best, best_cpu, result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
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
    print(f"NYT editorial snippets: {len(nyt):,}; total {n:,} texts; "
          f"{available_cores()} cores available; best of {args.repeats} runs")

    analyzer = SentimentIntensityAnalyzer()
    load_before = os.getloadavg()[0]

    def baseline():
        return [analyzer.polarity_scores(s) for s in sentences]

    base_time, base_cpu, expected = best_time(baseline, args.repeats)
    one_time, one_cpu, one_core = best_time(
        lambda: score_sentences(sentences, workers=1), args.repeats
    )
    chosen = default_workers()  # what workers=None picks now (free cores, from the load average)
    default_time, default_cpu, ours = best_time(lambda: score_sentences(sentences), args.repeats)
    two_time, two_cpu, two = best_time(
        lambda: score_sentences(sentences, workers=available_cores()), args.repeats
    )

    for frame, name in ((one_core, "1 worker"), (ours, "default"), (two, "all cores")):
        for column in SCORE_COLUMNS:
            got = frame[column].tolist()
            want = [scores[column] for scores in expected]
            mismatches = sum(a != b for a, b in zip(got, want, strict=True))
            assert mismatches == 0, f"{name}: {mismatches} {column} scores differ from the baseline"
    print(f"identical scores: {n:,} texts x {len(SCORE_COLUMNS)} columns, every setting")

    rows = [
        ("vaderSentiment 3.3.2, 1 process", base_time, base_cpu),
        ("utils.sentiment, 1 worker", one_time, one_cpu),
        (f"utils.sentiment, default (chose {chosen} worker(s))", default_time, default_cpu),
        (f"utils.sentiment, {available_cores()} workers (forced)", two_time, two_cpu),
    ]
    print(f"load average before the runs: {load_before:.1f} (timings are wall-clock; CPU seconds "
          "include pool workers)")
    for label, seconds, cpu in rows:
        print(f"{label:<44} {n / seconds:>10,.0f} sentences/s  ({seconds:.2f} s wall, "
              f"{cpu:.2f} s CPU, {base_time / seconds:.2f}x)")

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

    print(f"speed-up: {base_time / default_time:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
