"""Benchmark: corpus-wide term counts, bigram collocations and keyness, project vs tutorial.

Usage (from the project root)::

    .venv/bin/python benchmarks/frequencies.py [--jobs 2] [--corpus reuters bbc] [--limit N]

For each corpus (``../shared/corpora``: Reuters-21578, 21,578 articles; BBC News, 2,225) the
articles are loaded once with ``load_corpus``; then, on the same loaded articles:

- the **baseline**, the pipeline of a typical tutorial notebook: for each article, Punkt
  sentences, NLTK's word tokenizer on each sentence, lower-casing, stopword and
  punctuation/number filtering, ``nltk.FreqDist`` over all tokens (and one per group),
  ``BigramCollocationFinder`` scored by likelihood ratio, and G2/log-ratio keyness computed term
  by term in Python. Its time is broken down by stage (where the time goes);
- the **project**: ``utils.frequencies.tokenize_corpus`` (``--jobs`` processes, the exact fast
  tokenizer), ``term_counts``, ``collocations`` and ``keyness`` on the tokenized corpus.

The script asserts that both give the same term counts, the same bigram counts and scores and
the same keyness values, then prints articles/s and words/s for each and the ratio. The last
line reads ``speed-up: N.Nx`` (total baseline time / total project time over the corpora).
CPU seconds (this process and its workers) are printed beside wall-clock times: on a shared,
busy machine a wall-clock ratio far from the CPU picture means other processes took the cores.
Exits with a message (status 0) when the shared corpora are absent.
"""

from __future__ import annotations

import argparse
import math
import re
import resource
import sys
import time
from collections import defaultdict

import numpy as np

from utils import paths
from utils.corpus import load_corpus
from utils.frequencies import collocations, keyness, term_counts, tokenize_corpus
from utils.resources import english_stopwords
from utils.text import is_word, reference_sentence_spans, tokenize_words

MIN_FREQ = 3
LETTER = re.compile(r"[^\W\d_]")


def reuters_groups(frame):
    """Reuters: articles about earnings (topic ``earn``) against the rest."""
    topics = frame["topics"].fillna("").astype(str)
    return np.where(topics.str.split(";").map(lambda t: "earn" in t), "earn", "other"), "earn"


def bbc_groups(frame):
    """BBC: the ``business`` category against the rest."""
    return frame["label"].astype(str).to_numpy(), "business"


CORPORA = {
    "reuters": ("reuters21578.csv.gz", reuters_groups),
    "bbc": ("bbc_news_2225.csv.gz", bbc_groups),
}


def baseline(texts, groups, target):
    """The tutorial pipeline; returns (results, seconds per stage)."""
    import nltk
    from nltk.collocations import BigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures

    stop = english_stopwords()
    stages = defaultdict(float)
    freq = nltk.FreqDist()
    group_freq = {"target": nltk.FreqDist(), "reference": nltk.FreqDist()}
    group_words = {"target": 0, "reference": 0}
    sentences_terms = []
    for text, group in zip(texts, groups, strict=True):
        side = "target" if group == target else "reference"
        start = time.perf_counter()
        sentences = [text[s:e] for s, e in reference_sentence_spans(text)]  # plain Punkt
        split_done = time.perf_counter()
        tokenized = [tokenize_words(sentence) for sentence in sentences]
        tokens_done = time.perf_counter()
        for tokens in tokenized:
            group_words[side] += sum(1 for token in tokens if is_word(token))
            terms = [
                token.lower() for token in tokens
                if LETTER.search(token) and token.lower() not in stop
            ]
            freq.update(terms)
            group_freq[side].update(terms)
            if terms:
                sentences_terms.append(terms)
        end = time.perf_counter()
        stages["Punkt sentences"] += split_done - start
        stages["NLTK word tokenizer"] += tokens_done - split_done
        stages["filter + FreqDist"] += end - tokens_done
    start = time.perf_counter()
    finder = BigramCollocationFinder.from_documents(sentences_terms)
    finder.apply_freq_filter(MIN_FREQ)
    scored = finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
    bigrams = {" ".join(k): (finder.ngram_fd[k], s) for k, s in scored}
    stages["BigramCollocationFinder"] += time.perf_counter() - start
    start = time.perf_counter()
    c, d = group_words["target"], group_words["reference"]
    key = {}
    for term in set(group_freq["target"]) | set(group_freq["reference"]):
        a, b = group_freq["target"][term], group_freq["reference"][term]
        e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
        g2 = 2 * ((a * math.log(a / e1) if a else 0) + (b * math.log(b / e2) if b else 0))
        key[term] = g2
    stages["keyness loop"] += time.perf_counter() - start
    words = group_words["target"] + group_words["reference"]
    return (dict(freq), bigrams, key, words), stages


