"""Single articles of several megabytes: every per-article analysis stays linear in length.

The articles come from ``benchmarks/long_articles.py`` (:func:`synthetic_article`: news-like
paragraphs with quotes and attributions, in the shapes that used to make some steps quadratic:
no paragraph break, no sentence punctuation, an unclosed quotation mark at the start, a long
run of spaces). The faster code paths are compared with plain reference implementations kept
here, so the speed-ups cannot change a result.

Timings use the CPU time of this process (``time.process_time``), which other processes on a
shared machine disturb less than the wall clock; the limits are generous for the same reason.
"""

from __future__ import annotations

import random
import re
import time

import pandas as pd
import pytest
from conftest import load_benchmark

from utils import attribution, pipeline, sentiment
from utils import text as text_utils
from utils.attribution import document as attribution_document
from utils.attribution import spans as attribution_spans
from utils.attribution import speakers as attribution_speakers

long_articles = load_benchmark("long_articles")
synthetic_article = long_articles.synthetic_article


def _frame(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))],
                         "title": ["A title"] * len(texts), "text": texts})


# ---------------------------------------------------------------------------------------------
# quote_segments against the plain per-sentence scan it replaces


def _naive_merge(spans):
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _naive_segment_rows(corpus, by_doc, sentences, min_authorial_words=4):
    """Rows ``doc_id, sentence_index, kind, start, end, text`` as the quadratic version of
    :func:`utils.sentiment.quote_segments` made them: every sentence merges and scans all the
    quote spans of its article."""
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=True))
    marks = str.maketrans(dict.fromkeys("\u201c\u201e\u00ab\u201d\u00bb\"\u201f\u2033", " "))
    rows = []
    for doc, index, start, end in zip(sentences["doc_id"], sentences["sentence_index"],
                                      sentences["start"], sentences["end"], strict=True):
        text = texts[doc]
        quoted, outside, cursor = [], [], start
        for q_start, q_end in _naive_merge(by_doc[doc]):
            if q_end <= start or q_start >= end:
                continue
            s, e = max(q_start, start), min(q_end, end)
            quoted.append((s, e))
            outside.append(text[cursor:s])
            cursor = e
        outside.append(text[cursor:end])
        remainder = " ".join(" ".join(outside).translate(marks).split())
        for q_start, q_end in quoted:
            while q_start < q_end and (text[q_start].isspace() or text[q_start] in
                                       sentiment._QUOTE_MARKS):
                q_start += 1
            while q_end > q_start and (text[q_end - 1].isspace() or text[q_end - 1] in
                                       sentiment._QUOTE_MARKS):
                q_end -= 1
            piece = text[q_start:q_end]
            if any(ch.isalnum() for ch in piece):
                rows.append((doc, int(index), "quoted", q_start, q_end, piece))
        if len(remainder.split()) >= min_authorial_words:
            rows.append((doc, int(index), "authorial", int(start), int(end), remainder))
    return rows


def _varied_texts(seed: int) -> list[str]:
    """Short articles of every shape, with extra quotation marks of all styles sprinkled in."""
    rng = random.Random(seed)
    texts = []
    for variant in long_articles.VARIANTS:
        article = synthetic_article(rng.randint(300, 4_000), variant, seed=rng.randint(0, 99))
        chars = list(article)
        for _ in range(rng.randint(0, 12)):
            mark = rng.choice('"\u201c\u201d\u00ab\u00bb\u201e')
            chars.insert(rng.randrange(len(chars) + 1), mark)
        texts.append("".join(chars))
    texts += ["", "No quotes at all in this one sentence here.", '"', '""', '" "']
    return texts


@pytest.mark.parametrize("seed", range(6))
def test_quote_segments_match_the_per_sentence_scan(seed):
    corpus = _frame(_varied_texts(seed))
    sentences = sentiment.sentence_sentiment(corpus, cache=False, workers=1, include_text=False)
    columns = ["doc_id", "sentence_index", "kind", "start", "end", "text"]
    by_doc = {doc: sentiment.quote_spans(text)
              for doc, text in zip(corpus["doc_id"], corpus["text"], strict=True)}
    got = sentiment.quote_segments(corpus, sentences=sentences)
    assert list(got[columns].itertuples(index=False, name=None)) == _naive_segment_rows(
        corpus, by_doc, sentences)
    # explicit spans: unsorted, overlapping, touching, empty and reversed ones
    rng = random.Random(seed)
    spans = {}
    for doc, text in zip(corpus["doc_id"], corpus["text"], strict=True):
        spans[doc] = []
        for _ in range(rng.randint(0, 40)):
            start = rng.randint(0, max(0, len(text) - 1))
            spans[doc].append((start, start + rng.randint(-5, 400)))
    got = sentiment.quote_segments(corpus, sentences=sentences, spans=spans)
    assert list(got[columns].itertuples(index=False, name=None)) == _naive_segment_rows(
        corpus, spans, sentences)


