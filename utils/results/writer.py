"""Writing a results store (layout in :mod:`utils.results.store`).

Two writers give the same folder:

- :func:`write_results`: the tables of one :func:`utils.pipeline.analyse_corpus` run (in this
  process or in several) cut into partitions of ``partition_size`` articles, in corpus order;
- :func:`utils.scale.analyse_partitioned`: partition by partition on the engine's workers, each
  written by :func:`write_partition`.

Both end with :func:`finish_store`: the corpus-wide speaker and people maps and the manifest,
written last, so a folder with a manifest is a complete store. Every file is written to a
temporary name and renamed into place, so a killed writer never leaves half a file under a
final name.
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from pathlib import Path

import pandas as pd

from utils.results.store import FORMAT, TABLES, ResultsStore, is_done

#: Articles per partition of a store (a few tens of MB of text and results).
DEFAULT_PARTITION_SIZE = 5_000


def write_parquet_atomic(frame: pd.DataFrame, target: Path) -> None:
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


def write_json_atomic(data: dict, target: Path) -> None:
    """Write ``data`` as JSON to ``target`` through a temporary file renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True, default=str),
                             encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def table_types(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed column types, so every partition file of a table has the same Parquet schema
    (text columns as strings even when a partition has no row)."""
    text_columns = [c for c in frame.columns if frame[c].dtype == object and c != "content_spans"]
    if text_columns:
        frame = frame.astype(dict.fromkeys(text_columns, "string"))
    if name == "attributions" and "content_spans" in frame:
        frame = frame.assign(content_spans=[[list(span) for span in spans]
                                            for spans in frame["content_spans"]])
    return frame


def write_partition(folder: Path, name: str, tables: dict[str, pd.DataFrame],
                    summary: dict) -> None:
    """Write partition ``name``: every table of :data:`~utils.results.store.TABLES`, then its
    ``_done`` marker holding ``summary`` (with the pipeline ``version``)."""
    for table in TABLES:
        write_parquet_atomic(table_types(table, tables[table]),
                             Path(folder) / table / f"{name}.parquet")
    write_json_atomic(summary, Path(folder) / "_done" / f"{name}.json")


def _pair_counts(frame: pd.DataFrame, first: str, second: str) -> dict[tuple[str, str], int]:
    """How often each ``(first, second)`` pair of values occurs in ``frame`` (counted by
    pandas, not row by row in Python)."""
    if frame.empty:
        return {}
    sizes = frame.groupby([first, second], sort=False, observed=True, dropna=False).size()
    return {(str(a), str(b)): int(n) for (a, b), n in sizes.items()}


def speaker_map(files: list[Path]) -> pd.DataFrame:
    """Corpus-wide canonical speakers by reduction over attribution files.

    Counts every ``(speaker, source_type)`` pair file by file, then applies the rules of
    :func:`utils.attribution.canonical_speakers` to the counts
    (:func:`utils.attribution.canonical_speaker_mapping`), so the result equals canonicalising
    the whole corpus at once. Memory grows with the number of distinct speakers only.
    """
    from utils.attribution import canonical_speaker_mapping

    counts: Counter = Counter()
    for file in files:
        frame = pd.read_parquet(file, columns=["speaker", "source_type"])
        frame = frame.assign(speaker=frame["speaker"].fillna("").astype(str),
                             source_type=frame["source_type"].fillna("unknown").astype(str))
        counts.update(_pair_counts(frame, "speaker", "source_type"))
    pairs = sorted(counts)
    mapping = canonical_speaker_mapping(counts)
    return pd.DataFrame({"speaker": [p[0] for p in pairs], "source_type": [p[1] for p in pairs],
                         "canonical": [mapping[p] for p in pairs]}, dtype="string")


def people_map(files: list[Path]) -> pd.DataFrame:
    """Corpus-wide canonical people (``person_key`` -> ``canonical_key``, ``display``) by
    reduction over the files of the ``people`` table (:func:`utils.people.people_mapping` of
    the counts of every ``(person_key, person)`` pair): memory grows with distinct names."""
    from utils.people import people_mapping

    counts: Counter = Counter()
    for file in files:
        frame = pd.read_parquet(file, columns=["person_key", "person"])
        counts.update(_pair_counts(frame.astype(str), "person_key", "person"))
    mapping = people_mapping(counts)
    return pd.DataFrame({"person_key": list(mapping),
                         "canonical_key": [v[0] for v in mapping.values()],
                         "display": [v[1] for v in mapping.values()]}, dtype="string")


def finish_store(folder, manifest: dict, *, speakers: bool = True) -> ResultsStore:
    """Write the speaker and people maps (``speakers=False``: keep those written before) and
    the manifest (``manifest`` completed with the format and every table's row count) of a store
    whose partitions are all written; returns it opened."""
    import pyarrow.parquet as pq

    folder = Path(folder)
    names = [p["name"] for p in manifest["partitions"]]
    unfinished = [n for n in names if not is_done(folder, n)]
    if unfinished:
        raise RuntimeError(f"{len(unfinished)} partitions of {folder.name!r} are not written.")
    if speakers or not (folder / "speakers.parquet").exists():
        write_parquet_atomic(speaker_map([folder / "attributions" / f"{n}.parquet"
                                          for n in names]), folder / "speakers.parquet")
    if speakers or not (folder / "people.parquet").exists():
        write_parquet_atomic(people_map([folder / "people" / f"{n}.parquet" for n in names]),
                             folder / "people.parquet")
    rows = {table: sum(pq.ParquetFile(folder / table / f"{n}.parquet").metadata.num_rows
                       for n in names) for table in ("corpus", *TABLES)}
    write_json_atomic({**manifest, "format": FORMAT, "rows": rows}, folder / "manifest.json")
    return ResultsStore.open(folder)


def clear_store(folder: Path) -> None:
    """Remove what a store in ``folder`` holds (before writing another)."""
    folder = Path(folder)
    (folder / "manifest.json").unlink(missing_ok=True)
    (folder / "speakers.parquet").unlink(missing_ok=True)
    (folder / "people.parquet").unlink(missing_ok=True)
    for table in ("corpus", "tidy", "_done", *TABLES):
        for file in (folder / table).glob("*"):
            file.unlink()


def _split_positions(doc_ids: pd.Series, order: pd.Index, n_parts: int, size: int):
    """Partition number of every row of a long table, from its article's corpus position
    (``order``: the corpus's ids; rows of unknown articles go past the last partition)."""
    import numpy as np
    import pyarrow as pa

    if not len(doc_ids):
        return np.zeros(0, dtype=np.int64)
    # each article's id looked up once (a long table repeats it on every row of the article);
    # Arrow's dictionary encoding finds the distinct ids without a Python object per row
    encoded = pa.array(doc_ids.astype("string"), type=pa.string(), from_pandas=True)
    encoded = encoded.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    positions = order.get_indexer(encoded.dictionary.to_pandas())[codes]
    return np.where(positions >= 0, positions // size, n_parts)


def write_results(corpus: pd.DataFrame, results, folder, *, manifest: dict,
                  partition_size: int = DEFAULT_PARTITION_SIZE) -> ResultsStore:
    """Write the store of one in-memory run: ``corpus`` (the loaded frame) and ``results``
    (its :class:`utils.pipeline.PipelineResults`, speakers as found:
    ``canonical_speakers=False``) in partitions of ``partition_size`` articles; ``manifest``:
    what to record (corpus, options, report, pipeline version, engine). Returns the store."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    clear_store(folder)
    n = len(corpus)
    n_parts = max(1, -(-n // partition_size))
    order = pd.Index(corpus["doc_id"].astype(str).to_numpy(dtype=object))
    tables = results.tables()
    where = {name: _split_positions(table["doc_id"], order, n_parts, partition_size)
             for name, table in tables.items()}
    corpus = corpus.reset_index(drop=True)

    def write(part: int) -> dict:
        name = f"part-{part:05d}"
        lo, hi = part * partition_size, min(n, (part + 1) * partition_size)
        piece = corpus.iloc[lo:hi]
        write_parquet_atomic(table_types("corpus", piece), folder / "corpus" / f"{name}.parquet")
        parts = {table: frame[where[table] == part].reset_index(drop=True)
                 for table, frame in tables.items()}
        summary = {"partition": name, "articles": hi - lo,
                   "characters": int(piece["text"].str.len().sum()),
                   "failures": len(parts["failures"]),
                   "version": manifest.get("pipeline_version")}
        write_partition(folder, name, parts, summary)
        return {"name": name, "articles": hi - lo, "characters": summary["characters"]}

    # two partitions at a time: Parquet encoding and compression release the GIL
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(2, n_parts)) as pool:
        partitions = list(pool.map(write, range(n_parts)))
    return finish_store(folder, {**manifest, "partitions": partitions})
