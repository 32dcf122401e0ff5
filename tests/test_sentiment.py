"""Tests of utils.sentiment: exactness against vaderSentiment 3.3.2, corpus-level functions,
quotes, validation figures, cache."""

from __future__ import annotations

import math
import multiprocessing
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

from utils import sentiment as S
from utils.corpus import load_corpus, load_vader_ratings
from utils.sentiment import articles as sentiment_articles
from utils.sentiment import quotes as sentiment_quotes
from utils.sentiment import scoring as sentiment_scoring
from utils.tables import resampling
from utils.text import sentence_spans

VADER_DATASETS = ("nytEditorialSnippets", "tweets", "movieReviewSnippets", "amazonReviewSnippets")


@pytest.fixture(scope="module")
def reference():
    return SentimentIntensityAnalyzer()


@pytest.fixture(scope="module")
def seed():
    return load_corpus("seed")


def _corpus(texts, **columns):
    frame = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts, **columns}
    )
    frame["doc_id"] = frame["doc_id"].astype("string")
    return frame


# ---------------------------------------------------------------------------------------------
# exactness of the engine


@pytest.mark.parametrize("dataset", VADER_DATASETS)
def test_engine_equals_reference_on_the_vader_paper_data(dataset, reference):
    texts = load_vader_ratings(dataset)["text"].tolist()
    assert len(texts) > 3000
    ours = S.score_sentences(texts, workers=1)
    expected = [reference.polarity_scores(t) for t in texts]
    for column in S.SCORE_COLUMNS:
        assert ours[column].tolist() == [e[column] for e in expected], (dataset, column)


EDGE_CASES = [
    "",
    "   ",
    "\n\t ",
    "VADER is smart, handsome, and funny.",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "VADER is not smart, handsome, nor funny.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "Catch utf-8 emoji such as 💘 and 💋 and 😁",
    "Not bad at all",
    "Sentiment analysis has never been this good!",
    "With VADER, sentiment analysis is the shit!",
    "On the other hand, VADER is quite bad ass",
    "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "Roger Dodger is at least compelling as a variation on the theme.",
    "No good, no bad, no or nor happy.",
    "no",
    "He is no hero and no coward, kind of kind of sad.",
    "The bus stop was the bomb, to die for, a kiss of death.",
    "good but bad but good good but",
    "Il est très content, c'est magnifique! Это прекрасно. 我很高兴",
    "<p>Great &amp; terrible</p><br/> &nbsp; <a href='x'>love</a>",
    "GOOD good GOOD", "GOOD", "ALL CAPS ARE BAD",
    "Wow!!!!! Really?? Is it good??? Yes????",
    "😁😁😁 great😁 ok😁",
    "The U.N. Security Council condemned the attacks.",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_engine_equals_reference_on_edge_cases(text, reference):
    assert S.score_text(text) == reference.polarity_scores(text)


WORDS = (
    ["good", "bad", "great", "terrible", "love", "hate", "no", "not", "never", "so", "this",
     "without", "doubt", "least", "at", "very", "kind", "of", "sort", "but", "BUT", "or", "nor",
     "the", "shit", "bomb", "bus", "stop", "bad", "ass", "yeah", "right", "GOOD", "Bad", "isn't",
     "won't", ":)", ":(", "😁", "💋", "!", "?", "happy!", "'sad'", "LOL", "kiss", "death", "die",
     "to", "for", "security", "council", "--", "...", "\"great\""]
    + sorted(BOOSTER_DICT)[:30]
    + NEGATE[:20]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.sampled_from([" ", "  ", "\n", "\t"]))
def test_engine_equals_reference_on_random_word_sequences(words, separator):
    reference = S.get_engine("reference")
    text = separator.join(words)
    assert S.score_text(text) == reference.polarity_scores(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_engine_equals_reference_on_random_unicode(text):
    assert S.score_text(text) == S.get_engine("reference").polarity_scores(text)


def test_long_sentence_equals_reference_and_100k_characters_score_quickly(reference):
    medium = ("The talks were good, not bad, but NOT great!! kind of sad 😁 " * 60)[:4000]
    assert S.score_text(medium) == reference.polarity_scores(medium)
    huge = ("Officials said the plan was good and the war was terrible " * 2000)[:100_000]
    started = time.process_time()
    scores = S.score_text(huge)
    assert time.process_time() - started < 5
    assert set(scores) == set(S.SCORE_COLUMNS)
    assert -1 <= scores["compound"] <= 1


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([0, 0.0, -0.0, 1.5, -1.5, 2.0, 0.75, 3.0, -2.25]), max_size=30),
    st.integers(min_value=0, max_value=29),
)
def test_but_check_equals_the_reference_rule(values, but_position):
    lower = ["w"] * len(values)
    if values:
        lower[min(but_position, len(values) - 1)] = "but"
    expected = SentimentIntensityAnalyzer._but_check(list(lower), list(values))
    got = S.but_check(lower, list(values))
    assert got == expected
    assert [type(v) for v in got] == [type(v) for v in expected]


