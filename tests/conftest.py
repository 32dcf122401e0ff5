"""Shared fixtures."""

from __future__ import annotations

import pytest

from utils import paths


def load_benchmark(name: str):
    """A script of ``benchmarks/`` as a module (its article generators, for tests)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{name}_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def shared_corpora():
    """Folder of the real corpora (``../shared/corpora``); skips the test when absent."""
    folder = paths.shared_corpora_dir()
    if not folder.is_dir():
        pytest.skip(
            f"shared corpora not available ({folder.name} folder absent beside the project)"
        )
    return folder


def store_of_sample(frame, folder, partition_size: int = 7):
    """``(corpus, store, results)`` of a test sample: ``frame`` written as Parquet and loaded by
    ``load_corpus`` (articles of the ``paris`` desk marked French, so not analysed), its results
    store in partitions of ``partition_size`` articles, and the in-memory pipeline results."""
    from utils.corpus import load_corpus
    from utils.results.build import write_store

    folder.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(folder / "sample.parquet")
    corpus = load_corpus(folder / "sample.parquet")
    corpus.loc[corpus["desk"] == "paris", "language"] = "fr"
    store, results = write_store(corpus, folder / "store", source="sample",
                                 partition_size=partition_size, cache=False)
    return corpus, store, results
