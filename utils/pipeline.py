"""Per-article analysis with a result cache: the work the main job does once per article.

:func:`analyse_corpus` runs, for every article of a corpus (the frame of
:func:`utils.corpus.load_corpus`), the per-article steps of the toolkit:

- ``counts``: sizes and term counts (:mod:`utils.frequencies`: the project's tokenization,
  stopwords, punctuation and numbers filtered);
- ``sentiment``: VADER scores per sentence (:mod:`utils.sentiment`, exactly vaderSentiment
  3.3.2);
- ``attributions``: who is quoted or cited, saying what (:mod:`utils.attribution`); speakers
  are then canonicalised across the corpus (:func:`utils.attribution.canonical_speakers`).

and returns a :class:`PipelineResults` of tidy tables (``articles``, ``sentences``,
``attributions``, ``terms``, ``failures``), articles in corpus order.

Caching and resuming: each article's results are stored in a SQLite file under
``utils.paths.CACHE_DIR`` keyed by a hash of the article's title and text and of the
*pipeline version* (the project version and the source code of the modules above), so a
re-run on a corpus with a few new articles only processes those, a run interrupted and started
again resumes from what was stored, and a change to the analysis code invalidates the cache.

Failures: a step that raises on a batch is re-run article by article; an article on which a
step still fails is listed in ``failures`` (``doc_id, step, error``) with empty results for that
step, and the run goes on. Failures are not cached, so a re-run retries them.

Engines: ``jobs=1`` runs in this process; ``jobs=N`` spreads batches of articles over N
processes, and ``engine="dask"`` over a Dask cluster (:func:`utils.scale.map_batches`). Batches
are independent, results are assembled in corpus order, so the tables are identical whatever
the engine and ``jobs``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sqlite3
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import utils
from utils import attribution, paths, people
from utils.corpus import CorpusError

#: Modules (and packages: every file in them, models included) whose bytes are part of the
#: pipeline version (cache key).
VERSIONED_MODULES = (
    "text.py", "resources/__init__.py", "frequencies.py", "sentiment", "attribution",
    "people.py", "pipeline.py",
)
#: The per-article steps, in order; "people" reads the sentences and attributions of the two
#: steps before it.
STEPS = ("counts", "sentiment", "attributions", "people")
#: Articles per batch handed to one process.
BATCH_SIZE = 64

COUNT_COLUMNS = ("sentences", "tokens", "words", "terms", "unique_terms")
TERM_COLUMNS = ("term", "count")
#: Bigrams of terms within sentences (:func:`utils.frequencies.article_bigram_counts`).
BIGRAM_COLUMNS = ("first", "second", "count")
#: VADER lexicon terms and the valence they add (:func:`utils.sentiment.article_tone_terms`).
TONE_TERM_COLUMNS = ("term", "occurrences", "total_valence")
#: Quoted vs authorial tone of an article (:func:`utils.sentiment.article_quote_tone`), in the
#: articles table.
QUOTE_COLUMNS = ("n_quoted", "quoted_compound", "n_authorial", "authorial_compound")
SENTENCE_COLUMNS = (
    "sentence_index", "n_sentences", "position", "start", "end", "text",
    "neg", "neu", "pos", "compound",
)
#: The columns of :func:`utils.attribution.attribution_rows`, in order.
ATTRIBUTION_COLUMNS = attribution.COLUMNS
#: The columns of :func:`utils.people.people_rows`, in order.
PEOPLE_COLUMNS = people.PEOPLE_COLUMNS
_EMPTY_COUNTS = (0, 0, 0, 0, 0)
#: Columns the articles table computes (a corpus column of the same name is not copied).
RESULT_COLUMNS = frozenset({
    "characters", *COUNT_COLUMNS, *QUOTE_COLUMNS, "analysed", "n_sentences", "mean_compound",
    "median_compound", "min_compound", "max_compound", "share_positive", "share_negative",
    "headline_compound", "attributions", "attributions_direct", "attributions_mixed",
    "attributions_indirect", "attributions_according_to", "attributions_anonymous",
    "attributions_per_1000_words", "term_sentences"})
_NO_QUOTES = (0, None, 0, None)
#: The results of an article in a language the analyses cannot read (:mod:`utils.corpus.
#: language`): missing counts and scores, no terms, sentences or attributions.
NOT_ANALYSED = {"counts": (None,) * len(COUNT_COLUMNS), "terms": [], "bigrams": [],
                "sentences": [], "tone_terms": [], "quotes": (None,) * 4, "attributions": [],
                "people": []}


@functools.cache
def pipeline_version() -> str:
    """Hash of the project version and the bytes of :data:`VERSIONED_MODULES` (every file of
    the packages among them: sources and shipped models)."""
    digest = hashlib.sha256(utils.__version__.encode())
    package = Path(utils.__file__).resolve().parent
    for name in VERSIONED_MODULES:
        digest.update(name.encode())
        for file in paths.package_files(name):
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(file.read_bytes() if file.exists() else b"-")
    return digest.hexdigest()[:16]


def article_key(title, text: str, version: str | None = None) -> str:
    """Cache key of one article: hash of the pipeline version, the title and the text."""
    title = "" if title is None or (not isinstance(title, str) and pd.isna(title)) else str(title)
    digest = hashlib.sha256((version or pipeline_version()).encode())
    digest.update(b"\0" + title.encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# the per-article work


def _run_counts(batch: pd.DataFrame) -> dict[str, dict]:
    from utils.frequencies import (
        article_bigram_counts,
        article_word_counts,
        document_term_counts,
        tokenize_corpus,
    )

    tokenized = tokenize_corpus(batch, n_jobs=1)
    sizes = article_word_counts(tokenized)
    terms = document_term_counts(tokenized)
    out = {doc_id: {"counts": _EMPTY_COUNTS, "terms": [], "bigrams": []}
           for doc_id in batch["doc_id"]}
    for row in sizes.itertuples(index=False):
        out[row.doc_id]["counts"] = tuple(int(getattr(row, c)) for c in COUNT_COLUMNS)
    for doc_id, term, count in terms.itertuples(index=False):
        out[doc_id]["terms"].append((term, int(count)))
    for doc_id, first, second, count in article_bigram_counts(tokenized):
        out[doc_id]["bigrams"].append((first, second, count))
    return out


def _run_sentiment(batch: pd.DataFrame) -> dict[str, dict]:
    from utils.sentiment import sentiment_tables

    # one pass of VADER's rules per sentence: scores, tone terms, quoted vs authorial tone
    tables = sentiment_tables(batch)
    out = {doc_id: {"sentences": [], "tone_terms": [], "quotes": _NO_QUOTES}
           for doc_id in batch["doc_id"]}
    columns = ["doc_id", *SENTENCE_COLUMNS]
    for row in tables.sentences[columns].itertuples(index=False, name=None):
        out[row[0]]["sentences"].append(row[1:])
    for doc_id, term, occurrences, valence in tables.tone_terms:
        out[doc_id]["tone_terms"].append((term, occurrences, valence))
    for doc_id, *values in tables.quote_tone:
        out[doc_id]["quotes"] = tuple(values)
    return out


def _run_attributions(batch: pd.DataFrame) -> dict[str, dict]:
    from utils.attribution import attribution_rows

    return {doc_id: {"attributions": attribution_rows(text)}
            for doc_id, text in zip(batch["doc_id"], batch["text"], strict=True)}


def _run_people(batch: pd.DataFrame, results: dict[str, dict]) -> dict[str, dict]:
    from utils.people import people_rows_of_articles

    start_at, end_at = SENTENCE_COLUMNS.index("start"), SENTENCE_COLUMNS.index("end")
    articles = []
    for doc_id, text in zip(batch["doc_id"], batch["text"], strict=True):
        done = results.get(doc_id, {})
        sentences = [(row[start_at], row[end_at]) for row in done.get("sentences", [])]
        articles.append((text, sentences, done.get("attributions", [])))
    rows = people_rows_of_articles(articles)  # one call of each model for the batch
    return {doc_id: {"people": found} for doc_id, found in zip(batch["doc_id"], rows,
                                                                strict=True)}


STEP_FUNCTIONS = {"counts": _run_counts, "sentiment": _run_sentiment,
                  "attributions": _run_attributions, "people": _run_people}
#: Steps that also read the results of the steps before them (``function(batch, results)``).
_READS_RESULTS = frozenset({"people"})


def analyse_batch(batch: pd.DataFrame) -> tuple[dict[str, dict], list[tuple[str, str, str]]]:
    """Run every step on a batch of articles (``doc_id``, ``title``, ``text``).

    Returns ``(results, failures)``: ``results[doc_id]`` maps each result part (``counts``,
    ``terms``, ``sentences``, ``attributions``) to plain tuples; ``failures`` lists
    ``(doc_id, step, error)`` for articles on which a step failed (their part is empty).
    """
    results: dict[str, dict] = {doc_id: {} for doc_id in batch["doc_id"]}
    failures: list[tuple[str, str, str]] = []
    for step in STEPS:
        function = STEP_FUNCTIONS[step]
        if step in _READS_RESULTS:
            function = functools.partial(function, results=results)
        try:
            parts = function(batch)
        except Exception:  # isolate the failing articles: re-run one by one
            parts = {}
            for index in range(len(batch)):
                one = batch.iloc[index : index + 1]
                doc_id = one["doc_id"].iloc[0]
                try:
                    parts.update(function(one))
                except Exception as error:
                    failures.append((doc_id, step, _describe(error)))
        for doc_id, part in parts.items():
            results[doc_id].update(part)
    failed = {doc_id for doc_id, _, _ in failures}
    for doc_id in failed:
        for name, empty in (("counts", _EMPTY_COUNTS), ("terms", []), ("bigrams", []),
                            ("sentences", []), ("tone_terms", []), ("quotes", _NO_QUOTES),
                            ("attributions", []), ("people", [])):
            results[doc_id].setdefault(name, empty)
    return results, failures


#: The article :func:`prepare_process` analyses.
_WARM_UP = pd.DataFrame({
    "doc_id": ["warm-up"], "title": ["Warm up"],
    "text": ['Officials said on Monday that the talks went well. "We agree," he told Reuters.'],
})


def prepare_process() -> int:
    """Load everything the steps need (modules, VADER lexicon, Punkt parameters, tokenizer
    tables) in this process by analysing one short article, so that a worker's first batch is
    not slower than the others; returns the process id. The engines of :mod:`utils.scale` run
    it once in every worker process."""
    analyse_batch(_WARM_UP)
    return os.getpid()


def _describe(error: Exception) -> str:
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    return f"{type(error).__name__}: {error}{where}"


# ---------------------------------------------------------------------------------------------
# the cache


#: The parts every cached article holds (those :func:`analyse_batch` returns per article).
_CACHED_PARTS = frozenset({"counts", "terms", "sentences", "attributions", "people"})
#: Bytes of the BLAKE2b checksum stored in front of every cached payload.
_CHECKSUM_SIZE = 16


def _encode_payload(value: dict) -> bytes:
    """One article's results as stored: a checksum of the pickle, then the pickle."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(data, digest_size=_CHECKSUM_SIZE).digest() + data


