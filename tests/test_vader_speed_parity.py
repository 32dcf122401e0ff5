"""Parity of the exact VADER engine's fast paths with vaderSentiment 3.3.2.

The engine (``utils.sentiment.vader``) skips rules that cannot fire: sentences without a
scorable word, scorable words with no context word (negation, booster, "no", "so", "this",
"least", "n't") among the three tokens before them, idioms that cannot start, "but" on the
scorable positions only, and a per-token cache. Each test here aims at one of those boundaries
and compares every score with the reference's (floats compared with ``==``).
"""

from __future__ import annotations

import os
import struct
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES

from utils import sentiment as S
from utils.corpus import load_corpus, load_vader_ratings
from utils.sentiment import scoring as sentiment_scoring
from utils.sentiment import vader as vader_module
from utils.text import sentence_spans

REFERENCE = S.get_engine("reference")


def _expected(text: str) -> tuple[float, float, float, float]:
    scores = REFERENCE.polarity_scores(text)
    return tuple(scores[column] for column in S.SCORE_COLUMNS)


def _assert_parity(engine, text: str) -> None:
    expected = _expected(text)
    got = engine.score_tuple(text)
    assert got == expected, text
    assert list(map(_bits, got)) == list(map(_bits, expected)), text  # the sign of zeros too
    scores, pairs = engine.score_and_valences(text)
    assert scores == expected, text
    assert pairs == [(t, v) for t, v in engine.token_valences(text) if v != 0], text


def _styled(word: str, style: int) -> str:
    # the same word as a token of another shape: capitals, punctuation around it
    return (word, word.upper(), word.capitalize(), f"{word},", f"'{word}'", f"({word}",
            f"{word}!", f"{word}...", f'"{word}"', f"{word}?")[style]


LEXICON_WORDS = ["good", "bad", "great", "terrible", "love", "hate", "kind", "no", "doubt",
                 "happy", "sad", "war", "killed", "hope", "best", "crisis", "support", "fears",
                 "shit", "bomb", "die", "heart", "ass", "right", "death", "kiss", "lol", ":)",
                 ":(", ":D", "<3", "haha", "yes", "ok"]
CONTEXT_WORDS = (sorted(w for w in BOOSTER_DICT if " " not in w)[::3]
                 + NEGATE[::2] + ["no", "so", "this", "least", "at", "very", "never", "without",
                                  "or", "nor", "mayn't", "n't", "won't", "Isn't"])
IDIOM_WORDS = sorted({w for key in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in key
                      for w in key.split()})
NEUTRAL_WORDS = ["the", "officials", "said", "on", "Tuesday", "U.N.", "BBC", "US", "I", "a",
                 "https://example.com/a?b=1", "@user", "#tag", "2026", "--", "...", "!", "?",
                 "!!", "???", "but", "BUT", "But,", "and", "of", "to", "for", "😁", "💘", "🙂",
                 "£5m", "café", "naïve", "ŞİRKET", "İstanbul", "ß", ""]
VOCABULARY = LEXICON_WORDS + CONTEXT_WORDS + IDIOM_WORDS + NEUTRAL_WORDS


@st.composite
def sentences(draw):
    words = draw(st.lists(st.sampled_from(VOCABULARY), max_size=30))
    styles = draw(st.lists(st.integers(0, 9), min_size=len(words), max_size=len(words)))
    separators = draw(st.lists(st.sampled_from([" ", " ", " ", "  ", "\n", "\t", "\u00a0", ""]),
                               min_size=len(words), max_size=len(words)))
    return "".join(_styled(w, s) + sep for w, s, sep in zip(words, styles, separators,
                                                             strict=True))


@settings(max_examples=1500, deadline=None)
@given(sentences())
def test_random_sentences_of_rule_words_equal_the_reference(text):
    _assert_parity(S.get_engine("vader"), text)


TINY_CACHE_ENGINE = vader_module.ExactVader()
TINY_CACHE_ENGINE._cache_size = 5  # emptied every few new tokens


@settings(max_examples=300, deadline=None)
@given(sentences())
def test_an_engine_with_a_tiny_token_cache_equals_the_reference(text):
    # scores must not depend on what the token cache holds
    _assert_parity(TINY_CACHE_ENGINE, text)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(sorted(w for w in BOOSTER_DICT if " " not in w) + ["kind of", "sort of"]),
    st.integers(0, 4),
    st.sampled_from(LEXICON_WORDS),
    st.sampled_from(["", "not", "no", "never", "never so", "without doubt", "at least", "least"]),
    st.booleans(),
    st.sampled_from(["", "!", "!!!!!", "??", "????", "?!"]),
)
def test_boosters_and_negations_at_every_distance(booster, gap, word, before, caps, end):
    fillers = ["the", "officials", "said", "on", "Tuesday"][:gap]
    if caps:
        booster = booster.upper()
    text = " ".join([w for w in (before, booster, *fillers, word) if w]) + end
    _assert_parity(S.get_engine("vader"), text)
    _assert_parity(S.get_engine("vader"), "Officials said " + text + " but it was good")


