"""Tone tables read from a results store (utils.tables.tone) equal the in-memory tables of
utils.sentiment on the same corpus, over a store of many partitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import store_of_sample

from utils import sentiment as S
from utils.results import group_articles
from utils.tables import resampling, tone

OPINIONS = [
    "The talks were a great success and everyone was happy.",
    "The attack killed ten people and the city was in terrible shock.",
    "Prices rose slowly over the quarter.",
    "Rebels fired rockets at the army on a horrible and deadly day.",
    "Farmers praised the wonderful harvest of wheat.",
    "The Security Council met to discuss the crisis.",
    "It was not good, but the vote was a fine result.",
    "Nobody expected such a sad and painful loss.",
]
QUOTES = ["We will not give up, we are strong", "This is a disaster for the region",
          "The harvest is the best in years", "I am worried"]
FRENCH = ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites. Les syndicats "
          "ont appelé à la grève dans toute la France.")


def _article(i: int) -> str:
    sentences = [OPINIONS[(i * 3 + k) % len(OPINIONS)] for k in range(2 + i % 5)]
    if i % 2 == 0:
        sentences.insert(1, f"“{QUOTES[i % 4]},” a spokesman told reporters on day {i}.")
    if i % 3 == 0:
        sentences.append(f'"{QUOTES[(i + 1) % 4]}," she said.')
    if i % 7 == 3:
        sentences = sentences[:1]  # a one-sentence article
    half = max(1, len(sentences) // 2)
    return " ".join(sentences[:half]) + "\n\n" + " ".join(sentences[half:])


def sample_frame(n: int = 36) -> pd.DataFrame:
    """Articles with quotes, titles (some missing), a ``source`` with missing and empty values,
    dates with gaps, a ``label``, a multi-valued ``topics`` and a ``desk`` whose group
    ``paris`` holds only French articles (not analysed)."""
    rows = []
    for i in range(n):
        french = i % 9 == 4
        rows.append({
            "doc_id": f"d{i:02d}",
            "title": None if i % 5 == 2 else f"{OPINIONS[i % len(OPINIONS)][:-1]} (story {i})",
            "text": FRENCH + f" Numéro {i}." if french else _article(i),
            "source": ["alpha", "beta", "gamma", None, ""][i % 5],
            "date": pd.Timestamp("2020-01-15") + pd.Timedelta(days=19 * i) if i % 6 else pd.NaT,
            "label": ["credible", "fake", None][i % 3] if i % 4 else "credible",
            "topics": ["earn;acq", "acq", "crude; earn", None, "grain", ""][i % 6],
            "desk": "paris" if french else ["home", "world"][i % 2],
        })
    return pd.DataFrame(rows)


def build_sample(folder, frame=None):
    """``(corpus, store, results)`` of the sample (:func:`conftest.store_of_sample`)."""
    return store_of_sample(sample_frame() if frame is None else frame, folder)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    corpus, store, results = build_sample(tmp_path_factory.mktemp("tone"))
    assert len(store.partitions) > 4
    assert (~corpus["language"].eq("fr")).sum() < len(corpus)
    yield corpus, store, results
    store.close()


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    """A store of French articles only: nothing analysed, every table empty."""
    frame = sample_frame(6).assign(text=FRENCH, desk="paris")
    corpus, store, results = build_sample(tmp_path_factory.mktemp("french"), frame)
    yield corpus, store, results
    store.close()


def _close(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal frames; float sums (means) equal to 1e-9 relative."""
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9)


