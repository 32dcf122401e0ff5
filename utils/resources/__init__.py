"""Offline, deterministic language resources.

Nothing here calls ``nltk.download()`` or reads the user's own ``~/nltk_data``:

- **Punkt sentence-splitter parameters** are defined in code (:data:`NEWS_ABBREVIATIONS`), so the
  splitter behaves the same on every machine (:func:`punkt_parameters`).
- **Stopwords** are the project's own list, ``utils/resources/stopwords_en.txt``
  (:func:`english_stopwords`).
- **The VADER lexicon** comes from the pinned ``vaderSentiment`` package;
  :func:`provision_nltk_data` also writes it into the project-local NLTK data directory
  (``data/external/nltk_data``) for NLTK's port of VADER, and :func:`use_project_nltk_data`
  makes that directory the only one NLTK searches.
- **The VADER paper's human-rated data** (``hutto_ICWSM_2014.tar.gz``, inside the source
  distribution of ``vaderSentiment==3.3.2`` on PyPI) is fetched with pip, checked against pinned
  sha256 digests and cached under ``data/external/`` by :func:`ensure_vader_paper_data`.

Run ``python -m utils.resources`` to provision everything (``make`` does it).
"""

from __future__ import annotations

import functools
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from utils import paths

RESOURCE_DIR = Path(__file__).resolve().parent

#: Abbreviations common in news text, without their final period, lower case (Punkt's format).
#: A period after one of these does not end a sentence. Multi-period forms ("u.s") are listed
#: with their inner periods.
NEWS_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        # titles and honorifics
        "mr", "mrs", "ms", "messrs", "dr", "prof", "sr", "jr", "st", "rev", "fr", "hon",
        "gov", "sen", "rep", "reps", "sens", "lt", "col", "gen", "maj", "capt", "cmdr", "sgt",
        "adm", "cpl", "pvt", "supt", "insp", "atty", "pres", "amb", "gens",
        # months and days
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        # places and bodies
        "u.s", "u.k", "u.n", "e.u", "u.s.a", "u.s.s.r", "d.c", "n.y", "l.a", "s.f", "n.j",
        "calif", "ariz", "ark", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan",
        "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
        "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "ala", "ave", "blvd",
        "mt", "ft",
        # organisations and common short forms
        "co", "corp", "inc", "ltd", "bros", "dept", "univ", "assn", "gov't", "no", "nos",
        "vs", "etc", "approx", "est", "vol", "fig", "ed", "eds", "p.m", "a.m", "e.g", "i.e",
    }
)


def punkt_parameters():
    """Return NLTK ``PunktParameters`` holding the project's news abbreviations.

    Built fresh in code each call site (cached), so no trained pickle from ``nltk_data`` is read.
    """
    return _punkt_parameters()


@functools.cache
def _punkt_parameters():
    from nltk.tokenize.punkt import PunktParameters

    params = PunktParameters()
    params.abbrev_types = set(NEWS_ABBREVIATIONS)
    return params


