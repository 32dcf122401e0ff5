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

1. *Partitioning* (streaming; the repairs on the engine's workers): this process reads the
   corpus ``partition_size`` rows at a time (``pandas.read_csv(chunksize=)``, Parquet record
   batches, chunked JSON Lines) and hands each raw chunk to a worker (:func:`tidy_chunk`), which
   gives it the loader's treatment (:func:`utils.corpus.tidy_table`: column recognition, ftfy
   repair, trailing boilerplate; then empty-text and duplicate dropping with the same report
   reasons as :func:`utils.corpus.load_corpus`) and writes it as Parquet. The repairs, mostly
   ftfy, were nine tenths of the partitioning time when this process did them: on a cluster a
   single driver repairing every text would cap the whole run. Duplicates *across* chunks are
   then dropped here, in input order (the first occurrence is kept, as in ``load_corpus``),
   from what the worker returns: a 64-bit hash of every kept text and id (16 bytes per article
   in numpy arrays, :class:`HashStore`), never the texts; the worker's file becomes the
   partition as it is unless an article must go or change its id. An id already used by an
   earlier article is replaced by the row number (with a report warning). Folders of ``.txt``
   articles and built-in corpora are loaded whole with ``load_corpus`` and then split (they
   are small).
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

ENGINES = ("local", "processes", "dask")
#: Articles per partition of an out-of-core run (a few tens of MB of text and results).
DEFAULT_PARTITION_SIZE = 5_000
#: Result tables written per partition, in this order (``_done`` is written after them).
TABLES = ("articles", "sentences", "attributions", "terms", "failures")
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
                      encoding: str | None = None) -> Iterator[pd.DataFrame]:
    """Raw chunks of ``size`` rows of a table file (CSV/TSV, JSON Lines or Parquet), read as
    :func:`utils.corpus.load_corpus` reads the whole file (the same encoding and separator
    choices, :func:`utils.corpus.tables.csv_read_options`, counted into ``report``)."""
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
            for batch in reader.iter_batches(batch_size=size):
                yield batch.to_pandas()
        elif fmt == "jsonl":
            yield from tables.iter_json_lines_chunks(path, size, report)
        else:
            options = tables.csv_read_options(path, fmt, report, sep, encoding)
            with pd.read_csv(path, chunksize=size, **options) as reader:
                yield from reader
    except CorpusError:
        raise
    except Exception as error:  # pandas/pyarrow raise many types; name the file and the cause
        raise CorpusError(f"Could not read {label!r} as {fmt}: {error}") from error


