"""The main job: analyse a corpus and write a self-contained report folder.

Usage::

    python -m utils.analyze CORPUS [--group-by COLUMN] [--columns JSON] [--label-names JSON]
                                    [--out DIR] [--jobs N] [--notebooks 01,02] [--no-cache]
                                    [--engine local|processes|dask] [--scheduler ADDRESS]

``CORPUS`` is a built-in name (``nyt-editorials``, ``seed``), a folder of ``.txt`` articles or a
table. Steps:

1. load the corpus (a corpus that cannot be loaded stops the run with the loader's message,
   before any work);
2. run the per-article analysis (:func:`utils.pipeline.analyse_corpus`: counts, sentence
   sentiment, attributions) with a progress bar, re-using the per-article cache, and write the
   tables to ``data/`` as Parquet and CSV. ``--engine`` chooses where (:mod:`utils.scale`):
   ``local`` (this process, the default), ``processes`` (``--jobs`` processes, default every
   core) or ``dask`` (the Dask scheduler at ``--scheduler``, e.g. ``tcp://10.0.0.5:8786``,
   or a ``LocalCluster`` of ``--jobs`` workers); ``--scheduler`` alone implies ``dask``;
3. execute every notebook of ``notebooks/`` with papermill (``CORPUS``, ``GROUP_BY`` and
   ``COLUMNS`` injected as parameters), render each to HTML and copy its figures to
   ``figures/``;
4. write ``index.html``: the headline findings, links to the notebooks, data and figures, and
   every failure (an article step or a notebook) with its id.

The report folder defaults to ``reports/<corpus-name>/`` (git-ignored). The committed notebooks
are never modified.

Every option is checked before any work: ``--columns`` and ``--label-names`` must be JSON
objects (core column -> corpus column, label value -> name), ``--jobs`` a whole number of 1 or
more, ``--notebooks`` numbers of notebooks in ``notebooks/`` (or ``none``), ``--out`` a folder
this process can create and write in (checked before the corpus is loaded) and ``--group-by``
a column of the loaded corpus or ``month`` (checked before the analysis). A bad option exits
with status 2 and a message saying what is expected; a run with failures (an article step or a
notebook) writes everything, lists the failures on stderr and exits with status 1.
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

from utils import paths
from utils.corpus import CorpusError, corpus_name, load_corpus, load_report
from utils.scale import (
    add_run_arguments,
    check_writable_folder,
    engine_for,
    parse_run_arguments,
    reading_options,
)


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


def _links(items: list[tuple[str, str]]) -> str:
    return "".join(
        f'<li><a href="{html.escape(href)}">{html.escape(title)}</a></li>' for title, href in items
    )


def write_index(out_dir: Path, name: str, findings: list[str], load_summary: str,
                pages: list[tuple[str, str]], failures: list[str],
                data_files: list[str] = (), figures: list[str] = ()) -> Path:
    """Write ``index.html``: findings, links to notebooks, data and figures, and failures."""
    findings_html = "".join(f"<li>{html.escape(line)}</li>" for line in findings)
    failed = "<p>None.</p>"
    if failures:
        failed = "<ul>" + "".join(f"<li>{html.escape(f)}</li>" for f in failures) + "</ul>"
    data_html = _links([(f, f) for f in data_files])
    figures_html = "".join(
        f'<a href="{html.escape(f)}"><img src="{html.escape(f)}" alt="{html.escape(f)}" '
        'width="320"></a>' for f in figures
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Report: {html.escape(name)}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.5}}
pre{{background:#f5f5f5;padding:1em;overflow-x:auto}} img{{margin:4px;border:1px solid #ddd}}
</style></head>
<body><h1>Corpus report: {html.escape(name)}</h1>
<h2>Headline findings</h2><ul>{findings_html}</ul>
<h2>Notebooks</h2><ul>{_links(pages)}</ul>
<h2>Data (per article, sentence, attribution and term)</h2><ul>{data_html}</ul>
<h2>Figures</h2><div>{figures_html}</div>
<h2>Failures</h2>{failed}
<h2>Loading</h2><pre>{html.escape(load_summary)}</pre>
</body></html>
"""
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def run_analysis(corpus: str, out_dir: Path | None = None, columns: dict | None = None,
                 group_by: str | None = None, notebooks: list[str] | None = None,
                 jobs: int | None = 1, cache: bool = True, label_names: dict | None = None,
                 engine: str | None = None, scheduler: str | None = None,
                 failures: list[str] | None = None, load_options: dict | None = None) -> Path:
    """Run the whole analysis on ``corpus``; returns the report folder.

    ``notebooks``: the numbers of the notebooks to run (``None``: all, ``[]``: none).
    ``failures``: a list to which every failure (an article step or a notebook) is appended.
    ``load_options``: further options of :func:`utils.corpus.load_corpus` (``sep``,
    ``encoding``, ``format``, ``orient``, ``dayfirst``, ``recursive``), also given to the
    notebooks as ``LOAD_OPTIONS``.
    Raises :class:`utils.corpus.CorpusError` before any work when the report folder cannot be
    written, the corpus cannot be loaded or ``group_by`` names no column of it.
    """
    import papermill

    from utils.pipeline import analyse_corpus
    from utils.report import extract_figures, summary_lines, write_tables

    name = corpus_name(corpus)
    out_dir = Path(out_dir) if out_dir else paths.REPORTS_DIR / name
    check_writable_folder(out_dir, "--out")
    # fail fast with the loader's message
    load_options = dict(load_options or {})
    frame = load_corpus(corpus, columns=columns, label_names=label_names, **load_options)
    report = load_report(frame)
    print(report, flush=True)
    if group_by:
        check_group_by(frame, group_by)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = analyse_corpus(frame, jobs=jobs, cache=cache, progress=None,
                             engine=engine_for(engine, scheduler),
                             scheduler=scheduler)
    print(f"analysed {results.stats['analysed']} articles, "
          f"{results.stats['from_cache']} from the cache", flush=True)
    written = write_tables(results.tables(), out_dir / "data")
    failures = failures if failures is not None else []
    failures += [f"article {row.doc_id}, step {row.step}: {row.error}"
                 for row in results.failures.itertuples()]
    figures: list[Path] = []
    candidates = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if notebooks is not None:
        candidates = [nb for nb in candidates if nb.name[:2] in set(notebooks)]
    values = {"CORPUS": _corpus_argument(corpus), "COLUMNS": columns, "GROUP_BY": group_by,
              "LABEL_NAMES": label_names, "LOAD_OPTIONS": load_options or None}
    pages = []
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
            figures += extract_figures(executed, out_dir / "figures")
    findings = summary_lines(results, name, group_by)
    write_index(out_dir, name, findings, str(report), pages, failures,
                [p.relative_to(out_dir).as_posix() for p in written],
                [p.relative_to(out_dir).as_posix() for p in figures])
    print(f"report written to {out_dir}")
    if failures:
        print("failures:\n  " + "\n  ".join(failures), file=sys.stderr)
    return out_dir


