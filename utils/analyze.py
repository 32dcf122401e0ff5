"""The main job: analyse a corpus once, then every notebook and the report read the results.

Usage::

    python -m utils.analyze CORPUS [--group-by COLUMN [--group-split SEP]] [--columns JSON]
                                    [--label-names JSON] [--out DIR] [--jobs N]
                                    [--notebooks 01,02] [--no-cache]
                                    [--engine local|processes|dask] [--scheduler ADDRESS]

(or ``news-analyze CORPUS ...``, the same command installed with the package).

``CORPUS`` is a built-in name (``fa-kes``, the default; ``nyt-editorials``, ``seed``), a folder
of ``.txt`` articles or a table. Steps, each timed (``phases:`` is printed at the end):

1. *analysis*: load the corpus (a corpus that cannot be loaded stops the run with the loader's
   message, before any work) and run the per-article analysis (:mod:`utils.pipeline`: counts,
   bigrams, sentence sentiment, tone terms, attributions), re-using the per-article cache, into
   the results store ``OUT/results/`` (:mod:`utils.results`). ``--engine`` chooses where
   (:mod:`utils.scale`): ``local`` (this process, the default), ``processes`` (``--jobs``
   processes) or ``dask`` (the scheduler at ``--scheduler``, e.g. ``tcp://10.0.0.5:8786``, or
   a ``LocalCluster`` of ``--jobs`` workers). With ``dask``, or a corpus file larger than an
   eighth of the free memory, the corpus is read and analysed partition by partition
   (:func:`utils.scale.analyse_partitioned`), so nothing holds the whole corpus;
2. *notebooks*: execute every notebook of ``notebooks/`` with papermill on the store
   (``RESULTS``, ``CORPUS``, ``GROUP_BY``, ``GROUP_SPLIT`` ... injected as parameters), two at a
   time when ``--jobs`` allows; the notebooks read the store's tables through reductions
   (:mod:`utils.tables`), so they hold no more than their results in memory, at any corpus size.
   Their kernels are started, and the modules the notebooks import loaded, while phase 1
   reads the corpus (:class:`utils.kernels.KernelPool`, :data:`KERNELS_AHEAD`), so a notebook
   starts on a ready kernel;
3. *report*: render each executed notebook to HTML, copy its figures to ``figures/``, export
   the per-article table and the failures as CSV to ``data/``, and write ``index.html``: a
   section per analysis (corpus, words, tone, sources, groups) with its headline numbers, a
   small table and key figures with captions, computed from the store by the same reductions
   as the notebooks (:mod:`utils.report`), links to the notebooks and the data, and every
   failure with its id.

``--group-by`` names the column groups are compared by (a corpus column such as ``label`` or
``source``, or ``month``); articles with no value are left out and counted; ``--group-split``
splits a multi-valued column (Reuters ``topics``: ``earn;acq``) so an article counts in each of
its groups.

The report folder defaults to ``reports/<corpus-name>/`` (git-ignored). The committed notebooks
are never modified.

Every option is checked before any work: ``--columns`` and ``--label-names`` must be JSON
objects (core column -> corpus column, label value -> name), ``--jobs`` a whole number of 1 or
more, ``--notebooks`` numbers of notebooks in ``notebooks/`` (or ``none``), ``--out`` a folder
this process can create and write in (checked before the corpus is loaded), ``--group-split``
needs ``--group-by``, and ``--group-by`` must be a column of the loaded corpus or ``month``
(checked before the analysis). A bad option exits with status 2 and a message saying what is
expected; a run with failures (an article step, a notebook or a report section) writes
everything it can, lists the failures on stderr and exits with status 1.
"""

from __future__ import annotations

import argparse
import os
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

#: Notebook kernels the main job starts while it analyses the corpus (``NEWS_KERNELS_AHEAD``
#: overrides it; 0 starts each kernel when its notebook runs).
KERNELS_AHEAD = 5


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


class HtmlRenderers:
    """HTML exporters kept for re-use: an exporter compiles its Jinja templates on its first
    notebook (about 0.4 s, and importing nbconvert takes seconds more), so each thread that
    renders borrows one that has done so (:meth:`warm_up` prepares them ahead). An exporter
    is used by one thread at a time: it registers per-notebook filters on itself."""

    def __init__(self):
        import queue

        self._idle: queue.SimpleQueue = queue.SimpleQueue()

    @staticmethod
    def _new():
        from nbconvert import HTMLExporter

        return HTMLExporter()

    def warm_up(self, count: int = 2) -> None:
        """Create ``count`` exporters and compile their templates on an empty notebook."""
        import nbformat

        for _ in range(count):
            exporter = self._new()
            exporter.from_notebook_node(nbformat.v4.new_notebook())
            self._idle.put(exporter)

    def render(self, executed: Path) -> Path:
        """Write an HTML rendering of an executed notebook next to it."""
        import queue

        import nbformat

        notebook = nbformat.read(executed, as_version=4)
        try:
            exporter = self._idle.get_nowait()
        except queue.Empty:
            exporter = self._new()
        try:
            body, _ = exporter.from_notebook_node(notebook)
        finally:
            self._idle.put(exporter)
        target = executed.with_suffix(".html")
        target.write_text(body, encoding="utf-8")
        return target