@pytest.mark.parametrize("text", [
    "No comment!!!", "WHY??", "The U.N. met on Tuesday?!", "THE COUNCIL MET", "BBC News",
    "https://www.bbc.co.uk/news?x=1!!", "but but BUT", "At least, never so, kind of.",
    "The bus stop", "kind of", "the the the", "😁", "💘 💘", "no no no", "NO", "not not",
    "Kind of great, sort of BAD, just enough LOVE", "He said, 'the shit' hit the fan!!",
    "to die for", "kiss of death BUT beating heart", "yeah right, so GOOD", "this good",
    "never this good", "without a doubt good", "no good or bad", "no or nor happy",
    "very least good", "at least good", "least good", "isn't good", "ISN'T GOOD",
    "mayn't good", "Good. Bad. GOOD!", ":) :( :D", "I <3 it", "haha lol",
])
def test_sentences_near_the_fast_path_boundaries(text):
    _assert_parity(S.get_engine("vader"), text)


def test_fa_kes_news_sentences_equal_the_reference():
    corpus = load_corpus("fa-kes")
    texts = [text[start:end] for text in corpus["text"] for start, end in sentence_spans(text)]
    assert len(texts) > 5000
    engine = S.get_engine("vader")
    got = [engine.score_tuple(t) for t in texts]
    expected = [_expected(t) for t in texts]
    assert got == expected
    assert [list(map(_bits, g)) for g in got] == [list(map(_bits, e)) for e in expected]
    frame = S.score_sentences(texts, workers=2, min_parallel=1)
    assert list(frame.itertuples(index=False, name=None)) == [_expected(t) for t in texts]


def test_cached_and_fresh_engines_agree_on_repeated_text():
    fresh = vader_module.ExactVader()
    text = "The talks were NOT good, but the deal was great!! kind of sad 😁"
    first = fresh.score_tuple(text)
    assert first == fresh.score_tuple(text) == S.get_engine("vader").score_tuple(text)
    assert first == _expected(text)


def test_rows_a_failed_forked_worker_left_are_scored_by_the_parent(monkeypatch):
    # the forked child claims one chunk and dies without scoring it
    parent = os.getpid()
    work = sentiment_scoring._fork_worker

    def flaky_worker():
        if os.getpid() != parent:
            _engine, _texts, _shared, next_start, chunk = sentiment_scoring._FORK_JOB
            with next_start.get_lock():
                next_start.value += chunk
            os._exit(1)
        time.sleep(0.2)  # let the child claim its chunk first
        work()

    monkeypatch.setattr(sentiment_scoring, "_fork_worker", flaky_worker)
    texts = [f"Officials said the talks were good {i}!" if i % 3 else "Not bad at all"
             for i in range(3000)]
    frame = S.score_sentences(texts, workers=2, min_parallel=1)
    assert list(frame.itertuples(index=False, name=None)) == [_expected(t) for t in texts]


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


@settings(max_examples=3000, deadline=None)
@given(st.floats(min_value=-1, max_value=1), st.integers(-1000, 1000),
       st.sampled_from([0.0, 1e-17, -1e-17, 1e-13, -1e-13, 1e-10, -1e-10, 1e-9, -1e-9, 3e-9]))
def test_fast_rounding_equals_round_bit_for_bit(x, k, offset):
    assert _bits(vader_module._round3(x)) == _bits(round(x, 3))
    assert _bits(vader_module._round4(x)) == _bits(round(x, 4))
    # next to a half of the last kept decimal, where round's own answer is used
    for near in ((k + 0.5) / 1000 + offset, (10 * k + 0.5) / 10000 + offset):
        if -1 <= near <= 1:
            assert _bits(vader_module._round3(near)) == _bits(round(near, 3))
            assert _bits(vader_module._round4(near)) == _bits(round(near, 4))
    for zero in (0.0, -0.0, 1e-300, -1e-300, -0.0004, 0.0004, -0.00004):
        assert _bits(vader_module._round3(zero)) == _bits(round(zero, 3))
        assert _bits(vader_module._round4(zero)) == _bits(round(zero, 4))


@pytest.mark.parametrize("dataset", ["nytEditorialSnippets", "tweets", "movieReviewSnippets",
                                     "amazonReviewSnippets"])
def test_vader_paper_data_bit_for_bit(dataset):
    engine = vader_module.ExactVader()  # a fresh engine: every token is new to it
    texts = load_vader_ratings(dataset)["text"].tolist()
    got = [list(map(_bits, engine.score_tuple(t))) for t in texts]
    assert got == [list(map(_bits, _expected(t))) for t in texts]


def _score_in_a_daemon(queue):
    texts = ["A good day.", "A bad day!", "Not bad at all"] * 200
    frame = S.score_sentences(texts, workers=2, min_parallel=1)
    queue.put(list(frame.itertuples(index=False, name=None)) == [_expected(t) for t in texts])


def test_a_daemonic_process_scores_alone_when_it_cannot_fork_workers():
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_score_in_a_daemon, args=(queue,), daemon=True)
    process.start()
    assert queue.get(timeout=60) is True
    process.join(timeout=60)
    assert process.exitcode == 0
