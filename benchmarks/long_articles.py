"""Time of every per-article analysis on single articles of growing size, and its growth.

Usage: ``.venv/bin/python benchmarks/long_articles.py [--sizes 40000,80000,...] [--variants
...] [--steps ...] [--repeat N]``

Builds synthetic articles (:func:`synthetic_article`: news-like paragraphs with direct and
split quotes, "according to", "said", "told reporters that", typographic quotes, names and
numbers varied by a seeded random generator) of each size, in several shapes known to trigger
quadratic behaviour:

- ``paragraphs``: one paragraph per blank-line-separated block, as in the corpora;
- ``one-paragraph``: the same text with no paragraph break at all;
- ``unclosed-quote``: paragraphs, with an unclosed quotation mark at the very start;
- ``one-paragraph-unclosed``: no paragraph break and an unclosed quotation mark at the start;
- ``one-sentence``: no paragraph break and no sentence-ending punctuation (one huge sentence);
- ``one-sentence-unclosed``: the same with an unclosed quotation mark at the start;
- ``whitespace-run``: paragraphs, with a run of spaces and tabs (no line break) as long as a
  quarter of the article in the middle of a paragraph (scraped pages keep such padding);
- ``mixed``: a quarter each of ``unclosed-quote``, ``one-paragraph-unclosed``,
  ``one-sentence`` and ``whitespace-run``, so one article holds every shape;
- ``repeated-cue``: ``"said the minister, "`` over and over, one sentence with an attribution
  every 19 characters (every cue's subject is the run of commas before it).

For every step (sentence splitting, tokenization, term counts, sentence scores, article scores,
quote spans and segments, sentiment arcs, attributions, the pipeline's ``analyse_batch``) it
prints the seconds per size and the growth ratio between consecutive sizes (about 2 for
linear work when sizes double, about 4 for quadratic work). Needs no data beyond the project.
"""

from __future__ import annotations

import argparse
import random
import time

import pandas as pd

#: News-like paragraphs; ``{name}``, ``{other}``, ``{org}``, ``{place}``, ``{n}`` are varied.
PARAGRAPHS = (
    '"We will not accept this," {name} said on Monday. "It is a mistake, and a costly one."',
    "{name}, the former ambassador to {place}, told reporters that the talks had collapsed "
    "after {n} hours of negotiation.",
    "According to {org}, at least {n} people were killed in the clashes near {place}, and "
    "many more were wounded.",
    "\u201cThe situation is deteriorating,\u201d {other} said. \u201cWe need help now.\u201d",
    "The economy grew by {n} percent last year, according to figures released by {org} on "
    "Tuesday.",
    '"I am here," {name} added, "to stay." Officials said the decision was final.',
    "{org} said in a statement that it would review the findings. {other} declined to comment.",
    "Critics warned that the plan, which would cost {n} million dollars, could fail. "
    '"Nobody believes it," one aide said, speaking on condition of anonymity.',
    "In a new {org} poll, {name} leads with {n} percent of the vote.",
    "{name}: \u201cWe have done everything we could.\u201d The crowd cheered loudly.",
    "Asked whether he would resign, {other} said he had no plans to do so.",
    "The industry, she said, is doing better than expected. Sales rose {n} percent in {place}.",
    '"It\'s a good day," said {name}, a spokesman for {org}. "A very good day."',
    "Mr. {surname} has repeatedly denied the allegations, saying they were politically "
    "motivated.",
    "Prices fell sharply in {place} on Wednesday as traders worried about the outlook.",
)
NAMES = ("Vladimir Putin", "Angela Merkel", "John Smith", "Maria Lopez", "Tony Brenton",
         "Ahmed Hassan", "Sarah Johnson", "David Cameron")
ORGS = ("the Syrian Observatory for Human Rights", "the State Department", "Reuters",
        "the World Bank", "the Kremlin", "Fox News", "the United Nations")
PLACES = ("Moscow", "Damascus", "London", "Washington", "Aleppo", "Berlin", "Paris")
VARIANTS = ("paragraphs", "one-paragraph", "unclosed-quote", "one-paragraph-unclosed",
            "one-sentence", "one-sentence-unclosed", "whitespace-run", "mixed", "repeated-cue")
#: The sentence of the ``repeated-cue`` shape.
REPEATED_CUE = "said the minister, "
#: The shapes a ``mixed`` article is made of, a quarter each.
MIXED = ("unclosed-quote", "one-paragraph-unclosed", "one-sentence", "whitespace-run")
SIZES = (40_000, 80_000, 160_000, 320_000, 640_000)


def _paragraph(rng: random.Random) -> str:
    name = rng.choice(NAMES)
    paragraph = rng.choice(PARAGRAPHS).format(
        name=name, surname=name.split()[-1], other=rng.choice(NAMES), org=rng.choice(ORGS),
        place=rng.choice(PLACES), n=rng.randint(2, 900),
    )
    return paragraph[0].upper() + paragraph[1:]


