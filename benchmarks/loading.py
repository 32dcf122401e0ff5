"""Benchmark: what reading a corpus right costs, against a bare ``pandas.read_csv``.

Usage (from the project root)::

    .venv/bin/python benchmarks/loading.py [--corpus reuters bbc fa-kes] [--repeat 3]

For each table of ``../shared/corpora`` the baseline is ``pandas.read_csv`` of the file (every
value as text), what a notebook that trusts its input does. ``load_corpus`` then reads the same
file with every check of :mod:`utils.corpus` (encoding by evidence, separator, typed columns,
HTML, ftfy repair, boilerplate, dates by the stated rule, duplicates, language per article).
The stages the loader adds are timed on the loaded texts: language identification, HTML
detection and date parsing. Best of ``--repeat`` runs; the last line reads
``loader / read_csv: N.Nx`` over all corpora. Exits with a message (status 0) when the shared
corpora are absent.
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from utils import paths
from utils.corpus import load_corpus, load_report
from utils.corpus.cleaning import looks_like_html
from utils.corpus.dates import parse_dates
from utils.corpus.language import detect_language
from utils.corpus.report import LoadReport

CORPORA = {"reuters": "reuters21578.csv.gz", "bbc": "bbc_news_2225.csv.gz",
           "fa-kes": "fa_kes_syria_804.csv.gz"}


def best_of(repeat: int, function) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", choices=list(CORPORA), default=list(CORPORA))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folder = paths.shared_corpora_dir()
    if not folder.exists():
        print(f"The shared corpora are not available ({folder.name} missing): nothing to time.")
        return 0
    total_base = total_loader = 0.0
    print(f"{'corpus':<10}{'articles':>9}{'read_csv s':>12}{'loader s':>10}{'ratio':>7}"
          f"{'language s':>12}{'html s':>8}{'dates s':>9}{'articles/s':>12}")
    for name in args.corpus:
        path = folder / CORPORA[name]
        base, _ = best_of(args.repeat, lambda p=path: pd.read_csv(
            p, dtype=str, keep_default_na=False))
        loader, corpus = best_of(args.repeat, lambda p=path: load_corpus(p))
        texts = corpus["text"].tolist()
        language, _ = best_of(1, lambda t=texts: [detect_language(x) for x in t])
        html, _ = best_of(1, lambda t=texts: [looks_like_html(x) for x in t])
        dates, _ = best_of(1, lambda c=corpus: parse_dates(
            c["date"].astype("string"), LoadReport("", "")))
        total_base += base
        total_loader += loader
        print(f"{name:<10}{len(corpus):>9,}{base:>12.2f}{loader:>10.2f}{loader / base:>6.1f}x"
              f"{language:>12.2f}{html:>8.2f}{dates:>9.2f}{len(corpus) / loader:>12,.0f}")
        assert load_report(corpus).kept == len(corpus)
    print(f"loader / read_csv: {total_loader / total_base:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
