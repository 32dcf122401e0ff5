"""Engines and out-of-core partitioned runs (utils.scale)."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from functools import partial

import pandas as pd
import psutil
import pytest

from utils import scale
from utils.corpus import CorpusError, load_corpus, load_report
from utils.frequencies import term_counts
from utils.pipeline import analyse_corpus, prepare_process
from utils.results import StoreError
from utils.scale import PartitionedRun, analyse_partitioned, map_batches, resolve_engine

SUBJECTS = ["The minister", "Smith", "A spokeswoman for the ministry", "Officials", "The mayor",
            "Police", "Analysts", "Mrs. Jones", "The U.S. embassy", "Witnesses"]
CUES = ["said", "told reporters", "warned", "added", "insisted"]
QUOTES = ["the plan is a disaster for everyone", "we will win this fight",
          "prices will keep rising", "the talks were very productive",
          "nobody was hurt in the attack", "this is a terrible and sad day"]
PLAIN = ["Markets rose sharply on Monday.", "The storm destroyed dozens of homes.",
         "Residents were angry and afraid.", "The park reopened to happy crowds.",
         "Talks will resume next week in Geneva.", "The company reported record profits.",
         "Troops withdrew from the northern province.", "Prices fell for a third month."]


def synthetic_texts(n: int, seed: int = 7) -> list[str]:
    """``n`` short articles of quoted, reported and plain sentences (fixed seed)."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randint(2, 6)):
            kind = rng.random()
            subject, cue, quote = rng.choice(SUBJECTS), rng.choice(CUES), rng.choice(QUOTES)
            if kind < 0.3:
                sentences.append(f'"{quote.capitalize()}," {subject.lower()} {cue}.')
            elif kind < 0.5:
                sentences.append(f"{subject} {cue} that {quote}.")
            elif kind < 0.6:
                sentences.append(f"According to {subject.lower()}, {quote}.")
            else:
                sentences.append(rng.choice(PLAIN))
        paragraphs = [" ".join(sentences[: len(sentences) // 2]),
                      " ".join(sentences[len(sentences) // 2 :])]
        texts.append("\n\n".join(p for p in paragraphs if p))
    return texts


def synthetic_frame(n: int) -> pd.DataFrame:
    texts = synthetic_texts(n)
    return pd.DataFrame({
        "doc_id": [f"a{i:04d}" for i in range(n)],
        "title": [None if i % 3 else f"Story {i}" for i in range(n)],
        "text": texts,
        "source": [["Daily A", "Daily B", "Daily C"][i % 3] for i in range(n)],
        "date": pd.to_datetime("2020-01-01") + pd.to_timedelta(range(n), unit="D"),
        "label": [["x", "y"][i % 2] for i in range(n)],
    })


@pytest.fixture(scope="module")
def corpus300() -> pd.DataFrame:
    return synthetic_frame(300)


@pytest.fixture(scope="module")
def local_results(corpus300):
    return analyse_corpus(corpus300, cache=False)


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        yield cluster


def assert_same_tables(left, right, check_dtype=True):
    for name, table in left.tables().items():
        pd.testing.assert_frame_equal(table, right.tables()[name], check_dtype=check_dtype,
                                      obj=name)


# ---------------------------------------------------------------------------------------------
# engines


def test_resolve_engine_defaults_and_errors():
    assert resolve_engine(None, 1) == ("local", 1)
    assert resolve_engine(None, None) == ("local", 1)
    assert resolve_engine(None, 3) == ("processes", 3)
    assert resolve_engine("local", 4) == ("local", 1)
    assert resolve_engine("processes", None) == ("processes", scale.available_cores())
    assert resolve_engine("dask", 2) == ("dask", 2)
    with pytest.raises(ValueError, match="Unknown engine 'spark'"):
        resolve_engine("spark", 1)
    with pytest.raises(ValueError, match="positive whole number"):
        resolve_engine("processes", 0)
    with pytest.raises(ValueError, match="scheduler= is for engine='dask'"):
        list(map_batches(abs, [1], engine="local", scheduler="tcp://127.0.0.1:1"))


def test_map_batches_keeps_input_order_on_every_engine(cluster):
    items = list(range(-25, 0))
    expected = [abs(i) for i in items]
    assert list(map_batches(abs, items, engine="local")) == expected
    assert list(map_batches(abs, items, engine="processes", jobs=2)) == expected
    assert list(map_batches(abs, iter(items), engine="dask", scheduler=cluster)) == expected


def test_map_batches_reraises_task_errors(cluster):
    with pytest.raises(TypeError):
        list(map_batches(abs, [1, "x"], engine="processes", jobs=2))
    with pytest.raises(TypeError):
        list(map_batches(abs, [1, "x"], engine="dask", scheduler=cluster))


_PREPARED: list[int] = []


def _prepare_marker() -> None:
    _PREPARED.append(os.getpid())


def _prepared_in_this_process(_item) -> tuple[int, int]:
    return os.getpid(), len(_PREPARED)


def test_map_batches_prepares_every_worker_once(cluster):
    seen = list(map_batches(_prepared_in_this_process, range(12), engine="processes", jobs=2,
                            prepare=_prepare_marker))
    assert {count for _, count in seen} == {1}  # every worker prepared once, before its tasks
    assert _PREPARED == []  # ... in the workers, not here
    pids = list(map_batches(os.getpid, [], engine="dask", scheduler=cluster,
                            prepare=prepare_process))
    assert pids == []


def _profiler_enabled() -> bool:
    import dask

    return dask.config.get("distributed.worker.profile.enabled")


def test_a_cluster_started_here_runs_workers_without_the_profiler():
    with scale.dask_client(None, jobs=1) as client:
        assert list(client.run(_profiler_enabled).values()) == [False]


def test_workers_without_the_project_are_a_clear_error(cluster):
    import importlib

    missing = partial(importlib.import_module, "no_such_news_toolkit_module")
    with pytest.raises(RuntimeError, match="Install the project on every worker"):
        list(map_batches(abs, [1], engine="dask", scheduler=cluster, prepare=missing))


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises((ConnectionError, OSError), match="127.0.0.1:9"):
        with scale.dask_client("tcp://127.0.0.1:9", timeout="2s"):
            pass


def test_engines_give_identical_tables(corpus300, local_results, cluster):
    assert len(local_results.articles) == 300
    assert local_results.attributions["doc_id"].nunique() > 100  # a real workload
    processes = analyse_corpus(corpus300, cache=False, engine="processes", jobs=2,
                               batch_size=32)
    assert_same_tables(local_results, processes)
    on_dask = analyse_corpus(corpus300, cache=False, engine="dask", scheduler=cluster,
                             batch_size=32)
    assert_same_tables(local_results, on_dask)
    assert on_dask.stats["analysed"] == 300


def test_dask_engine_uses_and_fills_the_cache(corpus300, local_results, cluster, tmp_path):
    cache = tmp_path / "c.sqlite"
    first = analyse_corpus(corpus300.iloc[:100], cache=cache, engine="dask", scheduler=cluster)
    second = analyse_corpus(corpus300, cache=cache, engine="dask", scheduler=cluster)
    assert (first.stats["analysed"], second.stats["from_cache"]) == (100, 100)
    assert_same_tables(local_results, second)


# ---------------------------------------------------------------------------------------------
# partitioned runs


def write_corpus_csv(path, n: int) -> pd.DataFrame:
    """A CSV with the loader's problems: duplicates inside and across partitions, an empty
    text, trailing boilerplate, a mojibake title, ids repeated across partitions."""
    frame = synthetic_frame(n).rename(columns={"text": "body", "doc_id": "id"})
    frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
    frame.loc[5, "body"] = frame.loc[4, "body"]  # duplicate in the same partition
    frame.loc[n - 3, "body"] = frame.loc[1, "body"]  # duplicate across partitions
    frame.loc[7, "body"] = "  ...  "  # no letters: dropped
    frame.loc[8, "body"] = frame.loc[8, "body"] + "\n\nReuter"  # boilerplate
    frame.loc[9, "title"] = "CafÃ© talks"  # mojibake, repaired by ftfy
    frame["extra"] = [f"e{i}" for i in range(n)]
    frame.to_csv(path, index=False)
    return frame


def test_partitioned_corpus_matches_load_corpus(tmp_path):
    source = tmp_path / "news.csv"
    write_corpus_csv(source, 120)
    whole = load_corpus(source)
    manifest = scale.partition_corpus(source, tmp_path / "out", partition_size=25)
    run_corpus = pd.concat([pd.read_parquet(tmp_path / "out" / "corpus" / f"{p['name']}.parquet")
                            for p in manifest["partitions"]], ignore_index=True)
    pd.testing.assert_frame_equal(run_corpus, whole, check_dtype=False)
    report, expected = manifest["report"], load_report(whole)
    assert (report["read"], report["kept"]) == (expected.read, expected.kept) == (120, 117)
    assert report["dropped"] == dict(expected.dropped)
    assert report["warnings"] == dict(expected.warnings)
    assert len(manifest["partitions"]) == 5
    assert "Café talks" in set(run_corpus["title"].dropna())


def test_duplicate_ids_across_partitions_become_row_numbers(tmp_path):
    """As in load_corpus: an id column that is not unique over the whole table gives every
    article its row number (the original ids kept in a column)."""
    frame = synthetic_frame(40)
    frame.loc[30, "doc_id"] = frame.loc[2, "doc_id"]  # same id, later partition
    frame.to_csv(tmp_path / "ids.csv", index=False)
    manifest = scale.partition_corpus(tmp_path / "ids.csv", tmp_path / "out", partition_size=20)
    corpus = pd.concat([pd.read_parquet(tmp_path / "out" / "corpus" / f"{p['name']}.parquet")
                        for p in manifest["partitions"]])
    assert corpus["doc_id"].tolist() == [str(i) for i in range(40)]
    assert corpus["original_doc_id"].tolist() == frame["doc_id"].tolist()
    assert manifest["report"]["warnings"] == {
        "ids in column 'doc_id' not unique; doc_id is the row number": 1}
    assert manifest["report"]["warnings"] == dict(
        load_report(load_corpus(tmp_path / "ids.csv")).warnings)


def test_partitioned_run_gives_the_tables_of_analyse_corpus(tmp_path):
    source = tmp_path / "news.csv"
    write_corpus_csv(source, 150)
    run = analyse_partitioned(source, tmp_path / "out", partition_size=40)
    expected = analyse_corpus(load_corpus(source), cache=False)
    assert run.stats["partitions"] == 4 and run.stats["analysed"] == 4
    assert set(run.stats["seconds"]) == {"partitioning", "analysis", "speakers"}
    assert all(seconds >= 0 for seconds in run.stats["seconds"].values())
    for name, table in expected.tables().items():
        got = run.read(name)
        if name == "failures":
            assert got.empty and table.empty
            continue
        pd.testing.assert_frame_equal(got, table, check_dtype=False, obj=name)
    # corpus-level tables by reduction equal the in-memory functions
    pd.testing.assert_frame_equal(run.term_totals(), term_counts(load_corpus(source)),
                                  check_dtype=False)
    groups = run.group_statistics("source")
    articles = expected.articles
    assert groups["source"].tolist() == sorted(articles["source"].unique())
    by_source = articles.groupby("source")
    assert groups["articles"].tolist() == by_source.size().tolist()
    assert groups["words"].tolist() == by_source["words"].sum().tolist()
    assert groups["attributions"].tolist() == by_source["attributions"].sum().tolist()
    assert groups["mean_compound"].round(9).tolist() == (
        by_source["mean_compound"].mean().astype(float).round(9).tolist())
    with pytest.raises(ValueError, match="No column 'nope'"):
        run.group_statistics("nope")


def test_speakers_are_canonicalised_across_partitions(tmp_path):
    texts = ['"We will win," John Smith told reporters.', "Markets rose sharply on Monday.",
             '"Prices will keep rising," Smith said.', '"Nobody was hurt," Smith added.']
    frame = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": texts})
    frame.to_csv(tmp_path / "s.csv", index=False)
    run = analyse_partitioned(tmp_path / "s.csv", tmp_path / "out", partition_size=2)
    expected = analyse_corpus(load_corpus(tmp_path / "s.csv"), cache=False).attributions
    got = run.read("attributions")
    assert expected["speaker"].tolist() == ["John Smith"] * 3  # "Smith" is in other partitions
    assert got["speaker"].tolist() == expected["speaker"].tolist()
    assert run.dask("attributions")["speaker"].compute().tolist() == ["John Smith"] * 3
    raw = pd.read_parquet(tmp_path / "out" / "attributions" / "part-00001.parquet")
    assert raw["speaker"].tolist() == ["Smith", "Smith"]  # partitions keep the own names


def test_a_resumed_run_skips_finished_partitions(tmp_path):
    source = tmp_path / "news.csv"
    write_corpus_csv(source, 60)
    out = tmp_path / "out"
    first = analyse_partitioned(source, out, partition_size=20)
    before = first.read("articles")
    # simulate a run killed while writing partition 2: its marker and a table are missing,
    # and a temporary file is left behind
    (out / "_done" / "part-00002.json").unlink()
    (out / "terms" / "part-00002.parquet").unlink()
    (out / "terms" / ".part-00002.parquet.dead.tmp").write_bytes(b"partial")
    again = analyse_partitioned(source, out, partition_size=20)
    assert (again.stats["analysed"], again.stats["skipped"]) == (1, 2)
    assert not list(out.glob("*/.*.tmp"))
    pd.testing.assert_frame_equal(again.read("articles"), before)
    assert again.read("terms")["doc_id"].nunique() == len(before)
    with pytest.raises(CorpusError, match="other options"):
        analyse_partitioned(source, out, partition_size=30)
    pd.testing.assert_frame_equal(PartitionedRun.open(out).read("articles"), before)
    (out / "_done" / "part-00001.json").unlink()
    with pytest.raises(StoreError, match="1 of 3 partitions are not complete"):
        PartitionedRun.open(out)
    with pytest.raises(StoreError, match="no manifest"):
        PartitionedRun.open(tmp_path)
    write_corpus_csv(source, 61)  # the input changed: not resumed silently
    with pytest.raises(CorpusError, match="another input"):
        analyse_partitioned(source, out, partition_size=20)
    write_corpus_csv(source, 60)
    fresh = analyse_partitioned(source, out, partition_size=30, overwrite=True)
    assert fresh.stats["partitions"] == 2
    pd.testing.assert_frame_equal(fresh.read("articles"), before)


def test_partitioned_engines_agree(tmp_path, cluster):
    source = tmp_path / "news.parquet"
    synthetic_frame(90).to_parquet(source)
    local = analyse_partitioned(source, tmp_path / "local", partition_size=30)
    processes = analyse_partitioned(source, tmp_path / "proc", partition_size=30,
                                    engine="processes", jobs=2)
    on_dask = analyse_partitioned(source, tmp_path / "dask", partition_size=30, engine="dask",
                                  scheduler=cluster)
    for name in scale.TABLES:
        pd.testing.assert_frame_equal(processes.read(name), local.read(name), obj=name)
        pd.testing.assert_frame_equal(on_dask.read(name), local.read(name), obj=name)
    assert len(on_dask.stats["worker_peak_rss_bytes"]) >= 1


def test_partitioning_on_every_engine_gives_the_same_corpus(tmp_path, cluster):
    """The loader's repairs run on the workers; duplicates and ids across chunks are settled in
    input order by the caller, so every engine writes the same partitions and report."""
    source = tmp_path / "news.csv"
    frame = write_corpus_csv(source, 120)
    frame.loc[100, "id"] = frame.loc[3, "id"]  # an id used again four chunks later
    frame.to_csv(source, index=False)
    runs = {"local": scale.partition_corpus(source, tmp_path / "local", partition_size=25)}
    runs["processes"] = scale.partition_corpus(source, tmp_path / "processes",
                                               partition_size=25, engine="processes", jobs=2)
    runs["dask"] = scale.partition_corpus(source, tmp_path / "dask", partition_size=25,
                                          engine="dask", scheduler=cluster)
    local = runs["local"]
    assert local["report"]["dropped"] == {
        "text has no letters (empty, a number or symbols only)": 1,
        "exact duplicate text (first kept)": 2}
    assert local["report"]["warnings"][
        "ids in column 'id' not unique; doc_id is the row number"] == 1
    for engine, manifest in runs.items():
        assert manifest == local, engine
        assert not (tmp_path / engine / "tidy").exists(), engine
        for partition in manifest["partitions"]:
            name = f"{partition['name']}.parquet"
            pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / engine / "corpus" / name),
                                          pd.read_parquet(tmp_path / "local" / "corpus" / name),
                                          obj=f"{engine} {name}")
    whole = load_corpus(source)
    assert sum(p["articles"] for p in local["partitions"]) == len(whole) == 117
    assert sum(p["characters"] for p in local["partitions"]) == whole["text"].str.len().sum()


def test_builtin_and_folder_sources_are_partitioned(tmp_path):
    run = analyse_partitioned("seed", tmp_path / "seed", partition_size=10)
    assert run.stats["articles"] == 1 and run.read("articles")["words"].iloc[0] > 100
    assert isinstance(run, PartitionedRun)


def test_reading_parquet_in_chunks_does_not_accumulate_memory(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    letters = random.Random(7)  # incompressible text: the file holds about 6 MB
    texts = ["".join(letters.choices("abcdefghij klmnopqrstuvwxyz", k=2000)) for _ in range(3000)]
    path = tmp_path / "big.parquet"
    pq.write_table(pa.table({"doc_id": [str(i) for i in range(3000)], "text": texts}), path,
                   row_group_size=100)
    scale.release_memory()
    base = pa.total_allocated_bytes()
    peak = 0
    rows = 0
    for chunk in scale.iter_table_chunks(path, 100):
        rows += len(chunk)
        del chunk
        peak = max(peak, pa.total_allocated_bytes() - base)
    assert rows == 3000
    assert peak < 2_000_000  # a chunk or two, not the file read so far (6 MB)


def test_bad_input_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="No corpus at"):
        analyse_partitioned(tmp_path / "missing.csv", tmp_path / "out")
    (tmp_path / "empty.csv").write_text("text\n\n   \n", encoding="utf-8")
    with pytest.raises(CorpusError, match="No article left"):
        analyse_partitioned(tmp_path / "empty.csv", tmp_path / "out")
    (tmp_path / "notext.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="no recognisable text column"):
        analyse_partitioned(tmp_path / "notext.csv", tmp_path / "out2")
    with pytest.raises(ValueError, match="partition_size"):
        analyse_partitioned(tmp_path / "notext.csv", tmp_path / "out3", partition_size=0)


# ---------------------------------------------------------------------------------------------
# a worker dies mid-run


@pytest.mark.parametrize("task", ["tidy_chunk", "analyse_partition"])
def test_a_killed_worker_loses_and_duplicates_nothing(tmp_path, task):
    """A worker killed while it repairs a chunk (partitioning) or analyses a partition."""
    distributed = pytest.importorskip("distributed")
    import logging

    source = tmp_path / "news.parquet"
    frame = synthetic_frame(160)
    frame.to_parquet(source)
    expected = analyse_partitioned(source, tmp_path / "local", partition_size=40).read("articles")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=logging.CRITICAL) as cluster:
        with distributed.Client(cluster) as client:
            pids_before = client.run(os.getpid)
            outcome: dict = {}

            def run():
                try:
                    outcome["run"] = analyse_partitioned(
                        source, tmp_path / "dask", partition_size=40, engine="dask",
                        scheduler=cluster)
                except Exception as error:  # reported by the assertion below
                    outcome["error"] = error

            worker = threading.Thread(target=run)
            worker.start()
            killed = None
            deadline = time.monotonic() + 60
            while killed is None and time.monotonic() < deadline and worker.is_alive():
                busy = [address for address, keys in client.processing().items()
                        if any(str(k).startswith(task) for k in keys)]
                if busy:
                    killed = pids_before[busy[0]]
                    os.kill(killed, signal.SIGKILL)
                time.sleep(0.02)
            worker.join(120)
            assert not worker.is_alive()
            assert "error" not in outcome, outcome.get("error")
            assert killed is not None, f"no {task} task was seen running"
    assert not psutil.pid_exists(killed) or psutil.Process(killed).status() == "zombie"
    assert not (tmp_path / "dask" / "tidy").exists()  # no repaired chunk or temporary file left
    articles = outcome["run"].read("articles")
    assert articles["doc_id"].is_unique
    assert sorted(articles["doc_id"]) == sorted(frame["doc_id"])
    pd.testing.assert_frame_equal(articles, expected)
    sentences = outcome["run"].read("sentences")
    assert not sentences.duplicated(["doc_id", "sentence_index"]).any()


def test_main_job_runs_on_a_dask_scheduler(tmp_path, cluster, capsys):
    from utils import analyze

    source = tmp_path / "news.csv"
    synthetic_frame(30).to_csv(source, index=False)
    code = analyze.main([str(source), "--out", str(tmp_path / "report"), "--notebooks", "none",
                         "--no-cache", "--scheduler", cluster.scheduler_address])
    assert code == 0, capsys.readouterr().err
    from utils.results import open_results

    store = open_results(tmp_path / "report" / "results")
    assert store.manifest["engine"] == "dask"  # written partition by partition on the cluster
    articles = store.read("articles")
    expected = analyse_corpus(load_corpus(source), cache=False).articles
    assert articles["doc_id"].tolist() == expected["doc_id"].tolist()
    assert articles["attributions"].tolist() == expected["attributions"].tolist()


def test_hash_store_answers_like_a_set():
    rng = random.Random(3)
    store, reference = scale.HashStore(), set()
    for _ in range(40):  # more chunks than MAX_ARRAYS: merging happens
        known = [rng.choice(sorted(reference))] if reference else []
        chunk = [rng.randrange(1 << 64) for _ in range(50)] + known
        probe = chunk + [rng.randrange(1 << 64) for _ in range(20)]
        assert store.contains(probe).tolist() == [h in reference for h in probe]
        store.add(chunk)
        reference.update(chunk)
    assert len(store) == len(reference)
    assert store.contains([]).tolist() == []


def test_command_line_runs_out_of_core_and_writes_the_reductions(tmp_path, cluster, capsys):
    source = tmp_path / "news.csv"
    write_corpus_csv(source, 60)
    code = scale.main([str(source), str(tmp_path / "out"), "--partition-size", "20",
                       "--group-by", "source", "--top", "3"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    expected = term_counts(load_corpus(source))
    totals = pd.read_parquet(tmp_path / "out" / "term_totals.parquet")
    pd.testing.assert_frame_equal(totals, expected, check_dtype=False)
    groups = pd.read_parquet(tmp_path / "out" / "groups_source.parquet")
    assert groups["source"].tolist() == ["Daily A", "Daily B", "Daily C"]
    assert groups["articles"].sum() == 57
    top = ", ".join(f"{t} {p:.1f}" for t, p in zip(expected["term"][:3], expected["per_10k"][:3],
                                                 strict=True))
    assert f"most frequent terms (per 10,000 words): {top}" in printed.out
    assert "57 articles in 3 partitions (3 analysed, 0 already done)" in printed.out
    # the same run on a Dask scheduler, reductions on the cluster
    code = scale.main([str(source), str(tmp_path / "dask"), "--partition-size", "20",
                       "--scheduler", cluster.scheduler_address])
    assert code == 0, capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "dask" / "term_totals.parquet"),
                                  totals)
    assert scale.main([str(tmp_path / "missing.csv"), str(tmp_path / "x")]) == 2
    assert "No corpus at" in capsys.readouterr().err
