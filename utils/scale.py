"""Scale the per-article pipeline: engines (this process, all cores, a Dask cluster) and
out-of-core partitioned runs for corpora larger than memory.

Engines (:data:`ENGINES`), used by :func:`utils.pipeline.analyse_corpus` (``engine=``,
``scheduler=``), by :func:`analyse_partitioned` and by the main job
(``python -m utils.analyze CORPUS --engine dask --scheduler tcp://host:8786``):

- ``"local"``: in this process (the default);
- ``"processes"``: a :class:`concurrent.futures.ProcessPoolExecutor` with ``jobs`` processes
  (default: every core this process may use);
- ``"dask"``: :mod:`dask.distributed`. ``scheduler`` is the address of a running scheduler
  (``"tcp://10.0.0.5:8786"``), a cluster object (e.g. a ``LocalCluster``) or a ``Client``;
  without one, a ``LocalCluster`` of ``jobs`` single-threaded worker processes is started for
  the run and closed afterwards. The workers must have this project installed (same
  ``pyproject.toml``) and, for :func:`analyse_partitioned`, read and write the output folder
  (a shared filesystem).

:func:`map_batches` is the one place that hands work to an engine. It keeps a bounded number
of tasks in flight (so the input is not all shipped at once) and yields the results in input
order, which is why every engine gives identical tables. When a Dask worker dies mid-task, the
scheduler re-runs the task on another worker (up to ``distributed.scheduler.allowed-failures``
times, 3 by default): tasks are pure functions of their input, and partition tasks write their
files atomically under fixed names, so a retry neither loses nor duplicates an article.

Out-of-core runs (:func:`analyse_partitioned`) write one folder::

    OUT/manifest.json                 source, options, partitions, load report (written last)
    OUT/tidy/chunk-00000.parquet      a repaired chunk, while partitioning (renamed or removed)
    OUT/corpus/part-00000.parquet     the loaded articles of partition 0 (load_corpus columns)
    OUT/articles/part-00000.parquet   per-article tables of utils.pipeline, one file per
    OUT/sentences/...                 partition and table, each written to a temporary file
    OUT/attributions/...              and renamed into place
    OUT/terms/...
    OUT/failures/...
    OUT/_done/part-00000.json         marker written after the five tables (pipeline version)
    OUT/speakers.parquet              canonical speaker names across all partitions

1. *Partitioning* (streaming; the repairs on the engine's workers): this process first
   surveys a table file (:func:`survey_table`: only its id and date columns, or every line of
   JSON Lines) to decide what the loader decides over whole columns: whether the ids are
   unique anywhere in the table (else every ``doc_id`` is the row number, as in
   ``load_corpus``), the day/month order of the dates, and for JSON Lines the columns and their
   types. It then reads the corpus ``partition_size`` rows at a time
   (``pandas.read_csv(chunksize=)``, Parquet record batches, chunked JSON Lines) and hands each
   raw chunk with those decisions to a worker (:func:`tidy_chunk`), which gives it the loader's
   treatment (:func:`utils.corpus.tidy_table`: column recognition, ftfy repair, trailing
   boilerplate; then dates, labels, empty-text and duplicate dropping with the same report
   reasons as :func:`utils.corpus.load_corpus`) and writes it as Parquet. The repairs, mostly
   ftfy, were nine tenths of the partitioning time when this process did them: on a cluster a
   single driver repairing every text would cap the whole run. Duplicates *across* chunks are
   then dropped here, in input order (the first occurrence is kept, as in ``load_corpus``),
   from what the worker returns: a 64-bit hash of every kept text (8 bytes per article in
   numpy arrays, :class:`HashStore`), never the texts; the worker's file becomes the partition
   as it is unless an article must go. The warnings decided over whole columns (label values
   differing in case, languages) are counted here once, from the workers' evidence
   (:class:`ColumnWarnings`), so the report is ``load_corpus``'s. Folders of ``.txt`` articles,
   JSON documents and built-in corpora are loaded whole with ``load_corpus`` and then split.
2. *Per-article work*: one task per partition (:func:`analyse_partition`) reads its corpus file,
   runs :func:`utils.pipeline.analyse_corpus` on it and writes the five tables, so a worker
   holds one partition at a time, and hands the freed memory back to the system afterwards
   (:func:`release_memory`); the pipeline's memo caches are bounded, so a worker's memory does
   not grow with the corpus. A partition whose ``_done`` marker names the current pipeline
   version is skipped: an interrupted run resumes where it stopped, and a code change re-runs
   everything. The SQLite per-article cache is not used here (it is one file for one writer);
   the partition files are the cache.
3. *Corpus-level tables* are reductions over the partitions with :mod:`dask.dataframe`
   (:meth:`PartitionedRun.term_totals`, :meth:`PartitionedRun.group_statistics`), so memory
   grows with the vocabulary and the number of groups, not with the number of articles (the
   term reduction's peak on a worker still grew 1.2x from 20 to 200 partitions of the same
   vocabulary, merging more partial tables; see the README's measurements).
   Speaker names are canonicalised across the corpus the same way (:func:`speaker_map`: the
   partitions keep each attribution's own name, ``OUT/speakers.parquet`` maps it, and
   :meth:`PartitionedRun.read` / :meth:`PartitionedRun.dask` apply the mapping).

Concatenating the partition tables in partition order gives exactly the tables that
``analyse_corpus(load_corpus(source))`` returns (the tests check it).

From the command line: ``python -m utils.scale SOURCE OUT [--engine ...] [--scheduler ADDRESS]
[--partition-size N] [--group-by COLUMN]`` (:func:`main`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import sys
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from utils import corpus as corpus_module
from utils.corpus import CorpusError, LoadReport
from utils.results.store import TABLES, ResultsStore, is_done
from utils.results.writer import (
    DEFAULT_PARTITION_SIZE,
    finish_store,
    write_json_atomic,
    write_parquet_atomic,
    write_partition,
)

ENGINES = ("local", "processes", "dask")
#: Tasks in flight per worker in :func:`map_batches` (bounds what is shipped at once).
IN_FLIGHT_PER_WORKER = 2


# ---------------------------------------------------------------------------------------------
# engines


def available_cores() -> int:
    """Cores this process may run on (``os.sched_getaffinity`` where it exists)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def resolve_engine(engine: str | None, jobs: int | None) -> tuple[str, int]:
    """``(engine, workers)`` for an ``engine``/``jobs`` pair.

    ``engine=None`` keeps the historical meaning of ``jobs``: ``"local"`` for ``jobs`` of
    ``None``/1, ``"processes"`` above. ``jobs=None`` means 1 for ``"local"`` and every available
    core for ``"processes"`` and ``"dask"``.
    """
    if engine is None:
        engine = "processes" if jobs is not None and jobs > 1 else "local"
    if engine not in ENGINES:
        raise ValueError(f"Unknown engine {engine!r}; use one of {', '.join(ENGINES)}.")
    if jobs is not None and (not isinstance(jobs, int) or jobs < 1):
        raise ValueError(f"jobs must be a positive whole number, not {jobs!r}.")
    if engine == "local":
        return engine, 1
    return engine, jobs or available_cores()


@contextlib.contextmanager
def dask_client(scheduler=None, *, jobs: int | None = None, timeout: str = "30s") -> Iterator:
    """A :class:`distributed.Client` for ``scheduler`` (see the module docstring).

    A client or cluster passed in is left open; a client or ``LocalCluster`` made here is
    closed on exit. ``jobs`` is the number of worker processes of a ``LocalCluster`` started
    here (default: every available core); ``timeout`` bounds the wait for a scheduler.
    """
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is None:
        import dask

        # The workers' statistical profiler samples every task's stack every 10 ms: about a
        # tenth of a worker's CPU on this pipeline's many short Python calls, for a dashboard
        # nobody watches here (turn it off the same way for `dask worker` on a cluster).
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(
                n_workers=jobs or available_cores(), threads_per_worker=1, processes=True,
                dashboard_address=":0", silence_logs=logging.ERROR,
            )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    if isinstance(scheduler, str) or hasattr(scheduler, "scheduler_address"):
        try:
            client = Client(scheduler, timeout=timeout)
        except OSError as error:
            raise ConnectionError(
                f"Could not connect to the Dask scheduler at {scheduler!r}: {error}. Start one "
                "with `dask scheduler` (and `dask worker ADDRESS` on every machine) or omit the "
                "scheduler to start a LocalCluster."
            ) from error
        with client:
            yield client
        return
    raise TypeError(
        f"scheduler must be an address like 'tcp://host:8786', a cluster or a Client, not "
        f"{type(scheduler).__name__}."
    )


