"""Command-line options of python -m utils.analyze and python -m utils.scale are checked before
any work starts, with a message saying what is expected; the exit status tells failures apart."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from utils import analyze, pipeline, scale
from utils.corpus import CorpusError


@pytest.fixture
def no_work(monkeypatch):
    """Record any loading or analysis: the early checks must stop before both."""
    calls = []

    def record(name):
        def called(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} called")
        return called

    monkeypatch.setattr(analyze, "load_corpus", record("load_corpus"))
    monkeypatch.setattr(pipeline, "analyse_corpus", record("analyse_corpus"))
    monkeypatch.setattr(scale, "analyse_partitioned", record("analyse_partitioned"))
    return calls


def run_analyze(tmp_path, capsys, *options, corpus="seed"):
    out = tmp_path / "report"
    code = analyze.main([corpus, "--out", str(out), *options])
    return code, capsys.readouterr(), out


@pytest.mark.parametrize(("options", "message"), [
    (["--columns", '["text"]'], "argument --columns: expected a JSON object mapping core column "
                                "names (doc_id, title, text, source, date, label)"),
    (["--columns", '"text"'], "argument --columns: expected a JSON object"),
    (["--columns", "{text: body}"], "argument --columns: not valid JSON ("),
    (["--columns", '{"body": "text"}'], "argument --columns: 'body' is not a core column"),
    (["--columns", '{"text": 3}'], "argument --columns: the column for 'text' must be a column "
                                   "name (a non-empty string), not 3"),
    (["--label-names", '["fake", "credible"]'],
     "argument --label-names: expected a JSON object mapping label values to names"),
    (["--label-names", "fake"], "argument --label-names: not valid JSON ("),
    (["--label-names", '"fake"'], "argument --label-names: expected a JSON object mapping label "
                                  "values to names (strings), e.g. '{\"1\": \"credible\", \"0\": "
                                  "\"fake\"}', not a JSON string"),
    (["--label-names", '{"1": 1}'], "argument --label-names: the name for label '1' must be a "
                                    "string, not 1"),
    (["--jobs", "0"], "argument --jobs: expected a whole number of 1 or more, not '0'"),
    (["--jobs", "-2"], "argument --jobs: expected a whole number of 1 or more, not '-2'"),
    (["--jobs", "two"], "argument --jobs: expected a whole number of 1 or more, not 'two'"),
    (["--notebooks", "99"], "argument --notebooks: no notebook '99'; expected comma-separated "
                            "numbers of notebooks among 01 (01_corpus), 02 (02_word_frequencies)"),
    (["--notebooks", "01,x"], "argument --notebooks: no notebook 'x'"),
    (["--engine", "spark"], "argument --engine: invalid choice: 'spark'"),
    (["--engine", "processes", "--scheduler", "tcp://10.0.0.5:8786"],
     "argument --scheduler: a Dask scheduler address goes with --engine dask"),
])
def test_bad_main_job_options_exit_2_before_any_work(tmp_path, capsys, no_work, options,
                                                     message):
    code, printed, out = run_analyze(tmp_path, capsys, *options)
    assert code == 2
    assert "usage: python -m utils.analyze" in printed.err
    assert f"error: {message}" in printed.err
    assert printed.out == ""
    assert not out.exists()
    assert no_work == []


def test_notebooks_are_listed_with_their_names(tmp_path, capsys, no_work):
    _, printed, _ = run_analyze(tmp_path, capsys, "--notebooks", "7")
    for name in ("01_corpus", "02_word_frequencies", "03_sentiment", "04_source_attribution",
                 "05_compare_groups"):
        assert name in printed.err
    assert "or none" in printed.err


def test_notebook_numbers_are_normalised():
    assert analyze.notebook_numbers("1, 05") == ["01", "05"]
    assert analyze.notebook_numbers("none") == []


def test_out_naming_a_file_stops_before_loading(tmp_path, capsys, no_work):
    target = tmp_path / "report"
    target.write_text("not a folder", encoding="utf-8")
    code = analyze.main(["seed", "--out", str(target)])
    printed = capsys.readouterr()
    assert code == 2
    assert printed.err.strip() == (f"error: --out {target}: this is a file; expected a folder "
                                   "(existing or to be created) for the output.")
    assert target.read_text(encoding="utf-8") == "not a folder"
    assert no_work == []


def test_out_below_a_file_stops_before_loading(tmp_path, capsys, no_work):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = tmp_path / "file" / "report"
    code = analyze.main(["seed", "--out", str(target)])
    assert code == 2
    assert f"error: --out {target}: cannot create this folder (" in capsys.readouterr().err
    assert no_work == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a POSIX user for whom file modes apply (not root)")
def test_out_in_a_read_only_folder_stops_before_loading(tmp_path, capsys, no_work):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code = analyze.main(["seed", "--out", str(locked / "report")])
        assert code == 2
        assert "cannot create this folder (Permission denied)" in capsys.readouterr().err
        code = analyze.main(["seed", "--out", str(locked)])
        assert code == 2
        assert "cannot write in this folder (Permission denied)" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)
    assert no_work == []


def test_out_where_writing_fails_stops_before_loading(tmp_path, capsys, no_work, monkeypatch):
    """A folder that exists but refuses files (simulated: the probe's write fails)."""
    def refuse(self, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(scale.Path, "write_bytes", refuse)
    target = tmp_path / "new" / "report"
    code = analyze.main(["seed", "--out", str(target)])
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"error: --out {target}: cannot write in this folder (Permission denied).")
    assert not (tmp_path / "new").exists()  # the folders made for the check are removed
    assert no_work == []


def test_check_writable_folder_keeps_existing_folders(tmp_path):
    scale.check_writable_folder(tmp_path, "--out")
    assert tmp_path.is_dir() and list(tmp_path.iterdir()) == []
    scale.check_writable_folder(tmp_path / "a" / "b", "--out")
    assert not (tmp_path / "a").exists()
    with pytest.raises(CorpusError, match="this is a file"):
        (tmp_path / "f").write_text("", encoding="utf-8")
        scale.check_writable_folder(tmp_path / "f", "OUT")


def test_unknown_group_by_stops_before_the_analysis(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "analyse_corpus",
                        lambda *a, **k: pytest.fail("analysis started"))
    code, printed, out = run_analyze(tmp_path, capsys, "--group-by", "outlet")
    assert code == 2
    assert ("error: --group-by 'outlet': no such column; expected one of the corpus's columns "
            "(doc_id, title, text, source, date, label") in printed.err
    assert "or month." in printed.err
    assert not out.exists()


def write_folder_corpus(folder, articles):
    folder.mkdir()
    for number, (title, body) in enumerate(articles):
        (folder / f"a{number}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


def test_group_by_month_needs_a_date(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pipeline, "analyse_corpus",
                        lambda *a, **k: pytest.fail("analysis started"))
    corpus = write_folder_corpus(tmp_path / "undated", [("One", "The first story."),
                                                       ("Two", "The second story.")])
    code, printed, out = run_analyze(tmp_path, capsys, "--group-by", "month",
                                     corpus=str(corpus))
    assert code == 2
    assert "error: --group-by month: no article of this corpus has a date" in printed.err
    assert not out.exists()


def test_group_by_month_is_accepted_with_dates():
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["x"], "date": pd.to_datetime(["2020-01-02"])})
    analyze.check_group_by(frame, "month")
    analyze.check_group_by(frame, "text")
    with pytest.raises(CorpusError, match="no such column"):
        analyze.check_group_by(frame, "source")


