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


def test_html_renderers_reuse_warm_exporters_and_render_the_same_page(tmp_path):
    import nbformat

    from utils.analyze import HtmlRenderers

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title\n\nSome *text*."),
                      nbformat.v4.new_code_cell("print(1)")]
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    two = HtmlRenderers()
    two.warm_up(2)
    exporters = {id(two._idle.get()), id(two._idle.get())}  # two distinct exporters
    fresh, warm = HtmlRenderers(), HtmlRenderers()
    warm.warm_up(1)
    first = tmp_path / "a.ipynb"
    nbformat.write(notebook, first)
    page = fresh.render(first).read_text(encoding="utf-8")
    second = tmp_path / "b.ipynb"
    nbformat.write(notebook, second)
    assert warm.render(second).read_text(encoding="utf-8") == page
    assert "Some <em>text</em>" in page and len(exporters) == 2
    assert warm._idle.qsize() == 1  # the exporter went back for the next notebook
