"""The report of the main job: ``index.html``, a page a person reads, over the results store.

One section per analysis (corpus, words, tone, sources, groups). Each holds its headline
numbers in sentences, a small table and the key figures of its notebook inline, each with a
caption saying what it shows, and links to the notebook (executed, as HTML) and to the data.
The numbers come from the same reductions of the store as the notebooks'
(:mod:`utils.tables`), so the page and the notebooks cannot disagree.

- :func:`extract_figures`: the PNG figures of an executed notebook, each with its caption (the
  heading and first sentence of the markdown cell the figure's cell follows);
- :func:`report_sections`: the sections' numbers and tables from the store;
- :func:`export_tables`: the per-article table and the failures as CSV for a spreadsheet
  (streamed from the store by DuckDB, so any size);
- :func:`write_index`: the page.
"""

from __future__ import annotations

import base64
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: Sections of the report: (key, heading, notebook number whose figures it shows).
SECTIONS = (
    ("corpus", "The corpus", "01"),
    ("words", "Words", "02"),
    ("tone", "Tone", "03"),
    ("sources", "Sources", "04"),
    ("groups", "Groups compared", "05"),
)
#: Figures shown inline per section (the rest are in the notebook).
FIGURES_PER_SECTION = 3


@dataclass
class Figure:
    """A figure file (relative to the report folder) and its caption."""

    path: str
    caption: str


@dataclass
class Section:
    """One section of the report."""

    key: str
    heading: str
    lines: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    figures: list[Figure] = field(default_factory=list)
    notebook: tuple[str, str] | None = None  # (title, href)
    problem: str | None = None


def _caption(markdown: str) -> str:
    """The heading and the first sentence of a markdown cell, as plain text."""
    text = re.sub(r"[`*_]", "", markdown).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return ""
    heading = lines[0].lstrip("#").strip() if lines[0].startswith("#") else ""
    body = " ".join(lines[1:] if heading else lines)
    body = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", body)
    sentence = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0] if body else ""
    return f"{heading}: {sentence}" if heading and sentence else (heading or sentence)


def extract_figures(notebook_path: Path, folder: Path) -> list[Figure]:
    """Save the PNG outputs of an executed notebook as ``<notebook>_<n>.png`` in ``folder``;
    returns them with captions (paths relative to ``folder``'s parent)."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Figure] = []
    caption = ""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            caption = _caption("".join(source) if isinstance(source, list) else source)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                target = folder / f"{Path(notebook_path).stem}_{len(written) + 1:02d}.png"
                target.write_bytes(base64.b64decode(data["image/png"]))
                written.append(Figure(f"{folder.name}/{target.name}", caption))
    return written


#: The function of :mod:`utils.tables` giving each section's numbers and table.
SUMMARIES = {
    "corpus": ("utils.tables.overview", "corpus_summary"),
    "words": ("utils.tables.words", "words_summary"),
    "tone": ("utils.tables.tone", "tone_summary"),
    "sources": ("utils.tables.sources", "sources_summary"),
    "groups": ("utils.tables.comparison", "groups_summary"),
}
#: Further lines of a section, from other summaries (their tables are left to the notebooks):
#: the tone section also says how the most named person is portrayed.
MORE_LINES = {"tone": (("utils.tables.people", "people_summary"),)}


def _summary(key: str, store, grouping) -> dict:
    import importlib

    module, name = SUMMARIES[key]
    function = getattr(importlib.import_module(module), name)
    summary = function(store) if key == "corpus" else function(store, grouping)
    for module, name in MORE_LINES.get(key, ()):
        more = getattr(importlib.import_module(module), name)(store, grouping)
        summary = {**summary, "lines": [*summary.get("lines", []), *more.get("lines", [])]}
    return summary


def report_sections(store, grouping=None, failures: list[str] | None = None) -> list[Section]:
    """The sections of the report from the store (``grouping``: a
    :class:`utils.results.Grouping`, or ``None``: no groups section). A section whose summary
    fails is kept with the error, and the error is appended to ``failures``."""
    sections = []
    for key, heading, _ in SECTIONS:
        section = Section(key, heading)
        if key == "groups" and grouping is None:
            section.problem = ("No grouping was asked for: run the main job with --group-by "
                               "COLUMN (e.g. label, source or month) to compare groups.")
        else:
            try:
                summary = _summary(key, store, grouping)
            except Exception as error:  # one broken summary must not lose the page
                section.problem = f"This summary failed: {type(error).__name__}: {error}"
                if failures is not None:
                    failures.append(f"report section {key}: {type(error).__name__}: {error}")
            else:
                section.lines = list(summary.get("lines", []))
                section.table = summary.get("table")
        sections.append(section)
    if grouping is not None and grouping.note():
        sections[-1].lines.insert(0, grouping.note())
    return sections


def export_tables(store, folder: Path) -> list[Path]:
    """Write ``articles.csv`` and ``failures.csv`` (one row per article, per failed step)
    from the store, streamed by DuckDB; returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in ("articles", "failures"):
        target = folder / f"{table}.csv"
        path = target.as_posix().replace("'", "''")
        store.connection.execute(f"COPY (SELECT * FROM {table}) TO '{path}' (HEADER, "
                                 "DELIMITER ',')")
        written.append(target)
    return written


