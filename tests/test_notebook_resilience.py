"""Notebooks run to the end on small or unusual corpora: a cell that cannot compute its table or
figure for the corpus prints why, and the later cells still run."""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest

from utils import frequencies as freq
from utils import frequency_plots as fplots
from utils import paths
from utils.attribution import quotes_per_1000_words, sourcing_by_group
from utils.compare import group_column_or_reason, grouping_problem
from utils.sentiment import quote_segments, quoted_vs_authorial

# ---------------------------------------------------------------------------------------------
# the utils functions the notebooks call


def test_zipf_fit_or_reason():
    distinct = freq.zipf_table(pd.DataFrame({"term": ["b", "a", "c"], "count": [1, 1, 1]}))
    assert freq.zipf_fit_or_reason(distinct) == (
        "No Zipf fit or plot: each of the corpus's 3 terms occurs once, and a fit needs at least "
        "two terms with different counts.")
    twice = freq.zipf_table(pd.DataFrame({"term": ["a", "b"], "count": [2, 2]}))
    assert "each of the corpus's 2 terms occurs 2 times" in freq.zipf_fit_or_reason(twice)
    one = freq.zipf_table(pd.DataFrame({"term": ["war"], "count": [4]}))
    assert "the corpus has a single term ('war')" in freq.zipf_fit_or_reason(one)
    none = freq.zipf_table(pd.DataFrame({"term": [], "count": []}))
    assert "the corpus has no terms" in freq.zipf_fit_or_reason(none)
    table = freq.zipf_table(pd.DataFrame({"term": ["a", "b", "c"], "count": [9, 3, 1]}))
    assert freq.zipf_fit_or_reason(table) == freq.zipf_fit(table)
    with pytest.raises(freq.FrequencyError, match="each of the corpus's 3 terms occurs once"):
        freq.zipf_fit(distinct)


def test_top_terms_reason():
    assert fplots.top_terms_reason(pd.DataFrame({"term": ["a"], "count": [1]})) is None
    empty = freq.term_counts(pd.DataFrame({"doc_id": ["a"], "text": ["It is what it is."]}))
    assert fplots.top_terms_reason(empty).startswith("No top-terms plot: this corpus has no terms")


def test_keyness_of_rare_terms_keeps_its_groups_and_says_why_there_is_no_plot():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "source": ["Daily", "Weekly"],
                           "text": ["Markets rose today.", "The minister resigned."]})
    key = freq.keyness(corpus, "source", "Daily", min_count=5)
    assert key.empty
    assert key.attrs["target"] == "Daily" and key.attrs["reference"] == "rest"
    assert key.attrs["target_articles"] == 1 and key.attrs["min_count"] == 5
    assert fplots.keyness_reason(key) == (
        "No keyness plot: no term occurs 5 or more times in Daily and rest together (a lower "
        "minimum count includes rarer terms).")
    key = freq.keyness(corpus, "source", "Daily", min_count=1)
    assert fplots.keyness_reason(key) is None
    fplots.plot_keyness(key)


@pytest.fixture
def grouped():
    return pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "title": ["One", "Two", "Three", "Four"],
        "text": ['"We will win," Smith said. The team was ready.',
                 "Prices fell. Analysts were worried.",
                 '"It is a disaster," the minister said. Critics agreed.',
                 "A calm and happy story about a lovely park."],
        "source": ["Daily", None, "Daily", None],
        "label": ["x", "y", "x", "y"],
        "date": pd.to_datetime(["2020-01-03", "2020-02-04", None, "2020-02-09"]),
    })


def test_grouping_problem_says_why(grouped):
    assert grouping_problem(grouped, "label") is None
    assert grouping_problem(grouped, "month") is None
    assert grouping_problem(grouped, None).startswith("No grouping column: set GROUP_BY")
    assert grouping_problem(grouped, "source") == (
        "Cannot group by 'source': every article with a value has 'Daily' (2 of 4 have none); a "
        "comparison needs two or more groups.")
    undated = grouped.assign(date=pd.NaT)
    assert grouping_problem(undated, "month") == (
        "Cannot group by 'month': no article has a date; a comparison needs two or more groups.")
    assert grouping_problem(grouped, "outlet").startswith(
        "Cannot group by 'outlet': No column 'outlet' to group by")


