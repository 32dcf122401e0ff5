"""Benchmark of the whole main job (results store, five notebooks, report) against the
per-article analysis alone. Prints figures; it is not a test.

Usage::

    .venv/bin/python benchmarks/main_job.py [--reuters N | --no-reuters]
                                            [--synthetic 20000,200000 | none] [--jobs 2]

1. **Reuters-21578** (``../shared/corpora/reuters21578.csv.gz``, all 21,227 rows or the first
   ``--reuters N``): first the per-article analysis alone (``load_corpus`` then
   :func:`utils.pipeline.analyse_corpus` with ``--jobs`` processes, no cache), then the whole
   main job (``python -m utils.analyze CORPUS --group-by topics --group-split ';' --jobs N
   --no-cache``: store, all five notebooks, report), each in a fresh process. Before the job,
   the evaluations that are the same for every corpus (:data:`EVALUATIONS`) are made sure of
   on disk, as any earlier run of the same code leaves them. Then the baseline, in the same
   command: the main job of the code before the results store (:data:`BEFORE_REVISION`, when
   every notebook loaded the corpus again and recomputed its analysis), checked out in a
   temporary git worktree and run as it was run then (``python -m utils.analyze CORPUS
   --group-by topics --jobs N`` with a fresh per-article cache of its own). Printed: the wall
   times, the ratio of the job to the analysis alone (target: at most 1.5x), the main job's
   phases, the speed-up over the baseline (target: at least 5x) and, for reference, the ratio
   to the 253 s the baseline took on the day it was measured. ``--no-before`` skips the
   baseline (it takes several minutes); so does a checkout without git history.
2. **Synthetic corpora** (``--synthetic``, the generator of ``benchmarks/pipeline.py``: real
   sentences re-sampled with a fixed seed, written as Parquet): the whole main job out of core
   (``--engine dask --jobs N``) at each size. Printed: the phases, the peak resident memory of
   every process of the run by role (the main job, each Dask worker, each notebook kernel) and
   the ratio of each role's peak between the largest and the smallest size (target: within
   1.2x).

Memory is sampled with psutil every 50 ms over the main job's process tree. Ratios compare runs
of this command on the same machine. Without the shared corpora the benchmark says so and exits.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

MiB = 1024 * 1024
#: The main job's time on all of Reuters when every notebook recomputed its analysis, on the day
#: it was measured (for reference: the speed-up is measured against :data:`BEFORE_REVISION`
#: run in the same command, as the machine's speed varies from day to day).
BEFORE_SECONDS = 253.0
#: The last commit before the results store: its main job is the baseline.
BEFORE_REVISION = "9a9f791f488a65cb551e5e413c884385afc19d8a"


class TreeMemory:
    """Peak RSS of a process and its descendants, by role, sampled in a thread."""

    def __init__(self, pid: int, interval: float = 0.05):
        import psutil

        self._psutil = psutil
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _role(self, process) -> str:
        if process.pid == self.root.pid:
            return "main job"
        try:
            command = " ".join(process.cmdline())
        except (self._psutil.Error, OSError):
            return "other"
        if "ipykernel" in command:
            return "kernel"
        if "resource_tracker" in command or "forkserver" in command:
            return "other"
        return "worker"

    def _sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except self._psutil.Error:
            return
        for process in processes:
            try:
                rss = process.memory_info().rss
            except (self._psutil.Error, OSError):
                continue
            role, peak = self.peaks.get(process.pid) or (self._role(process), 0)
            self.peaks[process.pid] = (role, max(peak, rss))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def by_role(self) -> dict[str, list[float]]:
        roles: dict[str, list[float]] = {}
        for role, peak in self.peaks.values():
            roles.setdefault(role, []).append(round(peak / MiB, 1))
        return {role: sorted(values, reverse=True) for role, values in sorted(roles.items())}


def run(command: list[str], env: dict | None = None, cwd: Path = ROOT) -> dict:
    """Run ``command``, timing it and sampling its memory; returns its output and figures."""
    clock = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, **(env or {})})
    with TreeMemory(process.pid) as memory:
        out, err = process.communicate()
    seconds = time.perf_counter() - clock
    phases = {}
    match = re.search(r"^phases: (.*)$", out, re.M)
    if match:
        for part in match.group(1).split(", "):
            key, value, _ = part.rsplit(" ", 2)
            phases[key] = float(value)
    return {"seconds": round(seconds, 1), "code": process.returncode, "stdout": out,
            "stderr": err, "phases": phases, "memory": memory.by_role()}


ANALYSIS_ALONE = """
import sys, time, json
from utils.corpus import load_corpus
from utils.pipeline import analyse_corpus
clock = time.perf_counter()
frame = load_corpus(sys.argv[1])
if int(sys.argv[3]):
    frame = frame.head(int(sys.argv[3]))
results = analyse_corpus(frame, jobs=int(sys.argv[2]), cache=False)
print(json.dumps({"articles": len(frame), "seconds": time.perf_counter() - clock}))
"""


#: The evaluations notebooks 03 and 04 show for every corpus (the sentiment engines against
#: human ratings, the PolNeAR scoring), kept on disk by :mod:`utils.memo` once computed: made
#: sure of before the main job is timed, as after any earlier run of the same code.
EVALUATIONS = """
import time
clock = time.perf_counter()
from utils.attribution.evaluation import comparison_frame, polnear_paths
from utils.sentiment import engine_validation
engine_validation(n_boot=1000, seed=0)
if polnear_paths()[0].exists():
    comparison_frame(["dev"])