def _decode_payload(payload) -> tuple[dict | None, str]:
    """``(results, "")`` for a sound stored payload, ``(None, reason)`` for a damaged one: a
    checksum that does not match, a pickle that does not load, or not the expected dict."""
    if not isinstance(payload, bytes) or len(payload) <= _CHECKSUM_SIZE:
        return None, "payload too short"
    checksum, data = payload[:_CHECKSUM_SIZE], payload[_CHECKSUM_SIZE:]
    if hashlib.blake2b(data, digest_size=_CHECKSUM_SIZE).digest() != checksum:
        return None, "checksum mismatch"
    try:
        value = pickle.loads(data)
    except Exception as error:  # UnpicklingError, EOFError, AttributeError, ...
        return None, f"unpickling failed: {type(error).__name__}"
    if not (isinstance(value, dict) and _CACHED_PARTS <= value.keys()
            and all(isinstance(value[p], list | tuple) for p in _CACHED_PARTS)
            and len(value["counts"]) == len(COUNT_COLUMNS)):
        return None, "not the expected results of an article"
    return value, ""


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """Whether a SQLite error says the file is damaged (malformed, not a database), as opposed
    to busy, locked or unwritable."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return type(error) is sqlite3.DatabaseError


class _DamagedCache(Exception):
    """Raised when ``PRAGMA quick_check`` finds problems in a cache file, or when its
    ``results`` table is not the one this version writes."""


class CacheError(CorpusError):
    """The per-article cache cannot be used at its path (a folder, a file where its folder
    should be, a folder that cannot be created, a file that cannot be opened or written); the
    message names the path and what is wrong. A :class:`utils.corpus.CorpusError`, so the main
    job reports it as ``error: ...`` and exits with status 2."""


#: The columns of the ``results`` table (name, part of the primary key).
_RESULTS_COLUMNS = [("key", True), ("payload", False)]


def _move_aside(path: Path) -> Path:
    """Rename a damaged cache file (and its ``-wal``/``-shm`` files) to
    ``<name>.damaged-<n>``, the first ``n`` not yet used; returns the new path."""
    number = 1
    while any(path.with_name(f"{path.name}.damaged-{number}{s}").exists()
              for s in ("", "-wal", "-shm")):
        number += 1
    target = path.with_name(f"{path.name}.damaged-{number}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.replace(target.with_name(target.name + suffix))
    return target


class ResultCache:
    """Per-article results in SQLite, keyed by :func:`article_key` (safe for one writer at a
    time per file; readers and a writer may overlap thanks to WAL mode).

    Damage is repaired, never fatal: a file SQLite finds damaged (truncated or overwritten:
    ``PRAGMA quick_check`` when the cache is opened, or a "malformed" / "not a database" error
    on a read or write) is renamed to ``<name>.damaged-<n>`` with its ``-wal`` and ``-shm``
    files, an empty cache takes its place, and one warning line goes to stderr
    (:attr:`moved_aside` lists the renamed files). A ``results`` table of another layout (an
    older version's cache) is handled the same way. Each payload is stored behind a checksum;
    an entry that fails it, does not unpickle or is not an article's results is a cache miss:
    it is deleted, counted in :attr:`damaged_entries` and reported in one warning line per read.

    A path that cannot hold the cache (a folder, a file where its folder should be, no
    permission) raises :class:`CacheError` naming the path and what is wrong.
    """

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else paths.CACHE_DIR / "pipeline.sqlite"
        self.damaged_entries = 0
        self.moved_aside: list[Path] = []
        self._connection = None
        self._check_path()
        try:
            try:
                self._check()
                self._connection = self._open()
            except _DamagedCache as error:
                self._rebuild(str(error))
            except sqlite3.DatabaseError as error:
                if not _is_damage(error):
                    raise
                self._rebuild(str(error))
        except (sqlite3.Error, OSError) as error:
            raise self._unusable("cannot be opened", error) from error

    def _unusable(self, what: str, error: BaseException | None = None) -> CacheError:
        """The :class:`CacheError` saying that the cache file ``what``, and what to do."""
        default = self.path == paths.CACHE_DIR / "pipeline.sqlite"
        cause = f" ({type(error).__name__}: {error})" if error is not None else ""
        remedy = ("remove or rename it, or run without the cache (--no-cache, or "
                  "analyse_corpus(..., cache=False))" if default else
                  "give the path of a file, existing or to be created, in a folder you can "
                  "write, or cache=False")
        which = "the default per-article cache" if default else "the per-article cache"
        return CacheError(f"{which} {self.path} {what}{cause}; {remedy}.")

    def _check_path(self) -> None:
        """Raise :class:`CacheError` unless the cache file can be at :attr:`path`: not a
        folder, in a folder that exists or can be created."""
        if self.path.is_dir():
            raise self._unusable("is a folder, not a cache file")
        for folder in self.path.parents:
            if folder.exists():
                if not folder.is_dir():
                    raise self._unusable(f"cannot be created: {folder} is a file, not a folder")
                break
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise self._unusable(f"cannot be created: its folder {self.path.parent} cannot be "
                                 "created", error) from error

    def _check(self) -> None:
        """Raise :class:`_DamagedCache` if the existing cache file fails ``PRAGMA quick_check``
        or is not a database. The check runs on a read-only connection, which leaves the
        file's ``-wal`` and ``-shm`` files in place, so they are moved aside as found."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        uri = f"{self.path.resolve().as_uri()}?mode=ro"
        connection = sqlite3.connect(uri, uri=True, timeout=60)
        try:
            problems = [line.strip() for row in connection.execute("PRAGMA quick_check(3)")
                        for line in str(row[0]).splitlines()]
        except sqlite3.DatabaseError as error:
            if _is_damage(error):
                raise _DamagedCache(str(error)) from error
            return  # e.g. a -wal without its -shm: left to the read-write connection
        finally:
            connection.close()
        if problems != ["ok"]:
            found = [line for line in problems if line and not line.startswith("***")]
            raise _DamagedCache("; ".join(found)[:200] or "quick_check failed")

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=60)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, payload BLOB NOT NULL)"
            )
            connection.commit()
            columns = [(row[1], bool(row[5]))
                       for row in connection.execute("PRAGMA table_info(results)")]
            if columns != _RESULTS_COLUMNS:
                names = ", ".join(name for name, _ in columns) or "none"
                raise _DamagedCache(f"its results table has the columns {names}, not key "
                                    "(primary key), payload: another version's cache")
        except BaseException:
            connection.close()
            raise
        return connection

    def _rebuild(self, reason: str) -> None:
        """Move the damaged file aside, open an empty cache in its place, warn once. An open
        connection is closed after the move, so that closing it cannot remove the ``-wal``
        file before it is moved."""
        target = _move_aside(self.path)
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
            self._connection = None
        self.moved_aside.append(target)
        reason = " ".join(reason.split())  # one line
        print(f"warning: the per-article cache {self.path} was damaged ({reason}); moved aside "
              f"to {target}, rebuilding", file=sys.stderr, flush=True)
        self._connection = self._open()

    def get_many(self, keys: list[str]) -> dict[str, dict]:
        """The stored results of those ``keys`` that are in the cache and sound."""
        found: dict[str, dict] = {}
        damaged: dict[str, str] = {}
        unique = sorted(set(keys))
        try:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._connection.execute(
                    f"SELECT key, payload FROM results WHERE key IN ({marks})", chunk
                )
                for key, payload in rows:
                    value, reason = _decode_payload(payload)
                    if value is None:
                        damaged[key] = reason
                    else:
                        found[key] = value
        except sqlite3.DatabaseError as error:
            if not _is_damage(error):
                raise self._unusable("cannot be read", error) from error
            self._rebuild(str(error))
            return {}
        if damaged:
            self._connection.executemany("DELETE FROM results WHERE key = ?",
                                         [(key,) for key in damaged])
            self._connection.commit()
            self.damaged_entries += len(damaged)
            reasons = ", ".join(sorted(set(damaged.values())))
            print(f"warning: {len(damaged)} entries of the per-article cache {self.path} were "
                  f"damaged ({reasons}); removed them, their articles are analysed again",
                  file=sys.stderr, flush=True)
        return found

    def put_many(self, items: dict[str, dict]) -> None:
        """Store results (replacing those of the same keys)."""
        self.put_encoded({key: _encode_payload(value) for key, value in items.items()})

    def put_encoded(self, items: dict[str, bytes]) -> None:
        """Store results encoded by :func:`_encode_payload` (in a worker: the main process
        only writes them), replacing those of the same keys."""
        rows = list(items.items())
        for attempt in (1, 2):
            try:
                self._connection.executemany(
                    "INSERT OR REPLACE INTO results (key, payload) VALUES (?, ?)", rows)
                self._connection.commit()
                return
            except sqlite3.DatabaseError as error:
                if attempt == 2 or not _is_damage(error):
                    raise self._unusable("cannot be written", error) from error
                self._rebuild(str(error))

    def __len__(self) -> int:
        return self._connection.execute("SELECT COUNT(*) FROM results").fetchone()[0]

    def close(self) -> None:
        self._connection.close()