def test_long_sentence_with_but_equals_reference(reference):
    text = ("but it was good, bad and so good but NOT great; " * 120)[:5000]
    assert S.score_text(text) == reference.polarity_scores(text)
    huge = ("but good bad neutral " * 6000)[:100_000]
    started = time.process_time()
    S.score_text(huge)
    assert time.process_time() - started < 5


def test_token_valences_sum_to_the_compound():
    engine = S.get_engine("vader")
    text = "The food was not good, but the service was really great."
    valences = engine.token_valences(text)
    assert [t for t, _ in valences][:4] == ["the", "food", "was", "not"]
    total = sum(v for _, v in valences)
    assert round(total / math.sqrt(total * total + 15), 4) == S.score_text(text)["compound"]
    good = dict(valences)["good"]
    assert good < 0  # negated by "not", halved before "but"


@pytest.mark.parametrize("texts", [
    EDGE_CASES,
    load_vader_ratings("nytEditorialSnippets")["text"].tolist()[:1500],
])
def test_score_and_valences_equal_the_scores_and_token_valences(texts, reference):
    engine = S.get_engine("vader")
    for text in texts:
        scores, pairs = engine.score_and_valences(text)
        assert scores == tuple(reference.polarity_scores(text)[c] for c in S.SCORE_COLUMNS)
        assert pairs == [(t, v) for t, v in engine.token_valences(text) if v != 0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_score_and_valences_on_random_word_sequences(words):
    engine = S.get_engine("vader")
    text = " ".join(words)
    scores, pairs = engine.score_and_valences(text)
    assert scores == engine.score_tuple(text)
    assert pairs == [(t, v) for t, v in engine.token_valences(text) if v != 0]


# ---------------------------------------------------------------------------------------------
# score_sentences


def test_score_sentences_frame_shape_order_and_index():
    series = pd.Series(["I love it.", "I hate it.", ""], index=[10, 5, 7])
    frame = S.score_sentences(series)
    assert list(frame.columns) == list(S.SCORE_COLUMNS)
    assert list(frame.index) == [10, 5, 7]
    assert frame.loc[10, "compound"] > 0 > frame.loc[5, "compound"]
    assert frame.loc[7].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert all(dtype == "float64" for dtype in frame.dtypes)


def test_score_sentences_empty_missing_and_bad_values():
    empty = S.score_sentences([])
    assert list(empty.columns) == list(S.SCORE_COLUMNS) and len(empty) == 0
    missing = S.score_sentences([None, float("nan"), pd.NA])
    assert (missing.to_numpy() == 0).all()
    with pytest.raises(S.SentimentError, match="is a int, not text"):
        S.score_sentences(["fine", 3])
    with pytest.raises(S.SentimentError, match="Unknown sentiment engine"):
        S.score_sentences(["fine"], engine="textblob")
    with pytest.raises(S.SentimentError, match="workers"):
        S.score_sentences(["fine"], workers=0)


def test_parallel_scoring_is_identical_and_ordered():
    texts = load_vader_ratings("tweets")["text"].tolist()[:3000]
    sequential = S.score_sentences(texts, workers=1)
    parallel = S.score_sentences(texts, workers=2, min_parallel=1)
    pd.testing.assert_frame_equal(sequential, parallel)


def test_no_pool_below_the_threshold(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a process pool was started for a few sentences")

    monkeypatch.setattr(sentiment_scoring, "_pool", refuse)
    assert len(S.score_sentences(["good"] * 100, workers=2)) == 100
    corpus = _corpus(["A good day. A bad day."] * 3)
    assert len(S.sentence_sentiment(corpus, workers=2, cache=False)) == 6


def test_default_workers_follow_the_free_cores(monkeypatch):
    monkeypatch.setattr(sentiment_scoring, "available_cores", lambda: 2)
    for load, expected in ((0.2, 2), (1.4, 2), (1.6, 1), (3.0, 1), (9.0, 1)):
        monkeypatch.setattr(sentiment_scoring.os, "getloadavg",
                            lambda load=load: (load, load, load))
        assert S.default_workers() == expected, load

    def refuse(*args, **kwargs):
        raise AssertionError("a process pool was started on a busy machine")

    monkeypatch.setattr(sentiment_scoring, "_pool", refuse)
    assert len(S.score_sentences(["good"] * 50, min_parallel=10)) == 50


def test_reference_and_nltk_engines_are_explicit_options():
    text = "The movie was not bad at all, but the ending was sad."
    assert S.score_text(text, engine="reference") == S.score_text(text)
    nltk_scores = S.score_text(text, engine="nltk")
    assert set(nltk_scores) == set(S.SCORE_COLUMNS)
    texts = load_vader_ratings("nytEditorialSnippets")["text"].tolist()[:1500]
    ours = S.score_sentences(texts, workers=1)["compound"]
    nltk = S.score_sentences(texts, engine="nltk", workers=1)["compound"]
    differing = (ours != nltk).mean()
    assert 0 < differing < 0.2  # NLTK's port is a different variant


# ---------------------------------------------------------------------------------------------
# sentences and articles


def test_sentence_sentiment_keeps_offsets_and_positions(seed, reference):
    frame = S.sentence_sentiment(seed, cache=False)
    text = seed["text"].iloc[0]
    assert list(zip(frame["start"], frame["end"], strict=True)) == sentence_spans(text)
    assert all(text[s:e] == t for s, e, t in zip(frame["start"], frame["end"], frame["text"],
                                                    strict=True))
    assert frame["sentence_index"].tolist() == list(range(len(frame)))
    assert frame["position"].between(0, 1).all() and frame["position"].is_monotonic_increasing
    for sentence, compound in zip(frame["text"], frame["compound"], strict=True):
        assert compound == reference.polarity_scores(sentence)["compound"]


def test_sentence_sentiment_on_bad_input_texts():
    texts = ["", "   \n\n  ", "<p>Great &amp; <b>awful</b></p><br/>", "😁😁 great day 💋",
             "Это прекрасно. 我很高兴。", "x" * 100_000, ("word " * 20_000).strip()]
    frame = S.sentence_sentiment(_corpus(texts), cache=False)
    assert set(frame["doc_id"]) == {"d2", "d3", "d4", "d5", "d6"}
    assert frame[list(S.SCORE_COLUMNS)].notna().all().all()
    assert frame["compound"].between(-1, 1).all()
    articles = S.article_sentiment(_corpus(texts), frame)
    assert articles["n_sentences"].tolist()[:2] == [0, 0]


def test_sentence_sentiment_bad_corpus():
    with pytest.raises(S.SentimentError, match="no column"):
        S.sentence_sentiment(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(S.SentimentError, match="DataFrame"):
        S.sentence_sentiment(["a text"])


def test_cache_reuses_results_and_detects_changes(tmp_path, monkeypatch):
    cache = tmp_path / "sentiment.sqlite"
    corpus = _corpus(["A wonderful day. Then it rained.", "Terrible news today."])
    first = S.sentence_sentiment(corpus, cache=cache)
    original = sentiment_articles._analyse_articles

    def only_new(engine, texts):
        assert texts == ["Great news today!"], texts
        return original(engine, texts)

    monkeypatch.setattr(sentiment_articles, "_analyse_articles", only_new)
    again = S.sentence_sentiment(corpus, cache=cache)
    pd.testing.assert_frame_equal(first, again)
    changed = _corpus(["A wonderful day. Then it rained.", "Great news today!"])
    result = S.sentence_sentiment(changed, cache=cache)
    assert result["compound"].iloc[-1] > 0.5


def test_cache_key_depends_on_text_and_engine():
    assert S.article_key("a") != S.article_key("b")
    assert S.article_key("a", "vader") != S.article_key("a", "nltk")
    assert S.article_key("a") == S.article_key("a")


def test_unusable_cache_is_bypassed(tmp_path):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    frame = S.sentence_sentiment(_corpus(["Good. Bad."]), cache=broken)
    assert len(frame) == 2


def _write_cache(path, offset):
    corpus = _corpus([f"Article {offset + i}: a good day. A bad one." for i in range(200)])
    S.sentence_sentiment(corpus, cache=path, workers=1)


def test_cache_is_safe_with_two_processes(tmp_path):
    path = tmp_path / "shared.sqlite"
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_write_cache, args=(path, n)) for n in (0, 100)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0]
    with S.SentimentCache(path) as cache:
        count = cache._connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert count == 300


def test_article_sentiment_means_headlines_and_empty_articles():
    corpus = _corpus(
        ["I love this. I hate that. It is a table.", "...", "Nothing."],
        title=pd.array(["Great win", pd.NA, ""], dtype="string"),
    )
    sentences = S.sentence_sentiment(corpus, cache=False)
    articles = S.article_sentiment(corpus, sentences, whole_text=True)
    assert articles["doc_id"].tolist() == ["d0", "d1", "d2"]
    first = sentences[sentences["doc_id"] == "d0"]["compound"]
    assert articles.loc[0, "mean_compound"] == pytest.approx(first.mean())
    assert articles.loc[0, "n_sentences"] == 3
    assert articles.loc[0, "share_positive"] == pytest.approx(1 / 3)
    assert articles.loc[0, "headline_compound"] == S.score_text("Great win")["compound"]
    assert pd.isna(articles.loc[1, "headline_compound"]) and pd.isna(articles.loc[2,
                                                                                  "headline_compound"])
    assert articles.loc[0, "text_compound"] == S.score_text(corpus["text"][0])["compound"]
    assert articles.loc[2, "n_sentences"] == 1 and articles.loc[2, "mean_compound"] == 0


def test_article_without_sentences_gets_na():
    corpus = _corpus(["A good day.", "   "])
    articles = S.article_sentiment(corpus, cache=False)
    assert articles.loc[1, "n_sentences"] == 0
    assert pd.isna(articles.loc[1, "mean_compound"])


# ---------------------------------------------------------------------------------------------
# groups


def test_bootstrap_mean_ci_is_deterministic_and_sane():
    values = np.random.default_rng(1).normal(0.2, 0.3, size=400)
    first = S.bootstrap_mean_ci(values, seed=3)
    assert first == S.bootstrap_mean_ci(values, seed=3)
    mean, low, high = first
    assert mean == pytest.approx(values.mean())
    half_width = 1.96 * values.std(ddof=1) / math.sqrt(len(values))
    assert high - low == pytest.approx(2 * half_width, rel=0.15)
    assert all(math.isnan(v) for v in S.bootstrap_mean_ci([]))
    one = S.bootstrap_mean_ci([0.5, np.nan])  # one value: its mean, no interval
    assert one[0] == 0.5 and math.isnan(one[1]) and math.isnan(one[2])
    with pytest.raises(S.SentimentError):
        S.bootstrap_mean_ci([1, 2], confidence=1.5)
    with pytest.raises(S.SentimentError):
        S.bootstrap_mean_ci([1, 2], n_boot=0)


def test_bootstrap_mean_ci_is_the_histogram_bootstrap():
    """The interval is the one a results store gives from the values' histogram (the same
    draws), and missing values of any kind are left out."""
    values = np.round(np.random.default_rng(2).normal(0, 0.4, size=300), 4)
    steps, counts = resampling.histogram(values)
    low, high = resampling.bootstrap_mean_from_histogram(steps, counts, n_boot=500, seed=[0, 7])
    with_gaps = pd.array([*values, None], dtype="Float64")
    assert S.bootstrap_mean_ci(with_gaps, n_boot=500, seed=[0, 7]) == (values.mean(), low, high)


def test_group_sentiment_by_label_and_month():
    corpus = _corpus(
        ["Great joy. Good news."] * 3 + ["Awful war. Sad loss."] * 3 + ["Fine."],
        label=pd.array(["b"] * 3 + ["a"] * 3 + [pd.NA], dtype="string"),
        date=pd.to_datetime(["2020-01-05"] * 4 + ["2020-02-01"] * 3),
    )
    corpus["text"] = [t + f" Item {i}." for i, t in enumerate(corpus["text"])]
    articles = S.article_sentiment(corpus, cache=False)
    groups = S.group_sentiment(articles, corpus, "label", n_boot=500)
    assert groups["group"].tolist() == ["a", "b"]
    assert groups["n_articles"].tolist() == [3, 3]
    assert groups.loc[0, "mean"] < 0 < groups.loc[1, "mean"]
    # the interval is drawn on a grid of 1e-4: it may miss the exact mean by half a step
    assert (groups["ci_low"] <= groups["mean"] + 0.5e-4).all()
    assert (groups["mean"] <= groups["ci_high"] + 0.5e-4).all()
    assert groups.attrs["left_out"]["missing group"] == 1
    pd.testing.assert_frame_equal(groups, S.group_sentiment(articles, corpus, "label", n_boot=500))
    months = S.group_sentiment(articles, corpus, "month", n_boot=200)
    assert months["group"].tolist() == ["2020-01", "2020-02"]
    assert S.usable_group_columns(corpus) == ["label", "month"]
    with pytest.raises(S.SentimentError, match="No column"):
        S.group_sentiment(articles, corpus, "publisher")
    sentences = S.sentence_sentiment(corpus, cache=False)
    per_sentence = S.group_sentiment(sentences, corpus, "label", value="compound", n_boot=100)
    assert per_sentence["n_articles"].tolist() == [9, 9]
    label_of = dict(zip(corpus["doc_id"], corpus["label"], strict=True))
    expected = sentences.groupby(sentences["doc_id"].map(label_of))["compound"]
    assert per_sentence["mean"].tolist() == pytest.approx(expected.mean().tolist())


def test_position_profile():
    corpus = _corpus(["Great start. Neutral middle text. Awful end.",
                      "Wonderful opening. The middle. Terrible ending here."])
    sentences = S.sentence_sentiment(corpus, cache=False)
    profile = S.position_profile(sentences, bins=3, n_boot=200)
    assert profile["bin"].tolist() == [1, 2, 3]
    assert profile["n_sentences"].tolist() == [2, 2, 2]
    assert profile.loc[0, "mean"] > 0 > profile.loc[2, "mean"]
    assert profile.loc[1, "mean"] == 0
    empty_bins = S.position_profile(sentences.head(1), bins=2, n_boot=10)
    assert empty_bins["n_sentences"].tolist() == [1, 0] and math.isnan(empty_bins.loc[1, "mean"])
    with pytest.raises(S.SentimentError):
        S.position_profile(sentences, bins=0)


# ---------------------------------------------------------------------------------------------
# driving words


def test_driving_words_expose_lexicon_artefacts_and_negation():
    corpus = _corpus(
        ["The U.N. Security Council met. The security council voted.", "It was not good."]
    )
    sentences = S.sentence_sentiment(corpus, cache=False)
    words = S.driving_words(sentences, top=3)
    positive = words[words["direction"] == "positive"]
    assert positive["term"].tolist() == ["security"]
    assert positive["occurrences"].tolist() == [2]
    negative = words[words["direction"] == "negative"]
    assert negative["term"].tolist() == ["good"]  # "not good": the negated term drives it
    assert negative["lexicon_valence"].tolist() == [1.9]


def test_driving_words_ties_alphabetical_and_groups():
    corpus = _corpus(["Happy dog.", "Happy cat. Glad day."], label=["x", "y"])
    sentences = S.sentence_sentiment(corpus, cache=False)
    contributions = S.term_contributions(["joy", "wow"])  # both +
    assert contributions["term"].tolist() == sorted(contributions["term"].tolist())
    grouped = S.driving_words(sentences, corpus, "label", top=5)
    assert grouped["group"].unique().tolist() == ["x", "y"]
    assert grouped[grouped["group"] == "y"]["term"].tolist() == ["happy", "glad"]
    with pytest.raises(S.SentimentError, match="text"):
        S.driving_words(sentences.drop(columns="text"))


TONE_TEXTS = [
    "The U.N. Security Council met. It was not good, but the vote was a great success!",
    "“This is a wonderful deal,” the minister told reporters. “We are furious,” said another, "
    "“and sad.” A 12\" pipe broke badly. Nothing here.\n\nA second paragraph of calm words.",
    "Officials said the talks went well 😁 and the war was terrible.\nA line\nbroken sentence "
    "with happy words.",
    "The plan, the plan, the plan " * 60 + "went ahead.",  # a long sentence with no valence
    "",
    "Le gouvernement est très content. C'est magnifique.",
    "the " * 6000 + "good day.",  # neg and pos round to 0, yet "good" moves the score
]


def _tone_corpus(seed):
    crafted = _corpus(TONE_TEXTS, language=["en", "en", "en", "en", "en", "fr", "en"])
    head = seed.head(8)[["doc_id", "text"]].assign(language="en")
    return pd.concat([crafted, head], ignore_index=True).astype({"doc_id": "string"})


def test_article_tone_terms_add_up_to_term_contributions(seed):
    corpus = _tone_corpus(seed)
    sentences = S.sentence_sentiment(corpus, cache=False)
    rows = S.article_tone_terms(sentences)
    table = pd.DataFrame(rows, columns=["doc_id", "term", "occurrences", "total_valence"])
    assert table["doc_id"].unique().tolist() == [d for d in corpus["doc_id"]
                                                 if d in set(table["doc_id"])]
    summed = table.groupby("term", sort=True)[["occurrences", "total_valence"]].sum()
    expected = S.term_contributions(sentences["text"]).set_index("term")
    assert summed.index.tolist() == expected.index.tolist()
    assert summed["occurrences"].tolist() == expected["occurrences"].tolist()
    np.testing.assert_allclose(summed["total_valence"], expected["total_valence"], rtol=1e-12)
    # skipping sentences whose scores show no valence changes nothing
    assert S.article_tone_terms(sentences.drop(columns=["neg", "pos"])) == rows
    assert ("d1", "wonderful", 1, 2.7) in rows
    assert ("d6", "good", 1, 1.9) in rows


def _quote_rows(corpus, sentences):
    per_article = S.quoted_vs_authorial(S.quote_segments(corpus, sentences=sentences))
    columns = ["doc_id", "n_quoted", "quoted_compound", "n_authorial", "authorial_compound"]
    return [tuple(None if pd.isna(v) else v for v in row)
            for row in per_article[columns].itertuples(index=False, name=None)]


def test_sentiment_tables_equal_the_steps_they_replace(seed):
    corpus = _tone_corpus(seed)
    tables = S.sentiment_tables(corpus)
    sentences = S.sentence_sentiment(corpus, cache=False, workers=1)
    pd.testing.assert_frame_equal(tables.sentences, sentences)
    assert tables.tone_terms == S.article_tone_terms(sentences)
    assert tables.quote_tone == S.article_quote_tone(corpus, sentences)
    assert tables.quote_tone == _quote_rows(corpus, sentences)
    assert [row[0] for row in tables.quote_tone][:3] == ["d0", "d1", "d2"]
    assert "d5" not in {row[0] for row in tables.quote_tone}  # French: not analysed
    # without scores in the frame every segment is scored: the same numbers
    assert S.article_quote_tone(corpus, sentences.drop(columns="compound")) == tables.quote_tone


def test_article_quote_tone_on_many_quotes_per_article():
    rng = np.random.default_rng(4)
    words = ["good", "bad", "great", "terrible", "calm", "war", "peace", "the", "said", "not"]
    texts = []
    for _ in range(5):
        parts = []
        for _ in range(60):
            said = " ".join(rng.choice(words, size=6))
            told = " ".join(rng.choice(words, size=5))
            parts.append(f"“{said.capitalize()},” {told}. {told.capitalize()} again.")
        texts.append(" ".join(parts))
    corpus = _corpus(texts)
    sentences = S.sentence_sentiment(corpus, cache=False)
    assert S.article_quote_tone(corpus, sentences) == _quote_rows(corpus, sentences)


def test_segment_means_are_summed_as_pandas_sums_groups():
    """Per-article means of segments equal pandas' grouped means to the last bit (pandas
    compensates its sums; a plain running sum differs on values like these)."""
    rng = np.random.default_rng(5)
    values = rng.choice([1e16, 1.0, -1e16, 3.3, 0.1, -0.7, 2.5e-5], size=4000)
    groups = rng.integers(0, 40, size=4000)
    expected = pd.Series(values).groupby(groups).mean()
    means = {}
    for group, value in zip(groups.tolist(), values.tolist(), strict=True):
        means.setdefault(group, sentiment_quotes._Mean()).add(value)
    assert [means[g].mean() for g in expected.index] == expected.tolist()
    plain = {}
    for group, value in zip(groups.tolist(), values.tolist(), strict=True):
        plain[group] = plain.get(group, 0.0) + value
    assert [plain[g] / (groups == g).sum() for g in expected.index] != expected.tolist()


def test_quote_spans_visit_only_quotation_marks():
    text = "No mark here.\n\n“Open and never closed\n\n" + "x" * 10 + ' "a" b'
    assert _quoted(text) == ["Open and never closed", "a"]
    assert S.quote_spans("Plain text without marks.") == []
    assert S.quote_spans(None) == []


# ---------------------------------------------------------------------------------------------
# quotes


def _quoted(text):
    return [text[s:e] for s, e in S.quote_spans(text)]


def test_quote_spans_straight_typographic_and_split_attribution():
    assert _quoted('He said "we will win" today.') == ["we will win"]
    assert _quoted("“I am here,” he said, “to stay.”") == ["I am here,", "to stay."]
    assert _quoted('"I am here," he said, "to stay."') == ["I am here,", "to stay."]
    assert _quoted("She called it «madness».") == ["madness"]
    assert _quoted("No quotes, it's Assad's plan.") == []
    assert _quoted("") == []


def test_quote_spans_multi_paragraph_and_inches():
    text = "“First paragraph of a quote.\n\n“Second paragraph,” she said."
    assert _quoted(text) == ["First paragraph of a quote.", "Second paragraph,"]
    assert _quoted('A 12" pipe and a "real" problem.') == ["real"]


def test_quote_segments_and_custom_spans():
    text = (
        "“This is a wonderful deal,” the minister told reporters in the capital. "
        "It failed badly last week."
    )
    corpus = _corpus([text])
    segments = S.quote_segments(corpus)
    assert segments["kind"].tolist() == ["quoted", "authorial", "authorial"]
    assert segments["text"].tolist()[0] == "This is a wonderful deal,"
    assert segments["text"].tolist()[1] == "the minister told reporters in the capital."
    short = S.quote_segments(_corpus(["“A terrible idea,” he said."]))
    assert short["kind"].tolist() == ["quoted"]
    start = text.index("It failed")
    custom = S.quote_segments(corpus, spans={"d0": [(start, start + 9)]}, min_authorial_words=1)
    assert custom["kind"].tolist() == ["authorial", "quoted", "authorial"]
    assert custom["text"].tolist()[1:] == ["It failed", "badly last week."]
    as_frame = pd.DataFrame({"doc_id": ["d0"], "start": [start], "end": [start + 9]})
    pd.testing.assert_frame_equal(
        custom, S.quote_segments(corpus, spans=as_frame, min_authorial_words=1)
    )
    with pytest.raises(S.SentimentError, match="spans"):
        S.quote_segments(corpus, spans=[(0, 4)])
    with pytest.raises(S.SentimentError, match="columns found"):
        S.quote_segments(corpus, spans=pd.DataFrame({"doc_id": ["d0"], "begin": [0]}))


def test_quote_segments_accept_attribution_style_tables():
    text = '"I am here," he said, "to stay." Officials said the talks failed badly.'
    corpus = _corpus([text])
    table = pd.DataFrame(
        {
            "doc_id": ["d0", "d0"],
            "content_start": [0, 48],
            "content_end": [32, 70],
            "content_spans": [[(0, 12), (22, 32)], [(48, 70)]],
        }
    )
    pieces = S.quote_segments(corpus, spans=table, min_authorial_words=1)
    quoted = pieces[pieces["kind"] == "quoted"]["text"].tolist()
    assert quoted == ["I am here,", "to stay.", "the talks failed badly"]
    whole = S.quote_segments(corpus, spans=table.drop(columns="content_spans"),
                             min_authorial_words=1)
    assert whole[whole["kind"] == "quoted"]["text"].tolist()[0] == text[1:31]


def test_quoted_vs_authorial_per_article_and_group():
    corpus = _corpus(
        ["“We are furious and sad,” a spokesman told the press on Monday. The weather was fine.",
         "The council met on Tuesday to discuss the budget. “A great result,” she said.",
         "The report was published in the morning by the ministry."],
        source=["s1", "s2", "s2"],
    )
    segments = S.quote_segments(corpus)
    per_article = S.quoted_vs_authorial(segments)
    assert per_article["doc_id"].tolist() == ["d0", "d1", "d2"]
    assert per_article.loc[0, "quoted_compound"] < 0
    assert per_article.loc[1, "quoted_compound"] > 0
    assert per_article.loc[2, "n_quoted"] == 0 and pd.isna(per_article.loc[2, "quoted_compound"])
    groups = S.quoted_vs_authorial(segments, corpus, "source", n_boot=200)
    assert groups[["group", "kind"]].values.tolist() == [
        ["s1", "authorial"], ["s1", "quoted"], ["s2", "authorial"], ["s2", "quoted"]]
    assert groups["n_articles"].tolist() == [1, 1, 2, 1]


# ---------------------------------------------------------------------------------------------
# validation


def test_class_report_and_metrics_on_a_hand_computed_example():
    compound = [0.5, 0.6, -0.5, 0.0, 0.01, -0.7]
    human = [1.0, -1.0, -2.0, 0.0, 0.5, -0.1]
    report = S.class_report(compound, human)
    # gold: +,-,-,0,+,-   predicted: +,+,-,0,0,-
    assert report["support"].tolist() == [3, 1, 2]
    assert report["precision"].tolist() == pytest.approx([1.0, 0.5, 0.5])
    assert report["recall"].tolist() == pytest.approx([2 / 3, 1.0, 0.5])
    metrics = S.validation_metrics(compound, human).iloc[0]
    assert metrics["n"] == 6
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    f1 = report["f1"].to_numpy()
    assert metrics["f1"] == pytest.approx((f1 * [3, 1, 2]).sum() / 6)
    assert metrics["macro_f1"] == pytest.approx(f1.mean())
    assert metrics["pearson_r"] == pytest.approx(np.corrcoef(compound, human)[0, 1])
    assert math.isnan(S.validation_metrics([0.1], [1.0]).iloc[0]["pearson_r"])
    with pytest.raises(S.SentimentError, match="same length"):
        S.validation_metrics([0.1, 0.2], [1.0])


def test_human_ceiling():
    ratings = [[1, 2, 1], [2, 2, 3], [-1, 0, -2], [0, 1, 0]]
    matrix = np.array(ratings, dtype=float)
    mean = matrix.mean(axis=1)
    expected = np.mean([np.corrcoef(matrix[:, k], mean)[0, 1] for k in range(3)])
    assert S.human_ceiling(ratings) == pytest.approx(expected)


def test_nyt_validation_reproduces_vadersentiment(reference):
    snippets, metrics = S.nyt_validation()
    assert len(snippets) == 5190
    expected = [reference.polarity_scores(t)["compound"] for t in snippets["text"]]
    reference_metrics = S.validation_metrics(expected, snippets["human_mean"]).iloc[0]
    row = metrics.iloc[0]
    assert abs(row["pearson_r"] - reference_metrics["pearson_r"]) <= 0.002
    assert abs(row["f1"] - reference_metrics["f1"]) <= 0.002
    # figures of the issue: r = 0.503 with vaderSentiment 3.3.2, weighted F1 0.55, ceiling 0.745
    assert row["pearson_r"] == pytest.approx(0.503, abs=0.001)
    assert row["f1"] == pytest.approx(0.55, abs=0.005)
    assert row["human_ceiling"] == pytest.approx(0.745, abs=0.002)


def test_load_vader_ratings_reads_plain_ids():
    tweets = load_vader_ratings("tweets")
    assert len(tweets) == 4200 and tweets["editorial_id"].notna().all()
    assert tweets["sentence_index"].isna().all()


# ---------------------------------------------------------------------------------------------
# real corpora (skipped on a fresh clone)


def test_engine_equals_reference_on_bbc_sentences(shared_corpora, reference):
    corpus = load_corpus(shared_corpora / "bbc_news_2225.csv.gz").head(300)
    sentences = S.sentence_sentiment(corpus, cache=False)
    assert len(sentences) > 3000
    expected = [reference.polarity_scores(t)["compound"] for t in sentences["text"]]
    assert sentences["compound"].tolist() == expected


# ---------------------------------------------------------------------------------------------
# summaries and plots


def test_summarise_quoted_vs_authorial():
    per_article = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "quoted_compound": pd.array([0.5, pd.NA, -0.1], dtype="Float64"),
            "authorial_compound": pd.array([0.1, 0.2, 0.3], dtype="Float64"),
        }
    )
    per_article["difference"] = per_article["quoted_compound"] - per_article["authorial_compound"]
    summary = S.summarise_quoted_vs_authorial(per_article, n_boot=300)
    assert summary["kind"].tolist() == ["authorial", "quoted", "quoted - authorial"]
    assert summary["n_articles"].tolist() == [3, 2, 2]
    assert summary["mean"].tolist() == pytest.approx([0.2, 0.2, 0.0])
    with pytest.raises(S.SentimentError):
        S.summarise_quoted_vs_authorial(per_article.drop(columns="difference"))


