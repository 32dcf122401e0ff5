"""The report page in a headless Chromium (utils.report_check): every image loads, every local
link resolves, no console error; a page with a broken image and link is reported as such.

Skips with a message when no headless Chromium can be driven (.ci/run installs Debian's
chromium; playwright comes with the [test] extra).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from utils import paths
from utils.report import Figure, Section, write_index
from utils.report_check import BrowserUnavailable, check_report, find_chromium

SCREENSHOTS = paths.REPORTS_DIR / "browser-check"  # git-ignored


def _check(index: Path, screenshot: Path) -> dict:
    try:
        return check_report(index, screenshot)
    except BrowserUnavailable as error:
        pytest.skip(f"no headless Chromium: {error}")


def _figure(path: Path, values: list[float]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(3, 2), dpi=80)
    axes.plot(values)
    figure.savefig(path)
    plt.close(figure)
    return path.name


@pytest.fixture
def report_folder(tmp_path) -> Path:
    """A report folder as the main job writes it (utils.report.write_index): two sections with
    a figure each, a data table and a notebook page."""
    out = tmp_path / "report with space"
    figures = [Figure(f"figures/{_figure(out / 'figures' / name, values)}", caption)
               for name, values, caption in (("03_tone.png", [1, 3, 2], "Tone by label"),
                                             ("04_sources.png", [2, 1, 4], "Sources cited"))]
    (out / "data").mkdir()
    (out / "data" / "articles.csv").write_text("doc_id,words\n0,12\n1,30\n", encoding="utf-8")
    (out / "03_sentiment.html").write_text("<!doctype html><title>03</title><p>page</p>",
                                           encoding="utf-8")
    sections = [
        Section("tone", "Tone", lines=["2 articles, mean tone 0.1."], figures=figures[:1],
                notebook=("03_sentiment", "03_sentiment.html")),
        Section("sources", "Sources", lines=["3 sources cited."], figures=figures[1:]),
    ]
    write_index(out, "test corpus", sections, "Loaded test: read 2, kept 2",
                [("03_sentiment", "03_sentiment.html")], [], ["data/articles.csv"])
    return out


def test_report_page_loads_cleanly(report_folder):
    screenshot = SCREENSHOTS / "index.png"
    screenshot.unlink(missing_ok=True)
    findings = _check(report_folder / "index.html", screenshot)
    assert findings["console_errors"] == []
    assert findings["failed_requests"] == []
    assert findings["images"] == 2 and findings["broken_images"] == []
    page = (report_folder / "index.html").read_text(encoding="utf-8")
    # every link is local: the contents (#...), figures, notebook page and data file
    assert findings["local_links"] == page.count("<a href=") >= 8
    assert findings["external_links"] == 0 and findings["broken_links"] == []
    assert findings["ok"] is True
    assert screenshot.is_file() and screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert findings["screenshot"] == str(screenshot)


def test_broken_image_and_link_are_reported(tmp_path):
    _figure(tmp_path / "figures" / "fine.png", [1, 2])
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><img src="figures/fine.png" alt="fine"><img src="figures/missing.png" alt="x">'
        '<a href="figures/fine.png">fine</a> <a href="data/missing.csv">missing</a> '
        '<a href="https://example.org/">external</a> <a href="#top">top</a> '
        '<a href="#nowhere">nowhere</a><h1 id="top">t</h1></body></html>',
        encoding="utf-8")
    findings = _check(tmp_path / "index.html", SCREENSHOTS / "broken.png")
    assert findings["ok"] is False
    assert findings["images"] == 2
    assert [image["src"] for image in findings["broken_images"]] == ["figures/missing.png"]
    assert findings["broken_links"] == [
        {"href": "data/missing.csv", "path": str(tmp_path / "data" / "missing.csv"),
         "missing": "file"},
        {"href": "#nowhere", "path": str(tmp_path / "index.html"), "missing": "anchor"},
    ]
    assert findings["local_links"] == 4 and findings["external_links"] == 1
    assert any(r["url"].endswith("figures/missing.png") for r in findings["failed_requests"])
    assert findings["console_errors"]  # Chromium logs the failed image load


def test_script_errors_are_reported(tmp_path):
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>t</title><script>console.error('logged');"
        "undefinedFunction();</script>", encoding="utf-8")
    findings = _check(tmp_path / "index.html", tmp_path / "shot.png")
    assert findings["console_errors"][0] == "logged"
    assert "undefinedFunction" in findings["console_errors"][1]
    assert findings["ok"] is False


def test_missing_page_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match="no report page"):
        check_report(tmp_path / "index.html", tmp_path / "shot.png")


def test_no_browser_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    monkeypatch.setenv("NEWS_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert find_chromium() is None
    with pytest.raises(BrowserUnavailable, match="no Chromium executable|playwright package"):
        check_report(tmp_path / "index.html", tmp_path / "shot.png")


def test_chromium_override(tmp_path, monkeypatch):
    binary = tmp_path / "my-chromium"
    binary.write_text("")
    monkeypatch.setenv("NEWS_CHROMIUM", str(binary))
    assert find_chromium() == str(binary)


def test_lazy_images_below_the_fold_are_checked(tmp_path):
    """The report's figures are loading="lazy": they are loaded and checked all the same."""
    _figure(tmp_path / "far.png", [1, 2])
    (tmp_path / "index.html").write_text(
        '<!doctype html><title>t</title><div style="height:6000px"></div>'
        '<img src="far.png" loading="lazy" alt="far"><img src="gone.png" loading="lazy" alt="">',
        encoding="utf-8")
    findings = _check(tmp_path / "index.html", tmp_path / "shot.png")
    assert findings["images"] == 2
    assert [image["src"] for image in findings["broken_images"]] == ["gone.png"]
