"""Word-frequency tables read from a results store (utils.tables.words) equal those of
utils.frequencies on the same corpus, over a store cut into many partitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from utils import frequencies as F
from utils.corpus import load_corpus
from utils.frequencies import FrequencyError
from utils.results import group_articles
from utils.results.build import write_store
from utils.tables import words as W

VOCABULARY = (
    "minister government army rebels city talks talking talked peace ceasefire president "
    "officials aid convoy convoys border attack attacks attacked attacking forces hospital "
    "children market shelling opposition council vote Aleppo Damascus Syria Moscow said told "
    "the of and a in on was were it that 2016 3.5 --").split()
FRENCH = ("Le ministre a dit que les pourparlers de paix reprendront à Genève la semaine "
          "prochaine, selon des responsables de l'opposition syrienne.")


def make_corpus(tmp_path, n: int = 40, french: tuple[int, ...] = (5, 17, 30)) -> pd.DataFrame:
    """A loaded corpus of made-up articles: sources, labels and dates with gaps, multi-valued
    topics, some French articles (not analysed), quotes and apostrophes."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(n):
        sentences = []
        for _ in range(int(rng.integers(2, 7))):
            words = " ".join(rng.choice(VOCABULARY, int(rng.integers(3, 12))))
            sentences.append(words[0].upper() + words[1:] + ".")
        if i % 6 == 0:
            sentences.append("“We will not talk,” O’Brien said of the President's plan.")
        if i % 9 == 0:
            sentences.append('He said: "peace talks" failed in Aleppo.\n\nThe army attacked.')
        rows.append({
            "doc_id": f"d{i:02d}", "title": f"Story {i}", "text": " ".join(sentences),
            "source": ["Agency A", "Agency B", "Daily C", None][i % 4],
            "date": None if i % 11 == 3 else f"2016-{1 + i % 5:02d}-{10 + i % 9}",
            "label": ["fake", "credible"][i % 2],
            "topics": ["earn;acq", "acq", None, "crude; earn", "trade"][i % 5],
            "desk": "world",
        })
    for i in french:
        rows[i]["text"] = f"{FRENCH} Article {i}."
    pd.DataFrame(rows).to_csv(tmp_path / "corpus.csv", index=False)
    frame = load_corpus(tmp_path / "corpus.csv")
    assert len(frame) == n
    frame["language"] = ["fr" if i in french else "en" for i in range(n)]
    return frame


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("words")
    corpus = make_corpus(folder)
    store, _ = write_store(corpus, folder / "store", source="test", partition_size=7,
                           cache=False)
    assert len(store.partitions) > 3
    return store, corpus


@pytest.fixture(scope="module")
def store(built):
    return built[0]


@pytest.fixture(scope="module")
def corpus(built):
    return built[1]


@pytest.fixture(scope="module")
def tokenized(corpus):
    return F.tokenize_corpus(corpus)


def with_month(corpus: pd.DataFrame) -> pd.DataFrame:
    return corpus.assign(month=pd.to_datetime(corpus["date"]).dt.strftime("%Y-%m"))


def same(left: pd.DataFrame, right: pd.DataFrame, exact: bool = True) -> None:
    if exact:
        pd.testing.assert_frame_equal(left, right)
    else:
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9)
    assert left.attrs == right.attrs


SETTINGS = [{}, {"stem": True}, {"extra_stopwords": frozenset({"said", "Aleppo"})},
            {"stem": True, "extra_stopwords": frozenset({"attacks"})}]


# ---------------------------------------------------------------------------------------------
# counts


def test_store_has_not_analysed_articles(store):
    analysed = store.sql("SELECT analysed, count(*) AS n FROM articles GROUP BY 1 ORDER BY 1")
    assert analysed["n"].tolist() == [3, 37]


@pytest.mark.parametrize("settings", SETTINGS[:2])
def test_frequency_summary(store, corpus, settings):
    same(W.frequency_summary(store, **settings), F.frequency_summary(corpus, **settings))


def test_frequency_summary_with_extra_stopwords_counts_terms_without_them(store, corpus):
    extra = frozenset({"said", "peace"})
    mine = W.frequency_summary(store, extra_stopwords=extra)
    theirs = F.frequency_summary(corpus, extra_stopwords=extra)
    columns = ["articles", "words", "terms", "distinct_terms"]
    same(mine[columns], theirs[columns])