print(f"{time.perf_counter() - clock:.1f}")
"""


def run_before(source: Path, jobs: int, folder: Path) -> dict | None:
    """The baseline: the main job of :data:`BEFORE_REVISION`, checked out in a temporary git
    worktree (its own per-article cache, this checkout's installed resources), run on
    ``source`` as it was then; ``None`` when this checkout has no git history to take it
    from."""
    def git(*arguments) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(ROOT), *arguments], capture_output=True,
                              text=True)

    try:
        if git("cat-file", "-e", f"{BEFORE_REVISION}^{{commit}}").returncode:
            return None
    except OSError:  # no git
        return None
    tree = folder / "before"
    added = git("worktree", "add", "--detach", str(tree), BEFORE_REVISION)
    if added.returncode:
        print(f"  (no baseline: git worktree add failed: {added.stderr.strip()[:300]})")
        return None
    try:
        external = ROOT / "data" / "external"
        if external.exists() and not (tree / "data" / "external").exists():
            (tree / "data" / "external").symlink_to(external, target_is_directory=True)
        return run([sys.executable, "-m", "utils.analyze", str(source), "--group-by", "topics",
                    "--jobs", str(jobs), "--out", str(folder / "before_report")],
                   env={"PYTHONPATH": str(tree)}, cwd=tree)
    finally:
        git("worktree", "remove", "--force", str(tree))


def reuters(corpora: Path, n: int, jobs: int, folder: Path, before: bool = True) -> None:
    source = corpora / "reuters21578.csv.gz"
    if n:
        import pandas as pd

        sample = folder / f"reuters_{n}.csv"
        pd.read_csv(source, nrows=n).to_csv(sample, index=False)
        source = sample
    alone = run([sys.executable, "-c", ANALYSIS_ALONE, str(source), str(jobs), "0"])
    if alone["code"]:
        print(alone["stderr"][-2000:])
        raise SystemExit("the analysis alone failed")
    articles = json.loads(alone["stdout"].strip().splitlines()[-1])["articles"]
    evaluations = run([sys.executable, "-c", EVALUATIONS])
    job = run([sys.executable, "-m", "utils.analyze", str(source), "--group-by", "topics",
               "--group-split", ";", "--jobs", str(jobs), "--no-cache",
               "--out", str(folder / "reuters_report")])
    baseline = run_before(source, jobs, folder) if before else None
    print(f"Reuters-21578, {articles:,} articles, --jobs {jobs}")
    print(f"  per-article analysis alone (load + analyse_corpus): {alone['seconds']:7.1f} s")
    print(f"  whole main job (store, 5 notebooks, report):       {job['seconds']:7.1f} s"
          f"   exit status {job['code']}")
    print(f"  phases of the main job: {job['phases']}")
    print("  corpus-independent evaluations of notebooks 03 and 04, kept on disk beforehand: "
          f"{evaluations['stdout'].strip()} s (about 0.1 s when already kept; about 18 s of "
          "kernel time when the job computes them, once per version of the code)")
    print(f"  main job / analysis alone: {job['seconds'] / alone['seconds']:.2f}x "
          "(target at most 1.5x)")
    if baseline is not None:
        print(f"  baseline, the main job before the results store ({BEFORE_REVISION[:7]}), same "
              f"command: {baseline['seconds']:.1f} s, exit status {baseline['code']}")
        print(f"  speed-up over the baseline: {baseline['seconds'] / job['seconds']:.1f}x "
              "(target at least 5x)")
    if not n:
        print(f"  ratio to the {BEFORE_SECONDS:.0f} s the baseline took on the day it was "
              f"measured: {BEFORE_SECONDS / job['seconds']:.1f}x")
    print(f"  peak memory (MiB) by process: {job['memory']}")
    if job["code"]:
        print("  failures:\n" + job["stderr"][-3000:])


def synthetic(corpora: Path, sizes: list[int], jobs: int, folder: Path) -> None:
    from pipeline import synthetic_corpus

    files = synthetic_corpus(corpora, sizes, folder)
    results = {}
    for size in sizes:
        job = run([sys.executable, "-m", "utils.analyze", str(files[size]), "--engine", "dask",
                   "--jobs", str(jobs), "--group-by", "source",
                   "--out", str(folder / f"synthetic_{size}_report")])
        results[size] = job
        print(f"synthetic {size:,} articles, --engine dask --jobs {jobs}: {job['seconds']:.1f} s,"
              f" exit status {job['code']}, {size / job['seconds']:.0f} articles/s")
        print(f"  phases: {job['phases']}")
        print(f"  peak memory (MiB) by process: {job['memory']}")
        if job["code"]:
            print("  failures:\n" + job["stderr"][-3000:])
    if len(sizes) > 1:
        low, high = results[min(sizes)]["memory"], results[max(sizes)]["memory"]
        print(f"peak memory ratio {max(sizes):,} / {min(sizes):,} articles, by role "
              "(largest process of each role; target within 1.2x):")
        for role in sorted(set(low) & set(high)):
            print(f"  {role:9s} {max(high[role]) / max(low[role]):.2f}x "
                  f"({max(low[role]):.0f} -> {max(high[role]):.0f} MiB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters", type=int, default=0, help="first N rows (0: all)")
    parser.add_argument("--synthetic", default="20000,200000",
                        help="comma-separated sizes, or none")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-reuters", action="store_true", help="only the synthetic corpora")
    parser.add_argument("--no-before", action="store_true",
                        help="skip the baseline run of the code before the results store")
    args = parser.parse_args(argv)
    from utils.paths import shared_corpora_dir

    corpora = shared_corpora_dir()
    if not (corpora / "reuters21578.csv.gz").exists():
        print("The shared corpora are not available here: nothing to benchmark.")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.no_reuters:
            reuters(corpora, args.reuters, args.jobs, folder, before=not args.no_before)
        if args.synthetic != "none":
            synthetic(corpora, [int(s) for s in args.synthetic.split(",")], args.jobs, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
