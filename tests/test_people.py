"""The people an article names and the tone toward them (utils.people), and their tables read
from a results store (utils.tables.people) against the same figures computed in pandas."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import store_of_sample

from utils import people
from utils.attribution import attribution_rows
from utils.results import group_articles
from utils.tables import people as people_tables
from utils.text import sentence_spans


def _names(text: str) -> dict[str, str]:
    return people.person_names(text, attribution_rows(text))


def test_titles_make_people_and_surnames_are_their_mentions():
    text = ("Syrian President Bashar al-Assad met Foreign Minister Sergei Lavrov in Moscow on "
            "Monday. Assad thanked Lavrov. Kremlin spokesman Dmitry Peskov called the talks "
            "useful.")
    assert _names(text) == {"Bashar al-Assad": "assad", "Sergei Lavrov": "lavrov",
                            "Dmitry Peskov": "peskov"}
    rows = people.people_rows(text, sentence_spans(text), attribution_rows(text))
    mentions = [(r[0], text[r[3]:r[4]], r[5]) for r in rows if r[2] == "mentioned"]
    assert mentions == [("Bashar al-Assad", "Bashar al-Assad", 0),
                        ("Sergei Lavrov", "Sergei Lavrov", 0), ("Bashar al-Assad", "Assad", 1),
                        ("Sergei Lavrov", "Lavrov", 1), ("Dmitry Peskov", "Dmitry Peskov", 2)]
    for row in rows:
        assert -1 <= row[6] <= 1 and row[7] in ("negative", "neutral", "positive")


def test_institutions_places_and_lone_words_are_not_people():
    text = ("The General Assembly voted on Tuesday. The President of France spoke. The leader "
            "Damascus chose was absent. Minister of State for Foreign Affairs arrived.")
    assert _names(text) == {}
    assert people.people_rows(text, sentence_spans(text), attribution_rows(text)) == []


def test_quoted_speakers_are_people_and_their_statements_are_scored():
    text = ('"The shelling was a terrible massacre," said Zakaria Malahifji. '
            "Zakaria Malahifji said the talks were a wonderful success. Moscow said nothing.")
    attributions = attribution_rows(text)
    assert _names(text) == {"Zakaria Malahifji": "malahifji"}
    rows = people.people_rows(text, sentence_spans(text), attributions)
    statements = [r for r in rows if r[2] == "speaking"]
    assert [r[0] for r in statements] == ["Zakaria Malahifji"] * 2
    first, second = statements
    assert "massacre" in text[first[3]:first[4]] and first[6] < 0 and first[7] == "negative"
    assert "wonderful" in text[second[3]:second[4]] and second[6] > 0
    assert [r[0] for r in rows if r[2] == "mentioned"] == ["Zakaria Malahifji"] * 2


def test_possessive_without_apostrophe_joins_the_person():
    text = ("Forces loyal to President Bashar al-Assads government shelled the town. Assad "
            "denied it.")
    assert _names(text) == {"Bashar al-Assad": "assad"}


def test_two_people_with_one_surname_keep_their_full_names():
    text = ("President Bill Clinton and Secretary Hillary Clinton arrived. Clinton spoke "
            "first.")
    assert _names(text) == {"Bill Clinton": "clinton", "Hillary Clinton": "clinton"}
    rows = people.people_rows(text, sentence_spans(text))
    assert sorted(text[r[3]:r[4]] for r in rows) == ["Bill Clinton", "Hillary Clinton"]


def test_a_mention_outside_every_sentence_is_scored_on_its_line():
    text = "Heading about President Barack Obama\n\nNothing else here."
    rows = people.people_rows(text, [(38, len(text))])
    assert [(r[0], r[5]) for r in rows] == [("Barack Obama", -1)]


def test_empty_and_odd_text():
    assert people.people_rows("", []) == []
    assert people.person_names("   ") == {}
    frame = people.people_frame([])
    assert list(frame.columns) == list(people.PEOPLE_COLUMNS) and frame.empty


def test_people_mapping_joins_possessives_and_names_each_person():
    counts = {("assads", "Bashar al-Assads"): 2, ("assad", "Bashar al-Assad"): 3,
              ("assad", "Assad"): 9, ("lavrov", "Lavrov"): 1, ("vass", "Vass"): 1}
    assert people.people_mapping(counts) == {
        "assad": ("assad", "Bashar al-Assad"), "assads": ("assad", "Bashar al-Assad"),
        "lavrov": ("lavrov", "Lavrov"), "vass": ("vass", "Vass")}


# ---------------------------------------------------------------------------------------------
# tables from a results store

STORIES = [
    "President Bashar al-Assad praised the brave soldiers. Assad smiled.",
    "Rebels accused President Bashar al-Assads forces of a horrible massacre. Assad denied it.",
    "Foreign Minister Sergei Lavrov welcomed the wonderful deal. Lavrov was happy.",
    '"We defeated the terrorists," said Bashar al-Assad. The city was calm.',
    "Prices rose slowly over the quarter.",
    "Secretary John Kerry condemned President Bashar al-Assad for the terrible attack.",
]


def _frame(n: int = 24) -> pd.DataFrame:
    return pd.DataFrame([{
        "doc_id": f"d{i:02d}", "title": f"Story {i}", "text": STORIES[i % len(STORIES)]
        + f" Story number {i} ends here.", "label": ["credible", "fake"][i % 2],
        "source": ["alpha", "beta", "gamma", None][i % 4], "desk": "home"}
        for i in range(n)])


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return store_of_sample(_frame(), tmp_path_factory.mktemp("people"), partition_size=5)


def _canonical(results, store) -> pd.DataFrame:
    mapping = store.people_map().set_index("person_key")
    frame = results.people.copy()
    frame["person"] = frame["person_key"].map(mapping["display"]).astype(str)
    frame["person_key"] = frame["person_key"].map(mapping["canonical_key"]).astype(str)
    return frame


def test_store_people_table_equals_the_pipeline_with_canonical_names(sample):
    _, store, results = sample
    read = store.read("people")
    expected = _canonical(results, store)
    pd.testing.assert_frame_equal(read.reset_index(drop=True).astype(expected.dtypes),
                                  expected.reset_index(drop=True))
    assert set(read["person_key"]) == {"assad", "lavrov", "kerry"}
    assert "Bashar al-Assads" not in set(read["person"])


def test_most_named_people_equals_pandas(sample):
    _, store, results = sample
    table = people_tables.most_named_people(store, top=10, n_boot=200)
    frame = _canonical(results, store)
    mentions = frame[frame["role"] == "mentioned"]
    per_article = mentions.groupby(["person_key", "doc_id"])["compound"].mean()
    statements = frame[frame["role"] == "speaking"]
    assert table["person"].tolist()[0] == "Bashar al-Assad"
    for row in table.itertuples():
        rows = mentions[mentions["person_key"] == row.person_key]
        assert row.n_articles == rows["doc_id"].nunique() and row.n_mentions == len(rows)
        assert math.isclose(row.toward, per_article[row.person_key].mean(), abs_tol=1e-9)
        # (the interval is drawn on the 1e-4 grid of the resampling: within a step of the mean)
        assert row.toward_low - 1e-4 <= row.toward <= row.toward_high + 1e-4
        assert math.isclose(row.share_negative, (rows["label"] == "negative").mean())
        said = statements[statements["person_key"] == row.person_key]
        assert row.n_statements == len(said)
        if len(said):
            expected = said.groupby("doc_id")["compound"].mean().mean()
            assert math.isclose(row.says, expected, abs_tol=1e-9)
    ranks = list(zip(-table["n_articles"], -table["n_mentions"], table["person"], strict=True))
    assert ranks == sorted(ranks)


def test_person_tone_by_group_equals_pandas(sample):
    _, store, results = sample
    table = people_tables.person_tone_by_group(store, "label", people=["Bashar al-Assad",
                                                                       "lavrov"], n_boot=200)
    frame = _canonical(results, store).merge(
        results.articles[["doc_id", "label"]].rename(columns={"label": "group"}), on="doc_id")
    assert table["person"].unique().tolist() == ["Bashar al-Assad", "Sergei Lavrov"]
    for row in table.itertuples():
        key = "assad" if row.person == "Bashar al-Assad" else "lavrov"
        rows = frame[(frame["person_key"] == key) & (frame["group"] == row.group)]
        mentioned = rows[rows["role"] == "mentioned"]
        assert row.n_articles == mentioned["doc_id"].nunique()
        if row.n_articles:
            expected = mentioned.groupby("doc_id")["compound"].mean().mean()
            assert math.isclose(row.toward, expected, abs_tol=1e-9)
        assert row.n_statements == (rows["role"] == "speaking").sum()
    grouping = group_articles(store, "source")
    by_source = people_tables.person_tone_by_group(store, grouping, top=2, n_boot=50)
    assert set(by_source["group"]) <= {"alpha", "beta", "gamma"}
    assert by_source.attrs["left_out"]["missing group"] == grouping.left_out > 0


def test_unknown_people_and_bad_arguments_are_refused(sample):
    _, store, _ = sample
    with pytest.raises(Exception, match="names no person 'Nobody'"):
        people_tables.person_tone_by_group(store, "label", people=["Nobody"])
    with pytest.raises(ValueError, match="top must be"):
        people_tables.most_named_people(store, top=0)


def test_person_articles_and_the_report_lines(sample):
    _, store, _ = sample
    articles = people_tables.person_articles(store, "assad", limit=3)
    assert list(articles.columns) == ["doc_id", "title", "n_mentions", "toward",
                                      "n_statements", "says"]
    assert len(articles) == 3 and articles["n_mentions"].is_monotonic_decreasing
    summary = people_tables.people_summary(store, "label", n_boot=100)
    assert summary["lines"][0].startswith("People: the most named person is Bashar al-Assad")
    assert "by label: credible" in summary["lines"][1]
    assert summary["table"]["person"].iloc[0] == "Bashar al-Assad"


def test_a_corpus_naming_nobody(tmp_path):
    frame = _frame(6).assign(text="Prices rose slowly over the quarter. Markets were calm.")
    _, store, _ = store_of_sample(frame, tmp_path)
    assert people_tables.most_named_people(store).empty
    assert people_tables.people_summary(store)["table"] is None
    assert people_tables.person_tone_by_group(store, "label").empty


def test_tone_measures_for_the_plots(sample):
    _, store, _ = sample
    named = people_tables.most_named_people(store, n_boot=50)
    long = people_tables.tone_measures(named)
    assert list(long.columns) == ["person", "measure", "mean", "low", "high"]
    assert len(long) == 2 * len(named)
    toward = long[long["measure"] == "tone toward them"].reset_index(drop=True)
    assert toward["mean"].tolist() == named["toward"].tolist()
    says = long[long["measure"] == "tone of what they say"]
    assert (says["low"].isna() == says["mean"].isna()).all()
    by_group = people_tables.person_tone_by_group(store, "label", top=2, n_boot=50)
    long = people_tables.tone_measures(by_group, by="group")
    assert list(long.columns[:3]) == ["person", "group", "measure"]


def test_a_very_long_sentence_is_read_around_each_mention():
    text = "Intro. President Barack Obama " + "word " * 2000 + "Obama said it. End."
    rows = people.people_rows(text, [(0, 6), (7, len(text))])
    assert [text[r[3]:r[4]] for r in rows] == ["Barack Obama", "Obama"]
    assert all(r[5] == 1 for r in rows)  # still the sentence they are in