def prepare_workers(client, prepare: Callable) -> None:
    """Run ``prepare`` once on every worker of a Dask ``client`` (workers that join later
    prepare on their first task instead). A worker that cannot run it, typically because this
    project is not installed there, gives a clear error instead of failing task by task."""
    try:
        client.run(prepare)
    except (ImportError, AttributeError) as error:
        raise RuntimeError(
            f"The Dask workers could not load this project's pipeline ({type(error).__name__}: "
            f"{error}). Install the project on every worker machine, in the same environment "
            "as here (`make install`, or `pip install -e .` then `python -m utils.resources`)."
        ) from error


def map_batches(
    function: Callable, items: Iterable, *, engine: str | None = "local",
    jobs: int | None = None, scheduler=None, prepare: Callable | None = None,
) -> Iterator:
    """Yield ``function(item)`` for every item, in input order, computed by ``engine``.

    ``function`` must be picklable (a module-level function or a ``functools.partial`` of one)
    for the ``"processes"`` and ``"dask"`` engines. ``IN_FLIGHT_PER_WORKER`` tasks per worker
    are kept running (queued on the workers), so a slow batch does not leave workers idle;
    results are still yielded in input order. An exception raised by ``function``
    is re-raised here. ``prepare`` (picklable, no arguments) is run once in every worker
    process before its first task (e.g. :func:`utils.pipeline.prepare_process`); on Dask it
    also checks that the workers can import this project.
    """
    engine, workers = resolve_engine(engine, jobs)
    if scheduler is not None and engine != "dask":
        raise ValueError(f"scheduler= is for engine='dask', not {engine!r}.")
    if engine == "local":
        for item in items:
            yield function(item)
        return
    window = max(2, IN_FLIGHT_PER_WORKER * workers)
    if engine == "processes":
        with ProcessPoolExecutor(max_workers=workers, initializer=prepare) as pool:
            yield from _ordered(lambda item: pool.submit(function, item), items, window,
                                partial(futures_wait, return_when=FIRST_COMPLETED))
        return
    import distributed

    with dask_client(scheduler, jobs=workers) as client:
        if prepare is not None:
            prepare_workers(client, prepare)
        n = len(client.nthreads()) or workers
        run = uuid.uuid4().hex[:8]
        counter = iter(range(1 << 62))
        name = getattr(function, "__name__", None) or getattr(
            getattr(function, "func", None), "__name__", "task")

        def submit(item):
            # pure=False: no hashing of the batch; a fixed key per task so retries are the
            # same task. The batch travels with the task (not scattered), so the scheduler can
            # re-run it elsewhere when its worker dies.
            return client.submit(function, item, pure=False, key=f"{name}-{run}-{next(counter)}")

        yield from _ordered(submit, items, max(2, IN_FLIGHT_PER_WORKER * n),
                            partial(distributed.wait, return_when="FIRST_COMPLETED"))


def _ordered(submit: Callable, items: Iterable, window: int, wait_first: Callable) -> Iterator:
    """Submit items keeping ``window`` tasks running, yield results in input order.

    Tasks that finish ahead of a slower earlier one wait in the queue (at most ``4 * window``
    of them) while new tasks start, so one slow batch does not leave workers idle.
    """
    pending: deque = deque()
    iterator = iter(items)
    exhausted = False
    try:
        while True:
            running = sum(not future.done() for future in pending)
            while not exhausted and running < window and len(pending) < 4 * window:
                try:
                    item = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                pending.append(submit(item))
                running += 1
            while pending and pending[0].done():
                yield pending.popleft().result()
            if not pending and exhausted:
                return
            unfinished = [future for future in pending if not future.done()]
            if unfinished:
                wait_first(unfinished)
    finally:
        for future in pending:
            future.cancel()


# ---------------------------------------------------------------------------------------------
# partitioning (streaming, in this process)


