"""Offline language resources (utils.resources)."""

from __future__ import annotations

import io
import tarfile
import zipfile

import nltk
import pytest

from utils import paths, resources


def test_stopwords_are_defined_by_the_project():
    words = resources.english_stopwords()
    assert {"the", "and", "of", "'s", "n't"} <= words
    assert "syria" not in words and "putin" not in words
    assert all(w == w.lower() and w.strip() == w for w in words)


def test_punkt_parameters_hold_the_news_abbreviations():
    params = resources.punkt_parameters()
    assert {"mr", "dr", "u.s", "dec", "gov", "sen"} <= params.abbrev_types


def test_provisioned_vader_lexicon_matches_the_pinned_package(tmp_path):
    target = resources.provision_nltk_data(tmp_path)
    with zipfile.ZipFile(target / "sentiment" / "vader_lexicon.zip") as archive:
        packed = archive.read("vader_lexicon/vader_lexicon.txt")
    assert packed == resources.vader_lexicon_path().read_bytes()
    before = (target / "sentiment" / "vader_lexicon.zip").read_bytes()
    resources.provision_nltk_data(tmp_path)  # idempotent, byte-identical
    assert (target / "sentiment" / "vader_lexicon.zip").read_bytes() == before


def test_nltk_reads_only_the_project_data_directory():
    saved = list(nltk.data.path)
    try:
        directory = resources.use_project_nltk_data()
        assert nltk.data.path == [str(directory)]
        assert str(paths.PROJECT_ROOT) in str(directory)
        from nltk.sentiment.vader import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        assert analyzer.polarity_scores("good")["compound"] > 0
    finally:
        nltk.data.path[:] = saved


def test_a_notebook_set_up_sets_the_nltk_path_when_nltk_is_first_imported():
    """setup_notebook does not import NLTK, and NLTK still reads only the project's data."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from utils.notebook import setup_notebook\n"
        "setup_notebook(); setup_notebook()\n"
        "assert 'nltk' not in sys.modules\n"
        "from nltk.sentiment.vader import SentimentIntensityAnalyzer\n"
        "import nltk\n"
        "from utils import paths\n"
        "assert nltk.data.path == [str(paths.NLTK_DATA_DIR)], nltk.data.path\n"
        "assert SentimentIntensityAnalyzer().polarity_scores('good')['compound'] > 0\n"
        "assert not any(type(f).__name__ == '_NltkDataPath' for f in sys.meta_path)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=paths.PROJECT_ROOT, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
    assert done.stderr == ""


def test_vader_paper_data_is_cached_with_its_digest():
    folder = resources.ensure_vader_paper_data()
    assert (folder / "SHA256").read_text().strip() == resources.VADER_PAPER_SHA256
    for name in resources.VADER_PAPER_FILES:
        assert (folder / name).stat().st_size > 0


def _fake_sdist(path, inner_bytes):
    with tarfile.open(path, "w:gz") as outer:
        info = tarfile.TarInfo(resources.VADER_PAPER_MEMBER)
        info.size = len(inner_bytes)
        outer.addfile(info, io.BytesIO(inner_bytes))


def test_a_tampered_download_is_refused(tmp_path):
    sdist = tmp_path / resources.VADER_SDIST_FILE
    _fake_sdist(sdist, b"not the real archive")
    with pytest.raises(RuntimeError, match="does not match the pinned"):
        resources.extract_vader_paper_data(sdist, tmp_path / "out")
    assert not (tmp_path / "out").exists()