def project(frame, target, jobs):
    tokenized = tokenize_corpus(frame, n_jobs=jobs)
    counts = term_counts(tokenized)
    bigram_frame = collocations(tokenized, measure="likelihood_ratio", min_freq=MIN_FREQ)
    key_frame = keyness(tokenized, "group", target)
    freq = dict(zip(counts["term"], counts["count"].tolist(), strict=True))
    bigrams = {
        ngram: (count, score)
        for ngram, count, score in zip(
            bigram_frame["ngram"], bigram_frame["count"].tolist(), bigram_frame["score"].tolist(),
            strict=True,
        )
    }
    key = dict(zip(key_frame["term"], key_frame["g2"].tolist(), strict=True))
    return freq, bigrams, key, tokenized.total_words


def check_equal(base, mine) -> str:
    base_freq, base_bigrams, base_key, base_words = base
    freq, bigrams, key, words = mine
    assert words == base_words, f"word totals differ: {words} != {base_words}"
    assert freq == base_freq, "term counts differ from the baseline's FreqDist"
    assert bigrams.keys() == base_bigrams.keys(), "bigram sets differ"
    for ngram, (count, score) in base_bigrams.items():
        assert bigrams[ngram][0] == count, f"bigram count differs for {ngram!r}"
        assert math.isclose(bigrams[ngram][1], score, rel_tol=1e-9, abs_tol=1e-9), ngram
    assert key.keys() == base_key.keys(), "keyness terms differ"
    for term, g2 in base_key.items():
        assert math.isclose(key[term], g2, rel_tol=1e-9, abs_tol=1e-9), f"G2 differs for {term!r}"
    return (
        f"identical: {len(freq):,} term counts, {len(bigrams):,} bigrams (min_freq {MIN_FREQ}) "
        f"with equal scores, {len(key):,} keyness G2 values"
    )


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rate(n_articles, n_words, seconds, cpu) -> str:
    return (
        f"{seconds:7.1f} s  {n_articles / seconds:9,.0f} articles/s  "
        f"{n_words / seconds:11,.0f} words/s  (CPU {cpu:.1f} s)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="processes for the project (2)")
    parser.add_argument("--corpus", nargs="+", choices=sorted(CORPORA), default=list(CORPORA))
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    args = parser.parse_args(argv)
    folder = paths.shared_corpora_dir()
    if not folder.is_dir():
        print("shared corpora absent (../shared/corpora): nothing to benchmark")
        return 0
    total_base = total_mine = 0.0
    for name in args.corpus:
        filename, grouping = CORPORA[name]
        frame = load_corpus(folder / filename)
        if args.limit:
            frame = frame.head(args.limit).reset_index(drop=True)
        frame["group"], target = grouping(frame)
        texts = frame["text"].tolist()
        groups = frame["group"].tolist()
        start, cpu = time.perf_counter(), cpu_seconds()
        base, stages = baseline(texts, groups, target)
        base_seconds, base_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        start, cpu = time.perf_counter(), cpu_seconds()
        mine = project(frame, target, args.jobs)
        mine_seconds, mine_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        verdict = check_equal(base, mine)
        words = base[3]
        print(f"== {filename}: {len(frame):,} articles, {words:,} words; keyness {target} vs rest")
        print(f"baseline (tutorial NLTK pipeline, 1 process): "
              f"{rate(len(frame), words, base_seconds, base_cpu)}")
        for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
            print(f"    {stage:<26} {seconds:7.1f} s  {100 * seconds / base_seconds:5.1f}%")
        print(f"project  (utils.frequencies, n_jobs={args.jobs}):      "
              f"{rate(len(frame), words, mine_seconds, mine_cpu)}")
        print(f"{verdict}; ratio {base_seconds / mine_seconds:.1f}x")
        total_base += base_seconds
        total_mine += mine_seconds
    print(f"speed-up: {total_base / total_mine:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