def _explode(corpus, results, column, split):
    """The corpus, article scores and sentences with one copy of each article per group of
    ``column`` split on ``split`` (ids ``doc|group``): the in-memory functions, which take one
    group per article, then see each article in each of its groups."""
    pieces = corpus[column].astype("string").str.split(split)
    pairs = [(doc, piece.strip()) for doc, values in zip(corpus["doc_id"], pieces, strict=True)
             if isinstance(values, list) for piece in values if piece.strip()]
    copies = pd.DataFrame(pairs, columns=["doc_id", "group"])
    copies["copy"] = copies["doc_id"] + "|" + copies["group"]

    def spread(frame):
        joined = frame.assign(doc_id=frame["doc_id"].astype(str)).merge(
            copies, on="doc_id", how="inner", sort=False)
        return joined.assign(doc_id=joined["copy"]).drop(columns=["copy"])

    exploded = spread(corpus).drop(columns=[column]).rename(columns={"group": column})
    exploded = exploded.sort_values("doc_id", kind="stable").reset_index(drop=True)
    return exploded, spread(results.articles), spread(results.sentences).sort_values(
        ["doc_id", "sentence_index"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# distributions


@pytest.mark.parametrize(("level", "values"), [
    ("sentences", lambda r: r.sentences["compound"]),
    ("articles", lambda r: r.articles["mean_compound"]),
    ("headlines", lambda r: r.articles["headline_compound"]),
])
def test_compound_summary_equals_the_summary_of_the_scores(sample, level, values):
    _, store, results = sample
    got = tone.compound_summary(store, level)
    expected = S.sentiment_summary(values(results))
    _close(got, expected)
    assert got["median"].iloc[0] == expected["median"].iloc[0]  # exact, not nearly
    assert got["n_missing"].iloc[0] == expected["n_missing"].iloc[0]
    if level != "sentences":
        assert expected["n_missing"].iloc[0] > 0  # not analysed, no title


def test_compound_summaries_name_the_levels(sample):
    _, store, _ = sample
    table = tone.compound_summaries(store)
    assert table.index.tolist() == ["sentences", "articles (mean of sentences)", "headlines"]
    with pytest.raises(ValueError, match="level"):
        tone.compound_summary(store, "words")


@pytest.mark.parametrize("level", ["sentences", "articles", "headlines"])
@pytest.mark.parametrize("bins", [40, 7, 1])
def test_compound_histogram_equals_numpy_counts(sample, level, bins):
    _, store, results = sample
    column = {"sentences": results.sentences["compound"],
              "articles": results.articles["mean_compound"],
              "headlines": results.articles["headline_compound"]}[level]
    got = tone.compound_histogram(store, level, bins=bins)
    pd.testing.assert_frame_equal(got, S.compound_histogram(column, bins=bins))
    assert got["count"].sum() == column.notna().sum()


def _frame_store(**tables):
    """A store-like object whose SQL runs over the given frames (for edge values)."""
    import duckdb

    from utils.results import ResultsStore

    store = ResultsStore.__new__(ResultsStore)  # only its SQL is used
    connection = duckdb.connect()
    for name, frame in tables.items():
        connection.register(name, frame)
    store.__dict__["connection"] = connection
    return store


def test_compound_histogram_on_edges():
    """Scores lying on the edges of the slices go where numpy puts them."""
    edges = S.histogram_edges(40)
    values = np.concatenate([edges, edges + 1e-4, edges - 1e-4, [0.0, -0.05, 0.05, 0.9999]])
    values = values[(values >= -1) & (values <= 1)]
    store = _frame_store(articles=pd.DataFrame({"mean_compound": values}))
    got = tone.compound_histogram(store, "articles", bins=40)
    pd.testing.assert_frame_equal(got, S.compound_histogram(values, bins=40))


def test_grid_steps_round_halves_as_numpy_does():
    """A mean halfway between two grid steps (0.22025 = (0.4404 + 0.0001) / 2) goes to the
    even step, as utils.tables.resampling.grid puts it, so the histograms are the same."""
    values = np.array([0.00005, 0.00015, -0.00005, (0.4404 + 0.0001) / 2, 0.3702, -0.99995])
    store = _frame_store(v=pd.DataFrame({"x": values}))
    got = store.sql(f"SELECT {tone._step('x')} AS step FROM v")["step"].tolist()
    assert got == resampling.grid(values).tolist()
    assert got[0] == 0  # not 1, as round() would give


# ---------------------------------------------------------------------------------------------
# articles for close reading


def _articles_in_memory(results, ascending: bool, n: int):
    articles = results.articles.dropna(subset=["mean_compound"])
    ranked = articles.sort_values(["mean_compound", "doc_id"], ascending=[ascending, True],
                                  kind="stable").head(n)
    columns = list(tone.ARTICLE_COLUMNS)
    return ranked[columns].reset_index(drop=True).astype(
        {"doc_id": "string", "title": "string", "sentences": "Int64"})


def test_most_negative_and_positive_articles(sample):
    _, store, results = sample
    pd.testing.assert_frame_equal(tone.most_negative_articles(store, 6),
                                  _articles_in_memory(results, True, 6))
    pd.testing.assert_frame_equal(tone.most_positive_articles(store, 6),
                                  _articles_in_memory(results, False, 6))
    everything = tone.most_positive_articles(store, 1000)
    assert len(everything) == results.articles["mean_compound"].notna().sum()
    assert everything["mean_compound"].notna().all()


def test_article_quote_segments_of_one_article(sample):
    corpus, store, results = sample
    doc_id = "d00"
    one = corpus[corpus["doc_id"] == doc_id][["doc_id", "text"]]
    sentences = results.sentences[results.sentences["doc_id"] == doc_id].reset_index(drop=True)
    expected = S.quote_segments(one, sentences=sentences)
    got = tone.article_quote_segments(store, doc_id)
    pd.testing.assert_frame_equal(got, expected)
    assert "quoted" in set(got["kind"])
    pd.testing.assert_frame_equal(tone.article_quote_segments(store), got)  # the first article
    assert tone.article_quote_segments(store, "d04").empty  # French: not analysed
    with pytest.raises(KeyError):
        tone.article_quote_segments(store, "nope")


# ---------------------------------------------------------------------------------------------
# position and groups


@pytest.mark.parametrize("bins", [10, 3, 25])
def test_position_profile_equals_the_in_memory_profile(sample, bins):
    _, store, results = sample
    got = tone.position_profile(store, bins=bins, n_boot=300, seed=4)
    expected = S.position_profile(results.sentences, bins=bins, n_boot=300, seed=4)
    _close(got, expected)
    if bins == 25:
        assert (got["n_sentences"] == 0).any()  # empty slices too


@pytest.mark.parametrize("column", ["label", "source", "month", "desk"])
def test_group_sentiment_equals_the_in_memory_table(sample, column):
    corpus, store, results = sample
    got = tone.group_sentiment(store, column, n_boot=400, seed=2)
    expected = S.group_sentiment(results.articles, corpus, column, n_boot=400, seed=2)
    _close(got, expected)
    assert got.attrs["left_out"] == expected.attrs["left_out"]
    assert got.attrs["group_column"] == column
    if column == "desk":
        assert got["group"].tolist() == ["home", "world"]  # paris: French only, no scores


def test_group_sentiment_of_headlines_and_a_grouping_object(sample):
    corpus, store, results = sample
    grouping = group_articles(store, "label")
    got = tone.group_sentiment(store, grouping, value="headline_compound", n_boot=200)
    expected = S.group_sentiment(results.articles, corpus, "label", value="headline_compound",
                                 n_boot=200)
    _close(got, expected)
    with pytest.raises(Exception, match="no column 'tone'"):
        tone.group_sentiment(store, grouping, value="tone")


def test_group_sentiment_with_a_split_column(sample):
    corpus, store, results = sample
    exploded, articles, _ = _explode(corpus, results, "topics", ";")
    got = tone.group_sentiment(store, "topics", ";", n_boot=300, seed=1)
    expected = S.group_sentiment(articles, exploded, "topics", n_boot=300, seed=1)
    _close(got, expected)
    assert got["group"].tolist() == ["acq", "crude", "earn", "grain"]
    assert got.attrs["left_out"]["missing group"] == (
        corpus["topics"].fillna("").str.strip().eq("").sum())


# ---------------------------------------------------------------------------------------------
# driving words


def test_driving_words_overall(sample):
    _, store, results = sample
    for top in (3, 12, 500):
        _close(tone.driving_words(store, top=top), S.driving_words(results.sentences, top=top))
    words = tone.driving_words(store, top=12)
    assert "security" in words.loc[words["direction"] == "positive", "term"].tolist()
    with pytest.raises(S.SentimentError):
        tone.driving_words(store, top=0)


@pytest.mark.parametrize("column", ["label", "month", "source"])
def test_driving_words_per_group(sample, column):
    corpus, store, results = sample
    got = tone.driving_words(store, column, top=4)
    expected = S.driving_words(results.sentences, corpus, column, top=4)
    _close(got, expected)


def test_driving_words_per_split_group(sample):
    corpus, store, results = sample
    exploded, _, sentences = _explode(corpus, results, "topics", ";")
    got = tone.driving_words(store, "topics", ";", top=5)
    _close(got, S.driving_words(sentences, exploded, "topics", top=5))


# ---------------------------------------------------------------------------------------------
# quoted versus authorial


def _segments(corpus, results):
    return S.quote_segments(corpus, sentences=results.sentences)


@pytest.mark.parametrize("column", ["label", "source", "month", "desk"])
def test_quoted_vs_authorial_per_group(sample, column):
    corpus, store, results = sample
    got = tone.quoted_vs_authorial(store, column, n_boot=300, seed=3)
    expected = S.quoted_vs_authorial(_segments(corpus, results), corpus, column, n_boot=300,
                                     seed=3)
    _close(got, expected)
    assert set(got["kind"]) == {"authorial", "quoted"}


def test_quoted_vs_authorial_per_split_group(sample):
    corpus, store, results = sample
    exploded, _, _ = _explode(corpus, results, "topics", ";")
    segments = _segments(corpus, results)
    copies = exploded[["doc_id"]].assign(original=exploded["doc_id"].str.split("|").str[0])
    spread = segments.assign(doc_id=segments["doc_id"].astype(str)).merge(
        copies.rename(columns={"doc_id": "copy", "original": "doc_id"}), on="doc_id")
    spread = spread.assign(doc_id=spread["copy"]).drop(columns="copy")
    spread = spread.sort_values(["doc_id", "sentence_index"], kind="stable")
    got = tone.quoted_vs_authorial(store, "topics", ";", n_boot=300)
    _close(got, S.quoted_vs_authorial(spread, exploded, "topics", n_boot=300))


def test_summarise_quoted_vs_authorial_and_segment_counts(sample):
    corpus, store, results = sample
    segments = _segments(corpus, results)
    per_article = S.quoted_vs_authorial(segments)
    _close(tone.summarise_quoted_vs_authorial(store, n_boot=500, seed=5),
           S.summarise_quoted_vs_authorial(per_article, n_boot=500, seed=5))
    # (pandas counts text of the arrow-backed string type in arrow integers: values compared)
    pd.testing.assert_series_equal(tone.segment_counts(store),
                                   segments["kind"].value_counts().sort_index(),
                                   check_dtype=False, check_index_type=False)


# ---------------------------------------------------------------------------------------------
# nothing analysed, and the report's summary


def test_a_store_with_nothing_analysed(french):
    corpus, store, results = french
    assert results.sentences.empty
    for level, values in (("sentences", results.sentences["compound"]),
                          ("articles", results.articles["mean_compound"])):
        _close(tone.compound_summary(store, level), S.sentiment_summary(values))
        assert tone.compound_histogram(store, level)["count"].sum() == 0
    assert tone.most_negative_articles(store).empty
    _close(tone.position_profile(store, n_boot=50), S.position_profile(results.sentences,
                                                                       n_boot=50))
    groups = tone.group_sentiment(store, "label", n_boot=50)
    assert groups.empty and groups.columns.tolist() == ["group", "n_articles", "mean",
                                                        "ci_low", "ci_high"]
    assert tone.driving_words(store).empty
    assert tone.driving_words(store, "label").empty
    assert tone.quoted_vs_authorial(store, "label", n_boot=50).empty
    summary = tone.summarise_quoted_vs_authorial(store, n_boot=50)
    assert summary["n_articles"].tolist() == [0, 0, 0]
    assert tone.segment_counts(store).empty
    report = tone.tone_summary(store, "label")
    assert report["table"] is None
    assert report["lines"] == ["Tone: no article has a score (none was analysed: VADER reads "
                               "English), so there are no tone figures."]


def test_tone_summary_uses_the_notebook_numbers(sample):
    _, store, _ = sample
    plain = tone.tone_summary(store)
    articles = tone.compound_summary(store, "articles").iloc[0]
    assert plain["lines"][0].startswith(
        f"Tone: mean article sentiment (mean of sentence VADER compounds) "
        f"{articles['mean']:.3f} over {int(articles['n']):,} articles")
    assert any(line.startswith("Quoted text") for line in plain["lines"])
    assert any("Words moving the scores most: negative" in line for line in plain["lines"])
    assert plain["table"]["level"].tolist() == ["sentences", "articles (mean of sentences)",
                                                "headlines"]
    grouping = group_articles(store, "label")
    grouped = tone.tone_summary(store, grouping)
    table = tone.group_sentiment(store, grouping).rename(columns={"group": "label"})
    pd.testing.assert_frame_equal(grouped["table"], table)
    lowest = table.sort_values("mean").iloc[0]
    assert any(line.startswith(f"By label: article tone ranges from {lowest['label']} "
                               f"({lowest['mean']:.3f}, 95% interval") for line in
               grouped["lines"])
    split = tone.tone_summary(store, "topics", ";")
    assert split["table"].columns.tolist() == ["topics", "n_articles", "mean", "ci_low",
                                               "ci_high"]
    assert len(split["table"]) <= tone.SUMMARY_GROUPS