#: The exporters of :func:`render_html`.
RENDERERS = HtmlRenderers()


def render_html(executed: Path) -> Path:
    """Write an HTML rendering of an executed notebook next to it (:data:`RENDERERS`)."""
    return RENDERERS.render(executed)


def _execute_notebook(notebook: Path, executed: Path, parameters: dict,
                      figures_dir: Path, kernels=None) -> tuple[str | None,
                                                            tuple[str, str] | None, list]:
    """Execute one notebook with papermill (on a kernel of ``kernels``, a
    :class:`utils.kernels.KernelPool`, when one is ready), then render it to HTML and copy its
    figures; returns ``(failure or None, (title, html file) or None, figures)``."""
    import papermill

    from utils.kernels import papermill_kernel_options
    from utils.report import extract_figures

    failure = None
    # encrypted kernel transport (no TCP warning), a kernel started ahead when there is one
    options = (kernels.options(notebook.name) if kernels is not None
               else papermill_kernel_options())
    try:
        # written once, when it has run (or failed), not again after every cell
        papermill.execute_notebook(
            str(notebook), str(executed), parameters=parameters, kernel_name="python3",
            cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, **options)
    except Exception as error:  # papermill raises PapermillExecutionError and friends
        failure = f"{notebook.name}: {type(error).__name__}: {str(error)[:500]}"
    if not executed.exists():
        return failure, None, []
    page = (executed.stem, render_html(executed).name)
    return failure, page, extract_figures(executed, figures_dir)


def start_notebooks(pool, candidates: list[Path], out_dir: Path, values: dict,
                    kernels=None) -> list:
    """Submit ``candidates`` to ``pool`` (a thread pool: each notebook runs in its own kernel
    process, from ``kernels`` when one is ready), each with the parameters it declares among
    ``values``, the longest-running first (:data:`HEAVIEST_FIRST`); returns the futures of
    :func:`_execute_notebook`, in notebook order."""
    futures = {}
    for notebook in candidates:
        print(f"running {notebook.name}", flush=True)
    for notebook in sorted(candidates, key=_heaviest_first):
        declared = notebook_parameters(notebook)
        parameters = {k: v for k, v in values.items() if k in declared and v is not None}
        futures[notebook] = pool.submit(_execute_notebook, notebook, out_dir / notebook.name,
                                        parameters, out_dir / "figures", kernels)
    return [futures[notebook] for notebook in candidates]


#: The collection's notebooks, the longest-running first (measured on Reuters-21578 with two
#: kernels at a time): started in this order, the last to finish ends about 1.3 s sooner than
#: in numeric order. A notebook not listed starts after these.
HEAVIEST_FIRST = ("02", "03", "05", "01", "04")


def _heaviest_first(notebook: Path) -> tuple[int, str]:
    number = notebook.name[:2]
    rank = HEAVIEST_FIRST.index(number) if number in HEAVIEST_FIRST else len(HEAVIEST_FIRST)
    return rank, notebook.name


def out_of_core(corpus: str, engine: str | None) -> bool:
    """Whether the main job analyses ``corpus`` partition by partition: with the Dask engine,
    or when the corpus is a file larger than an eighth of the memory available now (its
    loaded frame and results would take several times its size)."""
    if engine == "dask":
        return True
    from utils.corpus import BUILTIN_CORPORA

    if corpus in BUILTIN_CORPORA:
        return False
    path = paths.resolve_user_path(corpus)
    if not path.is_file():
        return False
    import psutil

    return path.stat().st_size > psutil.virtual_memory().available / 8


def _store_failures(store, limit: int = 50) -> list[str]:
    """The failed article steps of a store as lines (the first ``limit``, then a count)."""
    total = int(store.sql("SELECT count(*) AS n FROM failures")["n"].iloc[0])
    rows = store.sql(f"SELECT doc_id, step, error FROM failures LIMIT {int(limit)}")
    lines = [f"article {row.doc_id}, step {row.step}: {row.error}"
             for row in rows.itertuples(index=False)]
    if total > limit:
        lines.append(f"... and {total - limit:,} more failed article steps (see "
                     "results/failures/ or failures.csv)")
    return lines


