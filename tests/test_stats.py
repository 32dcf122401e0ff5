"""Corpus statistics (utils.stats)."""

from __future__ import annotations

import pandas as pd
import pytest

from utils.stats import (
    article_lengths,
    articles_per,
    articles_per_month,
    corpus_overview,
    has_metadata,
)


@pytest.fixture
def corpus():
    return pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "title": ["T", pd.NA, "T3"],
            "text": ["One two three. Four!", "Mr. Smith's dog barked.\n\nIt ran.", "Hi."],
            "source": ["X", "Y", "X"],
            "date": pd.to_datetime(["2020-01-15", "2020-03-02", None]),
            "label": [pd.NA, pd.NA, pd.NA],
        }
    )


def test_article_lengths(corpus):
    lengths = article_lengths(corpus)
    assert lengths["doc_id"].tolist() == ["a", "b", "c"]
    assert lengths["sentences"].tolist() == [2, 2, 1]
    # "Mr. Smith 's dog barked . It ran ." -> Mr. Smith 's dog barked It ran = 7 words
    assert lengths["words"].tolist() == [4, 7, 1]
    assert lengths["characters"].tolist() == [len(t) for t in corpus["text"]]


def test_corpus_overview(corpus):
    overview = corpus_overview(corpus).set_index("measure")["value"]
    assert overview["articles"] == 3
    assert overview["words"] == 12
    assert overview["sentences"] == 5
    assert overview["words per article, median"] == 4.0
    assert overview["articles with a title"] == 2
    assert overview["articles with a date"] == 2
    assert overview["articles with a label"] == 0


def test_articles_per_sorts_by_count_then_name(corpus):
    table = articles_per(corpus.assign(source=["Y", "X", pd.NA]), "source")
    assert table["source"].tolist() == ["(missing)", "X", "Y"]
    assert table["articles"].tolist() == [1, 1, 1]
    assert table["share"].tolist() == [0.333, 0.333, 0.333]
    with pytest.raises(KeyError, match="No column 'publisher'"):
        articles_per(corpus, "publisher")


def test_articles_per_month_fills_gaps(corpus):
    table = articles_per_month(corpus)
    assert table["month"].tolist() == ["2020-01", "2020-02", "2020-03"]
    assert table["articles"].tolist() == [1, 0, 1]
    assert articles_per_month(corpus.assign(date=pd.NaT)).empty


def test_has_metadata(corpus):
    assert has_metadata(corpus, "source")
    assert not has_metadata(corpus, "label")
    assert not has_metadata(corpus, "publisher")


def test_empty_corpus_gives_well_formed_tables():
    empty = pd.DataFrame({c: [] for c in ["doc_id", "title", "text", "source", "date", "label"]})
    assert article_lengths(empty).empty
    overview = corpus_overview(empty).set_index("measure")["value"]
    assert overview["articles"] == 0 and overview["words per article, mean"] == 0.0


def test_articles_not_analysed_have_no_words_or_sentences(corpus):
    french = corpus.assign(language=["en", "fr", "en"])
    lengths = article_lengths(french)
    assert lengths["words"].tolist() == [4, pd.NA, 1]
    assert lengths["sentences"].tolist() == [2, pd.NA, 1]
    overview = corpus_overview(french).set_index("measure")["value"]
    assert overview["words"] == 5 and overview["sentences"] == 3
    assert overview["words per article, median"] == 2.5
    assert overview["articles not analysed (not English)"] == 1
    everything_french = corpus_overview(corpus.assign(language="fr")).set_index("measure")
    assert everything_french["value"]["words per article, mean"] == 0.0
