"""Speed of the learned sentiment models on one core, beside exact VADER on the same texts.

    .venv/bin/python benchmarks/sentiment_models.py [--repeat 3]

Texts: the VADER paper's 5,190 NYT editorial snippets (built in). Targets: NewsMTSC devtest_mt
(1,476 mentions in 721 sentences) when ../shared/corpora holds it, else one mention a snippet
(its first capitalised word after the first). Everything runs in this process (one core,
``workers=1``); each figure is the best of ``--repeat`` runs, as wall-clock and as CPU time of
this process (the CPU figure is what one free core would do on a busy machine).
"""

from __future__ import annotations

import argparse
import os
import re
import time


def _best(function, repeat: int) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def _targets(snippets) -> list[tuple[str, int, int]]:
    from utils.sentiment.newsmtsc import load_newsmtsc, newsmtsc_available

    if newsmtsc_available("devtest_mt"):
        frame = load_newsmtsc("devtest_mt")
        return list(zip(frame["text"], frame["start"], frame["end"], strict=True))
    items = []
    for text in snippets:
        match = next(re.finditer(r"(?<=\s)[A-Z]\w+", text), None)
        if match:
            items.append((text, match.start(), match.end()))
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from utils.corpus import load_nyt_sentences
    from utils.sentiment import get_engine, score_sentences, target_sentiment

    texts = load_nyt_sentences()["text"].tolist()
    items = _targets(texts)
    get_engine("vader")
    get_engine("news")
    target_sentiment(items[:5])  # load the model files once

    vader_wall, vader_cpu = _best(lambda: score_sentences(texts, engine="vader", workers=1),
                                  args.repeat)
    news_wall, news_cpu = _best(lambda: score_sentences(texts, engine="news", workers=1),
                                args.repeat)
    sentences = sorted({text for text, _s, _e in items})
    tvader_wall, tvader_cpu = _best(
        lambda: score_sentences(sentences, engine="vader", workers=1), args.repeat)
    tone_wall, tone_cpu = _best(lambda: target_sentiment(items), args.repeat)

    n, m = len(texts), len(items)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"texts: {n:,} NYT snippets; targets: {m:,} mentions in {len(sentences):,} sentences; "
          f"load average {load:.1f} on {os.cpu_count()} cores (wall-clock figures fall with it)")
    print(f"{'what':<42}{'per s (wall)':>14}{'per s (CPU)':>14}")
    for name, count, wall, cpu in (
        ("exact VADER, texts", n, vader_wall, vader_cpu),
        ("news scorer, texts", n, news_wall, news_cpu),
        ("exact VADER, the targets' sentences", len(sentences), tvader_wall, tvader_cpu),
        ("target_sentiment, targets", m, tone_wall, tone_cpu),
    ):
        print(f"{name:<42}{count / wall:>14,.0f}{count / cpu:>14,.0f}")
    print(f"news scorer / exact VADER time on the same texts: {news_wall / vader_wall:.2f}x "
          f"wall, {news_cpu / vader_cpu:.2f}x CPU")
    print(f"target_sentiment / exact VADER time on the targets' sentences: "
          f"{tone_wall / tvader_wall:.2f}x wall, {tone_cpu / tvader_cpu:.2f}x CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