def _hash64(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def iter_table_chunks(path: Path, size: int, report: LoadReport | None = None,
                      fmt: str | None = None, sep: str | None = None,
                      encoding: str | None = None,
                      columns: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """Raw chunks of ``size`` rows of a table file (CSV/TSV, JSON Lines or Parquet), read as
    :func:`utils.corpus.load_corpus` reads the whole file (the same encoding and separator
    choices, :func:`utils.corpus.tables.csv_read_options`, counted into ``report``; an index
    stored in a Parquet file restored as columns). ``columns``: read only these columns of a
    CSV/TSV or Parquet file (the others are not converted); JSON Lines chunks hold every field
    of their lines."""
    from utils.corpus import tables

    fmt = fmt or corpus_module.source_format(path)
    label = path.name
    report = report if report is not None else LoadReport(label, fmt)
    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            tables.check_parquet(path, label)

            # pre_buffer=False: with pre-buffering the reader keeps every chunk it has read
            # until the end of the file (apache/arrow#39808), so memory grew with the corpus.
            reader = pq.ParquetFile(path, pre_buffer=False)
            named_range = _named_range_index(reader.schema_arrow)
            physical = None
            if columns is not None:  # and a stored index, which may hold one of them
                stored = reader.schema_arrow.names
                index = (reader.schema_arrow.pandas_metadata or {}).get("index_columns", [])
                physical = [c for c in columns if c in stored] + [
                    c for c in index if isinstance(c, str) and c not in columns]
            start = 0
            for batch in reader.iter_batches(batch_size=size, columns=physical):
                frame = tables.restore_index(_batch_frame(batch))
                if named_range and named_range[0] not in frame \
                        and (columns is None or named_range[0] in columns):
                    # kept as metadata only: pyarrow restores it when a batch is the whole file
                    name, first, step = named_range
                    frame.insert(0, name, range(first + step * start,
                                                first + step * (start + len(frame)), step))
                start += len(frame)
                yield frame
        elif fmt == "jsonl":
            yield from tables.iter_json_lines_chunks(path, size, report)
        else:
            options = tables.csv_read_options(path, fmt, report, sep, encoding)
            if columns is not None:  # by position: pandas names repeated headers name.1 ...
                header = pd.read_csv(path, nrows=0, **options).columns
                options["usecols"] = [i for i, name in enumerate(header) if name in columns]
            with pd.read_csv(path, chunksize=size, **options) as reader:
                for chunk in reader:
                    tables.check_no_implicit_index(chunk, label, options["sep"])
                    yield chunk
    except CorpusError:
        raise
    except Exception as error:  # pandas/pyarrow raise many types; name the file and the cause
        raise CorpusError(f"Could not read {label!r} as {fmt}: {error}") from error


def _batch_frame(batch) -> pd.DataFrame:
    """A Parquet record batch as a frame; dates outside what pandas holds as objects (as
    :func:`utils.corpus.tables.read_parquet_table` reads the whole file)."""
    try:
        return batch.to_pandas()
    except (ValueError, OverflowError, OSError):
        return batch.to_pandas(date_as_object=True, timestamp_as_object=True)


def _named_range_index(schema) -> tuple[str, int, int] | None:
    """``(name, start, step)`` of a named row-number index pandas stored in a Parquet file's
    metadata only (the whole file reads it back as a column, a record batch does not)."""
    index = (schema.pandas_metadata or {}).get("index_columns", [])
    if len(index) == 1 and isinstance(index[0], dict) and index[0].get("kind") == "range" \
            and index[0].get("name") is not None:
        return str(index[0]["name"]), int(index[0]["start"]), int(index[0]["step"])
    return None


@dataclass
class RawChunk:
    """One chunk of the input on its way to a worker: ``frame`` as read (``finished=False``,
    tidied by :func:`tidy_chunk`) or already loaded whole by ``load_corpus`` (``finished``)."""

    index: int
    frame: pd.DataFrame
    first_row: int
    finished: bool
    source: str
    format: str


#: Formats streamed in chunks; the others (built-in corpora, ``.txt`` articles and folders,
#: JSON documents) are loaded whole by ``load_corpus``.
STREAMED_FORMATS = ("csv", "tsv", "jsonl", "parquet")


def _raw_chunks(source, size: int, columns, fix_text, boilerplate, label_names,
                report: LoadReport, load_options: dict | None = None) -> Iterator[RawChunk]:
    """Chunks of ``size`` rows of ``source`` as read, for :func:`tidy_chunk`. Table files of
    :data:`STREAMED_FORMATS` are streamed (nothing is repaired here); other sources are
    loaded whole by ``load_corpus`` and their report merged into ``report`` at once.
    ``load_options``: the other options of ``load_corpus`` (``sep``, ``encoding``,
    ``format``, ``dayfirst``, ``recursive``, ``orient``)."""
    name = str(source)
    load_options = dict(load_options or {})
    if not _is_streamed(source, load_options.get("format")):
        frame = corpus_module.load_corpus(source, columns=columns, fix_text=fix_text,
                                          drop_duplicates=True, boilerplate=boilerplate,
                                          label_names=label_names, **load_options)
        whole = corpus_module.load_report(frame)
        report.format, report.read = whole.format, whole.read
        report.merge(whole)
        for index, start in enumerate(range(0, len(frame), size)):
            yield RawChunk(index, frame.iloc[start : start + size], start, True, name,
                           report.format)
        return
    from utils import paths

    path = paths.resolve_user_path(source)
    if not path.exists():
        raise CorpusError(f"No corpus at {name!r}: not a file, not a folder, and not a "
                          f"built-in corpus ({', '.join(sorted(corpus_module.BUILTIN_CORPORA))}).")
    report.format = corpus_module.source_format(path, load_options.get("format"))
    first_row = 0
    for index, raw in enumerate(iter_table_chunks(
            path, size, report, report.format, load_options.get("sep"),
            load_options.get("encoding"))):
        yield RawChunk(index, raw, first_row, False, name, report.format)
        first_row += len(raw)


@dataclass
class TablePlan:
    """What :func:`survey_table` settles over a whole table before its chunks are tidied, so
    that every chunk is read as :func:`utils.corpus.load_corpus` reads it in the whole table.

    ``columns``: for JSON Lines, every field of the whole file in order of first appearance
    (a chunk lacks the fields its lines do not have; ``None``: every chunk has every column).
    ``dtypes``: the type pandas gives a column in the whole table where a chunk may get another
    (whole numbers with gaps are decimals, true/false with gaps and mixed values are objects).
    ``mapping``: the recognised columns. ``row_number_ids``: ``doc_id`` is the row number (the
    id column is missing, or an id is missing, blank or repeated anywhere in the table).
    ``date_votes``: the date column's day/month votes (:func:`utils.corpus.dates.day_order_votes`;
    ``None`` when ``dayfirst`` was given).
    """

    columns: list[str] | None = None
    dtypes: dict[str, str] = field(default_factory=dict)
    mapping: dict[str, str] = field(default_factory=dict)
    row_number_ids: bool = True
    date_votes: tuple[int, int] | None = None


def survey_table(path: Path, fmt: str, size: int, explicit: dict[str, str] | None,
                 report: LoadReport, load_options: dict | None = None) -> TablePlan:
    """The first, cheap pass of :func:`partition_corpus` over a table file (in this process,
    with :func:`iter_table_chunks`): only the id and date columns of a CSV/TSV or Parquet file
    are read (and a Parquet text column that is not text by type, whose refused rows do not
    vote); JSON Lines are parsed whole, a chunk at a time. It decides what the loader decides
    over whole columns (:class:`TablePlan`): whether the ids are unique (64-bit hashes in a
    :class:`HashStore`, 8 bytes an article), the day/month order of the dates (votes summed
    over the chunks), and for JSON Lines the columns and their types. Memory holds one chunk
    of those columns and the hashes. Counts into ``report`` what ``load_corpus`` counts once
    for the table and the chunks do not: columns sharing a name in a CSV header, ids that are
    not unique, a date column with dates of both orders."""
    from utils.corpus import dates, tables

    explicit = dict(explicit or {})
    load_options = load_options or {}
    dayfirst = load_options.get("dayfirst")
    scratch = LoadReport(report.source, fmt)  # the reading is counted by the main pass
    read = partial(iter_table_chunks, path, size, scratch, fmt, load_options.get("sep"),
                   load_options.get("encoding"))
    plan = TablePlan()
    if fmt == "jsonl":
        found: dict[str, None] = {}
        kinds: dict[str, dict] = {}
        evidence = _ColumnEvidence(dayfirst)
        for chunk in read():
            for name in chunk.columns:
                if name not in found:
                    found[name] = None
                    kinds[name] = {"none": None} if evidence.rows else {}
            for name in found:
                _value_kinds(chunk[name] if name in chunk else None, kinds[name])
            names = [str(c) for c in chunk.columns]
            evidence.add(chunk, ids=_candidates(names, explicit, "doc_id"),
                         dates=_candidates(names, explicit, "date"),
                         texts=_candidates(names, explicit, "text"))
        plan.columns = list(found)
        plan.dtypes = {name: _whole_dtype(kinds[name]) for name in found}
        plan.mapping = tables.recognise_columns([str(c) for c in found], explicit)
    else:
        if fmt == "parquet":
            found, plan.dtypes, typed_text = _parquet_columns(path)
        else:
            options = tables.csv_read_options(path, fmt, scratch, load_options.get("sep"),
                                              load_options.get("encoding"))
            found, typed_text = _csv_columns(path, fmt, options), set()
            tables._warn_repeated_header(path, options, report)  # as read_table counts it
        plan.mapping = tables.recognise_columns(found, explicit)
        ids = [plan.mapping["doc_id"]] if "doc_id" in plan.mapping else []
        date = [plan.mapping["date"]] if "date" in plan.mapping and dayfirst is None else []
        text = [plan.mapping["text"]] if plan.mapping.get("text") in typed_text and date else []
        evidence = _ColumnEvidence(dayfirst)
        evidence.ids = {name: HashStore() for name in ids}  # an empty table's ids are unique
        if ids or date:
            for chunk in read(columns=ids + date + text):
                evidence.add(chunk, ids=ids, dates=date, texts=text)
    id_column, date_column = plan.mapping.get("doc_id"), plan.mapping.get("date")
    plan.row_number_ids = id_column is None or evidence.ids.get(id_column) is None
    if id_column is not None and plan.row_number_ids:
        report.warn(f"ids in column {id_column!r} not unique; doc_id is the row number")
    if date_column is not None and dayfirst is None:
        plan.date_votes = evidence.date_votes(date_column, plan.mapping.get("text"))
        dates.warn_mixed_order(report, *plan.date_votes)
    return plan


def _candidates(found: list[str], explicit: dict[str, str], core: str) -> list[str]:
    """The columns of ``found`` that may become the ``core`` column (named by ``columns=``,
    or by a recognised name) once the whole table's columns are known."""
    if core in explicit:
        return [explicit[core]] if explicit[core] in found else []
    names = corpus_module.COLUMN_CANDIDATES[core]
    return [name for name in found if name.strip().lower() in names]


def _csv_columns(path: Path, fmt: str, options: dict) -> list[str]:
    """The column names pandas gives a CSV/TSV file's header (``options``: of
    :func:`utils.corpus.tables.csv_read_options`)."""
    try:
        return [str(c) for c in pd.read_csv(path, nrows=0, **options).columns]
    except Exception as error:  # as iter_table_chunks: name the file and the cause
        raise CorpusError(f"Could not read {path.name!r} as {fmt}: {error}") from error


def _parquet_columns(path: Path) -> tuple[list[str], dict[str, str], set[str]]:
    """From a Parquet file's metadata: its columns as the whole file is read (a stored index
    first), the types of the columns whose type in pandas depends on missing values anywhere
    in the file (whole numbers with gaps are decimals, true/false with gaps objects), and the
    columns that are not text by type (their cells may be refused as article text)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from utils.corpus import tables

    tables.check_parquet(path, path.name)
    try:
        reader = pq.ParquetFile(path)
        schema = reader.schema_arrow
        empty = tables.restore_index(schema.empty_table().to_pandas())
    except Exception as error:
        raise CorpusError(f"Could not read {path.name!r} as Parquet: {error}") from error
    named_range = _named_range_index(schema)
    found = ([named_range[0]] if named_range else []) + [str(c) for c in empty.columns]
    metadata = reader.metadata
    leaves = {metadata.schema.column(j).path: j for j in range(metadata.num_columns)}
    dtypes = {}
    for column in schema:
        kind = column.type
        if not (pa.types.is_integer(kind) or pa.types.is_boolean(kind)):
            continue
        nulls = 0
        for group in range(metadata.num_row_groups):
            statistics = metadata.row_group(group).column(leaves[column.name]).statistics
            if statistics is None or not statistics.has_null_count:
                nulls = reader.read(columns=[column.name]).column(0).null_count
                break
            nulls += statistics.null_count
        natural = empty[column.name].dtype if column.name in empty else None
        numpy_type = natural is not None and not isinstance(natural, pd.api.extensions
                                                            .ExtensionDtype)  # not Int64 ...
        if nulls and numpy_type:
            dtypes[column.name] = "float64" if pa.types.is_integer(kind) else "object"
    typed_text = {str(c) for c in empty.columns if not isinstance(empty[c].dtype, pd.StringDtype)}
    return found, dtypes, typed_text


class _ColumnEvidence:
    """What :func:`survey_table` gathers chunk by chunk for candidate id and date columns:
    per id column a :class:`HashStore` of its ids (``None`` once an id is missing, blank or
    repeated), per date column its day/month votes, counted apart for every text column
    whose refused cells (not article text) leave their rows out, as ``load_corpus`` leaves
    them out before reading the dates."""

    def __init__(self, dayfirst: bool | None):
        self.dayfirst = dayfirst
        self.ids: dict[str, HashStore | None] = {}
        self.votes: dict[tuple[str, str | None], list[int]] = {}
        self.texts: set[str] = set()
        self.rows = 0

    def add(self, chunk: pd.DataFrame, ids: list[str], dates: list[str],
            texts: list[str]) -> None:
        from utils.corpus import dates as dates_module
        from utils.corpus import tables

        chunk = chunk.set_axis([str(c) for c in chunk.columns], axis=1)
        for name in ids:
            if name not in self.ids:  # first seen now: earlier rows have no id
                self.ids[name] = HashStore() if not self.rows else None
        for name, store in self.ids.items():
            if store is not None:
                self.ids[name] = _add_ids(store, chunk[name] if name in chunk else None)
        if self.dayfirst is None:
            refused = {}
            for name in texts:
                _, why = tables.coerce_text(chunk[name], chunk[name], LoadReport("", ""),
                                            "text")
                refused[name] = why.notna().to_numpy()
                if name not in self.texts:  # earlier rows had no such text: none refused
                    self.texts.add(name)
                    for (date, text), votes in list(self.votes.items()):
                        if text is None:
                            self.votes[(date, name)] = list(votes)
            for date in dates:
                for text in (None, *self.texts):
                    values = chunk[date]
                    if text in refused:
                        values = values[~refused[text]]
                    votes = self.votes.setdefault((date, text), [0, 0])
                    day, month = dates_module.day_order_votes(values)
                    votes[0] += day
                    votes[1] += month
        self.rows += len(chunk)

    def date_votes(self, date: str, text: str | None) -> tuple[int, int]:
        votes = self.votes.get((date, text if text in self.texts else None), [0, 0])
        return votes[0], votes[1]


def _add_ids(store: HashStore, ids: pd.Series | None) -> HashStore | None:
    """``store`` with the hashes of ``ids`` added, or ``None`` when they make the id column
    not unique (as ``tidy_table`` decides it: an id missing, blank or repeated)."""
    import numpy as np

    if ids is None:
        return None
    as_text = ids.astype("string")
    if as_text.isna().any() or as_text.str.strip().eq("").any():
        return None
    hashes = np.fromiter((_hash64(v) for v in as_text.tolist()), dtype=np.uint64,
                         count=len(as_text))
    if len(np.unique(hashes)) < len(hashes) or store.contains(hashes).any():
        return None
    store.add(hashes)
    return store


def _value_kinds(values: pd.Series | None, kinds: dict) -> None:
    """Add to ``kinds`` one witness of every kind of value a chunk's column holds (``None``:
    the chunk lacks the column), from which :func:`_whole_dtype` gives the column's type."""
    if values is None:
        kinds["none"] = None
        return
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        kinds["bool"] = True
    elif pd.api.types.is_integer_dtype(dtype):
        if len(values):
            _integer_kind(kinds, int(values.min()), int(values.max()))
    elif pd.api.types.is_float_dtype(dtype) or isinstance(dtype, pd.StringDtype):
        missing = values.isna()
        if missing.any():
            kinds["none"] = None
        if not missing.all():
            kinds["float" if pd.api.types.is_float_dtype(dtype) else "str"] = (
                0.5 if pd.api.types.is_float_dtype(dtype) else "x")
    else:
        for value in values.tolist():
            if value is None or (isinstance(value, float) and value != value):
                kinds["none"] = None
            elif isinstance(value, bool):
                kinds["bool"] = True
            elif isinstance(value, int):
                _integer_kind(kinds, value, value)
            elif isinstance(value, float):
                kinds["float"] = 0.5
            elif isinstance(value, str):
                kinds["str"] = "x"
            else:
                kinds["other"] = object()


def _integer_kind(kinds: dict, low: int, high: int) -> None:
    kinds["int_min"] = min(low, kinds.get("int_min", low))
    kinds["int_max"] = max(high, kinds.get("int_max", high))


def _whole_dtype(kinds: dict) -> str:
    """The type pandas gives a JSON Lines column holding values of these ``kinds`` (from
    :func:`_value_kinds` over every chunk), by pandas' own inference on one value of each."""
    records = [{"value": witness} for witness in kinds.values()]
    frame = pd.DataFrame.from_records(records or [{"value": None}])
    return str(frame["value"].dtype)


def _align_chunk(raw: pd.DataFrame, plan: TablePlan) -> pd.DataFrame:
    """A raw chunk with the columns and types of the whole table (:class:`TablePlan`)."""
    if plan.columns is not None and list(raw.columns) != plan.columns:
        raw = raw.reindex(columns=plan.columns)
    else:
        raw = raw.copy(deep=False)
    for column, dtype in plan.dtypes.items():
        if column in raw and str(raw[column].dtype) != dtype:
            raw[column] = raw[column].astype(dtype)
    return raw


def tidy_chunk(chunk: RawChunk, out_dir: str, columns=None, fix_text: bool = True,
               boilerplate=(), label_names: dict | None = None,
               drop_duplicates: bool = True, dayfirst: bool | None = None,
               plan: TablePlan | None = None) -> dict:
    """The loader's work on one raw chunk (a worker task of :func:`partition_corpus`).

    :func:`utils.corpus.tidy_table` (columns, ftfy repair, trailing boilerplate) and the
    loader's finish (dates, labels, empty texts and duplicates *within* the chunk dropped), then
    the chunk is written to ``OUT/tidy/chunk-NNNNN.parquet`` (atomically, under a fixed name, so
    a retried task writes the same file). Returns what the driver needs to drop duplicates
    *across* chunks without reading the texts: the chunk's report, a 64-bit hash of every text,
    and every article's ``doc_id``, row number and length.

    With a ``plan`` (:func:`survey_table`) the chunk is read as a part of the whole table: with
    its columns and their types, ``doc_id`` the row number or not and the dates' day/month
    order as decided over the whole table. What the loader decides over whole columns is then
    left to the driver, which gets its evidence (:class:`ColumnWarnings`): the label values
    with their counts and first rows, every article's language, the text column's filled and
    lettered cells, the duplicates dropped here. Without a plan the chunk is loaded as a table
    of its own.
    """
    part = LoadReport(chunk.source, chunk.format)
    evidence: dict = {}
    if chunk.finished:
        frame = chunk.frame
    else:
        whole = plan is not None
        raw = _align_chunk(chunk.frame, plan) if whole else chunk.frame
        if whole:
            evidence["text"] = _text_evidence(raw, plan.mapping.get("text"))
        frame = corpus_module.tidy_table(
            raw, part, columns, fix_text, boilerplate, chunk.first_row,
            row_number_ids=plan.row_number_ids if whole else None, check_text_column=not whole)
        frame["__row"] = range(chunk.first_row, chunk.first_row + len(frame))
        if whole:
            evidence["labels"] = _label_evidence(frame)
        frame = corpus_module.finish_frame(
            frame, part, drop_duplicates=drop_duplicates and not whole, label_names=label_names,
            dayfirst=dayfirst, allow_empty=True, date_votes=plan.date_votes if whole else None,
            column_warnings=not whole)
        if whole and drop_duplicates:  # counted by the driver, with the earliest examples
            repeated = frame["text"].duplicated(keep="first")
            evidence["duplicates"] = [int(repeated.sum()), _first_rows(frame, repeated)]
            frame = frame[~repeated]
        if whole:
            evidence["languages"] = frame["language"].astype(str).tolist()
    rows = (frame.pop("__row").tolist() if "__row" in frame
            else list(range(chunk.first_row, chunk.first_row + len(frame))))
    write_parquet_atomic(frame, _tidy_path(Path(out_dir), chunk.index))
    texts = frame["text"].tolist()
    summary = {"index": chunk.index, "report": part.as_dict(),
               "text_hashes": [_hash64(text) for text in texts],
               "doc_ids": frame["doc_id"].astype(str).tolist(), "rows": rows,
               "characters": [len(text) for text in texts], **evidence}
    del frame, texts
    release_memory()
    return summary


def _first_rows(frame: pd.DataFrame, mask: pd.Series) -> list[tuple[int, str]]:
    """``(row, doc_id)`` of the first examples (:data:`EXAMPLES_PER_REASON`) where ``mask``."""
    from utils.corpus.report import EXAMPLES_PER_REASON

    chosen = frame.loc[mask.to_numpy(), ["__row", "doc_id"]].head(EXAMPLES_PER_REASON)
    return [(int(row), str(doc_id)) for row, doc_id in chosen.itertuples(index=False)]


def _text_evidence(raw: pd.DataFrame, column: str | None) -> dict | None:
    """For the check that the text column holds text (``tidy_table``'s, over the whole
    column): its cells that are filled, those with letters, the first filled ones."""
    from utils.corpus import tables
    from utils.corpus.cleaning import has_letters

    if column is None or column not in raw:
        return None  # tidy_table refuses the table, naming its columns
    values = raw[column]
    texts, refused = tables.coerce_text(values, values, LoadReport("", ""), "text")
    texts = texts[refused.isna()]
    filled = texts[texts.str.strip().ne("")]
    return {"filled": len(filled), "letters": int(filled.map(has_letters).sum()),
            "examples": [text[:20] for text in filled.head(3)]}


def _label_evidence(frame: pd.DataFrame) -> dict:
    """Every label value as ``finish_frame`` compares them (markers missing, decimals as
    whole numbers), with its count and first ``(row, doc_id)``s, before any article is
    dropped."""
    from utils.corpus import loader

    if "label" not in frame:
        return {}
    ids = frame["doc_id"].astype("string")
    scratch = LoadReport("", "")
    values = loader._labels(loader._markers_to_missing(frame["label"], ids, scratch, "label"),
                            ids, scratch, None, column_warnings=False).dropna()
    examples: dict[str, list] = {}
    for value, row, doc_id in zip(values.tolist(), frame.loc[values.index, "__row"].tolist(),
                                  ids[values.index].tolist(), strict=True):
        kept = examples.setdefault(value, [0, []])
        kept[0] += 1
        if len(kept[1]) < 3:
            kept[1].append((int(row), str(doc_id)))
    return examples


class ColumnWarnings:
    """The warnings and the check the loader decides over whole columns, settled by the
    driver of :func:`partition_corpus` from what every chunk's worker returns
    (:func:`tidy_chunk`), with the loader's reasons, counts and examples: label values
    differing only in case or spacing (``loader._warn_case_variants``), label values without a
    name in ``label_names``, articles not in English or too short to tell (after duplicates
    across chunks are dropped), and a text column holding no text (``tidy_table``'s check).
    Memory grows with the number of distinct labels, not of articles."""

    def __init__(self, source: str, text_column: str | None, label_names: dict | None):
        self.source, self.text_column, self.label_names = source, text_column, label_names
        self.labels: dict[str, list] = {}
        self.filled = self.letters = 0
        self.text_examples: list[str] = []
        self.other: Counter = Counter()
        self.other_ids: list[str] = []
        self.undetermined = 0
        self.undetermined_ids: list[str] = []

    def add(self, summary: dict, keep: list[bool]) -> None:
        """One chunk's evidence; ``keep``: which of its articles the driver keeps."""
        from utils.corpus.language import ANALYSED_LANGUAGES

        for value, (count, rows) in summary.get("labels", {}).items():
            kept = self.labels.setdefault(value, [0, []])
            kept[0] += count
            kept[1] = (kept[1] + list(rows))[:3]
        text = summary.get("text")
        if text:
            self.filled += text["filled"]
            self.letters += text["letters"]
            self.text_examples = (self.text_examples + text["examples"])[:3]
        for doc_id, language, k in zip(summary["doc_ids"], summary.get("languages", ()), keep,
                                       strict=False):
            if not k:
                continue
            if language not in ANALYSED_LANGUAGES:
                self.other[language] += 1
                if len(self.other_ids) < 3:
                    self.other_ids.append(doc_id)
            elif language == "und":
                self.undetermined += 1
                if len(self.undetermined_ids) < 3:
                    self.undetermined_ids.append(doc_id)

    def check_text_column(self) -> None:
        """Refuse the table, as ``tidy_table`` does, when its text column holds no text."""
        from utils.corpus.tables import MIN_TEXT_SHARE

        if self.filled < 5:
            return
        share = self.letters / self.filled
        if share < MIN_TEXT_SHARE:
            examples = ", ".join(repr(v) for v in self.text_examples)
            raise CorpusError(
                f"The column {self.text_column!r} of {self.source!r}, read as the article "
                f"text, holds no text ({share:.0%} of its filled rows have letters; e.g. "
                f"{examples}). Name the column holding the articles with "
                "columns={'text': ...}.")

    def warn(self, report: LoadReport) -> None:
        """Count the warnings over the whole columns into ``report``."""
        from utils.corpus.loader import _whole_number_text

        folded: dict[str, list[str]] = {}
        for value in sorted(self.labels):
            folded.setdefault(" ".join(value.casefold().split()), []).append(value)
        variants = [v for group in folded.values() if len(group) > 1 for v in group]
        if variants:
            shown = ", ".join(map(repr, variants[:6]))
            self._warn_labels(report, variants, "label values differing only in case or "
                              f"spacing (kept apart: {shown})")
        if self.label_names:
            names = {_whole_number_text(str(key).strip()): str(name)
                     for key, name in self.label_names.items()}
            named = set(names) | set(names.values())
            unnamed = sorted(v for v in self.labels if v not in named)
            if unnamed:
                self._warn_labels(report, unnamed, "label values with no name in label_names "
                                  f"(kept as they are: {', '.join(map(repr, unnamed[:5]))})")
        if self.other:
            codes = ", ".join(f"{code} {n}" for code, n in sorted(self.other.items()))
            report.warn(f"not English (kept, not analysed by the English-only tools: {codes})",
                        sum(self.other.values()), self.other_ids)
        report.warn("too short to identify the language (analysed as English)",
                    self.undetermined, self.undetermined_ids)

    def _warn_labels(self, report: LoadReport, values: list[str], reason: str) -> None:
        rows = sorted(row for value in values for row in self.labels[value][1])[:3]
        report.warn(reason, sum(self.labels[value][0] for value in values),
                    [doc_id for _, doc_id in rows])


def _tidy_path(out: Path, index: int) -> Path:
    return out / "tidy" / f"chunk-{index:05d}.parquet"


def _is_streamed(source, format: str | None = None) -> bool:
    """Whether ``source`` is a table file read in chunks (:data:`STREAMED_FORMATS`; a
    ``.jsonl`` file only with one object a line: JSON documents, pretty-printed objects and
    one-line files are read by their layout, whole)."""
    from utils import paths

    if str(source) in corpus_module.BUILTIN_CORPORA and format is None:
        return False
    path = paths.resolve_user_path(source)
    if not path.is_file():
        return False
    try:
        fmt = corpus_module.source_format(path, format)
    except CorpusError:
        return False
    return fmt in STREAMED_FORMATS and (fmt != "jsonl" or _one_object_a_line(path))


def _one_object_a_line(path: Path) -> bool:
    """Whether a JSON Lines file starts as one: an object on its first line, then more lines
    (what ``load_corpus`` reads line by line)."""
    from utils.corpus import tables
    from utils.corpus.decoding import NotTextError

    try:
        sample, complete = tables._read_bytes(path, tables.SAMPLE_BYTES)
        encoding, _ = tables.detect_encoding(sample, complete=complete)
    except (CorpusError, NotTextError):
        return True  # the chunk reader names the problem
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")
    first, _, rest = text.partition("\n")
    if not first.startswith("{") or not first.strip("{ \t\r"):
        return False  # not objects, or an object written over several lines
    return bool(rest.strip()) or not complete


def partition_corpus(
    source, out_dir, *, partition_size: int = DEFAULT_PARTITION_SIZE,
    columns: dict[str, str] | None = None, fix_text: bool = True, drop_duplicates: bool = True,
    boilerplate=(), label_names: dict | None = None, overwrite: bool = False,
    engine: str | None = "local", jobs: int | None = None, scheduler=None,
    load_options: dict | None = None,
) -> dict:
    """Step 1 of :func:`analyse_partitioned`: write ``OUT/corpus/part-NNNNN.parquet`` and
    ``OUT/manifest.json`` (returned as a dict); skipped when a manifest for the same source and
    options exists. The options are those of :func:`utils.corpus.load_corpus`.

    This process reads the input in chunks and keeps the bookkeeping that must be sequential
    (duplicate texts across chunks, from hashes); the loader's repairs of every chunk
    (:func:`tidy_chunk`, mostly ftfy) run on ``engine``/``jobs``/``scheduler`` like the analysis.
    A table file is first surveyed (:func:`survey_table`: its id and date columns only, so
    that the ids, the dates' day/month order and, for JSON Lines, the columns are decided over
    the whole table); the warnings decided over whole columns are counted here once
    (:class:`ColumnWarnings`).

    The partitions concatenated in order equal ``load_corpus(source)`` (rows, columns and
    values), and the manifest's report equals its report: read, kept, dropped and warnings with
    their counts, reasons and examples, and the column mapping. What still differs, from the
    readers: in a JSON Lines column holding text and numbers, a chunk whose whole numbers come
    with missing values reads them as decimals (``1.0``; the whole file keeps ``1``); in a
    Parquet file with dates outside what pandas holds, only the record batches holding such
    dates read their dates and times as objects; a categorical Parquet column has the
    categories of its chunk. 64-bit hashes decide duplicate texts and ids: a collision (about
    one in 10^7 for ten million articles) would drop a text or give row numbers wrongly.
    """
    from utils import paths

    if not isinstance(partition_size, int) or partition_size < 1:
        raise ValueError(f"partition_size must be a positive whole number, not {partition_size!r}")
    out_dir = Path(out_dir)
    load_options = dict(load_options or {})
    options = {"source": str(source), "partition_size": partition_size, "columns": columns,
               "fix_text": fix_text, "drop_duplicates": drop_duplicates,
               "boilerplate": None if boilerplate is None else list(boilerplate),
               "label_names": {str(k): v for k, v in (label_names or {}).items()},
               "load_options": dict(sorted(load_options.items())),
               "input": _input_signature(source)}
    manifest_path = out_dir / "manifest.json"
    if manifest_path.exists() and not overwrite:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest["options"] == options:
            return manifest
        raise CorpusError(
            f"The output folder {out_dir.name!r} holds a run of another input or with other "
            f"options ({manifest['options']}); use another folder or overwrite=True."
        )
    if overwrite:
        _clear_run(out_dir)
    for stale in (out_dir / "tidy").glob("*"):  # left by an interrupted partitioning
        stale.unlink()
    report = LoadReport(source=str(source), format="")
    plan = whole_columns = None
    if _is_streamed(source, load_options.get("format")):
        path = paths.resolve_user_path(source)
        plan = survey_table(path, corpus_module.source_format(path, load_options.get("format")),
                            partition_size, columns, report, load_options)
        whole_columns = ColumnWarnings(str(source), plan.mapping.get("text"), label_names)
    kept = 0
    seen_texts = HashStore()
    partitions = []
    task = partial(tidy_chunk, out_dir=str(out_dir.resolve()), columns=columns,
                   fix_text=fix_text, boilerplate=boilerplate, label_names=label_names,
                   drop_duplicates=drop_duplicates, dayfirst=load_options.get("dayfirst"),
                   plan=plan)
    chunks = _raw_chunks(source, partition_size, columns, fix_text, boilerplate, label_names,
                         report, load_options)
    for summary in map_batches(task, chunks, engine=engine, jobs=jobs, scheduler=scheduler):
        part = LoadReport.from_dict(summary["report"])
        keep = [True] * len(summary["text_hashes"])
        duplicates, examples = summary.get("duplicates", (0, []))  # within the chunk
        if drop_duplicates and keep:
            repeated = seen_texts.contains(summary["text_hashes"]).tolist()
            seen_texts.add(summary["text_hashes"])
            keep = [not r for r in repeated]
            duplicates += sum(repeated)
            examples = list(examples) + [
                (row, doc_id) for row, doc_id, r in zip(summary["rows"], summary["doc_ids"],
                                                        repeated, strict=True) if r][:3]
        part.drop("exact duplicate text (first kept)", duplicates,
                  [doc_id for _, doc_id in sorted(examples)])
        if whole_columns is not None:
            whole_columns.add(summary, keep)
        ids = [i for i, k in zip(summary["doc_ids"], keep, strict=True) if k]
        report.read += part.read
        report.merge(part)
        kept += len(ids)
        tidy = _tidy_path(out_dir, summary["index"])
        if ids:
            name = f"part-{len(partitions):05d}"
            target = out_dir / "corpus" / f"{name}.parquet"
            if all(keep):  # the usual case: the worker's file as it is
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tidy, target)
            else:  # one partition in memory, to drop texts of earlier chunks
                write_parquet_atomic(pd.read_parquet(tidy)[keep], target)
            characters = sum(c for c, k in zip(summary["characters"], keep, strict=True) if k)
            partitions.append({"name": name, "articles": len(ids), "characters": characters})
        tidy.unlink(missing_ok=True)
        release_memory()
    for leftover in (out_dir / "tidy").glob("*"):  # a killed task's temporary file
        leftover.unlink()
    with contextlib.suppress(OSError):
        (out_dir / "tidy").rmdir()
    if whole_columns is not None:
        whole_columns.check_text_column()
        whole_columns.warn(report)
    report.kept = kept
    if kept == 0:
        raise CorpusError(f"No article left after loading {report.source!r}.\n{report}")
    manifest = {"options": options, "partitions": partitions, "report": report.as_dict()}
    write_json_atomic(manifest, manifest_path)
    return manifest