def check_group_by(frame, group_by: str) -> None:
    """Raise :class:`utils.corpus.CorpusError` unless ``group_by`` is a column of the loaded
    corpus ``frame``, or ``"month"`` with at least one dated article."""
    import pandas as pd

    if group_by == "month" and "month" not in frame.columns:
        dates = (pd.to_datetime(frame["date"], errors="coerce") if "date" in frame.columns
                 else pd.Series([], dtype="datetime64[ns]"))
        if dates.isna().all():
            raise CorpusError("--group-by month: no article of this corpus has a date; map a "
                              "date column with --columns '{\"date\": \"<column>\"}'.")
        return
    if group_by not in frame.columns:
        raise CorpusError(f"--group-by {group_by!r}: no such column; expected one of the "
                          f"corpus's columns ({', '.join(map(str, frame.columns))}) or month.")


def notebook_numbers(text: str) -> list[str]:
    """``--notebooks``: comma-separated numbers (``1`` or ``01``) of notebooks in
    ``notebooks/``, or ``none``; :class:`argparse.ArgumentTypeError` listing the available
    notebooks otherwise."""
    available = {nb.name[:2]: nb.stem
                 for nb in sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))}
    if text.strip().lower() == "none":
        return []
    numbers = []
    for item in text.split(","):
        item = item.strip()
        number = f"{int(item):02d}" if item.isdigit() else item
        if number not in available:
            listing = ", ".join(f"{n} ({stem})" for n, stem in available.items())
            raise argparse.ArgumentTypeError(
                f"no notebook {item!r}; expected comma-separated numbers of notebooks among "
                f"{listing}, or none")
        numbers.append(number)
    return numbers


def main(argv: list[str] | None = None) -> int:
    """``python -m utils.analyze``: returns 0, 1 when the run had failures, 2 for a bad option,
    a corpus that cannot be loaded or a per-article cache that cannot be used
    (:class:`utils.pipeline.CacheError`, a :class:`~utils.corpus.CorpusError`); nothing is
    analysed then."""
    parser = argparse.ArgumentParser(prog="python -m utils.analyze", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default="nyt-editorials")
    parser.add_argument("--out", type=Path, default=None, help="report folder")
    parser.add_argument("--group-by", default=None,
                        help="grouping column for comparisons (a column of the corpus, or month)")
    parser.add_argument("--notebooks", type=notebook_numbers, default=None,
                        help="comma-separated notebook numbers to run, or none (default: all)")
    add_run_arguments(parser)
    parser.add_argument("--no-cache", action="store_true", help="ignore the per-article cache")
    try:
        args = parse_run_arguments(parser, argv)
    except SystemExit as stop:  # argparse printed the message (status 2) or the help (0)
        return int(stop.code or 0)
    failures: list[str] = []
    try:
        run_analysis(args.corpus, args.out, args.columns, args.group_by, args.notebooks,
                     jobs=args.jobs, cache=not args.no_cache, label_names=args.label_names,
                     engine=args.engine, scheduler=args.scheduler, failures=failures,
                     load_options=reading_options(args))
    except (CorpusError, ConnectionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