def write_results_store(corpus: str, store_dir: Path, *, columns=None, label_names=None,
                        load_options=None, group_by=None, jobs=1, cache=True, engine=None,
                        scheduler=None):
    """Step 1 and 2 of the main job: load the corpus and write its results store in
    ``store_dir`` (in memory, or partition by partition: :func:`out_of_core`); returns the
    store. The corpus is checked (and ``group_by`` against its columns) before any work."""
    from utils.results.build import write_store

    load_options = dict(load_options or {})
    if out_of_core(corpus, engine):
        from utils.scale import analyse_partitioned

        options = dict(columns=columns, label_names=label_names, load_options=load_options,
                       engine=engine_for(engine, scheduler) or "dask", jobs=jobs,
                       scheduler=scheduler)
        try:
            run = analyse_partitioned(corpus, store_dir, **options)
        except CorpusError as error:
            if "holds a run of" not in str(error):
                raise
            run = analyse_partitioned(corpus, store_dir, overwrite=True, **options)
        print(run.report, flush=True)
        from utils.results import group_columns

        if group_by and group_by not in group_columns(run):
            raise CorpusError(f"--group-by {group_by!r}: no such column; expected one of "
                              f"{', '.join(group_columns(run))}.")
        print(f"analysed {run.stats['articles']:,} articles in {run.stats['partitions']} "
              f"partitions ({run.stats['skipped']} reused)", flush=True)
        return run
    frame = load_corpus(corpus, columns=columns, label_names=label_names, **load_options)
    print(load_report(frame), flush=True)
    if group_by:
        check_group_by(frame, group_by)
    store, results = write_store(frame, store_dir, source=corpus,
                                 options={"columns": columns, "label_names": label_names,
                                          "load_options": load_options},
                                 jobs=jobs, cache=cache, engine=engine_for(engine, scheduler),
                                 scheduler=scheduler, progress=None)
    print(f"analysed {results.stats['analysed']:,} articles, "
          f"{results.stats['from_cache']:,} from the cache", flush=True)
    return store


def run_analysis(corpus: str, out_dir: Path | None = None, columns: dict | None = None,
                 group_by: str | None = None, notebooks: list[str] | None = None,
                 jobs: int | None = 1, cache: bool = True, label_names: dict | None = None,
                 engine: str | None = None, scheduler: str | None = None,
                 failures: list[str] | None = None, load_options: dict | None = None,
                 group_split: str | None = None, timings: dict | None = None) -> Path:
    """Run the whole analysis on ``corpus``; returns the report folder.

    ``notebooks``: the numbers of the notebooks to run (``None``: all, ``[]``: none).
    ``failures``: a list to which every failure (an article step or a notebook) is appended.
    ``load_options``: further options of :func:`utils.corpus.load_corpus` (``sep``,
    ``encoding``, ``format``, ``orient``, ``dayfirst``, ``recursive``).
    ``group_split``: a separator splitting a multi-valued ``group_by`` column (``";"``).
    ``timings``: a dict that receives the seconds of each phase (``analysis``, ``notebooks``,
    ``report``).
    Raises :class:`utils.corpus.CorpusError` before any work when the report folder cannot be
    written, the corpus cannot be loaded or ``group_by`` names no column of it.
    """
    import time

    clock = time.perf_counter()
    timings = timings if timings is not None else {}
    failures = failures if failures is not None else []
    name = corpus_name(corpus)
    out_dir = Path(out_dir) if out_dir else paths.REPORTS_DIR / name
    check_writable_folder(out_dir, "--out")
    candidates = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    if notebooks is not None:
        candidates = [nb for nb in candidates if nb.name[:2] in set(notebooks)]
    kernels = start_kernels(candidates)
    try:
        return _run_phases(corpus, name, out_dir, candidates, kernels, clock, timings,
                           failures, columns=columns, group_by=group_by, jobs=jobs,
                           cache=cache, label_names=label_names, engine=engine,
                           scheduler=scheduler, load_options=load_options,
                           group_split=group_split)
    finally:
        if kernels is not None:
            kernels.close()


def start_kernels(candidates: list[Path]):
    """A :class:`utils.kernels.KernelPool` of one kernel per notebook to run (at most
    :data:`KERNELS_AHEAD`, in the order they will start: :data:`HEAVIEST_FIRST`), each
    importing the modules its notebook imports, started now so that they are ready when the
    analysis is done; ``None`` when no notebook runs or ``NEWS_KERNELS_AHEAD=0``."""
    from utils.kernels import LIBRARIES_AHEAD, KernelPool, notebook_modules

    size = min(len(candidates), int(os.environ.get("NEWS_KERNELS_AHEAD", KERNELS_AHEAD)))
    if size <= 0:
        return None
    plans = {notebook.name: sorted({*notebook_modules([notebook]), *LIBRARIES_AHEAD})
             for notebook in sorted(candidates, key=_heaviest_first)}
    # the HTML exporters too, in the same spare time (a thread: nbconvert releases no GIL,
    # but the analysis runs in worker processes or waits on reading the corpus)
    return KernelPool(size, paths.NOTEBOOKS_DIR, plans, also=RENDERERS.warm_up)


