"""Built-in corpora: the seed article, the VADER paper's human-rated NYT editorials and FA-KES
(Syrian-war news labelled credible or fake)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from utils import paths
from utils.corpus.folders import load_text_articles
from utils.corpus.report import CorpusError, LoadReport

#: Built-in corpora: name -> description (see data/README.md, the data card).
BUILTIN_CORPORA = {
    "seed": "The project's seed article (Assad's visit to Moscow), data/seed/.",
    "nyt-editorials": (
        "5,190 human-rated New York Times editorial snippets from the VADER paper "
        "(Hutto & Gilbert 2014), grouped into their ~500 editorials."
    ),
    "fa-kes": (
        "FA-KES (Salem et al. 2019): 804 news articles on the Syrian war from 15 publishers, "
        "2011-2018, labelled credible or fake; CC BY 4.0, data/fa-kes/."
    ),
}

#: The FA-KES table as published (Zenodo record 2607278), committed byte for byte.
FA_KES_FILE = paths.DATA_DIR / "fa-kes" / "fa_kes_syria_804.csv.gz"
#: sha256 of :data:`FA_KES_FILE` (the copy is checked against it by the tests).
FA_KES_SHA256 = "e991dedeec0585444ae77c029eecc7cbf49830227f4461a696f58d6becdc2df2"
#: FA-KES's ``labels`` column: 1 credible, 0 fake (the data set's README).
FA_KES_LABEL_NAMES = {"1": "credible", "0": "fake"}

_LINE_ENDINGS = re.compile(r"\r\n?")


def load_builtin(name: str) -> tuple[pd.DataFrame, LoadReport]:
    """A built-in corpus as read (before the loader's finish) and its report."""
    if name == "seed":
        frame, report = load_text_articles(paths.SEED_DIR, "seed")
        report.format = "built-in: folder of .txt articles"
        frame["source"] = pd.NA
        return frame, report
    if name == "nyt-editorials":
        sentences = load_nyt_sentences()
        report = LoadReport(source=name, format="built-in: VADER paper, NYT editorial snippets")
        report.read = sentences["editorial_id"].nunique()
        grouped = sentences.sort_values(["editorial_id", "sentence_index"]).groupby(
            "editorial_id", sort=True
        )
        frame = pd.DataFrame(
            {
                "doc_id": [f"nyt-{editorial:03d}" for editorial in grouped.groups],
                "title": pd.NA,
                "text": grouped["text"].agg(" ".join).tolist(),
                "source": "The New York Times",
                "date": pd.NA,
                "label": pd.NA,
                "sentences": grouped.size().tolist(),
                "human_mean_rating": grouped["human_mean"].mean().round(4).tolist(),
            }
        )
        frame["human_tone"] = human_tone(frame["human_mean_rating"])
        return frame, report
    if name == "fa-kes":
        return load_fa_kes_table()
    raise CorpusError(f"Unknown built-in corpus {name!r}")  # pragma: no cover


def load_fa_kes_table() -> tuple[pd.DataFrame, LoadReport]:
    """FA-KES read as ``load_corpus(FA_KES_FILE, label_names=FA_KES_LABEL_NAMES)`` reads it,
    before the loader's finish: columns recognised (``article_content`` the text,
    ``article_title``, ``source`` the publisher, ``date``, ``labels``), texts repaired, and
    the labels named (the finish leaves named labels as they are)."""
    from utils.corpus.tables import read_table, tidy_table

    if not FA_KES_FILE.is_file():
        raise CorpusError(f"The built-in FA-KES table is missing ({FA_KES_FILE.name} is "
                          f"committed in data/fa-kes/; restore it from the repository).")
    report = LoadReport(source="fa-kes", format="built-in: FA-KES table (csv)")
    raw = read_table(FA_KES_FILE, "csv", "fa-kes", report)
    frame = tidy_table(raw, report)
    labels = frame["label"].astype("string").str.strip()
    frame["label"] = labels.map(lambda v: FA_KES_LABEL_NAMES.get(v, v), na_action="ignore")
    return frame, report


#: Mean human rating (scale -4..+4) beyond which an editorial's tone counts as negative or
#: positive; the VADER paper's +/-0.05 band around zero, applied to the editorial's mean.
HUMAN_TONE_THRESHOLD = 0.05


def human_tone(mean_rating: pd.Series) -> pd.Series:
    """``negative``/``neutral``/``positive`` from mean human ratings (see
    :data:`HUMAN_TONE_THRESHOLD`), so the NYT editorials can be compared by human-rated tone."""
    values = pd.to_numeric(mean_rating, errors="coerce")
    tone = pd.Series("neutral", index=values.index, dtype="string")
    tone[values < -HUMAN_TONE_THRESHOLD] = "negative"
    tone[values > HUMAN_TONE_THRESHOLD] = "positive"
    tone[values.isna()] = pd.NA
    return tone


def load_nyt_sentences() -> pd.DataFrame:
    """The 5,190 NYT editorial snippets of the VADER paper with their human ratings.

    Columns: ``snippet_id`` (``N_M``), ``editorial_id`` (N), ``sentence_index`` (M, from 1),
    ``text``, ``human_mean`` (mean rating, -4..4), ``human_sd`` and ``ratings`` (the raw
    ratings of the individual raters, a list of ints).
    """
    return load_vader_ratings("nytEditorialSnippets")


def load_vader_ratings(dataset: str) -> pd.DataFrame:
    """One of the four human-rated data sets of the VADER paper (fetched and cached on first use).

    ``dataset`` is ``"nytEditorialSnippets"``, ``"tweets"``, ``"movieReviewSnippets"`` or
    ``"amazonReviewSnippets"``; columns as in :func:`load_nyt_sentences`.
    """
    from utils.resources import ensure_vader_paper_data

    folder = ensure_vader_paper_data()
    truth_path = folder / f"{dataset}_GroundTruth.txt"
    if not truth_path.exists():
        raise CorpusError(f"Unknown VADER data set {dataset!r}")
    rows = []
    for line in _read_lines(truth_path):
        snippet_id, mean, text = line.split("\t", 2)
        rows.append((snippet_id, float(mean), text))
    frame = pd.DataFrame(rows, columns=["snippet_id", "human_mean", "text"])
    ratings = {}
    for line in _read_lines(folder / f"{dataset}_anonDataRatings.txt"):
        snippet_id, _mean, sd, raw = line.split("\t", 3)
        values = [int(v) for v in raw.strip().strip("[]").split(",") if v.strip()]
        ratings[snippet_id] = (float(sd), values)
    frame["human_sd"] = frame["snippet_id"].map(lambda s: ratings.get(s, (None, None))[0])
    frame["ratings"] = frame["snippet_id"].map(lambda s: ratings.get(s, (None, None))[1])
    # "N_M" ids (NYT, Amazon) or plain "N" ids (tweets, movie reviews: no sentence index)
    parts = frame["snippet_id"].str.split("_", n=1, expand=True).reindex(columns=[0, 1])
    frame.insert(1, "editorial_id", pd.to_numeric(parts[0], errors="coerce").astype("Int64"))
    frame.insert(2, "sentence_index", pd.to_numeric(parts[1], errors="coerce").astype("Int64"))
    return frame


def _read_lines(path: Path) -> list[str]:
    raw = path.read_bytes().decode("utf-8", errors="replace")
    return [line for line in _LINE_ENDINGS.sub("\n", raw).split("\n") if line.strip()]
