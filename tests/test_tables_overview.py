"""The corpus overview read from a results store (utils.tables.overview) equals utils.stats on
the same corpus, over a store cut into many partitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_tables_words import make_corpus

from utils import stats
from utils.results.build import write_store
from utils.tables import overview as O


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("overview")
    corpus = make_corpus(folder, n=30, french=(2, 9))
    store, _ = write_store(corpus, folder / "store", source="test", partition_size=4,
                           cache=False)
    assert len(store.partitions) > 5
    return store, corpus


@pytest.fixture(scope="module")
def store(built):
    return built[0]


@pytest.fixture(scope="module")
def corpus(built):
    return built[1]


def test_corpus_overview(store, corpus):
    expected = stats.corpus_overview(corpus)
    pd.testing.assert_frame_equal(O.corpus_overview(store), expected)
    values = expected.set_index("measure")["value"]
    assert values["articles not analysed (not English)"] == 2
    assert values["articles with a date"] < values["articles"]
    # the types of the values too (ints stay ints, the mean and median are floats)
    assert [type(v) for v in O.corpus_overview(store)["value"]] == [type(v) for v in
                                                                    expected["value"]]


def test_lengths_of_articles_not_analysed_are_missing(corpus):
    lengths = stats.article_lengths(corpus)
    french = corpus["language"] == "fr"
    assert lengths.loc[french, "words"].isna().all()
    assert lengths.loc[~french, "words"].notna().all()
    assert lengths.loc[french, "characters"].gt(0).all()


@pytest.mark.parametrize("column", ["source", "label", "topics", "date", "desk", "month"])
def test_articles_per(store, corpus, column):
    frame = corpus.assign(month=pd.to_datetime(corpus["date"]).dt.strftime("%Y-%m"))
    pd.testing.assert_frame_equal(O.articles_per(store, column),
                                  stats.articles_per(frame, column))


def test_articles_per_missing_column(store):
    with pytest.raises(KeyError, match="No column 'publisher'"):
        O.articles_per(store, "publisher")


def test_articles_per_month(store, corpus):
    pd.testing.assert_frame_equal(O.articles_per_month(store), stats.articles_per_month(corpus))
    assert (O.articles_per_month(store)["articles"] > 0).all()


def test_without_dates_and_words(tmp_path):
    corpus = make_corpus(tmp_path, n=5, french=(0, 1, 2, 3, 4)).drop(columns="date")
    store, _ = write_store(corpus, tmp_path / "store", source="test", partition_size=2,
                           cache=False)
    pd.testing.assert_frame_equal(O.articles_per_month(store),
                                  stats.articles_per_month(corpus.assign(date=pd.NaT)))
    pd.testing.assert_frame_equal(O.corpus_overview(store), stats.corpus_overview(corpus))
    histogram = O.length_histogram(store)
    assert histogram.empty and histogram.attrs["median"] is None
    assert not O.has_metadata(store, "date")
    summary = O.corpus_summary(store)
    assert "5 articles not analysed: not English (fr 5)." in summary["lines"]


@pytest.mark.parametrize("column", ["source", "label", "date", "title", "publisher", "month"])
def test_has_metadata(store, corpus, column):
    frame = corpus.assign(month=pd.to_datetime(corpus["date"]).dt.strftime("%Y-%m"))
    assert O.has_metadata(store, column) == stats.has_metadata(frame, column)


@pytest.mark.parametrize("bins", [1, 7, 40])
def test_length_histogram(store, corpus, bins):
    words = stats.article_lengths(corpus)["words"].dropna().to_numpy(dtype=float)
    counts, edges = np.histogram(words, bins=bins)
    table = O.length_histogram(store, bins=bins)
    np.testing.assert_array_equal(table["articles"].to_numpy(), counts.astype("int64"))
    np.testing.assert_array_equal(table["bin_start"].to_numpy(), edges[:-1])
    np.testing.assert_array_equal(table["bin_end"].to_numpy(), edges[1:])
    assert table.attrs["median"] == float(np.median(words))
    assert len(words) % 2 == 0  # the median of an even count: the mean of the middle two


def test_first_articles(store, corpus):
    first = O.first_articles(store, n=3)
    assert first["doc_id"].tolist() == corpus["doc_id"].head(3).tolist()
    assert "text" not in first.columns and "words" in first.columns
    assert first["source"].tolist() == corpus["source"].head(3).tolist()


def test_corpus_summary(store, corpus):
    summary = O.corpus_summary(store)
    lines = summary["lines"]
    words = int(stats.corpus_overview(corpus).set_index("measure")["value"]["words"])
    assert lines[0].startswith(f"30 articles of test, {words:,} words")
    assert lines[1].startswith("3 sources; the largest: Agency A (8), Agency B (8), Daily C (7)")
    assert lines[1].endswith("7 articles without a source.")
    assert lines[2] == "2 labels: credible (15), fake (15)."
    assert lines[3].startswith("Dated from 2016-01-10 to ")
    assert lines[-1] == "2 articles not analysed: not English (fr 2)."
    pd.testing.assert_frame_equal(summary["table"], O.articles_per(store, "source"))
    assert len(summary["table"]) <= 10


def test_not_analysed_languages(store, corpus):
    from utils.frequencies import language_counts

    skipped = corpus["language"] != "en"
    assert O.not_analysed_languages(store) == language_counts(corpus.loc[skipped, "language"])