def synthetic_article(n_chars: int, variant: str = "paragraphs", seed: int = 0) -> str:
    """A news-like article of at least ``n_chars`` characters in the shape ``variant`` (one of
    :data:`VARIANTS`), the same for the same arguments."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; use one of {VARIANTS}")
    if variant == "mixed":
        return "\n\n".join(synthetic_article(n_chars // len(MIXED), part, seed + index)
                           for index, part in enumerate(MIXED))
    if variant == "repeated-cue":
        return REPEATED_CUE * -(-n_chars // len(REPEATED_CUE))
    rng = random.Random(seed)
    padding = n_chars // 4 if variant == "whitespace-run" else 0
    parts: list[str] = []
    total = padding
    while total < n_chars:
        paragraph = _paragraph(rng)
        parts.append(paragraph)
        total += len(paragraph) + 2
    if variant.startswith("one-sentence"):
        text = " ".join(parts).replace(".", " ").replace("?", " ").replace("!", " ")
    elif variant in ("paragraphs", "unclosed-quote", "whitespace-run"):
        text = "\n\n".join(parts)
    else:
        text = " ".join(parts)
    if variant.endswith("unclosed") or variant == "unclosed-quote":
        text = '"The vote will go ahead as planned ' + text  # never closed
    if padding:
        middle = text.find(". ", len(text) // 2) + 1 or len(text) // 2  # after a sentence
        text = text[:middle] + (" \t" * padding)[:padding] + text[middle:]
    return text


def _frame(text: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["long"], "title": ["A long article"], "text": [text]})


def steps() -> dict:
    """Step name -> function of the article text, each running one per-article analysis."""
    from utils import attribution, frequencies, pipeline, sentiment, text

    def no_memory(function):
        def run(article: str):
            text._remembered_sentence_spans.cache_clear()
            return function(article)
        return run

    def sentences(article):
        return sentiment.sentence_sentiment(_frame(article), cache=False, workers=1)

    def article_scores(article):
        frame = _frame(article)
        return sentiment.article_sentiment(frame, sentences(article))

    def arcs(article):
        return sentiment.position_profile(sentences(article), n_boot=200)

    def segments(article):
        frame = _frame(article)
        return sentiment.quote_segments(frame, sentences=sentences(article))

    def counts(article):
        frame = _frame(article)
        tokenized = frequencies.tokenize_corpus(frame, n_jobs=1)
        return frequencies.article_word_counts(tokenized), frequencies.document_term_counts(
            tokenized)

    return {
        "sentence_spans": no_memory(text.sentence_spans),
        "tokenize_text": no_memory(text.tokenize_text),
        "word_spans": no_memory(text.word_spans),
        "fast_tokenize_text": no_memory(frequencies.fast_tokenize_text),
        "term counts": no_memory(counts),
        "sentence_sentiment": no_memory(sentences),
        "article_sentiment": no_memory(article_scores),
        "position_profile": no_memory(arcs),
        "sentiment.quote_spans": sentiment.quote_spans,
        "quote_segments": no_memory(segments),
        "attribution.quote_spans": attribution.quote_spans,
        "attribution_rows": no_memory(attribution.attribution_rows),
        "analyse_batch": no_memory(lambda article: pipeline.analyse_batch(_frame(article))),
    }


def best_time(function, argument, repeat: int) -> float:
    """Best wall-clock seconds of ``repeat`` calls (the machine is shared and noisy)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function(argument)
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--steps", default="", help="comma-separated step names (default all)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--limit", type=float, default=60.0,
                        help="skip the larger sizes of a step once one run takes this long")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    functions = steps()
    chosen = [s for s in args.steps.split(",") if s] or list(functions)
    functions["analyse_batch"](synthetic_article(2_000))  # warm-up: lexicon, Punkt, regexes
    worst = 0.0
    for variant in args.variants.split(","):
        articles = [synthetic_article(size, variant) for size in sizes]
        print(f"== {variant} (sizes: {', '.join(f'{len(a):,}' for a in articles)} characters)")
        for name in chosen:
            timings: list[float] = []
            for article in articles:
                if timings and timings[-1] > args.limit:
                    break
                timings.append(best_time(functions[name], article, args.repeat))
            ratios = [b / a if a > 0 else float("nan") for a, b in zip(timings, timings[1:],
                                                                          strict=False)]
            worst = max([worst, *ratios])
            print(f"{name:24s} " + " ".join(f"{t:8.3f}" for t in timings)
                  + "  growth " + " ".join(f"{r:4.1f}" for r in ratios))
    print(f"largest growth ratio between consecutive sizes: {worst:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
