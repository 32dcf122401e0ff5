"""Sentences per second: utils.sentiment against vaderSentiment 3.3.2 in one process.

Usage: .venv/bin/python benchmarks/sentiment.py [--repeats N]

Scores every sentence of ``../shared/corpora/bbc_news_2225.csv.gz`` (split with
``utils.text.split_sentences``) plus the 5,190 NYT editorial snippets of the VADER paper, with

- the baseline: ``vaderSentiment.SentimentIntensityAnalyzer().polarity_scores`` in this process;
- ``utils.sentiment.score_sentences`` with one worker (the exact engine alone);
- ``utils.sentiment.score_sentences`` with its defaults (every available core, process pool);

all in the same process and run, best of ``--repeats`` timings each (the machine is shared and
noisy), and asserts that every score (neg, neu, pos, compound) is identical to the baseline. It
then times ``sentence_sentiment`` on the BBC articles with an empty and with a warm cache. The
last line is ``speed-up: N.Nx`` (default settings against the baseline). Without the shared
corpora only the NYT snippets are scored (and said so).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from utils.corpus import load_corpus, load_nyt_sentences
from utils.paths import shared_corpora_dir
from utils.sentiment import SCORE_COLUMNS, available_cores, score_sentences, sentence_sentiment
from utils.text import split_sentences


def best_time(function, repeats: int):
    best = None
    result = None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


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

    def baseline():
        return [analyzer.polarity_scores(s) for s in sentences]

    base_time, expected = best_time(baseline, args.repeats)
    one_time, one_core = best_time(lambda: score_sentences(sentences, workers=1), args.repeats)
    default_time, ours = best_time(lambda: score_sentences(sentences), args.repeats)

    for frame, name in ((one_core, "1 worker"), (ours, "default")):
        for column in SCORE_COLUMNS:
            got = frame[column].tolist()
            want = [scores[column] for scores in expected]
            mismatches = sum(a != b for a, b in zip(got, want, strict=True))
            assert mismatches == 0, f"{name}: {mismatches} {column} scores differ from the baseline"
    print(f"identical scores: {n:,} texts x {len(SCORE_COLUMNS)} columns, both settings")

    rows = [
        ("vaderSentiment 3.3.2, 1 process", base_time),
        ("utils.sentiment, 1 worker", one_time),
        (f"utils.sentiment, default ({available_cores()} workers)", default_time),
    ]
    for label, seconds in rows:
        print(f"{label:<44} {n / seconds:>10,.0f} sentences/s  ({seconds:.2f} s, "
              f"{base_time / seconds:.2f}x)")

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