def test_compound_histogram_counts_as_numpy():
    values = [-1.0, -0.95, -0.05, -0.0499, 0.0, 0.05, 0.9999, 1.0, np.nan, 0.3]
    table = S.compound_histogram(values, bins=40)
    assert table.columns.tolist() == ["bin", "bin_from", "bin_to", "count"]
    assert table["bin"].tolist() == list(range(1, 41))
    expected, edges = np.histogram([v for v in values if not np.isnan(v)],
                                   bins=np.linspace(-1, 1, 41))
    assert table["count"].tolist() == expected.tolist()
    assert table["bin_from"].tolist() == edges[:-1].tolist()
    assert table.loc[39, "count"] == 2  # 0.9999 and 1.0: the last slice holds 1.0
    assert S.compound_histogram([], bins=4)["count"].tolist() == [0, 0, 0, 0]
    with pytest.raises(S.SentimentError):
        S.compound_histogram(values, bins=0)


def test_sentiment_summary():
    summary = S.sentiment_summary([0.5, -0.5, 0.0, 0.04, np.nan]).iloc[0]
    assert summary["n"] == 4 and summary["n_missing"] == 1
    assert summary["mean"] == pytest.approx(0.01)
    assert (summary["share_negative"], summary["share_neutral"], summary["share_positive"]) == (
        0.25, 0.5, 0.25)
    empty = S.sentiment_summary([]).iloc[0]
    assert empty["n"] == 0 and math.isnan(empty["mean"])