def _table_html(table: pd.DataFrame | None) -> str:
    if table is None or not len(table):
        return ""
    shown = table.head(10).copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].round(3)
    return shown.to_html(index=False, escape=True, border=0, classes="summary", na_rep="")


def _section_html(section: Section) -> str:
    parts = [f'<section id="{section.key}"><h2>{html.escape(section.heading)}</h2>']
    if section.problem:
        parts.append(f'<p class="note">{html.escape(section.problem)}</p>')
    if section.lines:
        parts.append("<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in section.lines)
                     + "</ul>")
    parts.append(_table_html(section.table))
    for figure in section.figures[:FIGURES_PER_SECTION]:
        parts.append(f'<figure><a href="{html.escape(figure.path)}"><img src="'
                     f'{html.escape(figure.path)}" alt="{html.escape(figure.caption)}" '
                     f'loading="lazy"></a><figcaption>{html.escape(figure.caption)}'
                     "</figcaption></figure>")
    if section.notebook:
        title, href = section.notebook
        more = len(section.figures) - FIGURES_PER_SECTION
        extra = f" ({more} more figure{'s' if more != 1 else ''} there)" if more > 0 else ""
        parts.append(f'<p>In detail: <a href="{html.escape(href)}">{html.escape(title)}</a>'
                     f"{extra}.</p>")
    parts.append("</section>")
    return "".join(parts)


_STYLE = """body{font-family:system-ui,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;
line-height:1.5;color:#222} h1{margin-bottom:.2em} nav a{margin-right:1em}
section{border-top:1px solid #ddd;margin-top:1.5em} figure{display:inline-block;margin:.5em;
max-width:28em;vertical-align:top} figure img{max-width:100%;border:1px solid #ddd}
figcaption{font-size:.9em;color:#555} table.summary{border-collapse:collapse;font-size:.9em}
table.summary td,table.summary th{padding:.2em .6em;border-bottom:1px solid #eee;text-align:right}
pre{background:#f5f5f5;padding:1em;overflow-x:auto} .note{color:#8a5300}"""


def write_index(out_dir: Path, name: str, sections: list[Section], load_summary: str,
                pages: list[tuple[str, str]], failures: list[str],
                data_files: list[str] = ()) -> Path:
    """Write ``index.html``: the sections, the notebooks, the data, the failures and the load
    report; every link is relative to ``out_dir``."""
    nav = "".join(f'<a href="#{s.key}">{html.escape(s.heading)}</a>' for s in sections)
    body = "".join(_section_html(s) for s in sections)
    pages_html = "".join(f'<li><a href="{html.escape(h)}">{html.escape(t)}</a></li>'
                         for t, h in pages) or "<li>No notebook was run.</li>"
    data_html = "".join(f'<li><a href="{html.escape(f)}">{html.escape(f)}</a></li>'
                        for f in data_files)
    failed = "<p>None.</p>" if not failures else (
        "<ul>" + "".join(f"<li>{html.escape(f)}</li>" for f in failures) + "</ul>")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Report: {html.escape(name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_STYLE}</style></head>
<body><h1>Corpus report: {html.escape(name)}</h1><nav>{nav}<a href="#notebooks">Notebooks</a>
<a href="#data">Data</a><a href="#failures">Failures</a></nav>
{body}
<section id="notebooks"><h2>Notebooks</h2><ul>{pages_html}</ul></section>
<section id="data"><h2>Data</h2><p>The results store (Parquet tables, one folder per table, and
its manifest) and spreadsheet copies of the per-article table and the failures.</p>
<ul>{data_html}</ul></section>
<section id="failures"><h2>Failures</h2>{failed}</section>
<section id="loading"><h2>Loading</h2><pre>{html.escape(load_summary)}</pre></section>
</body></html>
"""
    index = Path(out_dir) / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