def _write_parquet_atomic(frame: pd.DataFrame, target: Path) -> None:
    """Write ``frame`` to ``target`` through a temporary file renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    frame = frame.copy(deep=False)
    frame.attrs = {}  # the load report is in the manifest, not in every file
    try:
        frame.to_parquet(temporary, index=False)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _write_json_atomic(data: dict, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


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


def tidy_chunk(chunk: RawChunk, out_dir: str, columns=None, fix_text: bool = True,
               boilerplate=(), label_names: dict | None = None,
               drop_duplicates: bool = True, dayfirst: bool | None = None) -> dict:
    """The loader's work on one raw chunk (a worker task of :func:`partition_corpus`).

    :func:`utils.corpus.tidy_table` (columns, ftfy repair, trailing boilerplate) and the
    loader's finish (dates, labels, empty texts and duplicates *within* the chunk dropped), then
    the chunk is written to ``OUT/tidy/chunk-NNNNN.parquet`` (atomically, under a fixed name, so
    a retried task writes the same file). Returns what the driver needs to drop duplicates
    *across* chunks without reading the texts: the chunk's report, a 64-bit hash of every text,
    and every article's ``doc_id``, row number and length.
    """
    if chunk.finished:
        frame, part = chunk.frame, LoadReport(chunk.source, chunk.format)
    else:
        part = LoadReport(chunk.source, chunk.format)
        frame = corpus_module.tidy_table(chunk.frame, part, columns, fix_text, boilerplate,
                                         chunk.first_row)
        frame["__row"] = range(chunk.first_row, chunk.first_row + len(frame))
        frame = corpus_module.finish_frame(frame, part, drop_duplicates=drop_duplicates,
                                           label_names=label_names, dayfirst=dayfirst,
                                           allow_empty=True)
    rows = (frame.pop("__row").tolist() if "__row" in frame
            else list(range(chunk.first_row, chunk.first_row + len(frame))))
    _write_parquet_atomic(frame, _tidy_path(Path(out_dir), chunk.index))
    texts = frame["text"].tolist()
    summary = {"index": chunk.index, "report": part.as_dict(),
               "text_hashes": [_hash64(text) for text in texts],
               "doc_ids": frame["doc_id"].astype(str).tolist(), "rows": rows,
               "characters": [len(text) for text in texts]}
    del frame, texts
    release_memory()
    return summary


def _tidy_path(out: Path, index: int) -> Path:
    return out / "tidy" / f"chunk-{index:05d}.parquet"


def _is_streamed(source, format: str | None = None) -> bool:
    """Whether ``source`` is a table file read in chunks (:data:`STREAMED_FORMATS`)."""
    from utils import paths

    if str(source) in corpus_module.BUILTIN_CORPORA and format is None:
        return False
    path = paths.resolve_user_path(source)
    if not path.is_file():
        return False
    try:
        return corpus_module.source_format(path, format) in STREAMED_FORMATS
    except CorpusError:
        return False


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
    (duplicate texts and ids across chunks, from hashes); the loader's repairs of every chunk
    (:func:`tidy_chunk`, mostly ftfy) run on ``engine``/``jobs``/``scheduler`` like the analysis.
    """
    if not isinstance(partition_size, int) or partition_size < 1:
        raise ValueError(f"partition_size must be a positive whole number, not {partition_size!r}")
    out_dir = Path(out_dir)
    options = {"source": str(source), "partition_size": partition_size, "columns": columns,
               "fix_text": fix_text, "drop_duplicates": drop_duplicates,
               "boilerplate": None if boilerplate is None else list(boilerplate),
               "label_names": {str(k): v for k, v in (label_names or {}).items()},
               "load_options": dict(sorted((load_options or {}).items())),
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
    kept = 0
    seen_texts = HashStore()
    seen_ids = HashStore()
    partitions = []
    task = partial(tidy_chunk, out_dir=str(out_dir.resolve()), columns=columns,
                   fix_text=fix_text, boilerplate=boilerplate, label_names=label_names,
                   drop_duplicates=drop_duplicates,
                   dayfirst=(load_options or {}).get("dayfirst"))
    chunks = _raw_chunks(source, partition_size, columns, fix_text, boilerplate, label_names,
                         report, load_options)
    for summary in map_batches(task, chunks, engine=engine, jobs=jobs, scheduler=scheduler):
        part = LoadReport.from_dict(summary["report"])
        keep = [True] * len(summary["text_hashes"])
        if drop_duplicates and keep:
            repeated = seen_texts.contains(summary["text_hashes"]).tolist()
            part.drop("exact duplicate text (first kept)", sum(repeated))
            seen_texts.add(summary["text_hashes"])
            keep = [not r for r in repeated]
        ids = [i for i, k in zip(summary["doc_ids"], keep, strict=True) if k]
        rows = [r for r, k in zip(summary["rows"], keep, strict=True) if k]
        new_ids = _unique_doc_ids(ids, rows, seen_ids, part)
        report.read += part.read
        report.merge(part)
        kept += len(ids)
        tidy = _tidy_path(out_dir, summary["index"])
        if ids:
            name = f"part-{len(partitions):05d}"
            target = out_dir / "corpus" / f"{name}.parquet"
            if all(keep) and new_ids == ids:  # the usual case: the worker's file as it is
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tidy, target)
            else:  # one partition in memory, to drop repeated texts or rename ids
                frame = pd.read_parquet(tidy)[keep]
                _write_parquet_atomic(frame.assign(doc_id=pd.array(new_ids, dtype="string")),
                                      target)
            characters = sum(c for c, k in zip(summary["characters"], keep, strict=True) if k)
            partitions.append({"name": name, "articles": len(ids), "characters": characters})
        tidy.unlink(missing_ok=True)
        release_memory()
    for leftover in (out_dir / "tidy").glob("*"):  # a killed task's temporary file
        leftover.unlink()
    with contextlib.suppress(OSError):
        (out_dir / "tidy").rmdir()
    report.kept = kept
    if kept == 0:
        raise CorpusError(f"No article left after loading {report.source!r}.\n{report}")
    manifest = {"options": options, "partitions": partitions, "report": report.as_dict()}
    _write_json_atomic(manifest, manifest_path)
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