def _run_phases(corpus, name, out_dir, candidates, kernels, clock, timings, failures, *,
                columns, group_by, jobs, cache, label_names, engine, scheduler, load_options,
                group_split) -> Path:
    import time

    from utils.report import export_tables, report_sections, write_index
    from utils.results import group_articles

    store = write_results_store(corpus, out_dir / "results", columns=columns,
                                label_names=label_names, load_options=load_options,
                                group_by=group_by, jobs=jobs, cache=cache, engine=engine,
                                scheduler=scheduler)
    failures += _store_failures(store)
    grouping = group_articles(store, group_by, group_split) if group_by else None
    analysed = time.perf_counter()
    timings["analysis"] = round(analysed - clock, 3)
    values = {"CORPUS": _corpus_argument(corpus), "RESULTS": str(store.folder.resolve()),
              "COLUMNS": columns, "GROUP_BY": group_by, "GROUP_SPLIT": group_split,
              "LABEL_NAMES": label_names, "LOAD_OPTIONS": load_options or None}
    from concurrent.futures import ThreadPoolExecutor

    from utils.report import SECTIONS

    with ThreadPoolExecutor(max_workers=min(2, max(1, jobs or 1))) as pool:
        futures = start_notebooks(pool, candidates, out_dir, values, kernels)
        # while the kernels run: the report's numbers, from the same store
        sections = report_sections(store, grouping, failures)
        data_files = [p.relative_to(out_dir).as_posix()
                      for p in export_tables(store, out_dir / "data")]
        summarised = time.perf_counter()
        outcomes = [future.result() for future in futures]
    ran = time.perf_counter()
    timings["report numbers"] = round(summarised - analysed, 3)
    timings["notebooks"] = round(ran - analysed, 3)
    failures += [failure for failure, _, _ in outcomes if failure]
    pages = [page for _, page, _ in outcomes if page]
    figures = {page[0][:2]: found for _, page, found in outcomes if page}
    for section, (_, _, number) in zip(sections, SECTIONS, strict=True):
        section.figures = figures.get(number, [])
        section.notebook = next((p for p in pages if p[0].startswith(number)), None)
    data_files.insert(0, "results/manifest.json")
    write_index(out_dir, name, sections, str(store.report), pages, failures, data_files)
    store.close()
    timings["report"] = round(time.perf_counter() - ran, 3)
    print(f"report written to {out_dir}")
    print("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()), flush=True)
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
    from utils.kernels import skip_iri_format_checker

    skip_iri_format_checker()  # this process's notebooks need no IRI checks (1.1 s of CPU)
    prog = "news-analyze" if Path(sys.argv[0]).stem == "news-analyze" else "python -m utils.analyze"
    parser = argparse.ArgumentParser(prog=prog, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default="fa-kes")
    parser.add_argument("--out", type=Path, default=None, help="report folder")
    parser.add_argument("--group-by", default=None,
                        help="grouping column for comparisons (a column of the corpus, or month)")
    parser.add_argument("--group-split", default=None, metavar="SEPARATOR",
                        help="split a multi-valued --group-by column on SEPARATOR (e.g. ';' "
                             "for Reuters topics such as earn;acq): an article counts in each "
                             "of its groups")
    parser.add_argument("--notebooks", type=notebook_numbers, default=None,
                        help="comma-separated notebook numbers to run, or none (default: all)")
    add_run_arguments(parser)
    parser.add_argument("--no-cache", action="store_true", help="ignore the per-article cache")
    try:
        args = parse_run_arguments(parser, argv)
        if args.group_split is not None and not args.group_by:
            parser.error("--group-split needs --group-by (the column to split)")
        if args.group_split is not None and not args.group_split.strip():
            parser.error("--group-split: expected a separator such as ';', not blank text")
    except SystemExit as stop:  # argparse printed the message (status 2) or the help (0)
        return int(stop.code or 0)
    failures: list[str] = []
    try:
        run_analysis(args.corpus, args.out, args.columns, args.group_by, args.notebooks,
                     jobs=args.jobs, cache=not args.no_cache, label_names=args.label_names,
                     engine=args.engine, scheduler=args.scheduler, failures=failures,
                     load_options=reading_options(args), group_split=args.group_split)
    except (CorpusError, ConnectionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