@pytest.mark.parametrize("settings", SETTINGS)
def test_term_counts(store, corpus, settings):
    same(W.term_counts(store, **settings), F.term_counts(corpus, **settings))


def test_stemmed_counts_are_the_stemmed_tokenization(store, corpus):
    stemmed = W.term_counts(store, stem=True).set_index("term")
    assert "attack" in stemmed.index and "attacks" not in stemmed.index
    plain = W.term_counts(store).set_index("term")["count"]
    forms = ["attack", "attacks", "attacked", "attacking"]
    assert stemmed.loc["attack", "count"] == plain.reindex(forms).fillna(0).sum()
    same(W.term_counts(store, stem=True), F.term_counts(F.tokenize_corpus(corpus, stem=True)))


def test_other_term_options_are_refused(store):
    with pytest.raises(FrequencyError, match="remove_numbers cannot be changed"):
        W.term_counts(store, remove_numbers=False)


def test_zipf_from_store_counts(store, corpus):
    table = F.zipf_table(W.term_counts(store))
    same(table, F.zipf_table(F.term_counts(corpus)))
    assert F.zipf_fit(table) == F.zipf_fit(F.zipf_table(F.term_counts(corpus)))


# ---------------------------------------------------------------------------------------------
# collocations


@pytest.mark.parametrize("measure", ["likelihood_ratio", "pmi"])
@pytest.mark.parametrize("settings", SETTINGS[:2])
@pytest.mark.parametrize("min_freq", [1, 3])
def test_collocations(store, corpus, measure, settings, min_freq):
    same(W.collocations(store, measure=measure, min_freq=min_freq, **settings),
         F.collocations(corpus, measure=measure, min_freq=min_freq, **settings))
    same(W.collocations(store, measure=measure, min_freq=min_freq, top=5, **settings),
         F.collocations(corpus, measure=measure, min_freq=min_freq, top=5, **settings))


def test_collocations_scored_with_the_term_totals(store, corpus):
    """bigram_association receives each bigram's count, the totals of its two terms over the
    whole corpus (encoding.counts(), not the bigram margins) and the number of terms."""
    counts = W.term_counts(store).set_index("term")["count"]
    best = W.collocations(store, min_freq=2, top=1).iloc[0]
    first, second = best["ngram"].split()
    expected = F.bigram_association(np.array([best["count"]]), np.array([counts[first]]),
                                    np.array([counts[second]]), int(counts.sum()))
    assert best["score"] == expected[0]


def test_collocations_with_extra_stopwords_leave_out_their_bigrams(store):
    plain = W.collocations(store, min_freq=1)
    extra = W.collocations(store, min_freq=1, extra_stopwords=frozenset({"said"}))
    assert not extra["ngram"].str.split().apply(lambda pair: "said" in pair).any()
    kept = plain[~plain["ngram"].str.split().apply(lambda pair: "said" in pair)]
    assert set(extra["ngram"]) == set(kept["ngram"])


def test_collocations_empty_and_refused(store):
    assert W.collocations(store, min_freq=10_000).columns.tolist() == F.COLLOCATION_COLUMNS
    assert W.collocations(store, min_freq=10_000).empty
    with pytest.raises(FrequencyError, match="bigrams"):
        W.collocations(store, n=3)
    with pytest.raises(FrequencyError, match="Unknown measure"):
        W.collocations(store, measure="dice")


# ---------------------------------------------------------------------------------------------
# distinctive terms


@pytest.mark.parametrize("settings", SETTINGS)
def test_distinctive_terms_of_every_article(store, corpus, settings):
    same(W.distinctive_terms(store, top_n=4, **settings),
         F.distinctive_terms(corpus, top_n=4, **settings))


def test_distinctive_terms_of_some_articles(store, corpus):
    wanted = ["d12", "d05", "d00"]  # d05 is French: no terms, no rows
    same(W.distinctive_terms(store, top_n=5, doc_ids=wanted),
         F.distinctive_terms(corpus, top_n=5, doc_ids=wanted))
    assert W.distinctive_terms(store, doc_ids=["d05"]).empty
    with pytest.raises(FrequencyError, match="not in the corpus"):
        W.distinctive_terms(store, doc_ids=["nope"])


