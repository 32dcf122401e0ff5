"""Group comparisons (utils.compare) on small hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from utils.compare import (
    GroupError,
    choose_group_column,
    group_sizes,
    keyness_by_group,
    sentiment_by_group,
    source_types_by_group,
    sourcing_by_group,
    top_speakers_by_group,
)


@pytest.fixture
def corpus():
    texts = [
        "The army shelled the city. Rebels fired rockets at the army.",
        "The army advanced again. The army shelled the rebels and the city.",
        "Army units and army tanks entered the city at dawn.",
        "Markets rallied as banks reported profits. Investors cheered the banks.",
        "Banks lent more money. Markets and banks rose on strong profits.",
        "Profits at banks doubled, and markets rose.",
    ]
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(6)],
            "title": [None] * 6,
            "text": texts,
            "source": ["war", "war", "war", "money", "money", "money"],
            "date": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-02-01"] * 2),
            "label": [pd.NA] * 6,
            "desk": ["a", "a", "a", "a", "a", "a"],
        }
    )


@pytest.fixture
def articles(corpus):
    return pd.DataFrame(
        {
            "doc_id": corpus["doc_id"],
            "words": [10, 12, 10, 11, 10, 8],
            "mean_compound": [-0.5, -0.4, -0.6, 0.5, 0.4, 0.6],
            "attributions": [2, 0, 1, 1, 0, 0],
            "attributions_per_1000_words": [200.0, 0.0, 100.0, 1000 / 11, 0.0, 0.0],
        }
    )


@pytest.fixture
def attributions():
    return pd.DataFrame(
        {
            "doc_id": ["d0", "d0", "d2", "d3"],
            "kind": ["direct", "indirect", "according-to", "direct"],
            "source_type": ["person", "anonymous", "organization", "person"],
            "speaker": ["Ann Lee", "", "UN", "Bob Roe"],
        }
    )


def test_choose_group_column(corpus):
    assert choose_group_column(corpus) == "source"  # label is empty, desk has one value
    assert choose_group_column(corpus, "month") == "month"
    with pytest.raises(GroupError, match="1 group"):
        choose_group_column(corpus, "desk")
    with pytest.raises(GroupError, match="No column 'outlet'"):
        choose_group_column(corpus, "outlet")
    assert choose_group_column(corpus.drop(columns=["source"])) is None


def test_group_sizes(corpus, articles):
    table = group_sizes(corpus, "source", articles)
    assert table.values.tolist() == [["money", 3, 29], ["war", 3, 32]]


def test_keyness_by_group_finds_each_groups_vocabulary(corpus):
    table = keyness_by_group(corpus, "source", top=3, min_count=2)
    assert table[table["group"] == "war"]["term"].iloc[0] == "army"
    assert table[table["group"] == "money"]["term"].iloc[0] == "banks"
    assert (table["g2"] >= 3.84).all()
    for _, part in table.groupby("group"):
        assert part["rank"].tolist() == list(range(1, len(part) + 1)) and len(part) <= 3
        assert part["g2"].is_monotonic_decreasing


def test_sentiment_by_group(corpus, articles):
    sentences = pd.DataFrame({"doc_id": ["d0", "d0", "d3"], "compound": [-0.2, -0.4, 0.8]})
    table = sentiment_by_group(articles, sentences, corpus, "source", n_boot=200)
    article_level = table[table["level"] == "article"].set_index("group")
    assert article_level.loc["war", "mean"] == -0.5
    assert article_level.loc["money", "mean"] == 0.5
    assert article_level.loc["war", "ci_low"] <= -0.5 <= article_level.loc["war", "ci_high"]
    sentence_level = table[table["level"] == "sentence"].set_index("group")
    assert sentence_level.loc["war", "mean"] == -0.3 and sentence_level.loc["war", "n"] == 2


def test_sourcing_by_group(corpus, articles, attributions):
    table = sourcing_by_group(articles, attributions, corpus, "source", n_boot=200)
    war = table.set_index("group").loc["war"]
    assert war["attributions"] == 3 and war["words"] == 32
    assert war["per_1000_words"] == round(3000 / 32, 3)
    assert war["ci_low"] <= war["per_1000_words"] <= war["ci_high"]
    assert war["share_direct"] == round(1 / 3, 3)
    assert war["share_anonymous"] == round(1 / 3, 3)
    assert war["share_named"] == round(2 / 3, 3)
    money = table.set_index("group").loc["money"]
    assert money["attributions"] == 1 and money["share_direct"] == 1.0


def test_bootstrap_rate_ci_brackets_the_pooled_rate():
    from utils.compare import bootstrap_rate_ci

    rate, low, high = bootstrap_rate_ci([2, 0, 1, 0], [100, 50, 100, 250], n_boot=500, seed=1)
    assert rate == 6.0  # 3 per 500 words
    assert low <= rate <= high and low >= 0
    assert bootstrap_rate_ci([1, 2], [10, 10], n_boot=50, seed=3) == bootstrap_rate_ci(
        [1, 2], [10, 10], n_boot=50, seed=3)
    nan_rate = bootstrap_rate_ci([], [])[0]
    assert nan_rate != nan_rate


def test_source_types_and_top_speakers(corpus, attributions):
    types = source_types_by_group(attributions, corpus, "source")
    war = types[types["group"] == "war"]
    assert war["source_type"].tolist() == ["anonymous", "organization", "person"]
    assert war["share"].sum() == pytest.approx(1.0, abs=0.002)
    speakers = top_speakers_by_group(attributions, corpus, "source", top=5)
    assert speakers.values.tolist() == [
        ["money", 1, "Bob Roe", 1, 1],
        ["war", 1, "Ann Lee", 1, 1],
        ["war", 2, "UN", 1, 1],
    ]


def test_empty_attributions_give_empty_tables(corpus):
    empty = pd.DataFrame(columns=["doc_id", "kind", "source_type", "speaker"])
    assert source_types_by_group(empty, corpus, "source").empty
    assert top_speakers_by_group(empty, corpus, "source").empty


def test_bootstrap_rate_ci_is_the_bootstrap_of_the_distinct_pairs():
    from utils.compare import bootstrap_rate_ci
    from utils.tables.resampling import bootstrap_ratio_from_pairs

    rate = bootstrap_rate_ci([2, 0, 1, 0, 2, None], [100, 50, 100, 250, 100, 80], n_boot=300,
                             seed=2)
    assert rate == bootstrap_ratio_from_pairs([0, 0, 1, 2], [50, 250, 100, 100], [1, 1, 1, 2],
                                              scale=1000.0, n_boot=300, seed=2)


def test_sentiment_intervals_are_the_histogram_bootstrap(corpus, articles):
    from utils.sentiment import _group_seed
    from utils.tables.resampling import bootstrap_mean_ci

    sentences = pd.DataFrame({"doc_id": ["d0", "d0", "d3"], "compound": [-0.2, -0.4, 0.8]})
    table = sentiment_by_group(articles, sentences, corpus, "source", n_boot=200)
    war = table[(table["level"] == "article") & (table["group"] == "war")].iloc[0]
    mean, low, high = bootstrap_mean_ci([-0.5, -0.4, -0.6], n_boot=200,
                                        seed=_group_seed(0, "war"))
    assert (war["mean"], war["ci_low"], war["ci_high"]) == (round(mean, 3), round(low, 3),
                                                            round(high, 3))