def test_group_column_or_reason(grouped):
    assert group_column_or_reason(grouped, "label") == ("label", "Grouping by: label")
    assert group_column_or_reason(grouped) == ("label", "Grouping by: label")
    column, reason = group_column_or_reason(grouped, "source")
    assert column is None and reason.startswith("Cannot group by 'source'")
    single = grouped.assign(label="x", source="Daily")
    column, reason = group_column_or_reason(single)
    assert column is None and reason.startswith("Grouping by: none (no label, source")


def test_quoted_vs_authorial_leaves_articles_without_a_group_out(grouped):
    segments = quote_segments(grouped)
    table = quoted_vs_authorial(segments, grouped, "source", n_boot=50)
    assert set(table["group"]) == {"Daily"}
    per_article = quoted_vs_authorial(segments)
    daily = per_article[per_article["doc_id"].isin(["a", "c"])]
    quoted = table.set_index("kind").loc["quoted"]
    assert quoted["n_articles"] == daily["quoted_compound"].notna().sum()
    assert np.isclose(quoted["mean"], daily["quoted_compound"].mean())


def test_sourcing_by_month(grouped):
    rates = quotes_per_1000_words(grouped, pd.DataFrame(
        {"doc_id": ["a"], "kind": ["direct"], "source_type": ["person"]}), by="month")
    assert rates["group"].tolist() == ["(missing)", "2020-01", "2020-02"]
    assert rates["articles"].tolist() == [1, 1, 2]
    assert rates["attributions"].tolist() == [0, 1, 0]
    from utils.attribution import corpus_attributions

    table = sourcing_by_group(grouped, corpus_attributions(grouped), by="month")
    assert "2020-01" in set(table["group"])


# ---------------------------------------------------------------------------------------------
# the notebooks, executed with papermill on tiny corpora


def write_folder(folder, articles):
    """A folder corpus: one .txt file per article, title, blank line, body."""
    folder.mkdir()
    for number, (title, body) in enumerate(articles):
        (folder / f"a{number}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpora")
    one_distinct = write_folder(root / "one_distinct", [
        ("Alpha", "Quick brown foxes jump over lazy sleeping dogs tonight."),
    ])
    no_terms = write_folder(root / "no_terms", [
        ("It", "It is what it is, and it was what it was."),
    ])
    no_quotes = write_folder(root / "no_quotes", [
        ("Calm", "The park was green and the lake was blue. Children played near the water."),
        ("Quiet", "Rain fell on the town all morning. Shops opened late in the afternoon."),
    ])
    one_source = root / "one_source.csv"
    pd.DataFrame({
        "title": ["A", "B", "C"],
        "text": ["Markets rose today in the city.", "The minister said the plan failed badly.",
                 "Prices fell again across the region."],
        "source": ["Daily", "", ""],
        "date": ["2020-01-05", "2020-02-07", "2020-02-09"],
    }).to_csv(one_source, index=False)
    return {"one_distinct": one_distinct, "no_terms": no_terms, "no_quotes": no_quotes,
            "one_source": one_source}