def _unique_doc_ids(ids: list[str], rows: list[int], seen: HashStore,
                    report: LoadReport) -> list[str]:
    """``ids`` with every id already used (by an earlier chunk, or earlier in this one)
    replaced by the article's row number, counted as a report warning; ``seen`` learns them."""
    ids = list(ids)
    keys = [_hash64(doc_id) for doc_id in ids]
    earlier = seen.contains(keys).tolist()
    this_chunk: set[int] = set()
    replaced = 0
    for index, key in enumerate(keys):
        if earlier[index] or key in this_chunk:
            candidate, suffix = str(rows[index]), 0
            while _hash64(candidate) in this_chunk or seen.contains([_hash64(candidate)])[0]:
                suffix += 1
                candidate = f"{rows[index]}-{suffix}"
            ids[index], key = candidate, _hash64(candidate)
            replaced += 1
        this_chunk.add(key)
    seen.add(list(this_chunk))
    report.warn("ids already used by an earlier article (doc_id is the row number)", replaced)
    return ids


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


# ---------------------------------------------------------------------------------------------
# per-partition work (runs on a worker)


def _table_types(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed column types, so every partition file of a table has the same Parquet schema."""
    text_columns = [c for c in frame.columns if frame[c].dtype == object and c != "content_spans"]
    if text_columns:
        frame = frame.astype(dict.fromkeys(text_columns, "string"))
    if name == "attributions":
        frame = frame.assign(content_spans=[[list(span) for span in spans]
                                            for spans in frame["content_spans"]])
    return frame


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
    for table_name, table in results.tables().items():
        _write_parquet_atomic(_table_types(table_name, table),
                              out / table_name / f"{name}.parquet")
    summary = {"partition": name, "articles": len(corpus),
               "characters": int(corpus["text"].str.len().sum()),
               "failures": len(results.failures), "version": pipeline_version()}
    _write_json_atomic(summary, out / "_done" / f"{name}.json")
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


def _is_done(out: Path, name: str, version: str) -> bool:
    marker = out / "_done" / f"{name}.json"
    if not marker.exists():
        return False
    try:
        done = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return done.get("version") == version and all(
        (out / table / f"{name}.parquet").exists() for table in TABLES)


# ---------------------------------------------------------------------------------------------
# the run and its reductions


@dataclass
class PartitionedRun:
    """The output folder of :func:`analyse_partitioned` with readers and reductions."""

    out_dir: Path
    partitions: list[str]
    report: LoadReport
    stats: dict = field(default_factory=dict)

    @classmethod
    def open(cls, out_dir) -> PartitionedRun:
        """A finished run's folder (every partition done with the current pipeline version)."""
        from utils.pipeline import pipeline_version

        out = Path(out_dir)
        manifest_path = out / "manifest.json"
        if not manifest_path.exists():
            raise FileNotFoundError(f"No partitioned run in {out.name!r} (no manifest.json).")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        names = [p["name"] for p in manifest["partitions"]]
        version = pipeline_version()
        missing = [name for name in names if not _is_done(out, name, version)]
        if missing:
            raise ValueError(f"{len(missing)} of {len(names)} partitions are not done with this "
                             "pipeline version; run analyse_partitioned again to finish them.")
        report = LoadReport.from_dict(manifest["report"])
        return cls(out, names, report, {"articles": report.kept, "partitions": len(names),
                                        "version": version})

    def files(self, table: str) -> list[Path]:
        if table not in (*TABLES, "corpus"):
            raise ValueError(f"Unknown table {table!r}; use one of {', '.join(TABLES)}.")
        return [self.out_dir / table / f"{name}.parquet" for name in self.partitions]

    def dask(self, table: str, columns: list[str] | None = None):
        """One table as a lazy :class:`dask.dataframe.DataFrame`, one partition per file
        (attribution speakers canonicalised across the corpus, as in :meth:`read`)."""
        import dask.dataframe as dd

        frame = dd.from_map(partial(pd.read_parquet, columns=columns),
                            [str(p) for p in self.files(table)])
        if table == "attributions" and "speaker" in frame.columns:
            frame = frame.map_partitions(_canonicalise, self.speaker_map())
        return frame

    def speaker_map(self) -> pd.DataFrame:
        """``speaker, source_type, canonical`` for every distinct speaker of the run
        (``OUT/speakers.parquet``, written by :func:`analyse_partitioned`)."""
        return pd.read_parquet(self.out_dir / "speakers.parquet")

    def read(self, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        """One table in memory (partitions in order; for results that fit in memory), with
        the types :func:`utils.pipeline.analyse_corpus` gives."""
        frames = [pd.read_parquet(p, columns=columns) for p in self.files(table)]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        if table == "attributions" and "speaker" in frame:
            frame = _canonicalise(frame, self.speaker_map())
        if "content_spans" in frame:
            frame["content_spans"] = [[tuple(int(v) for v in span) for span in spans]
                                      for spans in frame["content_spans"]]
        return frame

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


def speaker_map(files: list[Path]) -> pd.DataFrame:
    """Corpus-wide canonical speakers by reduction over attribution files.

    Counts every ``(speaker, source_type)`` pair partition by partition, then applies the rules
    of :func:`utils.attribution.canonical_speakers` to the counts
    (:func:`utils.attribution.canonical_speaker_mapping`), so the result equals canonicalising
    the whole corpus at once. Memory grows with the number of distinct speakers only.
    """
    from utils.attribution import canonical_speaker_mapping

    counts: Counter = Counter()
    for file in files:
        frame = pd.read_parquet(file, columns=["speaker", "source_type"])
        counts.update(zip(frame["speaker"].fillna("").astype(str),
                          frame["source_type"].fillna("unknown").astype(str), strict=True))
    pairs = sorted(counts)
    mapping = canonical_speaker_mapping(counts)
    return pd.DataFrame({"speaker": [p[0] for p in pairs], "source_type": [p[1] for p in pairs],
                         "canonical": [mapping[p] for p in pairs]}, dtype="string")


def _canonicalise(frame: pd.DataFrame, mapping: pd.DataFrame) -> pd.DataFrame:
    lookup = dict(zip(zip(mapping["speaker"], mapping["source_type"], strict=True),
                      mapping["canonical"], strict=True))
    speakers = frame["speaker"].fillna("").astype(str)
    types = frame["source_type"].fillna("unknown").astype(str)
    canonical = [lookup.get((s, t), s) for s, t in zip(speakers, types, strict=True)]
    return frame.assign(speaker=pd.array(canonical, dtype=frame["speaker"].dtype))


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
        todo = [name for name in names if not _is_done(out, name, version)]
        task = partial(analyse_partition, out_dir=str(out.resolve()), batch_size=batch_size)
        partitioned = time.perf_counter()
        for summary in map_batches(task, todo, engine=engine, jobs=workers, scheduler=client,
                                   prepare=prepare_process):
            peaks[summary["pid"]] = max(peaks.get(summary["pid"], 0), summary["peak_rss_bytes"])
            failures += summary["failures"]
        analysed = time.perf_counter()
    speakers_path = out / "speakers.parquet"
    if todo or not speakers_path.exists():
        _write_parquet_atomic(speaker_map([out / "attributions" / f"{n}.parquet" for n in names]),
                              speakers_path)
    report = LoadReport.from_dict(manifest["report"])
    stats = {"articles": report.kept, "partitions": len(names), "analysed": len(todo),
             "skipped": len(names) - len(todo), "failures_in_analysed": failures,
             "characters": sum(p["characters"] for p in manifest["partitions"]),
             "engine": engine, "workers": workers, "version": version,
             "worker_peak_rss_bytes": peaks,
             "seconds": {"partitioning": round(partitioned - clock, 3),
                         "analysis": round(analysed - partitioned, 3),
                         "speakers": round(time.perf_counter() - analysed, 3)}}
    return PartitionedRun(out, names, report, stats)


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
    _write_parquet_atomic(terms, run.out_dir / "term_totals.parquet")
    if groups is not None:
        _write_parquet_atomic(groups, run.out_dir / f"groups_{args.group_by}.parquet")
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
    print(f"tables in {run.out_dir}: articles/ sentences/ attributions/ terms/ failures/ "
          "(one Parquet file per partition), term_totals.parquet"
          + (f", groups_{args.group_by}.parquet" if groups is not None else ""))
    return 1 if stats["failures_in_analysed"] else 0


if __name__ == "__main__":
    sys.exit(main())
