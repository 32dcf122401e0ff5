"""Whole-pipeline benchmark: engines, scaling, peak memory, and the speed-up over the naive
notebook pipeline. Prints figures; it is not a test.

Usage::

    .venv/bin/python benchmarks/pipeline.py [--reuters N] [--synthetic N[,N...]]
                                            [--jobs 1,2] [--repeats R] [--partition-size P]

1. **Reuters** (``../shared/corpora/reuters21578.csv.gz``, loaded by ``load_corpus``: all 21,227
   articles, or the first ``--reuters N``): the naive pipeline
   (``benchmarks/naive_pipeline.py``: NLTK tokenisation per sentence, FreqDist, NLTK's VADER per
   sentence, a quote regex, row by row with ``DataFrame.apply``) and the whole per-article
   pipeline (:func:`utils.pipeline.analyse_corpus`: counts, sentence sentiment, attributions;
   no cache) with every engine and jobs count, on the same articles.
2. **Synthetic** corpora (``--synthetic``, default 20,000 and 200,000 articles): built here from
   real sentences of the shared corpora re-sampled with a fixed seed (article shapes copied from
   real articles), written as Parquet to a temporary folder, and analysed out of core
   (:func:`utils.scale.analyse_partitioned` on a Dask ``LocalCluster``): the smallest with every
   jobs count (out-of-core scaling), the others with the most jobs, to show throughput and peak
   memory at each size and the ratio of peak memories between the smallest and the largest
   size (flat: within 1.2x). Each run's time is split into start-up (cluster and worker
   preparation), partitioning (the driver reads the corpus in chunks, the workers repair them
   and write Parquet partitions, the driver drops duplicates across chunks), analysis (the
   per-article pipeline on the workers) and reduction (corpus term totals on the workers, and
   the speaker map in the driver); the driver's peak memory is also shown per phase.

Every run is a fresh child process (so peak memory is per run) started by this command, which
times the work after the corpus is loaded, including starting the process pool or the Dask
cluster (shown apart as start-up; scaling is given with and without it). Peak resident memory
(RSS) of every process of a run (the driver, each worker) is sampled with psutil every 50 ms.
With ``--repeats R`` every Reuters run is repeated R times, interleaved, and the fastest is kept
(the machine is shared and noisy). Ratios compare runs of the same command. The last line reads
``whole-pipeline speed-up: N.Nx``: the naive pipeline's time over the fastest engine's time on
the same Reuters articles with the most jobs.
Without the shared corpora the benchmark says so and exits.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

MiB = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# peak memory of a process tree


class PeakRSS:
    """Samples the resident memory and CPU time of this process and all its descendants
    every ``interval`` seconds in a thread; ``peaks`` maps pid -> (role, peak bytes) and
    ``cpu`` pid -> CPU seconds (user + system) at the last sample, counted from ``__enter__``."""

    def __init__(self, interval: float = 0.05):
        import psutil

        self._psutil = psutil
        self._root = psutil.Process()
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self.cpu: dict[int, float] = {}
        self.phase = ""  # set by the caller; the driver's peak is also kept per phase
        self.driver_phases: dict[str, int] = {}
        self._cpu_start = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _role(self, process) -> str:
        if process.pid == self._root.pid:
            return "driver"
        try:
            command = " ".join(process.cmdline())
        except (self._psutil.Error, OSError):
            return "worker"
        return "helper" if "resource_tracker" in command or "forkserver" in command else "worker"

    def sample(self) -> None:
        try:
            processes = [self._root, *self._root.children(recursive=True)]
        except self._psutil.Error:
            return
        for process in processes:
            try:
                rss = process.memory_info().rss
                times = process.cpu_times()
            except (self._psutil.Error, OSError):
                continue
            self.cpu[process.pid] = times.user + times.system
            role, peak = self.peaks.get(process.pid) or (self._role(process), 0)
            self.peaks[process.pid] = (role, max(peak, rss))
            if role == "driver" and self.phase:
                phase = self.phase
                self.driver_phases[phase] = max(self.driver_phases.get(phase, 0), rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        times = self._root.cpu_times()
        self._cpu_start = times.user + times.system
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()

    def summary(self) -> dict:
        driver = [peak for role, peak in self.peaks.values() if role == "driver"]
        workers = sorted(peak for role, peak in self.peaks.values() if role == "worker")
        cpu = sum(self.cpu.values()) - self._cpu_start
        return {"cpu_seconds": round(cpu, 2),
                "driver_mib": round(max(driver) / MiB, 1) if driver else 0.0,
                "workers_mib": [round(p / MiB, 1) for p in workers],
                "driver_phases_mib": {k: round(v / MiB, 1) for k, v in self.driver_phases.items()}}


# ---------------------------------------------------------------------------------------------
# child runs (one configuration per process)


def child(config: dict) -> dict:
    import pandas as pd

    corpus_path = config["corpus"]
    kind = config["kind"]
    if kind == "partitioned":
        from utils.pipeline import prepare_process
        from utils.scale import analyse_partitioned, dask_client, partition_corpus, prepare_workers

        with tempfile.TemporaryDirectory() as out, PeakRSS() as rss:
            run_dir = Path(out) / "run"
            start = time.perf_counter()
            rss.phase = "start-up"
            with dask_client(None, jobs=config["jobs"]) as client:
                client.wait_for_workers(config["jobs"])
                prepare_workers(client, prepare_process)
                started = time.perf_counter()
                # partitioning apart, so the driver's memory is known per phase; the call below
                # finds the partitions written and goes on with the analysis
                rss.phase = "partition"
                partition_corpus(corpus_path, run_dir, partition_size=config["partition"],
                                 engine="dask", scheduler=client)
                partitioned = time.perf_counter()
                rss.phase = "analysis"
                run = analyse_partitioned(corpus_path, run_dir, engine="dask", scheduler=client,
                                          partition_size=config["partition"])
                reducing = time.perf_counter()
                # a corpus-level reduction, on the cluster that ran the analysis
                rss.phase = "reduce"
                words = int(run.term_totals(scheduler=client)["count"].sum())
                finished = time.perf_counter()
                rss.phase = "shut-down"
        phases = run.stats["seconds"]
        return {"seconds": finished - start, "startup": started - start,
                "partitioning": partitioned - started, "analysis": phases["analysis"],
                "reduction": finished - reducing + phases["speakers"],
                "articles": run.stats["articles"], "characters": run.stats["characters"],
                "failures": run.stats["failures_in_analysed"], "check": words, **rss.summary()}
    corpus = pd.read_parquet(corpus_path)
    corpus.attrs = {}
    with PeakRSS() as rss:
        start = time.perf_counter()
        if kind == "naive":
            from naive_pipeline import naive_analyse

            result = naive_analyse(corpus)
            check = int(result["sentences"].sum())
            started = start
        elif config["engine"] == "dask":
            from utils.pipeline import analyse_corpus, prepare_process
            from utils.scale import dask_client, prepare_workers

            with dask_client(None, jobs=config["jobs"]) as client:
                client.wait_for_workers(config["jobs"])
                prepare_workers(client, prepare_process)
                started = time.perf_counter()
                result = analyse_corpus(corpus, cache=False, engine="dask", scheduler=client)
                finished = time.perf_counter()
            check = int(result.articles["sentences"].sum())
        else:
            from utils.pipeline import analyse_corpus

            started = start
            result = analyse_corpus(corpus, cache=False, engine=config["engine"],
                                    jobs=config["jobs"])
            check = int(result.articles["sentences"].sum())
        seconds = time.perf_counter() - start
        if config.get("engine") != "dask":
            finished = start + seconds
    return {"seconds": seconds, "startup": started - start, "work": finished - started,
            "articles": len(corpus), "characters": int(corpus["text"].str.len().sum()),
            "check": check, **rss.summary()}


def run_child(config: dict) -> dict:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(config)],
        capture_output=True, text=True, check=False, cwd=str(HERE.parent),
    )
    if done.returncode != 0:
        raise RuntimeError(f"run {config['label']} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# corpora


def reuters_sample(folder: Path, n: int, target: Path) -> int:
    from utils.corpus import load_corpus

    frame = load_corpus(folder / "reuters21578.csv.gz")
    if n:
        frame = frame.iloc[:n]
    frame = frame[["doc_id", "title", "text", "source", "date", "label"]]
    frame.attrs = {}
    frame.to_parquet(target, index=False)
    return len(frame)


#: Shared corpora whose sentences make up the synthetic corpus.
SENTENCE_SOURCES = ("reuters21578.csv.gz", "bbc_news_2225.csv.gz", "fa_kes_syria_804.csv.gz",
                    "polnear_articles.csv.gz", "fake_or_real_news_partial_355.csv.gz",
                    "fakenewsnet_v1_content_422.csv.gz", "horne2017_fakenewsdata1.csv.gz")


def synthetic_corpus(folder: Path, sizes: list[int], target_dir: Path, seed: int = 20261125,
                     chunk: int = 5_000) -> dict[int, Path]:
    """Write one Parquet corpus per size: articles of real sentences re-sampled with ``seed``.

    An article copies the number of paragraphs and sentences per paragraph of a random real
    article (at most 60 sentences) and fills them with random real sentences; its title is a
    random real title and its source the corpus of that title. Written in row groups of
    ``chunk`` articles, so building 200,000 articles needs the memory of ``chunk``.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from utils.corpus import load_corpus
    from utils.text import paragraph_spans, sentence_spans

    sentences: list[str] = []
    shapes: list[list[int]] = []
    titles: list[tuple[str, str]] = []
    for name in SENTENCE_SOURCES:
        frame = load_corpus(folder / name)
        frame = frame.iloc[:4000]  # the sentence bank: enough variety, quick to split
        label = name.split(".")[0]
        for title, text in zip(frame["title"], frame["text"], strict=True):
            shape = []
            for p_start, p_end in paragraph_spans(text):
                spans = sentence_spans(text[p_start:p_end])
                shape.append(len(spans))
                sentences.extend(text[p_start + s : p_start + e] for s, e in spans)
            if 0 < sum(shape) <= 60:
                shapes.append(shape)
            if isinstance(title, str) and title:
                titles.append((title, label))
    rng = np.random.default_rng(seed)
    paths = {}
    for size in sizes:
        target = target_dir / f"synthetic_{size}.parquet"
        writer = None
        for start in range(0, size, chunk):
            rows = {"doc_id": [], "title": [], "text": [], "source": []}
            for index in range(start, min(size, start + chunk)):
                shape = shapes[rng.integers(len(shapes))]
                picks = rng.integers(len(sentences), size=sum(shape))
                paragraphs, at = [], 0
                for n in shape:
                    paragraphs.append(" ".join(sentences[i] for i in picks[at : at + n]))
                    at += n
                title, label = titles[rng.integers(len(titles))]
                rows["doc_id"].append(f"s{index:07d}")
                rows["title"].append(title)
                rows["text"].append("\n\n".join(paragraphs))
                rows["source"].append(label)
            table = pa.Table.from_pydict(rows)
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            writer.write_table(table)
        writer.close()
        paths[size] = target
    return paths


