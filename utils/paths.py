"""The one place that knows where things live.

Every path is derived from the location of this package, so notebooks, tests and scripts
resolve the same folders whatever their working directory is (the package is installed in
editable mode, see the README).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the project checkout (the folder holding ``pyproject.toml``).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Data shipped with the project (the seed article, the data card).
DATA_DIR = PROJECT_ROOT / "data"
#: Folder of the built-in seed corpus (one plain-text article).
SEED_DIR = DATA_DIR / "seed"
#: Git-ignored cache of fetched data (the VADER paper's ratings) and the project's NLTK data.
EXTERNAL_DIR = DATA_DIR / "external"
#: Project-local NLTK data directory; the only one NLTK is allowed to read (see utils.resources).
NLTK_DATA_DIR = EXTERNAL_DIR / "nltk_data"
#: Git-ignored folder where ``make run`` writes executed notebooks and HTML reports.
REPORTS_DIR = PROJECT_ROOT / "reports"
#: Git-ignored per-article result caches.
CACHE_DIR = PROJECT_ROOT / ".cache"
#: The notebooks of the collection.
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def package_files(name: str | None = None) -> list[Path]:
    """The files of the ``utils`` package (``name``: one module file or sub-package of it, such
    as ``"sentiment"``), sources and shipped models, sorted, without ``__pycache__``: what the
    keys of the caches hash (:func:`utils.pipeline.pipeline_version`, :mod:`utils.memo`)."""
    package = Path(__file__).resolve().parent
    path = package if name is None else package / name
    if not path.is_dir():
        return [path]
    return sorted(f for f in path.rglob("*") if f.is_file() and "__pycache__" not in f.parts)


def shared_corpora_dir() -> Path:
    """Folder of the real research corpora used for development (``../shared/corpora``).

    Override with the environment variable ``NEWS_SHARED_CORPORA``. The folder may be absent
    (a fresh clone elsewhere); callers check ``.exists()`` and skip with a message.
    """
    override = os.environ.get("NEWS_SHARED_CORPORA")
    if override:
        return Path(override)
    return PROJECT_ROOT.parent / "shared" / "corpora"


def resolve_user_path(path: str | os.PathLike) -> Path:
    """Resolve a corpus path given by a user.

    A relative path is tried against the current directory first, then against the project
    root, so ``"../shared/corpora/x.csv.gz"`` written from the project root also works from a
    notebook running in ``notebooks/``. Returns the first candidate that exists, else the path
    relative to the current directory (so the error message names what the user typed).
    """
    candidate = Path(path).expanduser()
    if candidate.is_absolute() or candidate.exists():
        return candidate
    from_root = PROJECT_ROOT / candidate
    if from_root.exists():
        return from_root
    return candidate
