"""Per-article pipeline with its cache (utils.pipeline) and the report writers (utils.report)."""

from __future__ import annotations

import pandas as pd
import pytest

from utils import pipeline
from utils.pipeline import ResultCache, analyse_corpus, article_key
from utils.report import extract_figures

TEXTS = [
    'The minister said the plan was "a disaster for everyone." Critics agreed.',
    "According to officials, the talks will resume on Monday. Markets rose sharply.",
    "Nothing quoted here. Just a calm, happy story about a lovely park.",
    '"We will win," Smith told reporters. He added that the team was ready.',
    "Prices fell. Analysts warned that the decline could continue into next year.",
    "A short one.",
    "Police said the suspect was arrested. The neighbours were terrified and angry.",
]


@pytest.fixture
def corpus():
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(TEXTS))],
            "title": ["Good news", None, "A park", "Win", None, None, "Arrest"],
            "text": TEXTS,
            "source": ["A", "B", "A", "B", "A", "B", "A"],
            "date": pd.to_datetime(["2020-01-01"] * 7),
            "label": ["x", "y", "x", "y", "x", "y", "x"],
        }
    )


def test_tables_are_well_formed(corpus, tmp_path):
    results = analyse_corpus(corpus, cache=tmp_path / "c.sqlite")
    articles = results.articles
    assert articles["doc_id"].tolist() == corpus["doc_id"].tolist()
    assert (articles["words"] > 0).all()
    assert set(results.sentences["doc_id"]) == set(corpus["doc_id"])
    for row in results.sentences.itertuples():
        text = TEXTS[int(row.doc_id[1:])]
        assert text[row.start : row.end] == row.text
    for row in results.attributions.itertuples():
        text = TEXTS[int(row.doc_id[1:])]
        assert text[row.content_start : row.content_end] == row.content
    assert articles.loc[3, "attributions"] >= 1  # "We will win," Smith told reporters
    assert articles["attributions"].sum() == len(results.attributions)
    assert results.failures.empty
    assert set(results.terms.columns) == {"doc_id", "term", "count"}
    assert "disaster" in set(results.terms["term"])


def test_cache_resumes_and_only_new_articles_are_analysed(corpus, tmp_path):
    cache = tmp_path / "c.sqlite"
    first = analyse_corpus(corpus.iloc[:4], cache=cache)
    assert first.stats["analysed"] == 4
    second = analyse_corpus(corpus, cache=cache)
    assert (second.stats["from_cache"], second.stats["analysed"]) == (4, 3)
    third = analyse_corpus(corpus, cache=cache)
    assert third.stats["analysed"] == 0
    uncached = analyse_corpus(corpus, cache=False)
    for name, table in uncached.tables().items():
        pd.testing.assert_frame_equal(table, third.tables()[name], check_dtype=False)


def test_processes_give_identical_tables(corpus):
    one = analyse_corpus(corpus, cache=False, jobs=1, batch_size=2)
    two = analyse_corpus(corpus, cache=False, jobs=2, batch_size=2)
    for name, table in one.tables().items():
        pd.testing.assert_frame_equal(table, two.tables()[name])


def test_a_failing_step_is_reported_and_the_run_goes_on(corpus, tmp_path, monkeypatch):
    real = pipeline.STEP_FUNCTIONS["attributions"]

    def fragile(batch):
        if batch["text"].str.contains("Prices fell").any():
            raise RuntimeError("boom")
        return real(batch)

    monkeypatch.setitem(pipeline.STEP_FUNCTIONS, "attributions", fragile)
    cache = ResultCache(tmp_path / "c.sqlite")
    results = analyse_corpus(corpus, cache=cache)
    assert results.failures[["doc_id", "step"]].values.tolist() == [["d4", "attributions"]]
    assert "RuntimeError: boom" in results.failures["error"].iloc[0]
    assert results.articles.loc[4, "attributions"] == 0
    assert results.articles.loc[4, "words"] > 0  # the other steps still ran
    assert results.articles.loc[3, "attributions"] >= 1
    assert len(cache) == len(corpus) - 1  # the failed article is not cached: retried next time
    cache.close()


def test_cache_key_depends_on_text_title_and_version():
    key = article_key("T", "text", "v1")
    assert key == article_key("T", "text", "v1")
    assert key != article_key("T", "text!", "v1")
    assert key != article_key(None, "text", "v1")
    assert key != article_key("T", "text", "v2")
    assert article_key(None, "x", "v") == article_key(float("nan"), "x", "v")


def test_missing_columns_are_a_clear_error():
    with pytest.raises(ValueError, match="needs the columns"):
        analyse_corpus(pd.DataFrame({"body": ["x"]}), cache=False)


def test_figures_of_an_executed_notebook_are_saved_with_captions(tmp_path):
    import base64
    import json

    png = base64.b64encode(b"\x89PNG fake").decode()
    notebook = {"cells": [
        {"cell_type": "markdown", "source": ["## Top terms\n", "The most frequent terms. More."]},
        {"cell_type": "code", "outputs": [{"data": {"image/png": png}}]},
        {"cell_type": "code", "outputs": []}]}
    path = tmp_path / "05_x.ipynb"
    path.write_text(json.dumps(notebook))
    figures = extract_figures(path, tmp_path / "figures")
    assert [f.path for f in figures] == ["figures/05_x_01.png"]
    assert figures[0].caption == "Top terms: The most frequent terms."
    assert (tmp_path / figures[0].path).read_bytes() == b"\x89PNG fake"