def test_quote_segments_with_attribution_spans_match_the_per_sentence_scan():
    corpus = _frame(_varied_texts(11))
    sentences = sentiment.sentence_sentiment(corpus, cache=False, workers=1, include_text=False)
    table = attribution.corpus_attributions(corpus)
    by_doc: dict[str, list] = {doc: [] for doc in corpus["doc_id"]}
    for doc, pieces in zip(table["doc_id"], table["content_spans"], strict=True):
        by_doc[doc].extend(pieces)
    got = sentiment.quote_segments(corpus, sentences=sentences, spans=table)
    columns = ["doc_id", "sentence_index", "kind", "start", "end", "text"]
    assert list(got[columns].itertuples(index=False, name=None)) == _naive_segment_rows(
        corpus, by_doc, sentences)


# ---------------------------------------------------------------------------------------------
# paragraphs, word counts and speaker look-ups against their plain definitions


def _regex_paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"\s*\n\s*", text):
        text_utils.append_stripped_span(text, start, match.start(), spans)
        start = match.end()
    text_utils.append_stripped_span(text, start, len(text), spans)
    return spans


def test_paragraph_spans_are_the_regex_definition():
    rng = random.Random(3)
    pieces = ["a", "b.", " ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u2028",
              "\u3000", " \n ", "\n\n", "  "]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert text_utils.paragraph_spans(text) == _regex_paragraph_spans(text), repr(text)
    article = synthetic_article(20_000, "whitespace-run")
    assert text_utils.paragraph_spans(article) == _regex_paragraph_spans(article)


def test_bounded_word_and_text_checks_are_the_string_methods():
    rng = random.Random(5)
    pieces = ["word", " ", "  ", "\n", "\t", "\xa0", "x", ",", "\u2003"]
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        limit = rng.randint(0, 10)
        assert attribution_spans._has_text(text, start, end) == (text[start:end].strip() != "")
        assert attribution_spans._more_words_than(text, start, end, limit) == (
            len(text[start:end].split()) > limit)


def test_named_sources_answer_like_a_scan_of_every_earlier_source():
    """The recency index of :class:`utils.attribution.speakers._NamedSources` against a walk
    back over the list of all earlier mentions (what the resolution rules are defined by)."""
    rng = random.Random(7)
    names = ["Vladimir Putin", "Putin", "Syrian Observatory for Human Rights", "Observatory",
             "the Observatory", "Fox News", "Fox", "News", "State Department", "Maria Lopez",
             "Kremlin", "Kremlin transcript"]
    kinds = ["person", "organization", "media", "document"]
    for _ in range(300):
        index = attribution_speakers._NamedSources()
        mentions: list[tuple[str, str]] = []
        gender: dict[str, str] = {}
        for _ in range(rng.randint(0, 60)):
            name, kind = rng.choice(names), rng.choice(kinds)
            index.add(name, kind)
            mentions.append((name, kind))
            if rng.random() < 0.2:
                gender[rng.choice(names)] = rng.choice(["male", "female"])
            for want in ("male", "female", "self", "person", "plural", "thing"):
                expected = ""
                for earlier, earlier_kind in reversed(mentions):
                    if want in ("plural", "thing"):
                        if earlier_kind == "person":
                            continue
                    elif earlier_kind != "person" or (
                            want in ("male", "female") and gender.get(earlier, want) != want):
                        continue
                    expected = earlier
                    break
                assert index.pronoun(want, gender) == expected
            words = set(rng.choice(names).lower().split())
            expected = next((earlier for earlier, earlier_kind in reversed(mentions)
                             if earlier_kind != "person"
                             and words < set(earlier.lower().split())), "")
            assert index.containing(words) == expected
            for kind_asked in kinds:
                expected = next((n for n, k in reversed(mentions) if k == kind_asked), None)
                assert index.last_of_type.get(kind_asked) == expected
            assert index.last_type[name] == kind