def test_clean_run_exits_0(tmp_path, capsys):
    code, printed, out = run_analyze(tmp_path, capsys, "--notebooks", "none", "--no-cache")
    assert code == 0, printed.err
    assert (out / "index.html").exists()
    assert not list(out.glob("*.ipynb"))
    assert printed.err == ""


def test_failed_article_step_exits_1_after_writing_everything(tmp_path, capsys, monkeypatch):
    def broken(batch):
        raise RuntimeError("broken step")

    monkeypatch.setitem(pipeline.STEP_FUNCTIONS, "attributions", broken)
    code, printed, out = run_analyze(tmp_path, capsys, "--notebooks", "none", "--no-cache")
    assert code == 1
    assert "failures:" in printed.err and "step attributions: RuntimeError: broken step" in (
        printed.err)
    assert (out / "index.html").exists()
    from utils.results import open_results

    assert len(open_results(out / "results").read("failures")) == 1
    assert len(pd.read_csv(out / "data" / "failures.csv")) == 1


def test_failed_notebook_exits_1(tmp_path, capsys, monkeypatch):
    import papermill

    def broken(*args, **kwargs):
        raise RuntimeError("kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", broken)
    code, printed, out = run_analyze(tmp_path, capsys, "--notebooks", "1", "--no-cache")
    assert code == 1
    assert "01_corpus.ipynb: RuntimeError: kernel died" in printed.err
    assert (out / "index.html").exists()


