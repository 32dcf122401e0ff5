"""Speed of ``utils.attribution.extract_attributions`` (target for the default, learned
extractor: >= 500,000 characters/s on one core).

Usage: ``.venv/bin/python benchmarks/attribution.py [--repeat N]``

Prints characters/s on one core over the PolNeAR train articles and the FA-KES corpus
(``../shared/corpora``) of the learned extractor (the default) and of the rules alone
(``method="rules"``), with the ratio learned/rules, and, as a baseline run in the same process,
characters/s of
plain NLTK Punkt sentence splitting alone (``utils.text.reference_sentence_spans``; the
extractor calls the project's faster, identical splitter once per article), so the ratio says
how the whole extractor compares with plain sentence splitting on this (shared, noisy) machine.
The splitter's per-text memory is cleared before every run, so no run reuses another's work.
The best of ``--repeat`` runs is reported.
Skips with a message when the shared corpora are absent.
"""

from __future__ import annotations

import argparse
import functools
import time

import pandas as pd

from utils import text as text_utils
from utils.attribution import extract_attributions
from utils.paths import shared_corpora_dir

TARGET = 500_000


def _rate(function, texts: list[str], repeat: int) -> float:
    chars = sum(len(t) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        text_utils._remembered_sentence_spans.cache_clear()
        started = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - started)
    return chars / best


def _corpora() -> dict[str, list[str]]:
    folder = shared_corpora_dir()
    polnear = pd.read_csv(folder / "polnear_articles.csv.gz")
    fakes = pd.read_csv(folder / "fa_kes_syria_804.csv.gz")
    return {
        "PolNeAR train": polnear.loc[polnear["compartment"] == "train", "text"].dropna().tolist(),
        "FA-KES": fakes["article_content"].dropna().astype(str).tolist(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not shared_corpora_dir().is_dir():
        print("shared corpora absent (../shared/corpora): benchmark skipped")
        return 0
    for name, texts in _corpora().items():
        chars = sum(len(t) for t in texts)
        extract_attributions(texts[0])  # warm-up: compiled regexes, Punkt parameters
        baseline = _rate(text_utils.reference_sentence_spans, texts, args.repeat)
        rules = _rate(functools.partial(extract_attributions, method="rules"), texts, args.repeat)
        rate = _rate(extract_attributions, texts, args.repeat)
        verdict = "meets" if rate >= TARGET else "below"
        print(
            f"{name}: {len(texts)} articles, {chars:,} characters | "
            f"learned (default) {rate:,.0f} chars/s ({verdict} the {TARGET:,} target) | "
            f"rules {rules:,.0f} chars/s | ratio learned/rules {rate / rules:.2f} | "
            f"plain Punkt splitting alone {baseline:,.0f} chars/s | "
            f"ratio learned/splitter {rate / baseline:.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
