"""Source-attribution tables read from a results store (utils.tables.sources) equal the
in-memory tables of utils.attribution on the same corpus, over a store of many partitions."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import store_of_sample

from utils import attribution
from utils.attribution.plots import plot_cocitation_network
from utils.results import group_articles
from utils.tables import sources

MOODS = ["The talks were a great success and everyone was happy.",
         "The attack killed ten people and the city was in terrible shock.",
         "Prices rose slowly over the quarter.",
         "Rebels fired rockets at the army on a horrible and deadly day.",
         "Farmers praised the wonderful harvest of wheat."]
FRENCH = ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites. Les syndicats "
          "ont appelé à la grève dans toute la France, et le ministre a déclaré que la "
          "négociation restait ouverte.")


def _article(i: int) -> str:
    parts = [MOODS[i % 5]]
    if i % 2 == 0:
        parts.append(f'"We will not give up on item {i}," said Ann Lee.')
    if i % 3 == 0:
        parts.append("Bob Roe told reporters that banks and markets rallied.")
    if i % 4 == 0:
        parts.append(f"According to the United Nations, {i + 2} people died in the fighting.")
    if i % 5 == 1:
        parts.append('Carla Diaz said: "The harvest is the best in years."')
    if i % 3 == 1:
        parts.append("Officials said the talks failed badly.")
    if i % 6 == 5:
        parts.append("Lee said the army advanced again, and the United Nations said aid came.")
    parts.append(f"{MOODS[(i + 2) % 5]} Story number {i} ends here.")
    return " ".join(parts[:2]) + "\n\n" + " ".join(parts[2:])


def sample_frame(n: int = 32, quiet: bool = False) -> pd.DataFrame:
    """Articles with quotes and reported speech, a ``source`` with missing and empty values,
    dates with gaps, a ``label``, a multi-valued ``topics`` (``earn;acq``), a ``desk`` whose
    group ``paris`` holds only French articles (not analysed); ``quiet``: no attribution."""
    rows = []
    for i in range(n):
        french = i % 8 == 5
        text = FRENCH + f" Numéro {i}." if french else _article(i)
        if quiet and not french:
            text = f"{MOODS[i % 4]}\n\n{MOODS[(i + 2) % 4]} Story number {i} ends here."
        rows.append({
            "doc_id": f"d{i:02d}", "title": f"Story {i}", "text": text,
            "source": ["alpha", "beta", "gamma", None, ""][i % 5],
            "date": pd.Timestamp("2020-01-15") + pd.Timedelta(days=23 * i) if i % 6 else pd.NaT,
            "label": ["credible", "fake"][i % 2],
            "topics": ["earn;acq", "acq", "crude; earn", None, "grain"][i % 5],
            "desk": "paris" if french else ["home", "world"][i % 2],
        })
    return pd.DataFrame(rows)


def build_sample(folder, quiet: bool = False):
    """``(corpus, store, results)`` of the sample (:func:`conftest.store_of_sample`)."""
    return store_of_sample(sample_frame(quiet=quiet), folder)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    corpus, store, _ = build_sample(tmp_path_factory.mktemp("sources"))
    return corpus, store, attribution.corpus_attributions(corpus)


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    corpus, store, _ = build_sample(tmp_path_factory.mktemp("quiet"), quiet=True)
    return corpus, store, attribution.corpus_attributions(corpus)


def _known(table: pd.DataFrame) -> pd.DataFrame:
    """The in-memory table without its group of articles with no value."""
    return table[~table["group"].isin(["(missing)", ""])].reset_index(drop=True)


def _subset_rows(function, corpus, attributions, store_column, split, **options):
    """The in-memory ``function`` (by=None) over each group's articles, as rows named by
    group: what a split grouping gives."""
    groups = corpus[store_column].astype("string").str.split(split)
    names = sorted({p.strip() for pieces in groups.dropna() for p in pieces if p.strip()})
    parts = []
    for name in names:
        mine = groups.map(lambda p, n=name: isinstance(p, list)
                          and n in [x.strip() for x in p]).astype(bool)
        chosen = corpus[mine.to_numpy()]
        table = function(chosen, attributions[attributions["doc_id"].isin(chosen["doc_id"])],
                         **options)
        parts.append(table.assign(group=name))
    return pd.concat(parts, ignore_index=True)


def test_the_sample_has_what_the_tests_need(sample):
    corpus, store, found = sample
    assert len(store.partitions) == 5
    assert (~store.sql("SELECT analysed FROM articles")["analysed"]).sum() == 4
    assert found["speaker"].nunique() > 4 and found["kind"].nunique() >= 3
    assert corpus["source"].isna().any() and corpus["date"].isna().any()


def test_store_attributions_are_the_in_memory_ones(sample):
    _, store, found = sample
    read = store.read("attributions")
    pd.testing.assert_frame_equal(read[list(found.columns)].astype(found.dtypes.to_dict()),
                                  found, check_dtype=False)


@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_most_cited_sources(sample, n):
    _, store, found = sample
    pd.testing.assert_frame_equal(sources.most_cited_sources(store, n=n),
                                  attribution.most_cited_sources(found, n=n))


def test_source_type_shares(sample):
    _, store, found = sample
    for digits in (2, 3):
        pd.testing.assert_frame_equal(sources.source_type_shares(store, digits),
                                      attribution.source_type_shares(found, digits))


def test_attributions_by_kind_and_totals(sample):
    corpus, store, found = sample
    expected = found.groupby("kind").agg(attributions=("kind", "size"),
                                         articles=("doc_id", "nunique")).reset_index()
    pd.testing.assert_frame_equal(sources.attributions_by_kind(store),
                                  expected.astype({"kind": "str"}))
    totals = sources.attribution_totals(store).iloc[0].to_dict()
    assert totals == {"articles": len(corpus), "analysed": len(corpus) - 4,
                      "articles_with_attributions": found["doc_id"].nunique(),
                      "attributions": len(found)}


@pytest.mark.parametrize("column", [None, "label", "source", "month", "desk"])
def test_quotes_per_1000_words(sample, column):
    corpus, store, found = sample
    expected = attribution.quotes_per_1000_words(corpus, found, by=column)
    pd.testing.assert_frame_equal(sources.quotes_per_1000_words(store, column),
                                  _known(expected))
    if column == "desk":  # only French articles: not analysed, so missing rates
        paris = expected.set_index("group").loc["paris"]
        assert pd.isna(paris["attributions_per_1000_words"]) and paris["words"] == 0


def test_quotes_per_1000_words_of_a_split_column(sample):
    corpus, store, found = sample
    grouping = group_articles(store, "topics", ";")
    expected = _subset_rows(attribution.quotes_per_1000_words, corpus, found, "topics", ";")
    pd.testing.assert_frame_equal(sources.quotes_per_1000_words(store, grouping), expected)
    assert expected["articles"].sum() > grouping.grouped  # articles counted in each group


@pytest.mark.parametrize("column", ["source", "label", "month", "desk"])
def test_sourcing_by_group(sample, column):
    corpus, store, found = sample
    pd.testing.assert_frame_equal(sources.sourcing_by_group(store, column),
                                  _known(attribution.sourcing_by_group(corpus, found, column)))


def test_sourcing_by_group_of_a_split_column(sample):
    corpus, store, found = sample
    expected = _subset_rows(lambda c, a: attribution.sourcing_by_group(c.assign(all="all"), a,
                                                                       "all"),
                            corpus, found, "topics", ";")
    pd.testing.assert_frame_equal(sources.sourcing_by_group(store, "topics", ";"), expected)


@pytest.mark.parametrize("min_articles", [1, 2, 5, 100])
def test_cocitation_edges(sample, min_articles):
    _, store, found = sample
    expected = attribution.cocitation_edges(found, min_articles)
    pd.testing.assert_frame_equal(sources.cocitation_edges(store, min_articles), expected)
    pd.testing.assert_frame_equal(sources.cocitation_edges(store, min_articles, top=3),
                                  expected.head(3))


def test_cocitation_network_draws_the_plot_of_every_edge(sample):
    import matplotlib.pyplot as plt

    _, store, found = sample
    every = attribution.cocitation_edges(found)
    edges, weights = sources.cocitation_network(store, max_nodes=3)
    assert len(weights) == 3 and set(edges["speaker_a"]) | set(edges["speaker_b"]) <= set(weights)
    full = plot_cocitation_network(every, max_nodes=3)
    part = plot_cocitation_network(edges, max_nodes=3, weights=weights)
    for a, b in ((full, part),):
        assert [t.get_text() for t in a.texts] == [t.get_text() for t in b.texts]
        assert [line.get_linewidth() for line in a.lines] == [
            line.get_linewidth() for line in b.lines]
        assert (a.collections[0].get_sizes() == b.collections[0].get_sizes()).all()
    plt.close("all")


def test_most_attributed_article(sample):
    corpus, store, found = sample
    counts = found["doc_id"].value_counts()
    best = counts[counts == counts.max()].index
    first = next(d for d in corpus["doc_id"] if d in set(best))
    assert sources.most_attributed_article(store) == first
    assert store.article(first)["attributions"]["speaker"].tolist() == found.loc[
        found["doc_id"] == first, "speaker"].tolist()


def test_a_store_without_attributions(quiet):
    corpus, store, found = quiet
    assert found.empty
    pd.testing.assert_frame_equal(sources.most_cited_sources(store),
                                  attribution.most_cited_sources(found))
    pd.testing.assert_frame_equal(sources.source_type_shares(store),
                                  attribution.source_type_shares(found))
    pd.testing.assert_frame_equal(sources.cocitation_edges(store),
                                  attribution.cocitation_edges(found))
    pd.testing.assert_frame_equal(sources.quotes_per_1000_words(store, "label"),
                                  attribution.quotes_per_1000_words(corpus, found, "label"))
    pd.testing.assert_frame_equal(sources.sourcing_by_group(store, "label"),
                                  attribution.sourcing_by_group(corpus, found, "label"))
    assert sources.attributions_by_kind(store).empty
    assert sources.cocitation_network(store)[1] == {}
    assert sources.most_attributed_article(store) == store.first_doc_id()
    summary = sources.sources_summary(store)
    assert summary["lines"] == ["No attribution (quote or reported speech) was found in the "
                                "28 analysed articles."]


def test_sources_summary(sample):
    corpus, store, found = sample
    summary = sources.sources_summary(store)
    pd.testing.assert_frame_equal(summary["table"], sources.most_cited_sources(store, n=10))
    overall = attribution.quotes_per_1000_words(corpus, found).iloc[0]
    first, shares, cited = summary["lines"]
    assert first == (f"{len(found)} attributions in {found['doc_id'].nunique()} of 28 "
                     f"analysed articles: {overall['attributions_per_1000_words']:.1f} per "
                     "1,000 words.")
    direct = round(100 * (found["kind"] == "direct").mean())
    anonymous = round(100 * (found["source_type"] == "anonymous").mean())
    assert shares.startswith(f"{direct}% are direct quotes; {anonymous}% have an anonymous")
    top = attribution.most_cited_sources(found, n=3)
    assert cited == "Most cited: " + ", ".join(
        f"{s} ({n})" for s, n in zip(top["speaker"], top["attributions"], strict=True)) + "."