def test_plots_are_labelled_and_survive_empty_input(seed):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from utils.sentiment import plots as P

    sentences = S.sentence_sentiment(seed, cache=False)
    doc = seed["doc_id"].iloc[0]
    axes = [
        P.plot_compound_histogram(sentences["compound"], title="t"),
        P.plot_compound_histogram([np.nan], title="t"),
        P.plot_compound_counts(S.compound_histogram([0.5, -0.2]), title="t", mean=0.15,
                               n_missing=2),
        P.plot_compound_counts(S.compound_histogram([]), title="t"),
        P.plot_sentiment_arc(sentences, doc),
        P.plot_position_profile(S.position_profile(sentences, bins=4, n_boot=50), title="t"),
        P.plot_interval_means(pd.DataFrame({"g": ["a"], "mean": [0.1], "ci_low": [0.0],
                                            "ci_high": [0.2]}), label_column="g", title="t",
                              xlabel="x", ylabel="y"),
        P.plot_driving_words(S.driving_words(sentences), title="t"),
        P.plot_validation_scatter(pd.DataFrame({"human_mean": [1.0, -1.0], "compound": [0.5, 0]}),
                                  S.validation_metrics([0.5, 0], [1.0, -1.0]), title="t"),
    ]
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    gappy = P.plot_interval_means(
        pd.DataFrame({"g": ["a", "b"], "mean": [0.1, np.nan], "ci_low": [0.0, np.nan],
                      "ci_high": [0.2, np.nan]}),
        label_column="g", title="t", xlabel="x", ylabel="y",
    )
    assert "1 without a mean left out" in [t.get_text() for t in gappy.get_legend().get_texts()]
    with pytest.raises(S.SentimentError, match="No sentence"):
        P.plot_sentiment_arc(sentences, "missing")
    plt.close("all")


