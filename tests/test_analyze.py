"""The main job's command line (utils.analyze)."""

from __future__ import annotations

from utils import analyze


def test_unloadable_corpus_stops_before_any_work(tmp_path, capsys):
    code = analyze.main([str(tmp_path / "missing.csv"), "--out", str(tmp_path / "report")])
    assert code == 2
    assert "No corpus at" in capsys.readouterr().err
    assert not (tmp_path / "report").exists()


def test_report_for_the_seed_corpus(tmp_path):
    out = analyze.run_analysis("seed", out_dir=tmp_path / "report", notebooks=["01"])
    assert (out / "01_corpus.ipynb").exists()
    html = (out / "01_corpus.html").read_text(encoding="utf-8")
    assert "Syrian President" in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="01_corpus.html"' in index
    assert "read 1, kept 1" in index


def test_notebook_parameters_are_read_from_the_parameters_cell():
    from utils import paths

    declared = analyze.notebook_parameters(paths.NOTEBOOKS_DIR / "01_corpus.ipynb")
    assert {"CORPUS", "COLUMNS"} <= declared
