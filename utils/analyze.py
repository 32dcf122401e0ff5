"""The main job: run the notebook collection on a corpus and write a report folder.

Usage::

    python -m utils.analyze CORPUS [--out DIR] [--columns JSON] [--group-by COLUMN]
                                    [--notebooks 01,02]

``CORPUS`` is a built-in name (``nyt-editorials``, ``seed``), a folder of ``.txt`` articles or a
table. The corpus is loaded once first, so a corpus that cannot be loaded stops the run with the
loader's message before any notebook runs. Then every notebook in ``notebooks/`` is executed
with papermill (``CORPUS`` and the other options injected as parameters) into the report folder
(default ``reports/<corpus-name>/``), rendered to HTML, and linked from ``index.html``. The
committed notebooks are never modified.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path

from utils import paths
from utils.corpus import CorpusError, corpus_name, load_corpus, load_report


def _corpus_argument(corpus: str) -> str:
    """The corpus as notebooks (running in ``notebooks/``) must see it: built-in names as
    they are, paths made absolute."""
    from utils.corpus import BUILTIN_CORPORA

    if corpus in BUILTIN_CORPORA:
        return corpus
    return str(paths.resolve_user_path(corpus).resolve())


def notebook_parameters(notebook: Path) -> set[str]:
    """Names declared in a notebook's ``parameters`` cell."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def render_html(executed: Path) -> Path:
    """Write an HTML rendering of an executed notebook next to it."""
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(executed, as_version=4)
    body, _ = HTMLExporter().from_notebook_node(notebook)
    target = executed.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def write_index(out_dir: Path, name: str, summary: str, pages: list[tuple[str, str]],
                failures: list[str]) -> Path:
    """Write ``index.html`` linking the rendered notebooks, with a corpus summary."""
    items = "\n".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>' for title, href in pages
    )
    failed = ""
    if failures:
        failed = "<h2>Failures</h2><ul>" + "".join(
            f"<li>{html.escape(f)}</li>" for f in failures) + "</ul>"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Report: {html.escape(name)}</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}
pre{{background:#f5f5f5;padding:1em;overflow-x:auto}}</style></head>
<body><h1>Corpus report: {html.escape(name)}</h1>
<pre>{html.escape(summary)}</pre>
<h2>Notebooks</h2><ul>{items}</ul>{failed}
</body></html>
"""
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def run_analysis(corpus: str, out_dir: Path | None = None, columns: dict | None = None,
                 group_by: str | None = None, notebooks: list[str] | None = None) -> Path:
    """Run the collection on ``corpus``; returns the report folder."""
    import papermill

    frame = load_corpus(corpus, columns=columns)  # fail fast with the loader's message
    report = load_report(frame)
    name = corpus_name(corpus)
    out_dir = Path(out_dir) if out_dir else paths.REPORTS_DIR / name
    out_dir.mkdir(parents=True, exist_ok=True)
    candidates = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if notebooks:
        candidates = [nb for nb in candidates if nb.name[:2] in set(notebooks)]
    values = {"CORPUS": _corpus_argument(corpus), "COLUMNS": columns, "GROUP_BY": group_by}
    pages, failures = [], []
    for notebook in candidates:
        declared = notebook_parameters(notebook)
        parameters = {k: v for k, v in values.items() if k in declared and v is not None}
        if "CORPUS" in declared:
            parameters["CORPUS"] = values["CORPUS"]
        executed = out_dir / notebook.name
        print(f"running {notebook.name}", flush=True)
        try:
            papermill.execute_notebook(
                str(notebook), str(executed), parameters=parameters, kernel_name="python3",
                cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False, log_output=False,
            )
        except Exception as error:  # papermill raises PapermillExecutionError and friends
            failures.append(f"{notebook.name}: {type(error).__name__}: {str(error)[:500]}")
        if executed.exists():
            pages.append((notebook.stem, render_html(executed).name))
    write_index(out_dir, name, str(report), pages, failures)
    print(f"report written to {out_dir}")
    if failures:
        print("failures:\n  " + "\n  ".join(failures), file=sys.stderr)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.analyze", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default="nyt-editorials")
    parser.add_argument("--out", type=Path, default=None, help="report folder")
    parser.add_argument("--columns", type=json.loads, default=None,
                        help='column mapping as JSON, e.g. \'{"text": "body"}\'')
    parser.add_argument("--group-by", default=None, help="grouping column for comparisons")
    parser.add_argument("--notebooks", default=None,
                        help="comma-separated notebook numbers to run (default: all)")
    args = parser.parse_args(argv)
    try:
        run_analysis(args.corpus, args.out, args.columns, args.group_by,
                     args.notebooks.split(",") if args.notebooks else None)
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