def _input_signature(source) -> dict:
    """Size and modification time of a table file (a changed file is a new input)."""
    from utils import paths

    if str(source) in corpus_module.BUILTIN_CORPORA:
        return {}
    path = paths.resolve_user_path(source)
    if not path.is_file():
        return {}
    stat = path.stat()
    return {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


class HashStore:
    """A set of 64-bit hashes in sorted numpy arrays: 8 bytes a hash, where a Python set of
    ints takes about 70 (1.4 GB for 10 million articles' texts and ids, against 160 MB here).
    Arrays are added per chunk and merged when there are more than :attr:`MAX_ARRAYS`."""

    MAX_ARRAYS = 16

    def __init__(self):
        self._arrays: list = []

    def contains(self, hashes):
        """A boolean numpy array: which of ``hashes`` were added before."""
        import numpy as np

        values = np.asarray(hashes, dtype=np.uint64)
        found = np.zeros(len(values), dtype=bool)
        for array in self._arrays:
            at = np.minimum(np.searchsorted(array, values), len(array) - 1)
            found |= array[at] == values
        return found

    def add(self, hashes) -> None:
        import numpy as np

        values = np.unique(np.asarray(hashes, dtype=np.uint64))
        values = values[~self.contains(values)]
        if len(values):
            self._arrays.append(values)
        if len(self._arrays) > self.MAX_ARRAYS:
            self._arrays = [np.unique(np.concatenate(self._arrays))]

    def __len__(self) -> int:
        return sum(len(array) for array in self._arrays)


def _clear_run(out_dir: Path) -> None:
    for folder in ("corpus", "tidy", "_done", *TABLES):
        for file in (out_dir / folder).glob("*"):
            file.unlink()
    (out_dir / "manifest.json").unlink(missing_ok=True)
    (out_dir / "speakers.parquet").unlink(missing_ok=True)
    (out_dir / "people.parquet").unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# per-partition work (runs on a worker)


def analyse_partition(name: str, out_dir: str, batch_size: int | None = None) -> dict:
    """Run the per-article pipeline on one partition and write its tables (a worker task).

    Reads ``OUT/corpus/NAME.parquet``, runs :func:`utils.pipeline.analyse_corpus` (this
    process, no SQLite cache), writes ``OUT/<table>/NAME.parquet`` for every table of
    :data:`TABLES` and then ``OUT/_done/NAME.json``, each atomically. Returns a summary with
    the worker's pid and peak resident memory.
    """
    from utils.pipeline import BATCH_SIZE, analyse_corpus, pipeline_version

    out = Path(out_dir)
    corpus = pd.read_parquet(out / "corpus" / f"{name}.parquet")
    results = analyse_corpus(corpus, jobs=1, cache=False, batch_size=batch_size or BATCH_SIZE,
                             canonical_speakers=False)  # done across partitions afterwards
    summary = {"partition": name, "articles": len(corpus),
               "characters": int(corpus["text"].str.len().sum()),
               "failures": len(results.failures), "version": pipeline_version()}
    write_partition(out, name, results.tables(), summary)
    peak = peak_rss_bytes()
    del corpus, results
    release_memory()
    return {**summary, "pid": os.getpid(), "peak_rss_bytes": peak}


def release_memory() -> None:
    """Hand memory freed by a finished partition back to the operating system: a garbage
    collection, Arrow's pool (``release_unused``) and, on glibc, ``malloc_trim(0)``. Without it
    freed-but-kept memory made a long-running worker's resident size creep up partition after
    partition (Dask's own advice for worker memory, done after every partition here)."""
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or ``None`` where there is none (macOS, Windows, musl)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def peak_rss_bytes() -> int:
    """Peak resident set size of this process so far, in bytes (``getrusage``, which Linux
    reports in KiB; where it does not exist, the current RSS from psutil)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        import psutil

        return psutil.Process().memory_info().rss
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS reports bytes


# ---------------------------------------------------------------------------------------------
# the run and its reductions


class PartitionedRun(ResultsStore):
    """The results store written by :func:`analyse_partitioned` (a
    :class:`utils.results.store.ResultsStore`) with Dask reductions for cluster use."""

    @classmethod
    def open(cls, out_dir, version: str | None = None) -> PartitionedRun:
        """A finished run's folder (every partition done with the current pipeline version)."""
        from utils.pipeline import pipeline_version

        return super().open(out_dir, version or pipeline_version())

    def term_totals(self, scheduler=None) -> pd.DataFrame:
        """Corpus term counts by reduction over the partitions: ``term, count, per_10k,
        doc_freq`` as :func:`utils.frequencies.term_counts` (count descending, then term).

        ``scheduler``: a Dask scheduler name (default ``"threads"``) or a ``Client``.
        """
        import dask

        terms = self.dask("terms", ["term", "count"])
        by_term = terms.groupby("term")["count"].agg(["sum", "count"], split_out=1)
        words = self.dask("articles", ["words"])["words"].sum()
        totals, total_words = dask.compute(by_term, words, **_compute_options(scheduler))
        from utils.frequencies import _per_10k

        frame = pd.DataFrame({
            "term": totals.index.astype(object), "count": totals["sum"].astype("int64").to_numpy(),
        })
        frame["per_10k"] = _per_10k(frame["count"].to_numpy(), int(total_words))
        frame["doc_freq"] = totals["count"].astype("int64").to_numpy()
        return frame.sort_values(["count", "term"], ascending=[False, True],
                                 kind="mergesort").reset_index(drop=True)

    def group_statistics(self, by: str, scheduler=None) -> pd.DataFrame:
        """Per-group totals and means over the ``articles`` table, by reduction:
        ``<by>, articles, words, sentences, attributions, mean_compound`` (mean of the
        articles' mean sentence compound), ``share_positive`` (mean of the articles' shares),
        ``attributions_per_1000_words`` (attributions * 1000 / words of the group), sorted by
        group. Articles with no value for ``by`` are left out."""
        import dask

        wanted = [by, "words", "sentences", "attributions", "mean_compound", "share_positive"]
        articles = self.dask("articles")
        if by not in articles.columns:
            raise ValueError(f"No column {by!r} in the articles table; columns: "
                             f"{list(articles.columns)}")
        articles = articles[wanted].dropna(subset=[by])
        grouped = articles.groupby(by)
        sums = grouped[["words", "sentences", "attributions"]].sum()
        means = grouped[["mean_compound", "share_positive"]].mean()
        sizes = grouped.size()
        sums, means, sizes = dask.compute(sums, means, sizes, **_compute_options(scheduler))
        table = sums.join(means).assign(articles=sizes).reset_index()
        table = table[[by, "articles", "words", "sentences", "attributions", "mean_compound",
                       "share_positive"]]
        for column in ("articles", "words", "sentences", "attributions"):
            table[column] = table[column].astype("int64")
        for column in ("mean_compound", "share_positive"):
            table[column] = table[column].astype("float64")
        words = table["words"].where(table["words"] > 0)
        table["attributions_per_1000_words"] = table["attributions"] * 1000 / words
        return table.sort_values(by, kind="mergesort").reset_index(drop=True)


def _compute_options(scheduler) -> dict:
    if scheduler is None:
        return {"scheduler": "threads"}
    return {"scheduler": scheduler}


def analyse_partitioned(
    source, out_dir, *, engine: str | None = "local", jobs: int | None = None, scheduler=None,
    partition_size: int = DEFAULT_PARTITION_SIZE, batch_size: int | None = None,
    columns: dict[str, str] | None = None, fix_text: bool = True, drop_duplicates: bool = True,
    boilerplate=(), label_names: dict | None = None, overwrite: bool = False,
    load_options: dict | None = None,
) -> PartitionedRun:
    """Run the per-article pipeline on a corpus of any size, partition by partition.

    ``source`` and the loader options are those of :func:`utils.corpus.load_corpus`;
    ``out_dir`` receives the partitioned corpus and results (layout in the module docstring);
    ``engine``/``jobs``/``scheduler`` choose where the partitions are analysed. A second call
    with the same folder skips the partitions already done (resume); ``overwrite=True`` starts
    again from scratch. ``run.stats`` counts articles, partitions (analysed, skipped), failures,
    each worker's peak memory and the seconds of each phase (partitioning, analysis, speakers).
    """
    from utils.pipeline import pipeline_version, prepare_process

    engine, workers = resolve_engine(engine, jobs)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    version = pipeline_version()
    peaks: dict[int, int] = {}
    failures = 0
    # one cluster for both steps (a LocalCluster is started once)
    on_dask = dask_client(scheduler, jobs=workers) if engine == "dask" else None
    clock = time.perf_counter()  # partitioning includes starting a LocalCluster
    with on_dask or contextlib.nullcontext() as client:
        manifest = partition_corpus(source, out, partition_size=partition_size, columns=columns,
                                    fix_text=fix_text, drop_duplicates=drop_duplicates,
                                    boilerplate=boilerplate, label_names=label_names,
                                    overwrite=overwrite, engine=engine, jobs=workers,
                                    scheduler=client, load_options=load_options)
        names = [p["name"] for p in manifest["partitions"]]
        for stale in out.glob("*/.*.tmp"):  # left by a killed writer
            stale.unlink(missing_ok=True)
        todo = [name for name in names if not is_done(out, name, version)]
        task = partial(analyse_partition, out_dir=str(out.resolve()), batch_size=batch_size)
        partitioned = time.perf_counter()
        for summary in map_batches(task, todo, engine=engine, jobs=workers, scheduler=client,
                                   prepare=prepare_process):
            peaks[summary["pid"]] = max(peaks.get(summary["pid"], 0), summary["peak_rss_bytes"])
            failures += summary["failures"]
        analysed = time.perf_counter()
    from utils.corpus import corpus_name

    store = finish_store(out, {**manifest, "corpus": corpus_name(source),
                               "pipeline_version": version, "engine": engine},
                         speakers=bool(todo))
    report = store.report
    stats = {"articles": report.kept, "partitions": len(names), "analysed": len(todo),
             "skipped": len(names) - len(todo), "failures_in_analysed": failures,
             "characters": sum(p["characters"] for p in manifest["partitions"]),
             "engine": engine, "workers": workers, "version": version,
             "worker_peak_rss_bytes": peaks,
             "seconds": {"partitioning": round(partitioned - clock, 3),
                         "analysis": round(analysed - partitioned, 3),
                         "speakers": round(time.perf_counter() - analysed, 3)}}
    return PartitionedRun(out, store.manifest, store.partitions, report, stats)


# ---------------------------------------------------------------------------------------------
# command line: python -m utils.scale SOURCE OUT


#: Columns of the ``articles`` table that ``python -m utils.scale --group-by`` accepts.
GROUP_BY_COLUMNS = ("label", "source", "date", "title")


def _json_kind(value) -> str:
    """The JSON name of a decoded value's type (for messages)."""
    if isinstance(value, bool):
        return "true/false"
    return {dict: "object", list: "array", str: "string", int: "number", float: "number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _json_object(text: str, expected: str) -> dict:
    """``text`` decoded as a JSON object; :class:`argparse.ArgumentTypeError` saying what is
    ``expected`` when it is not valid JSON or not an object."""
    import argparse

    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(
            f"not valid JSON ({error}); expected {expected}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"expected {expected}, not a JSON {_json_kind(value)}")
    return value


def columns_argument(text: str) -> dict[str, str]:
    """``--columns``: a JSON object mapping core column names
    (:data:`utils.corpus.MAPPABLE_COLUMNS`) to the names of the corpus's own columns."""
    import argparse

    core = ", ".join(corpus_module.MAPPABLE_COLUMNS)
    expected = (f"a JSON object mapping core column names ({core}) to the corpus's column "
                "names, e.g. '{\"text\": \"body\", \"date\": \"published\"}'")
    mapping = _json_object(text, expected)
    for key, value in mapping.items():
        if key not in corpus_module.MAPPABLE_COLUMNS:
            raise argparse.ArgumentTypeError(f"{key!r} is not a core column; expected {expected}")
        if not isinstance(value, str) or not value:
            raise argparse.ArgumentTypeError(
                f"the column for {key!r} must be a column name (a non-empty string), not "
                f"{json.dumps(value)}; expected {expected}")
    return mapping


def label_names_argument(text: str) -> dict[str, str]:
    """``--label-names``: a JSON object mapping label values to the names to show."""
    import argparse

    expected = ("a JSON object mapping label values to names (strings), e.g. "
                "'{\"1\": \"credible\", \"0\": \"fake\"}'")
    names = _json_object(text, expected)
    for key, value in names.items():
        if not isinstance(value, str):
            raise argparse.ArgumentTypeError(
                f"the name for label {key!r} must be a string, not {json.dumps(value)}; "
                f"expected {expected}")
    return names


def positive_int(text: str) -> int:
    """A whole number of 1 or more (``--jobs``, ``--partition-size``)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return value


def check_writable_folder(folder: Path, option: str) -> None:
    """Raise :class:`utils.corpus.CorpusError` unless ``folder`` is, or can be created as, a
    folder this process can write in: missing folders are created, a probe file is written
    and deleted, and the folders created for the check are removed again."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise CorpusError(f"{option} {folder}: this is a file; expected a folder (existing or "
                          "to be created) for the output.")
    created = []
    parent = folder
    while not parent.exists() and parent != parent.parent:
        created.append(parent)
        parent = parent.parent
    try:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CorpusError(f"{option} {folder}: cannot create this folder "
                              f"({error.strerror or error}).") from None
        probe = folder / f".write-probe-{uuid.uuid4().hex}"
        try:
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as error:
            raise CorpusError(f"{option} {folder}: cannot write in this folder "
                              f"({error.strerror or error}).") from None
    finally:
        for path in created:  # deepest first
            with contextlib.suppress(OSError):
                path.rmdir()


def group_by_argument(text: str) -> str:
    """``python -m utils.scale --group-by``: one of :data:`GROUP_BY_COLUMNS`."""
    import argparse

    if text not in GROUP_BY_COLUMNS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a column of the articles table to group by; expected one of "
            f"{', '.join(GROUP_BY_COLUMNS)}")
    return text


def add_run_arguments(parser) -> None:
    """The corpus and engine options shared by the main job (:mod:`utils.analyze`) and
    ``python -m utils.scale``: ``--columns``, ``--label-names``, ``--jobs``, ``--engine``,
    ``--scheduler``."""
    parser.add_argument("--columns", type=columns_argument, default=None,
                        help='column mapping as a JSON object from core column (doc_id, title, '
                             'text, source, date, label) to the corpus\'s column, e.g. '
                             '\'{"text": "body"}\'')
    parser.add_argument("--label-names", type=label_names_argument, default=None,
                        help='names for label values as a JSON object, e.g. \'{"1": '
                             '"credible", "0": "fake"}\'')
    parser.add_argument("--jobs", type=positive_int, default=None,
                        help="workers for the analysis (default: 1 with the local engine, every "
                             "core with processes or a new Dask LocalCluster)")
    parser.add_argument("--engine", choices=list(ENGINES), default=None,
                        help="where to run the per-article analysis (default: local, or "
                             "processes when --jobs > 1)")
    parser.add_argument("--scheduler", default=None,
                        help="address of a Dask scheduler (implies --engine dask)")
    reading = parser.add_argument_group(
        "reading the corpus", "where the loader's own choices are wrong (see utils.corpus)")
    reading.add_argument("--format", choices=list(corpus_module.FORMATS), default=None,
                         help="the corpus file's format (default: from its suffix; .txt is "
                              "one article)")
    reading.add_argument("--sep", type=separator_argument, default=None,
                         help="CSV separator, one character such as ';' or '\\t' (default: a "
                              "comma, or the header's semicolon, tab or pipe)")
    reading.add_argument("--encoding", type=encoding_argument, default=None,
                         help="text encoding of a CSV (default: detected)")
    reading.add_argument("--orient", default=None,
                         choices=["records", "columns", "index", "split", "values", "table"],
                         help="pandas' JSON orient for a .json corpus (default: detected)")
    order = reading.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       default=None, help="read numeric dates such as 03/04/2015 day-first")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="read them month-first (default: the date column's own evidence, "
                            "else month-first)")
    reading.add_argument("--flat", action="store_true",
                         help="read only the folder's own .txt files, not its subfolders")