# ---------------------------------------------------------------------------------------------
# the corpus


@dataclass
class PipelineResults:
    """Tidy tables of a corpus run (articles in corpus order)."""

    articles: pd.DataFrame
    sentences: pd.DataFrame
    attributions: pd.DataFrame
    terms: pd.DataFrame
    failures: pd.DataFrame
    stats: dict = field(default_factory=dict)
    bigrams: pd.DataFrame | None = None
    tone_terms: pd.DataFrame | None = None
    people: pd.DataFrame | None = None

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, by its name in a results store (:mod:`utils.results.store`)."""
        return {"articles": self.articles, "sentences": self.sentences,
                "attributions": self.attributions, "terms": self.terms,
                "bigrams": self.bigrams, "tone_terms": self.tone_terms,
                "people": self.people, "failures": self.failures}


def _batches(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def _progress(total: int, enabled: bool | None):
    from tqdm import tqdm

    disable = (not enabled) if enabled is not None else None
    return tqdm(total=total, unit="article", desc="analysing", disable=disable, leave=False)


def analyse_corpus(
    corpus: pd.DataFrame,
    *,
    jobs: int | None = 1,
    cache: bool | str | os.PathLike | ResultCache = True,
    progress: bool | None = False,
    batch_size: int = BATCH_SIZE,
    engine: str | None = None,
    scheduler=None,
    canonical_speakers: bool = True,
) -> PipelineResults:
    """Run the per-article steps on every article and assemble the tables.

    ``jobs``: processes to use (1 = this process). ``cache``: ``True`` for the default cache
    file, a path, a :class:`ResultCache`, or ``False`` for none. ``progress``: show a tqdm bar
    (``None`` lets tqdm decide: only on a terminal). ``engine``: ``"local"``, ``"processes"``
    or ``"dask"`` (``scheduler``: a Dask scheduler address, cluster or client; none starts a
    ``LocalCluster`` of ``jobs`` workers); see :mod:`utils.scale`. ``None`` (the default)
    means ``"local"`` for ``jobs=1`` and ``"processes"`` above. Every engine gives identical
    tables. ``canonical_speakers=False`` keeps each attribution's own speaker name (for
    :mod:`utils.scale`, which canonicalises across partitions afterwards).

    Every ``doc_id`` (compared as text) must name one article: repeated ids raise
    :class:`ValueError` before any work, saying how many repeat and which.
    """
    from utils.scale import resolve_engine

    engine, jobs = resolve_engine(engine, jobs)
    missing = {"doc_id", "text"} - set(corpus.columns)
    if missing:
        raise ValueError(f"analyse_corpus needs the columns {sorted(missing)} (from load_corpus)")
    _check_unique_ids(corpus["doc_id"])
    version = pipeline_version()
    work = pd.DataFrame(
        {
            "doc_id": corpus["doc_id"].astype(str).to_numpy(),
            "title": corpus["title"].to_numpy() if "title" in corpus else None,
            "text": corpus["text"].to_numpy(),
        }
    )
    keys = [article_key(t, x, version) for t, x in zip(work["title"], work["text"], strict=True)]
    store = None
    if cache is not False and cache is not None:
        store = cache if isinstance(cache, ResultCache) else ResultCache(
            None if cache is True else cache)
    from utils.corpus.language import analysed_mask

    english = analysed_mask(corpus)  # other languages are not analysed (missing results)
    cached = store.get_many([k for k, ok in zip(keys, english, strict=True) if ok]) \
        if store is not None else {}
    todo_mask = [key not in cached and ok for key, ok in zip(keys, english, strict=True)]
    todo = work[todo_mask].drop_duplicates("doc_id")
    pieces: list[dict[str, tuple]] = []
    failures: list[tuple[str, str, str]] = []
    key_of = dict(zip(work["doc_id"], keys, strict=True))
    bar = _progress(len(todo), progress)
    task = functools.partial(analyse_batch_columns, encode=store is not None)

    def absorb(columns, batch_failures, payloads):
        failures.extend(batch_failures)
        pieces.append(columns)
        if store is not None:
            store.put_encoded({key_of[d]: payload for d, payload in payloads.items()})
        bar.update(len(columns["counts"][0]))

    try:
        batches = list(_batches(todo, batch_size))
        spread = (engine == "dask" and batches) or (
            engine == "processes" and jobs > 1 and len(batches) > 1)
        if spread:
            from utils.scale import map_batches

            for outcome in map_batches(task, batches, engine=engine, jobs=jobs,
                                       scheduler=scheduler, prepare=prepare_process):
                absorb(*outcome)
        else:
            for batch in batches:
                absorb(*task(batch))
    finally:
        bar.close()
        if store is not None and not isinstance(cache, ResultCache):
            store.close()
    # the articles not analysed now: read from the cache, or in another language
    done = set(todo["doc_id"])
    rest = [(doc_id, cached[key] if ok else NOT_ANALYSED)
            for (doc_id, key), ok in zip(key_of.items(), english, strict=True)
            if doc_id not in done]
    if rest or not pieces:
        pieces.append(batch_columns([d for d, _ in rest], [r for _, r in rest]))
    tables = _assemble(corpus, work, pieces, failures, canonical=canonical_speakers)
    not_analysed = len(work) - sum(english)
    tables.stats = {"articles": len(work), "from_cache": len(work) - len(todo) - not_analysed,
                    "analysed": len(todo), "not_analysed": not_analysed,
                    "failures": len(failures), "version": version}
    return tables


def _check_unique_ids(doc_ids: pd.Series) -> None:
    """Raise :class:`ValueError` when a ``doc_id`` (compared as text) names several articles:
    the results of each article are keyed by it."""
    as_text = doc_ids.astype(str)
    repeated = as_text[as_text.duplicated(keep=False)].unique().tolist()
    if repeated:
        shown = ", ".join(repr(d) for d in repeated[:5]) + (", ..." if len(repeated) > 5 else "")
        raise ValueError(
            f"analyse_corpus needs unique doc_id values (one per article), but "
            f"{len(repeated):,} id{'s' if len(repeated) != 1 else ''} repeat ({shown}). "
            "Make them unique first; when concatenating corpora, prefix each corpus's ids, "
            "e.g. pd.concat([a.assign(doc_id='a:' + a['doc_id']), b.assign(doc_id='b:' + "
            "b['doc_id'])], ignore_index=True).")


#: The types of the long tables' columns (one row per term, sentence, attribution, ...);
#: a column not named here keeps the type pandas gives it (``content_spans``: lists).
_STRING, _INTEGER, _FLOAT = "str", "int64", "float64"
LONG_TABLES = {
    "terms": ("terms", TERM_COLUMNS, {"term": _STRING, "count": _INTEGER}),
    "bigrams": ("bigrams", BIGRAM_COLUMNS,
                {"first": _STRING, "second": _STRING, "count": _INTEGER}),
    "tone_terms": ("tone_terms", TONE_TERM_COLUMNS,
                   {"term": _STRING, "occurrences": _INTEGER, "total_valence": _FLOAT}),
    "sentences": ("sentences", SENTENCE_COLUMNS, {
        "sentence_index": _INTEGER, "n_sentences": _INTEGER, "position": _FLOAT,
        "start": _INTEGER, "end": _INTEGER, "text": _STRING, "neg": _FLOAT, "neu": _FLOAT,
        "pos": _FLOAT, "compound": _FLOAT}),
    "attributions": ("attributions", ATTRIBUTION_COLUMNS, {
        "content": _STRING, "content_start": _INTEGER, "content_end": _INTEGER,
        "cue": _STRING, "cue_start": _INTEGER, "cue_end": _INTEGER, "source": _STRING,
        "source_start": _INTEGER, "source_end": _INTEGER, "speaker": _STRING,
        "source_type": _STRING, "kind": _STRING}),
    "people": ("people", PEOPLE_COLUMNS, {
        "person": _STRING, "person_key": _STRING, "role": _STRING, "start": _INTEGER,
        "end": _INTEGER, "sentence_index": _INTEGER, "compound": _FLOAT, "label": _STRING}),
}


def batch_columns(doc_ids: list[str], per_article: list[dict]) -> dict[str, tuple]:
    """The results of some articles (``per_article[i]`` of ``doc_ids[i]``, as
    :func:`analyse_batch` gives them) column by column: for ``counts`` and ``quotes`` (a row
    per article, ``None`` for an article not analysed) and for each long table of
    :data:`LONG_TABLES`, a tuple of columns (``doc_id`` first), each a tuple of values.

    A worker turns its own batch into columns (:func:`analyse_batch_columns`): a column of
    plain values travels between processes for a fraction of what a tuple per row costs,
    and the main process only extends its lists with them (:func:`_assemble`)."""
    columns: dict[str, tuple] = {}
    for name, width, values in (
            ("counts", len(COUNT_COLUMNS), [r["counts"] for r in per_article]),
            ("quotes", len(QUOTE_COLUMNS), [r.get("quotes", _NO_QUOTES) for r in per_article])):
        columns[name] = (tuple(doc_ids), *(zip(*values, strict=True) if values
                                           else [()] * width))
    for name, (part, names, _) in LONG_TABLES.items():
        ids: list[str] = []
        rows: list[tuple] = []
        for doc_id, r in zip(doc_ids, per_article, strict=True):
            found = r.get(part, ())
            if found:
                ids += [doc_id] * len(found)
                rows += found
        columns[name] = (tuple(ids), *(zip(*rows, strict=True) if rows
                                       else [()] * len(names)))
    return columns


def analyse_batch_columns(batch: pd.DataFrame, encode: bool = False):
    """:func:`analyse_batch` with its results as :func:`batch_columns`: returns ``(columns,
    failures, payloads)``; ``payloads`` (``encode``: for the result cache) maps the ``doc_id``
    of every article without a failure to its results as stored, else ``None``. The task a
    worker runs."""
    results, failures = analyse_batch(batch)
    doc_ids = [str(d) for d in batch["doc_id"]]
    columns = batch_columns(doc_ids, [results[d] for d in batch["doc_id"]])
    payloads = None
    if encode:
        failed = {doc_id for doc_id, _, _ in failures}
        payloads = {str(d): _encode_payload(results[d]) for d in batch["doc_id"]
                    if d not in failed}
    return columns, failures, payloads


def _joined(pieces: list[dict[str, tuple]], name: str, names, types: dict,
            order: pd.Index, whole: bool = False) -> pd.DataFrame:
    """Table ``name`` of ``pieces`` (:func:`batch_columns`; columns ``doc_id, *names``,
    ``types`` applied) in corpus order (``order``: the corpus's ``doc_id`` values);
    ``whole``: one row per article, all of them."""
    data = {}
    for index, column in enumerate(("doc_id", *names)):
        values: list = []
        for piece in pieces:
            values += piece[name][index]
        data[column] = values
    table = pd.DataFrame(data, columns=["doc_id", *names])
    table = table.astype(types) if types else table
    positions = order.get_indexer(table["doc_id"])
    if len(positions) > 1 and (positions[1:] < positions[:-1]).any():
        table = table.iloc[np.argsort(positions, kind="stable")].reset_index(drop=True)
    if whole and len(table) != len(order):
        raise RuntimeError(f"{name}: {len(table)} rows for {len(order)} articles")
    return table


def _assemble(corpus, work, pieces: list[dict[str, tuple]], failures,
              canonical: bool = True) -> PipelineResults:
    """The tables of a run from the :func:`batch_columns` of all its articles (each article
    in exactly one piece, pieces in any order)."""
    order = pd.Index(work["doc_id"])
    counts = _joined(pieces, "counts", COUNT_COLUMNS, {}, order, whole=True)
    counts = counts.astype(dict.fromkeys(COUNT_COLUMNS, "Int64"))  # missing: not analysed
    counts["doc_id"] = work["doc_id"].tolist()
    terms, bigrams, tone_terms, sentences, attributions, people = (
        _joined(pieces, name, names, {"doc_id": _STRING, **types}, order)
        for name, (_, names, types) in LONG_TABLES.items())
    # one name per speaker across articles ("Putin" -> "Vladimir Putin")
    if canonical and len(attributions):
        from utils.attribution import canonical_speakers

        attributions["speaker"] = canonical_speakers(
            attributions["speaker"], attributions["source_type"]).to_numpy()
    quotes = _joined(pieces, "quotes", QUOTE_COLUMNS, {}, order, whole=True)
    quotes = quotes.astype({column: "Int64" if column.startswith("n_") else "Float64"
                            for column in QUOTE_COLUMNS})
    articles = _article_table(corpus, counts, sentences, attributions, quotes)
    failure_table = pd.DataFrame(failures, columns=["doc_id", "step", "error"])
    return PipelineResults(articles, sentences, attributions, terms, failure_table,
                           bigrams=bigrams, tone_terms=tone_terms, people=people)


def _article_table(corpus, counts, sentences, attributions, quotes=None) -> pd.DataFrame:
    from utils.corpus.language import analysed_mask
    from utils.sentiment import article_sentiment

    # every column of the loaded corpus but the text: any of them can group the articles
    first = [c for c in ("doc_id", "title", "source", "date", "label", "language") if c in corpus]
    # (a corpus column named like a result, e.g. "sentences", is left to the corpus table)
    meta_columns = first + [c for c in corpus.columns
                            if c not in first and c != "text" and c not in RESULT_COLUMNS]
    articles = corpus[meta_columns].copy()
    articles["doc_id"] = articles["doc_id"].astype(str)
    articles = articles.reset_index(drop=True)
    articles["characters"] = corpus["text"].str.len().to_numpy()
    articles = articles.merge(counts, on="doc_id", how="left")
    scores = article_sentiment(corpus.assign(doc_id=articles["doc_id"].to_numpy()), sentences)
    # "sentences" = every Punkt sentence (the sentiment unit); "term_sentences" = those holding
    # a term (the sentences of utils.frequencies.frequency_summary)
    articles = articles.rename(columns={"sentences": "term_sentences"}).merge(
        scores.rename(columns={"n_sentences": "sentences"}), on="doc_id", how="left")
    per_doc = attributions.groupby("doc_id")
    n_attr = per_doc.size()
    articles["attributions"] = articles["doc_id"].map(n_attr).fillna(0).astype("int64")
    for kind in ("direct", "mixed", "indirect", "according-to"):
        n = attributions[attributions["kind"] == kind].groupby("doc_id").size()
        articles[f"attributions_{kind.replace('-', '_')}"] = (
            articles["doc_id"].map(n).fillna(0).astype("int64"))
    anonymous = attributions[attributions["source_type"] == "anonymous"].groupby("doc_id").size()
    articles["attributions_anonymous"] = articles["doc_id"].map(anonymous).fillna(0).astype("int64")
    words = articles["words"].where(articles["words"] > 0)
    articles["attributions_per_1000_words"] = (articles["attributions"] * 1000 / words).round(3)
    # articles in other languages: not analysed, so missing (never 0 or a neutral 0.0)
    analysed = pd.Series(analysed_mask(corpus), index=articles.index)
    articles["analysed"] = analysed
    for column in ("sentences", "attributions", "attributions_direct", "attributions_mixed",
                   "attributions_indirect", "attributions_according_to",
                   "attributions_anonymous"):
        articles[column] = articles[column].astype("Int64").mask(~analysed)
    if quotes is not None:
        for column in QUOTE_COLUMNS:
            articles[column] = quotes[column].to_numpy()
    return articles
