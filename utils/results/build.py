"""The results store of a corpus, built or reused: what a notebook opens when it is given only
``CORPUS`` (interactive use), and what the main job writes.

:func:`results_for` loads the corpus, runs the per-article analysis through its cache
(:func:`utils.pipeline.analyse_corpus`: articles analysed before are read back, not analysed
again) and writes the store; a store written before for the same articles, options and pipeline
version is opened as it is. Stores built for notebooks live under
``utils.paths.CACHE_DIR / "results"``, one folder per corpus and key.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from utils import paths
from utils.corpus import corpus_name, load_corpus, load_report
from utils.results.store import ResultsStore, StoreError
from utils.results.writer import DEFAULT_PARTITION_SIZE, write_results


def store_key(corpus: pd.DataFrame, options: dict, version: str) -> str:
    """A key of the loaded ``corpus`` (every article's id, title and text), the ``options``
    and the pipeline ``version``: the same key means the same store."""
    digest = hashlib.sha256(version.encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    titles = corpus["title"] if "title" in corpus else pd.Series([""] * len(corpus))
    meta = [c for c in corpus.columns if c not in ("text",)]
    digest.update(json.dumps(meta).encode())
    hashed = pd.util.hash_pandas_object(
        corpus[meta].astype("string").fillna("\0NA").assign(
            text=corpus["text"].astype(str), title=titles.astype("string").fillna("")),
        index=False)
    digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()[:16]


def write_store(corpus: pd.DataFrame, folder, *, source, options: dict | None = None,
                jobs: int | None = 1, cache=True, engine: str | None = None, scheduler=None,
                progress: bool | None = False,
                partition_size: int = DEFAULT_PARTITION_SIZE) -> tuple[ResultsStore, object]:
    """Analyse the loaded ``corpus`` (through the per-article cache) and write its store in
    ``folder``; returns ``(store, results)`` (results: the
    :class:`utils.pipeline.PipelineResults`, for its ``stats`` and failures)."""
    from utils.pipeline import analyse_corpus, pipeline_version

    results = analyse_corpus(corpus, jobs=jobs, cache=cache, progress=progress, engine=engine,
                             scheduler=scheduler, canonical_speakers=False)
    report = load_report(corpus)
    manifest = {"corpus": corpus_name(source), "pipeline_version": pipeline_version(),
                "options": {"source": str(source), **(options or {})},
                "report": report.as_dict(), "engine": engine or "local",
                "stats": results.stats}
    store = write_results(corpus, results, folder, manifest=manifest,
                          partition_size=partition_size)
    return store, results


def results_for(corpus=None, *, results=None, columns: dict | None = None,
                label_names: dict | None = None, load_options: dict | None = None,
                cache=True) -> ResultsStore:
    """The results store to read: ``results`` (a folder a run wrote) when given, else the
    store of ``corpus`` (a built-in name, folder or table, with the loader's ``columns``,
    ``label_names`` and ``load_options``), built or reused (module docstring).

    Raises :class:`~utils.results.store.StoreError` when ``results`` is not a complete store,
    and the loader's :class:`~utils.corpus.CorpusError` when the corpus cannot be loaded.
    """
    from utils.pipeline import pipeline_version

    if results is not None:
        return ResultsStore.open(paths.resolve_user_path(results))
    if corpus is None:
        raise ValueError("Give CORPUS (a corpus to analyse) or RESULTS (a results store).")
    options = {"columns": columns, "label_names": label_names,
               "load_options": dict(sorted((load_options or {}).items()))}
    frame = load_corpus(corpus, columns=columns, label_names=label_names, **(load_options or {}))
    version = pipeline_version()
    folder = (paths.CACHE_DIR / "results"
              / f"{corpus_name(corpus)}-{store_key(frame, options, version)}")
    try:
        store = ResultsStore.open(folder, version)
    except StoreError:
        store, _ = write_store(frame, folder, source=corpus, options=options, cache=cache)
    return store


def default_folder(name: str) -> Path:
    """Where the main job writes the store of corpus ``name`` (inside its report folder)."""
    return paths.REPORTS_DIR / name / "results"