# ---------------------------------------------------------------------------------------------
# groups and keyness


@pytest.mark.parametrize("column", ["label", "source", "month"])
def test_keyness_against_the_rest(store, corpus, column):
    frame = with_month(corpus)
    tokenized = F.tokenize_corpus(frame)
    target = F.choose_grouping(tokenized, column)[1]
    assert W.choose_grouping(store, column) == (column, target)
    same(W.keyness(store, column, target, min_count=2),
         F.keyness(tokenized, column, target, min_count=2))


def test_keyness_with_a_reference_and_options(store, corpus):
    settings = {"stem": True, "extra_stopwords": frozenset({"said"})}
    same(W.keyness(store, "source", "Agency B", "Daily C", **settings),
         F.keyness(corpus, "source", "Agency B", "Daily C", **settings))


def test_keyness_of_a_split_column(store, corpus):
    grouping = group_articles(store, "topics", split=";")
    assert grouping.memberships > grouping.grouped
    assert grouping.left_out == 8 and grouping.note() is not None
    pieces = corpus["topics"].fillna("").str.split(";").apply(lambda p: [x.strip() for x in p])
    grouped = pieces.apply(lambda p: any(p))  # a missing value is read as ""
    frame = corpus.assign(earn=np.where(~grouped, None,
                                        np.where(pieces.apply(lambda p: "earn" in p), "earn",
                                                 "other")))
    expected = F.keyness(frame, "earn", "earn")
    expected.attrs["group_column"] = "topics"
    same(W.keyness(store, grouping, "earn"), expected)
    assert W.choose_grouping(store, "topics", split=";") == ("topics", "acq")


def test_keyness_errors_and_reasons(store, tmp_path):
    with pytest.raises(FrequencyError, match="No article has label == 'satire'"):
        W.keyness(store, "label", "satire")
    with pytest.raises(FrequencyError, match="same group"):
        W.keyness(store, "label", "fake", "fake")
    with pytest.raises(FrequencyError, match="No column 'publisher'"):
        W.keyness(store, "publisher", "x")
    assert W.keyness_problem(store, "label", "fake") is None
    assert W.choose_grouping(store, "publisher").startswith("No column 'publisher'")
    assert "fewer than two groups" in W.choose_grouping(store, "desk")
    assert W.choose_grouping(store, None, candidates=("label",)) == ("label", "credible")


def test_keyness_of_a_group_without_words(tmp_path):
    corpus = make_corpus(tmp_path, n=12, french=(0, 4, 8))  # source "Agency A": all French
    store, _ = write_store(corpus, tmp_path / "store", source="test", partition_size=5,
                           cache=False)
    expected = F.keyness_or_reason(corpus, "source", "Agency A")
    assert "not English" in expected
    assert W.keyness_or_reason(store, "source", "Agency A") == expected
    assert W.keyness_problem(store, "source", "Agency A") == F.keyness_problem(
        corpus, "source", "Agency A")
    with pytest.raises(FrequencyError, match="has no words"):
        W.keyness(store, "source", "Agency A")
    same(W.keyness(store, "source", "Agency B"), F.keyness(corpus, "source", "Agency B"))


def test_key_terms_by_group_are_the_keyness_tables(store):
    for column, split in (("label", None), ("source", None), ("topics", ";"), ("month", None)):
        grouping = group_articles(store, column, split)
        table = W.key_terms_by_group(store, grouping, top=3, min_count=2)
        assert len(table) > 0
        for group, rows in table.groupby("group", sort=False):
            key = W.keyness(store, grouping, group, min_count=2)
            key = key[key["key_for"] == group].head(3).reset_index(drop=True)
            expected = key.drop(columns="key_for").assign(
                group=pd.Series([group] * len(key), dtype=object),
                articles=rows["articles"].iloc[0], words=key.attrs["target_words"],
                rank=np.arange(1, len(key) + 1, dtype=np.int64))[W.KEY_TERM_COLUMNS]
            assert rows["articles"].iloc[0] == key.attrs["target_articles"]
            pd.testing.assert_frame_equal(rows.reset_index(drop=True), expected)