def test_quote_spans_agree_with_polnear_attribution_contents(shared_corpora):
    """Text inside quotation marks is nearly always annotated attribution content in PolNeAR
    (character precision); recall is low by design (indirect speech has no quotation marks)."""
    articles = load_corpus(shared_corpora / "polnear_articles.csv.gz", fix_text=False,
                           boilerplate=None).head(250)
    attributions = pd.read_csv(shared_corpora / "polnear_attributions.csv.gz", dtype=str,
                               keep_default_na=False)
    first = attributions.groupby("filename")["annotator"].transform("min")
    attributions = attributions[attributions["annotator"] == first]
    by_file = attributions.groupby("filename")["content_spans"].agg(list)
    both = predicted_total = 0
    for filename, text in zip(articles["doc_id"], articles["text"], strict=True):
        gold = np.zeros(len(text), dtype=bool)
        for spans in by_file.get(filename, []):
            for part in filter(None, (p.strip() for p in spans.split(";"))):
                start, end = map(int, part.split())
                gold[start:end] = True
        predicted = np.zeros(len(text), dtype=bool)
        for start, end in S.quote_spans(text):
            predicted[start:end] = True
        both += int((gold & predicted).sum())
        predicted_total += int(predicted.sum())
    assert predicted_total > 10_000
    assert both / predicted_total >= 0.9