def execute(notebook: str, corpus, tmp_path, **parameters):
    """Execute ``notebook`` on ``corpus``; returns every cell's text output, joined. Fails if a
    cell raised or wrote to stderr."""
    import papermill

    source = paths.NOTEBOOKS_DIR / notebook
    target = tmp_path / notebook
    papermill.execute_notebook(str(source), str(target), parameters={"CORPUS": str(corpus),
                                                                     **parameters},
                               kernel_name="python3", cwd=str(paths.NOTEBOOKS_DIR),
                               progress_bar=False)
    executed = nbformat.read(target, as_version=4)
    texts = []
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        assert cell.get("execution_count"), f"a cell did not run: {cell.source[:80]!r}"
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", output.get("evalue")
            assert output.get("name") != "stderr", f"stderr in {notebook}: {output.get('text')}"
            texts.append(output.get("text", "") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


NOTEBOOKS = ["01_corpus.ipynb", "02_word_frequencies.ipynb", "03_sentiment.ipynb",
             "04_source_attribution.ipynb", "05_compare_groups.ipynb"]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebooks_run_on_one_article_whose_words_are_all_distinct(notebook, corpora, tmp_path):
    text = execute(notebook, corpora["one_distinct"], tmp_path)
    if notebook.startswith("02"):
        assert ("No Zipf fit or plot: each of the corpus's 8 terms occurs once, and a fit needs "
                "at least two terms with different counts.") in text
        assert "0 occurrences of 'president'" in text  # the last cells ran
    if notebook.startswith("05"):
        assert "Grouping by: none (no label, source or other text column" in text


def test_word_frequencies_on_a_corpus_without_terms(corpora, tmp_path):
    text = execute("02_word_frequencies.ipynb", corpora["no_terms"], tmp_path)
    assert "No top-terms plot: this corpus has no terms" in text
    assert "No Zipf fit or plot: the corpus has no terms" in text


@pytest.mark.parametrize("notebook", NOTEBOOKS[2:4])
def test_sentiment_and_attribution_without_quotes(notebook, corpora, tmp_path):
    text = execute(notebook, corpora["no_quotes"], tmp_path)
    if notebook.startswith("04"):
        assert "0 attributions in 0 of 2 articles" in text


@pytest.mark.parametrize("notebook", NOTEBOOKS[1:])
def test_group_column_with_one_value_and_missing_values(notebook, corpora, tmp_path):
    text = execute(notebook, corpora["one_source"], tmp_path, GROUP_BY="source")
    reason = ("Cannot group by 'source': every article with a value has 'Daily' (2 of 3 have "
              "none); a comparison needs two or more groups.")
    if notebook.startswith(("04", "05")):
        assert reason in text
    if notebook.startswith("02"):
        assert "Column 'source' has fewer than two groups" in text


@pytest.mark.parametrize("notebook", NOTEBOOKS[1:])
def test_group_by_month(notebook, corpora, tmp_path):
    text = execute(notebook, corpora["one_source"], tmp_path, GROUP_BY="month")
    if notebook.startswith("04"):
        assert "2020-02" in text  # sourcing per month
    if notebook.startswith("05"):
        assert "Grouping by: month" in text


def test_setup_notebook_draws_each_figure_once_per_cell(tmp_path):
    """In a kernel, setup_notebook leaves the inline backend's own rendering (a layout pass and
    the PNG) and removes pyplot's extra end-of-cell draw; every figure is still shown."""
    import papermill

    from utils.kernels import papermill_kernel_options

    counting = (
        "import matplotlib.figure\n"
        "draws = []\n"
        "_draw = matplotlib.figure.Figure.draw\n"
        "def counted(self, *args, **kwargs):\n"
        "    draws.append(1)\n"
        "    return _draw(self, *args, **kwargs)\n"
        "matplotlib.figure.Figure.draw = counted\n"
        "from utils.notebook import setup_notebook\n"
        "setup_notebook()")
    cells = [counting, "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2]);",
             "print(len(draws))", "plt.plot([2, 1]);", "print(len(draws))"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    source, target = tmp_path / "figures.ipynb", tmp_path / "figures-out.ipynb"
    nbformat.write(notebook, source)
    papermill.execute_notebook(str(source), str(target), kernel_name="python3",
                               cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False,
                               log_output=False, **papermill_kernel_options())
    executed = nbformat.read(target, as_version=4)
    shown = [sum("image/png" in o.get("data", {}) for o in executed.cells[i].outputs)
             for i in (1, 3)]
    counts = [executed.cells[i].outputs[0]["text"].strip() for i in (2, 4)]
    assert shown == [1, 1]
    assert counts == ["2", "4"]  # without it: 3 and 6


def test_draw_figures_once_outside_a_kernel_changes_nothing():
    from utils.notebook import draw_figures_once

    assert draw_figures_once() is False
