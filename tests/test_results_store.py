"""The results store (utils.results): one layout written in memory or partition by partition,
read the same way; groups with missing values, months and multi-valued columns."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from utils.attribution import canonical_speakers
from utils.corpus import load_corpus
from utils.pipeline import analyse_corpus
from utils.results import StoreError, group_articles, group_columns, open_results, results_for
from utils.results.build import write_store
from utils.results.store import TABLES
from utils.scale import analyse_partitioned


def small_corpus(n: int = 40) -> pd.DataFrame:
    frame = load_corpus("nyt-editorials").head(n).reset_index(drop=True)
    frame["topics"] = pd.array((["earn;acq", "earn", None, " ", "grain ; earn"] * n)[:n],
                               dtype="string")
    frame["date"] = pd.to_datetime(
        (["2019-01-05", "2019-02-11", None, "2019-02-27"] * n)[:n])
    return frame


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    frame = small_corpus()
    folder = tmp_path_factory.mktemp("store") / "results"
    store, results = write_store(frame, folder, source="nyt-small", partition_size=7,
                                 cache=False)
    return frame, store, analyse_corpus(frame, cache=False)


def test_the_store_holds_the_in_memory_tables_in_partitions(written):
    frame, store, results = written
    assert len(store.partitions) == 6  # 40 articles, 7 a partition
    for name in ("articles", "sentences", "terms", "bigrams", "tone_terms", "failures"):
        # (attributions below, people in test_people.py: the store gives canonical names)
        back = store.read(name)
        expected = results.tables()[name]
        pd.testing.assert_frame_equal(back, expected, check_dtype=False)
        assert store.rows(name) == len(expected) == store.manifest["rows"][name]
    attributions = store.read("attributions")
    pd.testing.assert_frame_equal(attributions, results.attributions, check_dtype=False)
    corpus = store.read("corpus")
    assert corpus["doc_id"].tolist() == frame["doc_id"].tolist()
    assert corpus["text"].tolist() == frame["text"].tolist()


def test_sql_views_and_canonical_speakers(written):
    frame, store, results = written
    totals = store.sql("SELECT term, sum(count) AS n FROM terms GROUP BY term ORDER BY n DESC, "
                       "term LIMIT 5")
    expected = (results.terms.groupby("term")["count"].sum().reset_index(name="n")
                .sort_values(["n", "term"], ascending=[False, True]).head(5)
                .reset_index(drop=True))
    pd.testing.assert_frame_equal(totals, expected, check_dtype=False)
    speakers = store.sql("SELECT speaker FROM attributions ORDER BY doc_id, content_start")
    raw = analyse_corpus(frame, cache=False, canonical_speakers=False).attributions
    canonical = canonical_speakers(raw["speaker"], raw["source_type"])
    ordered = raw.assign(speaker=canonical.to_numpy()).sort_values(
        ["doc_id", "content_start"], kind="mergesort")
    assert speakers["speaker"].fillna("").tolist() == ordered["speaker"].fillna("").tolist()
    months = store.sql("SELECT month, count(*) AS n FROM articles GROUP BY month ORDER BY month")
    assert months["month"].tolist()[:2] == ["2019-01", "2019-02"]


def test_groups_count_missing_values_and_split_multi_valued_columns(written):
    frame, store, _ = written
    plain = group_articles(store, "topics")
    assert (plain.articles, plain.left_out) == (40, 16)  # None and blank are no group
    assert "16 of 40 articles have no topics" in plain.note()
    split = group_articles(store, "topics", split=";")
    memberships = store.sql(f'SELECT "group", count(*) AS n FROM {split.view} GROUP BY 1 '
                            "ORDER BY 1")
    assert memberships.set_index("group")["n"].to_dict() == {"acq": 8, "earn": 24, "grain": 8}
    assert split.grouped == 24 and split.memberships == 40
    assert "count 40 times in 3 groups" in split.note()
    month = group_articles(store, "month")
    assert month.left_out == 10 and "have no date" in month.note()
    assert "month" in group_columns(store) and "text" not in group_columns(store)
    with pytest.raises(StoreError, match="No column 'nope' to group by"):
        group_articles(store, "nope")
    with pytest.raises(ValueError, match="non-empty separator"):
        group_articles(store, "topics", split="")


def test_one_article_for_close_reading(written):
    frame, store, results = written
    doc_id = frame["doc_id"].iloc[9]
    article = store.article(doc_id)
    assert article["text"] == frame["text"].iloc[9]
    assert article["sentences"]["doc_id"].eq(doc_id).all()
    assert len(article["sentences"]) == (results.sentences["doc_id"] == doc_id).sum()
    assert article["article"]["words"] == results.articles.set_index("doc_id").loc[
        doc_id, "words"]
    assert len(article["people"]) == (results.people["doc_id"] == doc_id).sum()
    assert article["people"]["doc_id"].eq(doc_id).all()
    assert store.first_doc_id() == frame["doc_id"].iloc[0]
    with pytest.raises(KeyError, match="No article 'missing'"):
        store.article("missing")


def test_partitioned_and_in_memory_runs_write_the_same_store(tmp_path):
    frame = small_corpus(30).drop(columns=["topics"])
    frame.attrs = {}  # the load report is not part of the table
    source = tmp_path / "news.parquet"
    frame.to_parquet(source, index=False)
    loaded = load_corpus(source)
    in_memory, _ = write_store(loaded, tmp_path / "memory", source=source, partition_size=10,
                               cache=False)
    partitioned = analyse_partitioned(source, tmp_path / "partitioned", partition_size=10)
    assert in_memory.partitions == partitioned.partitions
    for name in ("corpus", *TABLES):
        pd.testing.assert_frame_equal(in_memory.read(name), partitioned.read(name),
                                      check_dtype=False)
    assert in_memory.manifest["rows"] == partitioned.manifest["rows"]
    assert in_memory.manifest["format"] == partitioned.manifest["format"]


def test_an_incomplete_or_foreign_folder_is_refused_clearly(written, tmp_path):
    _, store, _ = written
    with pytest.raises(StoreError, match="no manifest.json"):
        open_results(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot be read"):
        open_results(tmp_path)
    manifest = json.loads((store.folder / "manifest.json").read_text(encoding="utf-8"))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match="6 of 6 partitions are not complete"):
        open_results(broken)
    with pytest.raises(StoreError, match="with this pipeline version"):
        open_results(store.folder, version="another-version")


def test_results_for_builds_once_and_reuses(tmp_path, monkeypatch):
    from utils import paths

    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    first = results_for("seed", cache=False)
    stamp = (first.folder / "manifest.json").stat().st_mtime_ns
    again = results_for("seed", cache=False)
    assert again.folder == first.folder
    assert (again.folder / "manifest.json").stat().st_mtime_ns == stamp  # reused, not rewritten
    assert results_for(results=first.folder).manifest == first.manifest
    other = results_for("seed", label_names={"x": "y"}, cache=False)
    assert other.folder != first.folder  # other options, another store
    with pytest.raises(ValueError, match="Give CORPUS"):
        results_for()