# ---------------------------------------------------------------------------------------------
# terms over time and concordance


@pytest.mark.parametrize("freq", ["M", "Q"])
@pytest.mark.parametrize("settings", SETTINGS[:2])
def test_terms_over_time(store, corpus, freq, settings):
    terms = ["attacks", "Peace", "aleppo"]
    same(W.terms_over_time(store, terms, freq=freq, **settings),
         F.terms_over_time(corpus, terms, freq=freq, **settings))


def test_terms_over_time_without_dates(tmp_path):
    corpus = make_corpus(tmp_path, n=6, french=()).drop(columns="date")
    store, _ = write_store(corpus, tmp_path / "store", source="test", partition_size=2,
                           cache=False)
    same(W.terms_over_time(store, ["peace"]), F.terms_over_time(corpus, ["peace"]))
    with pytest.raises(FrequencyError, match="removed by the term options"):
        W.terms_over_time(store, ["the"])


@pytest.mark.parametrize("term", ["said", "O'Brien", "peace talks", "ALEPPO", "president's",
                                  "ministre", "absentword"])
def test_concordance(store, corpus, term):
    same(W.concordance(store, term), F.concordance(corpus, term))
    same(W.concordance(store, term, width=10, max_lines=3),
         F.concordance(corpus, term, width=10, max_lines=3))


def test_concordance_refuses_what_the_corpus_function_refuses(store):
    with pytest.raises(FrequencyError, match="non-empty term"):
        W.concordance(store, " ")
    with pytest.raises(FrequencyError, match="width"):
        W.concordance(store, "peace", width=-1)


# ---------------------------------------------------------------------------------------------
# reasons and the summary


def test_top_terms_reason(store, tmp_path):
    assert W.top_terms_reason(store, W.term_counts(store)) is None
    corpus = make_corpus(tmp_path, n=4, french=(0, 1, 2, 3))
    french, _ = write_store(corpus, tmp_path / "store", source="test", partition_size=3,
                            cache=False)
    from utils.frequency_plots import top_terms_reason

    counts = W.term_counts(french)
    assert counts.empty and counts.columns.tolist() == F.TERM_COUNT_COLUMNS
    assert W.top_terms_reason(french, counts) == top_terms_reason(counts, corpus)
    assert "none is analysed (fr 4)" in W.top_terms_reason(french, counts)
    same(W.frequency_summary(french), F.frequency_summary(corpus))
    assert W.distinctive_terms(french).empty and W.collocations(french).empty


def test_words_summary(store):
    summary = W.words_summary(store)
    counts = W.term_counts(store)
    assert f"{counts['term'].iloc[0]} ({counts['count'].iloc[0]:,})" in summary["lines"][1]
    best = W.collocations(store, min_freq=5, top=1)["ngram"].iloc[0]
    assert f"'{best}'" in summary["lines"][2]
    assert len(summary["table"]) <= 10
    grouped = W.words_summary(store, "label")
    key = W.key_terms_by_group(store, "label", min_count=5)
    assert grouped["table"]["term"].tolist() == key["term"].tolist()
    assert any(line.startswith("Most key term of each group by label") for line in
               grouped["lines"])
    split = W.words_summary(store, group_articles(store, "topics", ";"))
    key = W.key_terms_by_group(store, group_articles(store, "topics", ";"), min_count=5)
    assert split["table"]["group"].tolist() == key["group"].tolist()
    assert "acq: " in split["lines"][-1] and "earn: " in split["lines"][-1]


def test_summaries_without_analysed_articles(tmp_path):
    corpus = make_corpus(tmp_path, n=4, french=(0, 1, 2, 3))
    store, _ = write_store(corpus, tmp_path / "store", source="test", partition_size=3,
                           cache=False)
    lines = W.words_summary(store, "label")["lines"]
    assert lines == ["This corpus has no terms; none of its 4 articles is English, so none is "
                     "analysed (fr 4)."]
    from utils.tables.overview import corpus_summary

    lines = corpus_summary(store)["lines"]
    assert lines[0] == "4 articles of test." and not any("0 words" in line for line in lines)
    assert lines[-1] == "4 articles not analysed: not English (fr 4)."