# ---------------------------------------------------------------------------------------------
# python -m utils.scale SOURCE OUT


@pytest.fixture
def table(tmp_path):
    source = tmp_path / "news.csv"
    pd.DataFrame({"id": ["a", "b", "c"], "title": ["One", "Two", "Three"],
                  "text": ["Officials said the talks went well.", "Prices fell sharply.",
                           '"We will win," Smith told reporters.'],
                  "source": ["A", "B", "A"]}).to_csv(source, index=False)
    return source


@pytest.mark.parametrize(("options", "message"), [
    (["--columns", '["text"]'], "argument --columns: expected a JSON object"),
    (["--label-names", '"fake"'], "argument --label-names: expected a JSON object"),
    (["--jobs", "0"], "argument --jobs: expected a whole number of 1 or more"),
    (["--partition-size", "0"], "argument --partition-size: expected a whole number of 1 or more"),
    (["--top", "x"], "argument --top: expected a whole number of 1 or more, not 'x'"),
    (["--group-by", "month"], "argument --group-by: 'month' is not a column of the articles "
                              "table to group by; expected one of label, source, date, title"),
    (["--engine", "local", "--scheduler", "tcp://10.0.0.5:8786"],
     "argument --scheduler: a Dask scheduler address goes with --engine dask"),
])
def test_bad_scale_options_exit_2_before_any_work(table, tmp_path, capsys, no_work, options,
                                                  message):
    out = tmp_path / "run"
    code = scale.main([str(table), str(out), *options])
    printed = capsys.readouterr()
    assert code == 2
    assert "usage: python -m utils.scale" in printed.err
    assert f"error: {message}" in printed.err
    assert not out.exists()
    assert no_work == []


def test_scale_out_naming_a_file_exits_2_before_any_work(table, tmp_path, capsys, no_work):
    out = tmp_path / "run"
    out.write_text("", encoding="utf-8")
    assert scale.main([str(table), str(out)]) == 2
    assert f"error: OUT {out}: this is a file" in capsys.readouterr().err
    assert no_work == []


def test_scale_exit_status_tells_failures_apart(table, tmp_path, capsys, monkeypatch):
    assert scale.main([str(table), str(tmp_path / "clean"), "--top", "2"]) == 0
    assert "0 article steps failed" in capsys.readouterr().out

    def broken(batch):
        raise RuntimeError("broken step")

    monkeypatch.setitem(pipeline.STEP_FUNCTIONS, "sentiment", broken)
    assert scale.main([str(table), str(tmp_path / "broken")]) == 1
    assert "3 article steps failed" in capsys.readouterr().out