@functools.cache
def english_stopwords() -> frozenset[str]:
    """The project's English stopword list (lower case), from ``stopwords_en.txt``."""
    words = set()
    for line in (RESOURCE_DIR / "stopwords_en.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


# ---------------------------------------------------------------------------------------------
# VADER lexicon and the project-local NLTK data directory


def vader_lexicon_path() -> Path:
    """Path of ``vader_lexicon.txt`` inside the pinned ``vaderSentiment`` package."""
    import vaderSentiment.vaderSentiment as vs

    return Path(vs.__file__).resolve().parent / "vader_lexicon.txt"


def provision_nltk_data(nltk_data_dir: Path | None = None) -> Path:
    """Write the resources NLTK loads by name into the project-local NLTK data directory.

    Today that is ``sentiment/vader_lexicon.zip`` (NLTK's VADER port reads
    ``vader_lexicon/vader_lexicon.txt`` from it), built from the pinned ``vaderSentiment``
    lexicon. Idempotent: an up-to-date file is left alone. Returns the directory.
    """
    target_dir = Path(nltk_data_dir or paths.NLTK_DATA_DIR)
    zip_path = target_dir / "sentiment" / "vader_lexicon.zip"
    lexicon_bytes = vader_lexicon_path().read_bytes()
    if zip_path.exists():
        with zipfile.ZipFile(zip_path) as existing:
            try:
                if existing.read("vader_lexicon/vader_lexicon.txt") == lexicon_bytes:
                    return target_dir
            except KeyError:
                pass
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("vader_lexicon/vader_lexicon.txt", date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(info, lexicon_bytes)
    zip_path.write_bytes(buffer.getvalue())
    return target_dir


def use_project_nltk_data(*, when_imported: bool = False) -> Path:
    """Provision and make the project-local directory the only place NLTK looks for data.

    ``nltk.data.path`` is replaced (not extended), so whatever a user keeps in ``~/nltk_data``
    cannot change results. ``when_imported=True`` (what a notebook's set-up asks for) does not
    import NLTK when it is not imported yet: importing it costs a second or more (it imports
    scikit-learn and SciPy), and most notebooks never use it. The path is then set the moment
    ``nltk.data`` is imported, by :class:`_NltkDataPath`.
    """
    target = provision_nltk_data()
    if when_imported and "nltk.data" not in sys.modules:
        if not any(isinstance(finder, _NltkDataPath) for finder in sys.meta_path):
            sys.meta_path.insert(0, _NltkDataPath(str(target)))
        return target
    import nltk

    nltk.data.path[:] = [str(target)]
    return target


class _NltkDataPath:
    """Import hook (a ``sys.meta_path`` finder) that sets ``nltk.data.path`` to the project's
    directory right after ``nltk.data`` is first imported, then removes itself; the module is
    found and loaded by Python's own finders."""

    def __init__(self, target: str):
        self.target = target

    def find_spec(self, name, path=None, target=None):
        if name != "nltk.data":
            return None
        import importlib.machinery

        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        directory, run = self.target, spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.path[:] = [directory]

        spec.loader.exec_module = exec_module
        return spec


# ---------------------------------------------------------------------------------------------
# The VADER paper's human-rated data (Hutto & Gilbert, ICWSM 2014)

VADER_SDIST = "vaderSentiment==3.3.2"
VADER_SDIST_FILE = "vaderSentiment-3.3.2.tar.gz"
VADER_SDIST_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"
VADER_PAPER_MEMBER = "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
VADER_PAPER_SHA256 = "d5bb07d87474b3eb8d30b4deccbc23f19d742a6c5718fbacc65485b70b95c5fa"
#: Files of the paper's archive kept in the cache (the four rated data sets).
VADER_PAPER_FILES = tuple(
    f"{name}_{kind}.txt"
    for name in ("nytEditorialSnippets", "tweets", "movieReviewSnippets", "amazonReviewSnippets")
    for kind in ("GroundTruth", "anonDataRatings")
) + ("_README_.txt",)


def vader_paper_dir() -> Path:
    """Cache folder of the VADER paper's data (``data/external/vader_icwsm2014``)."""
    return paths.EXTERNAL_DIR / "vader_icwsm2014"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _download_vader_sdist(download_dir: Path) -> Path:
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
        "--disable-pip-version-check", "-d", str(download_dir), VADER_SDIST,
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    sdist = download_dir / VADER_SDIST_FILE
    if result.returncode != 0 or not sdist.exists():
        raise RuntimeError(
            f"Could not fetch the source distribution of {VADER_SDIST} from PyPI with pip "
            f"(exit {result.returncode}): {result.stderr.strip()[-500:]}"
        )
    return sdist


def extract_vader_paper_data(sdist_path: Path, target_dir: Path) -> Path:
    """Check the sdist and the inner archive against their sha256 and extract the data files."""
    sdist_bytes = Path(sdist_path).read_bytes()
    if _sha256(sdist_bytes) != VADER_SDIST_SHA256:
        raise RuntimeError(
            f"{Path(sdist_path).name}: sha256 {_sha256(sdist_bytes)} does not match the pinned "
            f"{VADER_SDIST_SHA256}; refusing to use it."
        )
    with tarfile.open(fileobj=io.BytesIO(sdist_bytes), mode="r:gz") as outer:
        inner_bytes = outer.extractfile(VADER_PAPER_MEMBER).read()
    if _sha256(inner_bytes) != VADER_PAPER_SHA256:
        raise RuntimeError(
            f"hutto_ICWSM_2014.tar.gz: sha256 {_sha256(inner_bytes)} does not match the pinned "
            f"{VADER_PAPER_SHA256}; refusing to use it."
        )
    target_dir = Path(target_dir)
    staging = Path(tempfile.mkdtemp(prefix=".vader-", dir=target_dir.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(inner_bytes), mode="r:gz") as inner:
            for name in VADER_PAPER_FILES:
                member = inner.extractfile(f"hutto_ICWSM_2014/{name}")
                (staging / name).write_bytes(member.read())
        (staging / "SHA256").write_text(VADER_PAPER_SHA256 + "\n")
        if target_dir.exists():
            shutil.rmtree(target_dir)
        staging.rename(target_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target_dir


def ensure_vader_paper_data() -> Path:
    """Return the cache folder of the VADER paper's data, fetching it with pip if needed.

    Re-uses the cache when it is complete; otherwise downloads ``vaderSentiment-3.3.2.tar.gz``
    from PyPI, verifies both sha256 digests and extracts the rated data sets.
    """
    target = vader_paper_dir()
    marker = target / "SHA256"
    complete = marker.exists() and all((target / name).exists() for name in VADER_PAPER_FILES)
    if complete and marker.read_text().strip() == VADER_PAPER_SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as download_dir:
        sdist = _download_vader_sdist(Path(download_dir))
        return extract_vader_paper_data(sdist, target)


def provision_all() -> None:
    """Provision every resource the project uses (what ``make`` runs after installing)."""
    nltk_dir = provision_nltk_data()
    paper_dir = ensure_vader_paper_data()
    print(f"NLTK data: {nltk_dir.relative_to(paths.PROJECT_ROOT)}")
    print(f"VADER paper data: {paper_dir.relative_to(paths.PROJECT_ROOT)}")


if __name__ == "__main__":
    provision_all()