def separator_argument(text: str) -> str:
    """``--sep``: one character (``\\t`` for a tab)."""
    import argparse

    value = {"\\t": "\t", "tab": "\t"}.get(text, text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(f"expected one character such as ';' or '\\t', not "
                                         f"{text!r}")
    return value


def encoding_argument(text: str) -> str:
    """``--encoding``: a name Python's codecs know."""
    import argparse
    import codecs

    try:
        codecs.lookup(text)
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an encoding Python knows (e.g. utf-8, utf-16, cp1252)") from None
    return text


def reading_options(args) -> dict:
    """The reading options of parsed :func:`add_run_arguments` (only those given), as
    keyword arguments of :func:`utils.corpus.load_corpus`."""
    options = {"format": args.format, "sep": args.sep, "encoding": args.encoding,
               "orient": args.orient, "dayfirst": args.dayfirst}
    options = {k: v for k, v in options.items() if v is not None}
    if args.flat:
        options["recursive"] = False
    return options


def parse_run_arguments(parser, argv: list[str] | None):
    """``parser.parse_args(argv)`` for a parser with :func:`add_run_arguments`, then the checks
    between options: ``--scheduler`` goes with ``--engine dask`` or alone. A bad option makes
    argparse print the usage and ``error: argument ...`` and raise ``SystemExit(2)``."""
    args = parser.parse_args(argv)
    if args.scheduler and args.engine not in (None, "dask"):
        parser.error(f"argument --scheduler: a Dask scheduler address goes with --engine dask "
                     f"(or alone, which implies it), not with --engine {args.engine}")
    return args


def engine_for(engine: str | None, scheduler) -> str | None:
    """The engine asked for by an ``engine``/``scheduler`` pair: a scheduler alone means Dask."""
    return "dask" if scheduler and engine is None else engine


def main(argv: list[str] | None = None) -> int:
    """``python -m utils.scale SOURCE OUT``: an out-of-core run from the command line.

    Runs :func:`analyse_partitioned` (resuming a run already in ``OUT``), then the corpus-level
    reductions: ``OUT/term_totals.parquet`` and, with ``--group-by``,
    ``OUT/groups_<column>.parquet``; prints the load report, the phases' seconds and the most
    frequent terms. Every option is checked before any work (argparse ``type=`` callables;
    ``OUT`` must be a folder this process can create and write in); a bad one exits with
    status 2 and a message saying what is expected. Exits with 1 when article steps failed
    in the partitions analysed, else 0.
    """
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m utils.scale",
        description="Analyse a corpus of any size partition by partition (utils.scale).")
    parser.add_argument("source", help="a CSV, TSV, JSON Lines or Parquet table (or a folder "
                                       "of .txt articles, or a built-in corpus)")
    parser.add_argument("out", type=Path, help="output folder (on a shared filesystem for a "
                                               "cluster); a run already there is resumed")
    parser.add_argument("--partition-size", type=positive_int, default=DEFAULT_PARTITION_SIZE,
                        help=f"articles per partition (default {DEFAULT_PARTITION_SIZE:,})")
    parser.add_argument("--group-by", type=group_by_argument, default=None,
                        help="also write per-group totals for this column (one of "
                             f"{', '.join(GROUP_BY_COLUMNS)})")
    parser.add_argument("--top", type=positive_int, default=10,
                        help="terms to print (default 10)")
    parser.add_argument("--overwrite", action="store_true", help="start again from scratch")
    add_run_arguments(parser)
    try:
        args = parse_run_arguments(parser, argv)
    except SystemExit as stop:  # argparse printed the message (status 2) or the help (0)
        return int(stop.code or 0)
    engine = engine_for(args.engine, args.scheduler)
    try:
        check_writable_folder(args.out, "OUT")  # before any work
        with (dask_client(args.scheduler, jobs=args.jobs) if engine == "dask"
              else contextlib.nullcontext()) as client:
            run = analyse_partitioned(
                args.source, args.out, engine=engine, jobs=args.jobs, scheduler=client,
                partition_size=args.partition_size, columns=args.columns,
                label_names=args.label_names, overwrite=args.overwrite,
                load_options=reading_options(args))
            terms = run.term_totals(scheduler=client)
            groups = (run.group_statistics(args.group_by, scheduler=client)
                      if args.group_by else None)
    except (CorpusError, ConnectionError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write_parquet_atomic(terms, run.folder / "term_totals.parquet")
    if groups is not None:
        write_parquet_atomic(groups, run.folder / f"groups_{args.group_by}.parquet")
    stats = run.stats
    print(run.report)
    print(f"{stats['articles']:,} articles in {stats['partitions']:,} partitions "
          f"({stats['analysed']:,} analysed, {stats['skipped']:,} already done); "
          f"{stats['failures_in_analysed']:,} article steps failed")
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in stats["seconds"].items()))
    print("most frequent terms (per 10,000 words): " + ", ".join(
        f"{row.term} {row.per_10k:.1f}" for row in terms.head(args.top).itertuples()))
    if groups is not None:
        print(groups.round(3).to_string(index=False))
    print(f"tables in {run.folder}: articles/ sentences/ attributions/ terms/ failures/ "
          "(one Parquet file per partition), term_totals.parquet"
          + (f", groups_{args.group_by}.parquet" if groups is not None else ""))
    return 1 if stats["failures_in_analysed"] else 0


if __name__ == "__main__":
    sys.exit(main())
