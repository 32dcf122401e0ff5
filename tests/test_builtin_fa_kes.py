"""The built-in FA-KES corpus: the committed table, read as a path load with the label names
would read it, and the default of `make run` and `python -m utils.analyze`."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pandas as pd
import pytest

from utils import paths
from utils.corpus import BUILTIN_CORPORA, corpus_name, load_corpus, load_report
from utils.corpus.builtin import FA_KES_FILE, FA_KES_LABEL_NAMES, FA_KES_SHA256


@pytest.fixture(scope="module")
def fa_kes() -> pd.DataFrame:
    return load_corpus("fa-kes")


def test_the_table_is_committed_as_published():
    assert FA_KES_FILE == paths.DATA_DIR / "fa-kes" / "fa_kes_syria_804.csv.gz"
    assert hashlib.sha256(FA_KES_FILE.read_bytes()).hexdigest() == FA_KES_SHA256


def test_the_table_is_not_git_ignored():
    """It ships in the repository (a fresh clone has it), not fetched like data/external/."""
    git = shutil.which("git")
    if git is None or not (paths.PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run([git, "check-ignore", "-q", str(FA_KES_FILE)],
                             cwd=paths.PROJECT_ROOT, capture_output=True)
    assert ignored.returncode == 1, "data/fa-kes/ is git-ignored"


def test_the_table_is_the_shared_copy(shared_corpora):
    shared = shared_corpora / FA_KES_FILE.name
    if not shared.is_file():
        pytest.skip(f"{FA_KES_FILE.name} absent from the shared corpora")
    assert shared.read_bytes() == FA_KES_FILE.read_bytes()


def test_builtin_equals_the_path_load_with_label_names(fa_kes):
    from_path = load_corpus(FA_KES_FILE, label_names={"1": "credible", "0": "fake"})
    pd.testing.assert_frame_equal(fa_kes, from_path)
    assert FA_KES_LABEL_NAMES == {"1": "credible", "0": "fake"}
    builtin, path = load_report(fa_kes), load_report(from_path)
    assert (builtin.read, builtin.kept) == (path.read, path.kept)
    assert builtin.source == "fa-kes" and builtin.format.startswith("built-in")


def test_the_804_articles_and_their_metadata(fa_kes):
    report = load_report(fa_kes)
    assert report.read == 804
    assert len(fa_kes) == 789  # 15 duplicate texts dropped
    assert fa_kes["label"].value_counts().to_dict() == {"credible": 419, "fake": 370}
    # the one-line article starting "Print this page" is kept whole
    assert fa_kes["text"].str.startswith("Print this page").sum() == 1
    assert fa_kes["source"].nunique() == 15 and fa_kes["source"].notna().all()
    assert {"reuters", "sana", "tass"} <= set(fa_kes["source"])
    assert pd.api.types.is_datetime64_any_dtype(fa_kes["date"])
    assert fa_kes["date"].notna().all()
    assert fa_kes["date"].min().year == 2011 and fa_kes["date"].max().year == 2018
    assert "location" in fa_kes.columns
    # the data set's own peculiarity, kept: no comma or apostrophe in any text
    assert not fa_kes["text"].str.contains("[,']").any()


def test_raw_labels_are_one_credible_zero_fake():
    raw = pd.read_csv(FA_KES_FILE)
    assert len(raw) == 804
    assert raw["labels"].value_counts().to_dict() == {1: 427, 0: 377}


def test_fa_kes_is_registered_beside_the_others():
    assert {"fa-kes", "nyt-editorials", "seed"} <= set(BUILTIN_CORPORA)
    assert corpus_name("fa-kes") == "fa-kes"


def test_loader_options_still_apply_to_the_builtin(fa_kes):
    renamed = load_corpus("fa-kes", label_names={"credible": "real"})
    assert set(renamed["label"]) == {"real", "fake"}
    assert len(load_corpus("fa-kes", drop_duplicates=False)) == 804


def test_data_card_describes_fa_kes():
    card = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    section = card[card.index("## FA-KES"):]
    for fact in ("804", "CC BY 4.0", "2607278", "https://zenodo.org/record/2607278",
                 "Fatima K. Abu Salem", "ICWSM", "apostrophe", "article_content", "labels"):
        assert fact in section, fact


def test_fa_kes_is_the_default_corpus(monkeypatch):
    from utils import analyze

    makefile = (paths.PROJECT_ROOT / "Makefile").read_text()
    assert "CORPUS ?= fa-kes\n" in makefile
    assert "ANALYZE_ARGS ?= --group-by label\n" in makefile
    seen = {}
    monkeypatch.setattr(analyze, "run_analysis",
                        lambda corpus, *args, **kwargs: seen.setdefault("corpus", corpus))
    assert analyze.main([]) == 0
    assert seen["corpus"] == "fa-kes"