def test_over_long_sentences_are_cut_for_attribution_with_valid_offsets():
    article = synthetic_article(60_000, "one-sentence")
    doc = attribution_document._Doc(article)
    assert len(text_utils.sentence_spans(article)) == 1
    assert all(0 < end - start <= attribution.MAX_SENTENCE_CHARS for start, end in doc.sentences)
    assert all(a[1] <= b[0] for a, b in zip(doc.sentences, doc.sentences[1:], strict=False))
    rows = attribution.extract_attributions(article)
    assert len(rows) > 50
    for row in rows.itertuples(index=False):
        assert article[row.content_start : row.content_end] == row.content
        assert article[row.cue_start : row.cue_end] == row.cue
        assert article[row.source_start : row.source_end] == row.source
    # normal sentences are left as they are
    short = synthetic_article(5_000)
    assert attribution_document._Doc(short).sentences == text_utils.sentence_spans(short)


# ---------------------------------------------------------------------------------------------
# time


def _cpu_seconds(function, argument, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        text_utils._remembered_sentence_spans.cache_clear()  # no reuse of an earlier split
        started = time.process_time()
        function(argument)
        best = min(best, time.process_time() - started)
    return best


def _segments(article: str) -> pd.DataFrame:
    corpus = _frame([article])
    sentences = sentiment.sentence_sentiment(corpus, cache=False, workers=1, include_text=False)
    return sentiment.quote_segments(corpus, sentences=sentences)


@pytest.mark.parametrize(
    "name, function",
    [
        ("quote_segments", _segments),
        ("attribution_rows", attribution.attribution_rows),
        ("sentence_spans", text_utils.sentence_spans),
        ("analyse_batch", lambda article: pipeline.analyse_batch(_frame([article]))),
    ],
)
def test_time_grows_linearly_with_article_length(name, function, monkeypatch):
    """Eight times the text must take clearly less than 64 times as long (quadratic growth):
    linear work gives about 8, the limit of 20 leaves room for a noisy shared machine.

    Sentence offsets are not remembered between calls here (they are for texts of up to
    :data:`utils.text.SPANS_CACHE_MAX_CHARS` characters), so both sizes do the same work.
    """
    monkeypatch.setattr(text_utils, "SPANS_CACHE_MAX_CHARS", 0)
    small, large = synthetic_article(40_000, "mixed"), synthetic_article(320_000, "mixed")
    function(synthetic_article(2_000, "mixed"))  # warm-up: lexicon, Punkt, compiled patterns
    ratio = _cpu_seconds(function, large, 2) / max(_cpu_seconds(function, small, 3), 1e-3)
    print(f"{name}: 8x the text, {ratio:.1f}x the time")
    assert ratio < 20, f"{name}: 8x the text took {ratio:.1f}x as long"


def _analyse_with_segments(corpus: pd.DataFrame):
    results = pipeline.analyse_corpus(corpus, cache=False)
    return results, sentiment.quote_segments(corpus, sentences=results.sentences)


def test_a_five_megabyte_article_is_analysed_in_linear_time():
    """The whole per-article analysis and the quoted/authorial split of one ~5 MB article of
    every shape (unclosed quote, no paragraph break, no sentence punctuation, long blank run).

    The 5 MB article takes about 22 s of CPU here; before, quote_segments alone ran for tens
    of minutes on such a text. Its CPU time is compared with that of a 1 MB article of the same
    shapes, measured in the same test, rather than with a fixed limit, which a loaded shared
    machine can break: five times the text should take about five times as long (a quadratic
    step would take 25 times), and the limit of 12 leaves room for noise.
    """
    small = synthetic_article(1_000_000, "mixed")
    article = synthetic_article(5_000_000, "mixed")
    corpora = [pd.DataFrame({"doc_id": ["long"], "title": ["A very long article"],
                             "text": [text]}) for text in (small, article)]
    _analyse_with_segments(pd.DataFrame({"doc_id": ["warm"], "title": ["Warm-up"],
                                         "text": [synthetic_article(20_000, "mixed")]}))
    seconds = []
    for corpus in corpora:
        text_utils._remembered_sentence_spans.cache_clear()
        started = time.process_time()
        results, segments = _analyse_with_segments(corpus)
        seconds.append(time.process_time() - started)
    ratio = seconds[1] / max(seconds[0], 1e-3)
    print(f"5 MB article: {seconds[1]:.1f} s of CPU, {ratio:.1f}x the 1 MB article")
    assert ratio < 12, (
        f"{len(article) / len(small):.1f}x the text took {ratio:.1f}x as long "
        f"({seconds[0]:.1f} s and {seconds[1]:.1f} s of CPU)")
    assert results.failures.empty
    assert len(results.sentences) > 10_000 and len(results.attributions) > 10_000
    assert len(segments) > 10_000
    for row in results.attributions.head(2_000).itertuples(index=False):
        assert article[row.content_start : row.content_end] == row.content