# ---------------------------------------------------------------------------------------------
# report


def _memory(result: dict) -> str:
    workers = result["workers_mib"]
    shown = "-" if not workers else " ".join(f"{w:.0f}" for w in workers)
    return f"{result['driver_mib']:8.0f} | {shown}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters", type=int, default=0,
                        help="first N Reuters articles to analyse; default 0: all 21,227")
    parser.add_argument("--synthetic", default="20000,200000",
                        help="comma-separated synthetic corpus sizes (0: none); default "
                             "20000,200000")
    parser.add_argument("--jobs", default="1,2", help="worker counts to compare; default 1,2")
    parser.add_argument("--repeats", type=int, default=1, help="Reuters repeats (best kept)")
    parser.add_argument("--partition-size", type=int, default=1000,
                        help="articles per partition of the synthetic runs; default 1000")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0

    from utils.paths import shared_corpora_dir

    folder = shared_corpora_dir()
    if not (folder / "reuters21578.csv.gz").exists():
        print("shared corpora not available (../shared/corpora): nothing to benchmark")
        return 0
    jobs = sorted({int(j) for j in args.jobs.split(",")})
    sizes = [int(s) for s in args.synthetic.split(",") if int(s) > 0]
    most = max(jobs)
    print(f"machine: {os.cpu_count()} cores; engines local, processes, dask; jobs {jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        sample = tmp_dir / "reuters.parquet"
        n = reuters_sample(folder, args.reuters, sample)
        configs = [{"label": "naive (DataFrame.apply)", "kind": "naive", "jobs": 1}]
        configs.append({"label": "local", "kind": "memory", "engine": "local", "jobs": 1})
        for j in jobs:
            if j > 1:
                configs.append({"label": f"processes x{j}", "kind": "memory",
                                "engine": "processes", "jobs": j})
        for j in jobs:
            configs.append({"label": f"dask x{j}", "kind": "memory", "engine": "dask", "jobs": j})
        best: dict[str, dict] = {}
        for _ in range(max(1, args.repeats)):
            for config in configs:
                result = run_child({**config, "corpus": str(sample)})
                if config["label"] not in best or result["seconds"] < best[config["label"]][
                        "seconds"]:
                    best[config["label"]] = result
        naive = best["naive (DataFrame.apply)"]
        print(f"\nReuters-21578, first {n:,} articles "
              f"({naive['characters']:,} characters), best of {max(1, args.repeats)}:")
        print(f"{'run':<24} {'seconds':>8} {'start-up':>9} {'articles/s':>11} {'chars/s':>10}"
              f" {'vs naive':>9} {'CPU s':>7} {'vs naive':>9} | peak RSS MiB: driver | workers")
        for config in configs:
            r = best[config["label"]]
            print(f"{config['label']:<24} {r['seconds']:8.1f} {r['startup']:9.1f} "
                  f"{r['articles'] / r['seconds']:11.1f} {r['characters'] / r['seconds']:10.0f} "
                  f"{naive['seconds'] / r['seconds']:8.1f}x {r['cpu_seconds']:7.1f} "
                  f"{naive['cpu_seconds'] / r['cpu_seconds']:8.1f}x | {_memory(r)}")
        print("(seconds: all of the run, start-up included; start-up: starting the Dask cluster "
              "and loading the pipeline on its workers; vs naive: time of the naive run / time "
              "of this run, by wall clock and by CPU seconds of all its processes)")
        checks = {best[c["label"]]["check"] for c in configs if c["kind"] == "memory"}
        print(f"identical sentence totals across engines: {len(checks) == 1}")
        one, many = best.get("dask x1"), best.get(f"dask x{most}")
        if one and many and most > 1:
            print(f"scaling dask x1 -> x{most}: {one['work'] / many['work']:.2f}x on a running "
                  f"cluster, {one['seconds'] / many['seconds']:.2f}x with start-up "
                  f"(linear: {most}.00x)")
        if sizes:
            paths = synthetic_corpus(folder, sizes, tmp_dir)
            print(f"\nSynthetic corpora (real sentences re-sampled, seed 20261125), out of core "
                  f"(analyse_partitioned, Dask LocalCluster, partitions of "
                  f"{args.partition_size:,} articles); every jobs count on the smallest, "
                  f"x{most} on the others:")
            print(f"{'articles':>9} {'jobs':>4} {'seconds':>8} {'start-up':>9} {'partition':>9} "
                  f"{'analysis':>9} {'reduce':>7} {'articles/s':>11} {'chars/s':>10} {'CPU s':>7}"
                  f" | peak RSS MiB: driver | workers")
            runs = {}
            for size in sizes:
                for j in (jobs if size == min(sizes) else [most]):
                    r = run_child({"label": f"synthetic {size} x{j}", "kind": "partitioned",
                                   "corpus": str(paths[size]), "engine": "dask", "jobs": j,
                                   "partition": args.partition_size})
                    runs[size, j] = r
                    print(f"{size:9,d} {j:4d} {r['seconds']:8.1f} {r['startup']:9.1f} "
                          f"{r['partitioning']:9.1f} {r['analysis']:9.1f} {r['reduction']:7.1f} "
                          f"{r['articles'] / r['analysis']:11.1f} "
                          f"{r['characters'] / r['analysis']:10.0f} {r['cpu_seconds']:7.1f} | "
                          f"{_memory(r)}")
                    print("          driver peak RSS MiB by phase: " + ", ".join(
                        f"{phase} {mib:.0f}" for phase, mib in r["driver_phases_mib"].items()))
            print("(articles/s and chars/s: over the analysis phase, the per-article pipeline "
                  "on the workers; partition: reading the corpus (driver), repairing it into "
                  "Parquet partitions (workers); reduce: corpus term totals on the workers, "
                  "speaker map in the driver)")
            one, many = runs.get((min(sizes), 1)), runs.get((min(sizes), most))
            if one and many and most > 1:
                print(f"scaling out of core x1 -> x{most} ({min(sizes):,} articles): "
                      f"{one['analysis'] / many['analysis']:.2f}x in analysis, "
                      f"{one['seconds'] / many['seconds']:.2f}x overall (linear: {most}.00x)")
            if len(sizes) > 1:
                small, large = runs[min(sizes), most], runs[max(sizes), most]
                driver = large["driver_mib"] / small["driver_mib"]
                worker = max(large["workers_mib"]) / max(small["workers_mib"])
                print(f"peak memory {min(sizes):,} -> {max(sizes):,} articles: driver "
                      f"{driver:.2f}x, largest worker {worker:.2f}x (flat: within 1.20x)")
    fastest = min((best[c["label"]] for c in configs
                   if c["kind"] == "memory" and c["jobs"] == most),
                  key=lambda r: r["seconds"])
    print(f"whole-pipeline speed-up: {naive['seconds'] / fastest['seconds']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
