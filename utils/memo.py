"""Evaluations kept on disk: tables that depend on the project's code and fixed data files only.

Some tables a notebook shows are the same for every corpus: how far to trust the sentiment
engines (:func:`utils.sentiment.engine_validation`: every engine on the NYT editorial snippets
and NewsMTSC, with bootstrap intervals) and how well the attribution extractors do on PolNeAR
(:func:`utils.attribution.evaluation.polnear_report`). Computing them takes 12 and 6 seconds of
a notebook kernel, on every run of every corpus. :func:`kept_on_disk` keeps each result in
:data:`EVALUATIONS_DIR` under a key that changes whenever the result could:

- the bytes of every file of the ``utils`` package (sources and shipped models), so any change
  to the code or a model computes it again;
- the versions of the libraries the results depend on (:data:`LIBRARIES`);
- the name and the bytes of every data file the function reads (``files``: a function of the
  call's arguments), so an updated corpus computes it again;
- the call's arguments (hashed by joblib: a data frame by its values).

Storage is ``joblib.Memory`` (pickles written to a temporary file and renamed, so two kernels
computing the same table at once do not corrupt it; an entry it cannot read is computed
again). ``NEWS_EVALUATION_CACHE=0`` in the environment turns the store off: every call
computes.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from utils import paths

#: Where the kept evaluations live (git-ignored, beside the per-article cache).
EVALUATIONS_DIR = paths.CACHE_DIR / "evaluations"
#: Distributions whose versions are part of every key.
LIBRARIES = ("numpy", "pandas", "scipy", "scikit-learn", "nltk", "vaderSentiment")


@functools.cache
def code_version() -> str:
    """sha256 of the bytes of every file of the ``utils`` package and of :data:`LIBRARIES`'
    versions (computed once per process)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for file in paths.package_files():
        digest.update(file.relative_to(package).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}\0".encode())
    return digest.hexdigest()


def files_digest(files: Iterable[Path]) -> str:
    """sha256 of the names and bytes of ``files`` (an absent file counts as absent)."""
    digest = hashlib.sha256()
    for file in files:
        file = Path(file)
        digest.update(file.name.encode() + b"\0")
        digest.update(file.read_bytes() if file.is_file() else b"\0absent\0")
    return digest.hexdigest()


def _enabled() -> bool:
    return os.environ.get("NEWS_EVALUATION_CACHE", "1").strip() != "0"


def _compute(key: str, function: Callable, args: tuple, kwargs: dict):
    """What the store keeps under ``key`` (joblib hashes only ``key``)."""
    return function(*args, **kwargs)


@functools.cache
def _memory(location: str):
    import joblib

    memory = joblib.Memory(location, verbose=0)
    return memory.cache(_compute, ignore=["function", "args", "kwargs"])


def kept_on_disk(files: Callable[..., Iterable[Path]] = lambda *a, **k: ()):
    """Decorator: keep the function's results on disk (module docstring); ``files(*args,
    **kwargs)`` lists the data files a call reads."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            if not _enabled():
                return function(*args, **kwargs)
            import joblib

            key = hashlib.sha256("\0".join((
                f"{function.__module__}.{function.__qualname__}", code_version(),
                files_digest(files(*args, **kwargs)), joblib.hash((args, kwargs)),
            )).encode()).hexdigest()
            return _memory(str(EVALUATIONS_DIR))(key, function, args, kwargs)

        wrapper.uncached = function
        return wrapper

    return decorate
