"""Tests of utils.frequencies and utils.frequency_plots (hand-computed values, NLTK parity)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utils import frequencies as F
from utils import text as text_utils
from utils.corpus import load_corpus


def corpus(*texts, **columns) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)}
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


# ---------------------------------------------------------------------------------------------
# exact fast tokenization

TRICKY = [
    'He said, "I cannot go." Then left.',
    "'Tis the season; 'twas not. Gimme that, gonna wanna go.",
    "Assad’s visit: “Russia—and Syria” (again)... isn't it?!",
    "Prices rose 3.5% to $1,200.00 on Jan. 5, 2016 -- a record.",
    "The U.S. and U.K. said: 'yes'. [See p. 4] {x} <y> *note*",
    "``quoted'' and ''odd'' quotes \"here\"",
    "Mr. Smith's car, the Smiths' house, we'll see, they're done.",
    "Ends with a period followed by a bracket.)",
    "Ends with quote and period.\"  ",
    "tab\tseparated\twords, and more'n enough d'ye see",
    "Café £5 €3 naïve façade — 1–2 ‘quote’ «guillemets»",
    "KELVIN \u212a sign, dotted \u0130stanbul and long \u017fs",
    "control \x1c separator \x1f here.",
    "a:b, c:d 12:30, 1,000, x: y,",
    "Wait... what?? Really!!! ok.",
    "",
    "   ",
    "'",
    '"',
    ".",
    "can not cannot CANNOT CanNot",
    "Ends with closers. ) ' \t",
    "No final period. But ) x",
    "Two periods.. at end..",
    "Trailing comma,",
    "Trailing colon:\n",
    "wanna\tgo gonna,",
]


@pytest.mark.parametrize("sentence", TRICKY)
def test_fast_tokenize_words_equals_nltk_on_tricky_sentences(sentence):
    assert F.fast_tokenize_words(sentence) == text_utils.tokenize_words(sentence)


def test_fast_rules_match_installed_nltk():
    # The fast path is only enabled while NLTK's rule table is the one analysed.
    assert F._fast_rules() is not None


ALPHABET = st.sampled_from(
    list("abcXYZ019 .,:;!?'\"`()[]{}<>-*&$%@#\t")
    + ["cannot", "gonna", "wanna ", "'tis", "'twas", "n't", "'s", "'ll", "more'n", "d'ye",
       "--", "...", "''", "``", " ", "é", "’", "“", "”", "—", "£", "\x1c", "\u0130", "\u212a",
       "\u00a0", "\u2013", "Mr.", "U.S.", "\n", ".)", '."', ". ", ".\t", ",\n", ":\n", "»", ") "]
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=30).map("".join))
def test_fast_tokenize_words_equals_nltk_on_generated_sentences(sentence):
    assert F.fast_tokenize_words(sentence) == text_utils.tokenize_words(sentence)


PARAGRAPH_PARTS = st.sampled_from(
    ["Mr. Smith", " went", " to", " Washington", ".", " He", " said", "!", "?", "\n", "\n\n",
     " The U.S. Army", " Jan. 5", ' "Yes."', " (No.)", " e.g. this", "  ", "...", " 3.5"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(PARAGRAPH_PARTS, max_size=25).map("".join))
def test_sentence_spans_equal_plain_punkt(text):
    assert text_utils.sentence_spans(text) == text_utils.reference_sentence_spans(text)


def test_fast_tokenize_text_on_seed_article_equals_tokenize_text():
    text = load_corpus("seed")["text"].iloc[0]
    flat = [token for sentence in F.fast_tokenize_text(text) for token in sentence]
    assert flat == text_utils.tokenize_text(text)
    assert len(flat) > 100


# ---------------------------------------------------------------------------------------------
# token -> term


def test_term_filter_defaults():
    term_filter = F.TermFilter(F.TermOptions())
    tokens = ["The", "Assad", "'s", ",", "1987", "3.88", "1980s", "Syria", "--", "isn't", "n't"]
    assert term_filter.terms(tokens) == ["assad", "1980s", "syria", "isn't"]
    # words: every token holding a letter or digit (all but "," and "--"), numbers included
    assert term_filter.terms_and_words(tokens)[1] == 9


def test_memo_caches_are_bounded_and_change_no_result(monkeypatch):
    text = load_corpus("seed")["text"].iloc[0]
    tokens = text_utils.tokenize_text(text)
    expected = F.TermFilter(F.TermOptions()).terms_and_words(tokens)
    expected_spans = text_utils.reference_sentence_spans(text)
    monkeypatch.setattr(F, "TERM_CACHE_SIZE", 5)
    monkeypatch.setattr(text_utils, "SENTBREAK_CACHE_SIZE", 3)
    text_utils._memo_sentence_tokenizer.cache_clear()
    text_utils._remembered_sentence_spans.cache_clear()
    try:
        bounded = F.TermFilter(F.TermOptions())
        assert bounded.terms_and_words(tokens) == expected
        assert bounded.terms_and_words(tokens) == expected  # second pass: partly remembered
        assert len(bounded._cache) == 5
        assert text_utils.sentence_spans(text) == expected_spans
        assert len(text_utils._memo_sentence_tokenizer()._sentbreak_cache) == 3
        spans = text_utils.sentence_spans(text)  # remembered: a copy the caller may change
        spans.clear()
        assert text_utils.sentence_spans(text) == expected_spans
    finally:
        text_utils._memo_sentence_tokenizer.cache_clear()
        text_utils._remembered_sentence_spans.cache_clear()


def test_term_filter_options():
    keep_all = F.TermOptions(
        lowercase=False, remove_stopwords=False, remove_punctuation=False, remove_numbers=False
    )
    assert F.TermFilter(keep_all).terms(["The", ",", "1987"]) == ["The", ",", "1987"]
    stemmed = F.TermFilter(F.TermOptions(stem=True, extra_stopwords={"Said"}))
    assert stemmed.terms(["Running", "said", "elections"]) == ["run", "elect"]


def test_term_options_reject_unknown_settings_and_strings():
    with pytest.raises(TypeError, match="Unknown term option"):
        F.term_options(stemming=True)
    with pytest.raises(F.FrequencyError, match="not one string"):
        F.TermOptions(extra_stopwords="said")


# ---------------------------------------------------------------------------------------------
# counts

SMALL = corpus(
    "Syria talks resumed. Syria and Russia met.",
    "Russia denied the report. Talks failed.",
    "Nothing here, 1987!",
)


def test_term_counts_hand_computed():
    counts = F.term_counts(SMALL)
    assert counts.columns.tolist() == F.TERM_COUNT_COLUMNS
    # words: 7 + 6 + 3 = 16 (tokens holding a letter or digit)
    assert counts["term"].tolist() == [
        "russia", "syria", "talks", "denied", "failed", "met", "nothing", "report", "resumed"
    ]  # ties sorted alphabetically
    row = counts.set_index("term").loc["russia"]
    assert row["count"] == 2 and row["doc_freq"] == 2
    assert row["per_10k"] == pytest.approx(2 / 16 * 10_000)
    assert counts.set_index("term").loc["syria", "doc_freq"] == 1


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.lists(st.sampled_from(["a", "b", "c", "dd", "é"]), max_size=6), max_size=4),
        max_size=6,
    )
)
def test_term_encoding_counts_equal_counter(articles):
    from collections import Counter

    encoding = F.TermEncoding.of(articles)
    vocabulary = encoding.vocabulary.tolist()
    flat = [t for article in articles for sentence in article for t in sentence]
    assert dict(zip(vocabulary, encoding.counts().tolist(), strict=True)) == Counter(flat)
    doc_freq = Counter(t for article in articles for t in {x for s in article for x in s})
    assert dict(zip(vocabulary, encoding.doc_freq().tolist(), strict=True)) == doc_freq
    bigrams = Counter(
        pair for article in articles for s in article for pair in zip(s, s[1:], strict=False)
    )
    first, second, counts = encoding.bigrams()
    found = {
        (vocabulary[a], vocabulary[b]): c
        for a, b, c in zip(first.tolist(), second.tolist(), counts.tolist(), strict=True)
    }
    assert found == bigrams
    mask = [i % 2 == 0 for i in range(len(articles))]
    even = Counter(
        t for i, article in enumerate(articles) if mask[i] for s in article for t in s
    )
    masked = encoding.counts(np.array(mask, dtype=bool)).tolist()
    assert {t: c for t, c in zip(vocabulary, masked, strict=True) if c} == even


def test_counts_do_not_depend_on_processes(monkeypatch):
    monkeypatch.setattr(F, "MIN_ARTICLES_FOR_PROCESSES", 1)
    texts = [f"Article {i} on Syria and talks number {i % 7}. Russia replied." for i in range(40)]
    frame = corpus(*texts)
    one = F.tokenize_corpus(frame, n_jobs=1)
    two = F.tokenize_corpus(frame, n_jobs=2)
    assert one.sentences == two.sentences and one.words == two.words
    pd.testing.assert_frame_equal(F.term_counts(one), F.term_counts(two))


def test_document_term_counts_and_article_word_counts():
    per_doc = F.document_term_counts(SMALL)
    assert per_doc.columns.tolist() == F.DOCUMENT_TERM_COLUMNS
    first = per_doc[per_doc["doc_id"] == "d0"]
    assert first["term"].tolist() == ["syria", "met", "resumed", "russia", "talks"]
    assert first["count"].tolist() == [2, 1, 1, 1, 1]
    sizes = F.article_word_counts(SMALL).set_index("doc_id")
    assert sizes.loc["d0"].tolist() == [2, 9, 7, 6, 5]  # sentences, tokens, words, terms, unique
    assert sizes.loc["d2"].tolist() == [1, 5, 3, 1, 1]  # "Nothing", "here", ",", "1987", "!"


def test_empty_corpus_and_wordless_articles_give_empty_frames():
    empty = corpus()
    for function in (F.term_counts, F.document_term_counts, F.article_word_counts,
                     F.distinctive_terms):
        result = function(empty)
        assert result.empty and len(result.columns) > 1
    wordless = corpus("...", "!!! --")
    assert F.term_counts(wordless).empty
    assert F.ngram_counts(wordless).empty
    assert F.collocations(wordless, min_freq=1).empty
    assert F.article_word_counts(wordless)["words"].tolist() == [0, 0]


def test_bad_corpus_input():
    with pytest.raises(F.FrequencyError, match="DataFrame"):
        F.term_counts(["a text"])
    with pytest.raises(F.FrequencyError, match="lacks the column"):
        F.term_counts(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(F.FrequencyError, match="n_jobs"):
        F.term_counts(SMALL, n_jobs=0)


# ---------------------------------------------------------------------------------------------
# n-grams and collocations


def test_ngrams_stay_within_sentences():
    bigrams = F.ngram_counts(SMALL, n=2)
    assert "syria talks" in set(bigrams["ngram"])
    assert "resumed syria" not in set(bigrams["ngram"])  # crosses a sentence boundary
    assert "met russia" not in set(bigrams["ngram"])  # crosses an article boundary
    trigrams = F.ngram_counts(SMALL, n=3)
    assert trigrams["ngram"].tolist() == [
        "russia denied report", "syria russia met", "syria talks resumed"
    ]
    with pytest.raises(F.FrequencyError):
        F.ngram_counts(SMALL, n=0)


def _generated_corpus(seed=3, articles=60):
    rng = np.random.default_rng(seed)
    vocabulary = ["syria", "russia", "talks", "peace", "army", "rebels", "city", "aid", "un",
                  "envoy", "said", "new", "york", "prime", "minister"]
    texts = []
    for _ in range(articles):
        sentences = []
        for _ in range(rng.integers(1, 5)):
            words = rng.choice(vocabulary, size=rng.integers(2, 9))
            sentences.append(" ".join(words).capitalize() + ".")
        texts.append(" ".join(sentences))
    return corpus(*texts)


@pytest.mark.parametrize("measure", ["likelihood_ratio", "pmi"])
def test_bigram_scores_equal_nltk_finder(measure):
    from nltk.collocations import BigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures

    frame = _generated_corpus()
    tokenized = F.tokenize_corpus(frame)
    sentences = [s for article in tokenized.sentences for s in article]
    finder = BigramCollocationFinder.from_documents(sentences)
    finder.apply_freq_filter(2)
    expected = dict(
        (" ".join(k), v) for k, v in finder.score_ngrams(getattr(BigramAssocMeasures, measure))
    )
    mine = F.collocations(tokenized, measure=measure, min_freq=2)
    assert set(mine["ngram"]) == set(expected)
    for ngram, score in zip(mine["ngram"], mine["score"], strict=True):
        assert score == pytest.approx(expected[ngram], rel=1e-12, abs=1e-12)
    assert mine["score"].is_monotonic_decreasing


def test_trigram_collocations_use_nltk_finder():
    frame = _generated_corpus(seed=5, articles=80)
    result = F.collocations(frame, n=3, min_freq=2, top=5)
    assert len(result) == 5 and result["count"].min() >= 2
    with pytest.raises(F.FrequencyError):
        F.collocations(frame, n=4)
    with pytest.raises(F.FrequencyError):
        F.collocations(frame, measure="dice")


# ---------------------------------------------------------------------------------------------
# keyness formulas, worked out by hand


def test_log_likelihood_hand_computed():
    # a=10, b=5, c=1000, d=2000: E1 = 1000*15/3000 = 5, E2 = 10,
    # G2 = 2 (10 ln 2 + 5 ln 0.5) = 10 ln 2 = 6.931472
    assert F.log_likelihood(10, 5, 1000, 2000) == pytest.approx(10 * math.log(2))
    assert F.log_likelihood(10, 5, 1000, 2000) == pytest.approx(6.931472, abs=1e-6)
    # zero count: a=0, b=10, c=d=1000: E2 = 5, G2 = 2 (0 + 10 ln 2) = 13.862944
    assert F.log_likelihood(0, 10, 1000, 1000) == pytest.approx(13.862944, abs=1e-6)
    # a=20, b=0, c=500, d=1500: E1 = 5, G2 = 2 * 20 ln 4 = 55.451774
    assert F.log_likelihood(20, 0, 500, 1500) == pytest.approx(55.451774, abs=1e-6)
    # same relative frequency: G2 = 0
    assert F.log_likelihood(4, 8, 100, 200) == pytest.approx(0.0, abs=1e-12)
    vector = F.log_likelihood([10, 0], [5, 10], 1000, 2000)
    assert vector.shape == (2,) and np.isfinite(vector).all()
    with pytest.raises(F.FrequencyError):
        F.log_likelihood(1, 1, 0, 10)


def test_log_ratio_hand_computed():
    # (10/1000) / (5/2000) = 4 -> log2 = 2
    assert F.log_ratio(10, 5, 1000, 2000) == pytest.approx(2.0)
    # zero adjusted to 0.5: (0.5/1000) / (5/2000) = 0.2 -> -2.321928
    assert F.log_ratio(0, 5, 1000, 2000) == pytest.approx(math.log2(0.2))
    assert F.log_ratio(3, 0, 100, 100) == pytest.approx(math.log2(6))


def test_significance_thresholds():
    labels = F.significance_label([0.0, 3.83, 3.84, 6.63, 10.83, 15.12, 15.13, 99])
    assert labels.tolist() == [
        "n.s.", "n.s.", "p<0.05", "p<0.01", "p<0.001", "p<0.001", "p<0.0001", "p<0.0001"
    ]


KEY = corpus(
    "Rebels attacked the city. Rebels retreated.",
    "Rebels fled the city.",
    "The army held the city. Aid arrived.",
    "Aid convoys reached the city.",
    "Unlabelled text about rebels.",
    group=["fake", "fake", "credible", "credible", None],
)


def test_keyness_hand_computed():
    key = F.keyness(KEY, "group", "fake")
    # words: fake 6 + 4 = 10, credible 7 + 5 = 12 (the unlabelled article is in neither)
    assert key.attrs["target_words"] == 10 and key.attrs["reference_words"] == 12
    assert key.attrs["reference"] == "rest" and key.attrs["reference_articles"] == 2
    row = key.set_index("term").loc["rebels"]
    assert (row["target_count"], row["reference_count"]) == (3, 0)  # unlabelled row excluded
    # E1 = 10 * 3 / 22, G2 = 2 * 3 ln(3 / E1) = 6 ln 2.2 = 4.730744 (p<0.05)
    assert row["g2"] == pytest.approx(6 * math.log(2.2))
    assert row["g2"] == pytest.approx(4.730744, abs=1e-6)
    assert row["log_ratio"] == pytest.approx(math.log2((3 / 10) / (0.5 / 12)))
    assert row["key_for"] == "fake" and row["significance"] == "p<0.05"
    city = key.set_index("term").loc["city"]
    assert city["key_for"] == "fake"  # 2/10 > 2/12
    assert key["g2"].is_monotonic_decreasing
    explicit = F.keyness(KEY, "group", "credible", reference="fake")
    assert explicit.set_index("term").loc["aid", "key_for"] == "credible"


def test_keyness_bad_groups():
    with pytest.raises(F.FrequencyError, match="No column 'publisher'"):
        F.keyness(KEY, "publisher", "x")
    with pytest.raises(F.FrequencyError, match="Values present: \\['credible', 'fake'\\]"):
        F.keyness(KEY, "group", "satire")
    with pytest.raises(F.FrequencyError, match="same group"):
        F.keyness(KEY, "group", "fake", reference="fake")
    one_group = corpus("Some text.", "More text.", group=["a", "a"])
    with pytest.raises(F.FrequencyError, match="no reference group"):
        F.keyness(one_group, "group", "a")
    wordless = corpus("Some text.", "...", group=["a", "b"])
    with pytest.raises(F.FrequencyError, match="has no words"):
        F.keyness(wordless, "group", "a")


def test_choose_grouping():
    # 2 articles each: the tie goes to the alphabetically first group
    assert F.choose_grouping(KEY, group_by="group") == ("group", "credible")
    assert F.choose_grouping(KEY, group_by="group", target="fake") == ("group", "fake")
    labelled = corpus("a", "b", "c", label=["x", "y", "y"], source=["s", "s", "s"])
    assert F.choose_grouping(labelled) == ("label", "y")
    note = F.choose_grouping(corpus("a", "b", source=["s", "s"]))
    assert isinstance(note, str) and "Set GROUP_BY" in note
    assert "No column" in F.choose_grouping(KEY, group_by="nope")
    assert "groups:" in F.choose_grouping(KEY, group_by="group", target="satire")


def test_frequency_summary():
    summary = F.frequency_summary(SMALL)
    assert summary.iloc[0].tolist() == [3, 5, 16, 12, 9]


# ---------------------------------------------------------------------------------------------
# TF-IDF, trends, concordance, Zipf


def test_distinctive_terms_hand_computed():
    frame = corpus("Syria syria talks.", "Talks resumed.", "Talks failed.")
    result = F.distinctive_terms(frame, top_n=2)
    first = result[result["doc_id"] == "d0"]
    # N = 3; syria: tf 2/3, df 1, idf = ln(4/2) + 1; talks: tf 1/3, df 3, idf = ln(4/4) + 1 = 1
    assert first["term"].tolist() == ["syria", "talks"]
    assert first["tf_idf"].iloc[0] == pytest.approx(2 / 3 * (math.log(2) + 1))
    assert first["tf_idf"].iloc[1] == pytest.approx(1 / 3)
    assert first["rank"].tolist() == [1, 2]
    only = F.distinctive_terms(frame, top_n=1, doc_ids=["d2"])
    assert only["term"].tolist() == ["failed"]
    with pytest.raises(F.FrequencyError, match="not in the corpus"):
        F.distinctive_terms(frame, doc_ids=["nope"])


def test_terms_over_time():
    frame = corpus(
        "Syria talks. Syria.", "Talks about Russia.", "Syria again.", "Undated syria.",
        date=pd.to_datetime(["2016-01-05", "2016-01-20", "2016-03-02", None]),
    )
    trend = F.terms_over_time(frame, ["Syria", "talks"])
    assert trend.columns.tolist() == F.TREND_COLUMNS
    assert trend["period"].tolist() == ["2016-01", "2016-01", "2016-03", "2016-03"]
    january = trend[(trend["period"] == "2016-01") & (trend["term"] == "syria")].iloc[0]
    assert (january["count"], january["words"]) == (2, 6)
    assert january["per_10k"] == pytest.approx(2 / 6 * 10_000)
    no_dates = corpus("Syria talks.", date=pd.to_datetime([None]))
    assert F.terms_over_time(no_dates, ["syria"]).empty
    with pytest.raises(F.FrequencyError, match="removed by the term options"):
        F.terms_over_time(frame, ["the"])


def test_concordance():
    frame = corpus("Assad’s visit to Moscow.\nThe visit was brief.", "No match here.")
    lines = F.concordance(frame, "visit", width=10)
    assert lines.columns.tolist() == F.CONCORDANCE_COLUMNS
    assert lines["doc_id"].tolist() == ["d0", "d0"]
    first = lines.iloc[0]
    assert frame["text"].iloc[0][first["start"] : first["end"]] == "visit"
    assert first["left"] == "Assad’s "
    assert lines.iloc[1]["left"] == "scow. The "  # 10 characters, line break shown as a space
    phrase = F.concordance(frame, "Assad's visit")  # ASCII apostrophe matches the curly one
    assert phrase["match"].tolist() == ["Assad’s visit"]
    assert F.concordance(frame, "kremlin").empty
    assert len(F.concordance(frame, "visit", max_lines=1)) == 1
    with pytest.raises(F.FrequencyError):
        F.concordance(frame, "  ")


def test_zipf_table_and_fit():
    counts = pd.DataFrame(
        {"term": list("abcdef"), "count": [1200, 600, 400, 300, 240, 200]}
    )
    table = F.zipf_table(counts.iloc[::-1])
    assert table["rank"].tolist() == [1, 2, 3, 4, 5, 6]
    assert table["term"].tolist() == list("abcdef")
    fit = F.zipf_fit(table)
    assert fit["slope"] == pytest.approx(-1.0)
    assert fit["intercept"] == pytest.approx(math.log10(1200))
    assert fit["r2"] == pytest.approx(1.0)
    with pytest.raises(F.FrequencyError):
        F.zipf_fit(table.head(1))


# ---------------------------------------------------------------------------------------------
# plots


def test_plots_are_labelled_and_refuse_bad_tables():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from utils import frequency_plots as P

    counts = F.term_counts(KEY)
    axes = [
        P.plot_top_terms(counts, n=5),
        P.plot_zipf(F.zipf_table(counts), F.zipf_fit(F.zipf_table(counts))),
        P.plot_keyness(F.keyness(KEY, "group", "fake"), n=3),
    ]
    trend = F.terms_over_time(
        corpus("Syria.", "Syria talks.", date=pd.to_datetime(["2016-01-01", "2016-02-01"])),
        ["syria"],
    )
    axes.append(P.plot_terms_over_time(trend))
    for ax in axes:
        assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(F.FrequencyError, match="empty"):
        P.plot_top_terms(F.term_counts(corpus()))
    with pytest.raises(F.FrequencyError, match="NaN"):
        P.plot_top_terms(pd.DataFrame({"term": ["a"], "count": [float("nan")]}))
    plt.close("all")


# ---------------------------------------------------------------------------------------------
# real corpora (skipped on a fresh clone)


def test_fast_pipeline_equals_nltk_on_real_corpora(shared_corpora):
    frame = load_corpus(shared_corpora / "fa_kes_syria_804.csv.gz")
    reuters = load_corpus(shared_corpora / "reuters21578.csv.gz").head(1500)
    for texts in (frame["text"].tolist(), reuters["text"].tolist()):
        for text in texts:
            spans = text_utils.reference_sentence_spans(text)
            assert text_utils.sentence_spans(text) == spans
            for start, end in spans:
                sentence = text[start:end]
                assert F.fast_tokenize_words(sentence) == text_utils.tokenize_words(sentence)


def test_zipf_plot_draws_log_spaced_ranks_spanning_the_table():
    import numpy as np

    from utils.frequency_plots import ZIPF_POINTS_PER_DECADE, _log_spaced

    small = np.arange(1, 301, dtype=float)
    assert _log_spaced(small).tolist() == list(range(300))  # every rank under about 434
    ranks = np.arange(1, 50_001, dtype=float)
    kept = _log_spaced(ranks)
    assert kept[0] == 0 and kept[-1] == 49_999
    assert len(kept) < 5 * ZIPF_POINTS_PER_DECADE
    cells = np.floor(np.log10(ranks[kept]) * ZIPF_POINTS_PER_DECADE)
    assert len(np.unique(cells)) >= len(kept) - 1  # one point per cell (and the last rank)
