"""Group comparisons read from a results store (utils.tables.comparison) equal the in-memory
comparisons of utils.compare on the same corpus, over a store of many partitions: groups with
missing values, months, a split multi-valued column, a group of articles not analysed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_tables_sources import build_sample

from utils import compare
from utils.attribution import canonical_speakers
from utils.results import group_articles
from utils.sentiment import _group_seed
from utils.tables import comparison
from utils.tables.resampling import bootstrap_mean_ci

N_BOOT = 300
COLUMNS = ["label", "source", "month", "desk"]


def _memory(corpus, results):
    attributions = results.attributions.assign(speaker=canonical_speakers(
        results.attributions["speaker"], results.attributions["source_type"]).to_numpy())
    return {"corpus": corpus, "articles": results.articles, "sentences": results.sentences,
            "attributions": attributions}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    corpus, store, results = build_sample(tmp_path_factory.mktemp("comparison"))
    return store, _memory(corpus, results)


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    corpus, store, results = build_sample(tmp_path_factory.mktemp("quiet"), quiet=True)
    return store, _memory(corpus, results)


def _membership(corpus: pd.DataFrame, column: str, split: str) -> dict[str, np.ndarray]:
    """Each group of a split column and which articles belong to it."""
    pieces = corpus[column].astype("string").str.split(split)
    names = sorted({p.strip() for parts in pieces.dropna() for p in parts if p.strip()})
    return {name: pieces.map(lambda parts, n=name: isinstance(parts, list)
                             and n in [p.strip() for p in parts]).astype(bool).to_numpy()
            for name in names}


def _per_group(function, corpus: pd.DataFrame, column: str, split: str) -> pd.DataFrame:
    """The in-memory ``function(corpus_with_flag, "flag")`` for each group of a split column,
    its rows for the group's articles (``flag`` "in") named by the group: what the store
    gives for the split grouping (each group against every other grouped article)."""
    groups = _membership(corpus, column, split)
    grouped = np.logical_or.reduce(list(groups.values()))
    parts = []
    for name, mine in groups.items():
        flag = pd.Series(np.where(mine, "in", "out"), dtype="string").where(grouped, pd.NA)
        table = function(corpus.assign(flag=flag.to_numpy()), "flag")
        table = table[table["group"] == "in"]
        parts.append(table.assign(group=name))
    return pd.concat(parts, ignore_index=True)


# -- which column -------------------------------------------------------------------------


def test_group_column_or_reason_as_in_memory(sample):
    store, memory = sample
    corpus = memory["corpus"]
    for requested in (None, "label", "source", "month", "desk", "topics"):
        assert comparison.group_column_or_reason(store, requested) == \
            compare.group_column_or_reason(corpus, requested)
    assert comparison.choose_group_column(store) == compare.choose_group_column(corpus)
    assert comparison.group_column_or_reason(store, "topics", ";") == ("topics",
                                                                       "Grouping by: topics")


def test_grouping_problems_as_in_memory(sample):
    store, memory = sample
    corpus = memory["corpus"]
    # one value only, no value at all
    store.connection.execute("CREATE OR REPLACE VIEW articles AS SELECT * REPLACE ("
                             "CASE WHEN source = 'alpha' THEN 'alpha' END AS source, "
                             "CAST(NULL AS VARCHAR) AS label) FROM articles_original")
    changed = corpus.assign(
        source=corpus["source"].where(corpus["source"] == "alpha", pd.NA),
        label=pd.Series(pd.NA, index=corpus.index, dtype="string"))
    try:
        for column in ("source", "label", "desk", None):
            assert comparison.grouping_problem(store, column) == \
                compare.grouping_problem(changed, column), column
        assert comparison.group_column_or_reason(store) == \
            compare.group_column_or_reason(changed)
    finally:
        store.connection.execute("CREATE OR REPLACE VIEW articles AS "
                                 "SELECT * FROM articles_original")
    problem = comparison.grouping_problem(store, "outlet")
    assert problem == ("Cannot group by 'outlet': the articles have no such column; columns "
                       "to group by: source, date, label, language, topics, desk, month.")
    with pytest.raises(compare.GroupError, match="no such column"):
        comparison.choose_group_column(store, "outlet")


@pytest.fixture(scope="module", autouse=True)
def _original_articles_view(sample):
    store, _ = sample
    store.connection.execute("CREATE OR REPLACE TABLE articles_original AS "
                             "SELECT * FROM articles")


@pytest.mark.parametrize("english", ["", "WHEN doc_id IN ('d00', 'd02') THEN 'english' "])
def test_only_french_groups_cannot_be_compared(sample, english):
    store, memory = sample
    corpus = memory["corpus"]
    store.connection.execute(f"CREATE OR REPLACE VIEW articles AS SELECT * REPLACE (CASE "
                             f"WHEN desk = 'paris' THEN 'g' || right(doc_id, 1) {english}END "
                             "AS label) FROM articles_original")
    try:
        label = ("g" + corpus["doc_id"].str[-1]).where(corpus["desk"] == "paris", pd.NA)
        if english:
            label = label.mask(corpus["doc_id"].isin(["d00", "d02"]), "english")
        changed = corpus.assign(label=label)
        problem = comparison.grouping_problem(store, "label")
        assert problem == compare.grouping_problem(changed, "label")
        assert ("is English" if not english else "only 'english'") in problem
        assert comparison.group_column_or_reason(store, "label") == (None, problem)
    finally:
        store.connection.execute("CREATE OR REPLACE VIEW articles AS "
                                 "SELECT * FROM articles_original")


# -- tables -------------------------------------------------------------------------------


@pytest.mark.parametrize("column", COLUMNS)
def test_group_sizes(sample, column):
    store, memory = sample
    grouping = group_articles(store, column)
    table = comparison.group_sizes(store, grouping)
    expected = compare.group_sizes(memory["corpus"], column, memory["articles"])
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs == expected.attrs


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("min_count", [1, 3])
def test_keyness_by_group(sample, column, min_count):
    store, memory = sample
    table = comparison.keyness_by_group(store, group_articles(store, column), top=4,
                                        min_count=min_count)
    expected = compare.keyness_by_group(memory["corpus"], column, top=4, min_count=min_count)
    pd.testing.assert_frame_equal(table, expected)
    assert table.attrs["not_compared"] == expected.attrs["not_compared"]
    assert len(table) > 0 or column == "month"  # months of one or two articles: nothing key


def test_keyness_of_a_group_without_words(sample):
    store, _ = sample
    table = comparison.keyness_by_group(store, group_articles(store, "desk"), min_count=1)
    assert table.attrs["not_compared"] == [
        "No key terms for 'paris': the group 'paris' has no words: its 4 articles are not "
        "English, so not analysed (fr 4)."]
    assert set(table["group"]) == {"home", "world"}


def test_keyness_of_a_split_column(sample):
    store, memory = sample
    table = comparison.keyness_by_group(store, group_articles(store, "topics", ";"), top=4,
                                        min_count=1)
    expected = _per_group(lambda c, col: compare.keyness_by_group(c, col, top=4, min_count=1),
                          memory["corpus"], "topics", ";")
    pd.testing.assert_frame_equal(table, expected)


@pytest.mark.parametrize("column", COLUMNS)
def test_sentiment_by_group(sample, column):
    store, memory = sample
    table = comparison.sentiment_by_group(store, group_articles(store, column), n_boot=N_BOOT)
    expected = compare.sentiment_by_group(memory["articles"], memory["sentences"],
                                          memory["corpus"], column, n_boot=N_BOOT)
    pd.testing.assert_frame_equal(table, expected, check_exact=False, rtol=1e-9)
    assert set(table["level"]) == {"article", "sentence"} and table["ci_low"].notna().any()
    for level in ("article", "sentence"):
        pd.testing.assert_frame_equal(
            comparison.sentiment_by_group(store, column, n_boot=N_BOOT, levels=(level,)),
            table[table["level"] == level].reset_index(drop=True))


def test_sentiment_of_a_split_column(sample):
    store, memory = sample
    table = comparison.sentiment_by_group(store, "topics", ";", n_boot=N_BOOT)
    rows = []
    for level, frame, value in (("article", memory["articles"], "mean_compound"),
                                ("sentence", memory["sentences"], "compound")):
        for name, mine in _membership(memory["corpus"], "topics", ";").items():
            docs = set(memory["corpus"].loc[mine, "doc_id"])
            values = frame.loc[frame["doc_id"].isin(docs), value].astype("float64").dropna()
            mean, low, high = bootstrap_mean_ci(values.to_numpy(), n_boot=N_BOOT,
                                                seed=_group_seed(0, name))
            rows.append((name, level, len(values), mean, low, high))
    expected = pd.DataFrame(rows, columns=["group", "level", "n", "mean", "ci_low", "ci_high"])
    expected = expected.astype({"group": "str", "level": "str"}).round(3)
    pd.testing.assert_frame_equal(table, expected, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("column", COLUMNS)
def test_sourcing_by_group(sample, column):
    store, memory = sample
    table = comparison.sourcing_by_group(store, group_articles(store, column), n_boot=N_BOOT)
    expected = compare.sourcing_by_group(memory["articles"], memory["attributions"],
                                         memory["corpus"], column, n_boot=N_BOOT)
    pd.testing.assert_frame_equal(table, expected)
    if column == "desk":  # French articles only: no words, no rate
        assert table.set_index("group").loc["paris", ["words", "attributions"]].tolist() == [0, 0]
        assert np.isnan(table.set_index("group").loc["paris", "per_1000_words"])


def test_sourcing_of_a_split_column(sample):
    store, memory = sample
    table = comparison.sourcing_by_group(store, "topics", ";", n_boot=N_BOOT)
    expected = _per_group(lambda c, col: compare.sourcing_by_group(
        memory["articles"], memory["attributions"], c, col, n_boot=N_BOOT),
        memory["corpus"], "topics", ";")
    pd.testing.assert_frame_equal(table, expected)


@pytest.mark.parametrize("column", COLUMNS)
def test_source_types_and_top_speakers_by_group(sample, column):
    store, memory = sample
    grouping = group_articles(store, column)
    pd.testing.assert_frame_equal(
        comparison.source_types_by_group(store, grouping),
        compare.source_types_by_group(memory["attributions"], memory["corpus"], column))
    for top in (1, 3):
        pd.testing.assert_frame_equal(
            comparison.top_speakers_by_group(store, grouping, top=top),
            compare.top_speakers_by_group(memory["attributions"], memory["corpus"], column,
                                          top=top))


def test_source_types_and_top_speakers_of_a_split_column(sample):
    store, memory = sample
    expected = _per_group(lambda c, col: compare.source_types_by_group(
        memory["attributions"], c, col), memory["corpus"], "topics", ";")
    pd.testing.assert_frame_equal(comparison.source_types_by_group(store, "topics", ";"),
                                  expected)
    expected = _per_group(lambda c, col: compare.top_speakers_by_group(
        memory["attributions"], c, col, top=2), memory["corpus"], "topics", ";")
    pd.testing.assert_frame_equal(comparison.top_speakers_by_group(store, "topics", ";", top=2),
                                  expected)


def test_a_store_without_attributions(quiet):
    store, memory = quiet
    assert memory["attributions"].empty
    grouping = group_articles(store, "label")
    assert comparison.source_types_by_group(store, grouping).empty
    assert comparison.top_speakers_by_group(store, grouping).empty
    pd.testing.assert_frame_equal(
        comparison.sourcing_by_group(store, grouping, n_boot=N_BOOT),
        compare.sourcing_by_group(memory["articles"], memory["attributions"], memory["corpus"],
                                  "label", n_boot=N_BOOT))
    lines = comparison.groups_summary(store, grouping)["lines"]
    assert lines[-1] == "No attribution was found in any group."


def test_groups_summary(sample):
    store, _ = sample
    grouping = group_articles(store, "source")
    summary = comparison.groups_summary(store, grouping)
    sizes = comparison.group_sizes(store, grouping)
    tone = comparison.sentiment_by_group(store, grouping)
    tone = tone[tone["level"] == "article"].set_index("group")["mean"]
    sourcing = comparison.sourcing_by_group(store, grouping).set_index("group")
    table = summary["table"]
    assert table["group"].tolist() == sizes["group"].tolist() == ["alpha", "beta", "gamma"]
    assert table["articles"].tolist() == sizes["articles"].tolist()
    assert table["mean_tone"].tolist() == tone.loc[table["group"]].tolist()
    assert table["share_anonymous"].tolist() == \
        sourcing.loc[table["group"], "share_anonymous"].tolist()
    lines = summary["lines"]
    assert lines[0].startswith("3 groups by source (articles): ")
    assert f"Most negative in tone: {tone.idxmin()}, mean article compound " in lines[1]
    assert f"{'most positive' if tone.max() > 0 else 'least negative'}: {tone.idxmax()}, " \
        in lines[1]
    most, least = sourcing["per_1000_words"].idxmax(), sourcing["per_1000_words"].idxmin()
    assert lines[2].startswith(f"Quotes and cites most: {most}, "
                               f"{sourcing.loc[most, 'per_1000_words']:.1f} attributions")
    assert lines[2].endswith(f"; least: {least}, "
                             f"{sourcing.loc[least, 'per_1000_words']:.1f}.")
    assert lines[3].startswith(f"Uses anonymous sources most: "
                               f"{sourcing['share_anonymous'].idxmax()}, ")


def test_groups_summary_of_many_groups_shows_the_largest(sample):
    store, _ = sample
    summary = comparison.groups_summary(store, group_articles(store, "month"))
    sizes = comparison.group_sizes(store, "month")
    assert len(summary["table"]) == comparison.SUMMARY_GROUPS < len(sizes)
    assert summary["lines"][0].endswith(f"and {len(sizes) - comparison.SUMMARY_GROUPS} "
                                        "smaller ones.")
    assert summary["lines"][1] == "Below, the 10 largest groups are compared."
    negative = summary["lines"][2].split(",")[0].removeprefix("Most negative in tone: ")
    assert negative in set(summary["table"]["group"])


def test_grouping_or_reason_and_largest_groups(sample):
    store, _ = sample
    grouping, message = comparison.grouping_or_reason(store)
    assert (grouping.column, grouping.split, message) == ("label", None, "Grouping by: label")
    grouping, _ = comparison.grouping_or_reason(store, "topics", ";")
    assert grouping.split == ";" and grouping.groups == 4
    assert comparison.grouping_or_reason(store, "outlet")[0] is None
    sizes = comparison.group_sizes(store, grouping)
    assert comparison.largest_groups(sizes, 2) == ["acq", "earn"]
    assert comparison.largest_groups(sizes, 10) == sorted(sizes["group"])


def test_intervals_on_the_grid_are_plotted_when_they_miss_the_exact_mean():
    import matplotlib.pyplot as plt

    from utils.plots import plot_intervals

    # every value -0.106167: the histogram interval is the grid value -0.1062
    values = np.full(8, -0.1061666667)
    mean, low, high = bootstrap_mean_ci(values, n_boot=50)
    assert high < mean  # the exact mean lies just outside its grid interval
    table = pd.DataFrame({"group": ["a", "b"], "mean": [mean, 0.2], "ci_low": [low, 0.1],
                          "ci_high": [high, np.nan]})
    ax = plot_intervals(table, group="group", mean="mean", low="ci_low", high="ci_high",
                        title="t", xlabel="x")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    plt.close("all")
