"""NewsMTSC (Hamborg & Donnay, EACL 2021; MIT licence): news sentences with the sentiment toward
each named person in them, the training and evaluation data of the news scorer and of the tone
toward a person. The files live in ``../shared/corpora`` (never in the repository)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd

from utils.sentiment.scoring import SentimentError

#: The two splits available: ``train`` (7,758 sentences, 8,739 targets) and ``devtest_mt``
#: (721 sentences naming two or more people, 1,476 targets).
SPLITS = ("train", "devtest_mt")
#: NewsMTSC polarity codes -> class index (0 negative, 1 neutral, 2 positive).
POLARITY_CLASS = {2.0: 0, 4.0: 1, 6.0: 2}


def newsmtsc_path(split: str, folder: Path | None = None) -> Path:
    if split not in SPLITS:
        raise SentimentError(f"Unknown NewsMTSC split {split!r}; use one of {list(SPLITS)}.")
    if folder is None:
        from utils.paths import shared_corpora_dir

        folder = shared_corpora_dir()
    return Path(folder) / f"newsmtsc_{split}.jsonl.gz"


def newsmtsc_available(split: str = "train", folder: Path | None = None) -> bool:
    return newsmtsc_path(split, folder).exists()


def load_newsmtsc(split: str = "train", folder: Path | None = None) -> pd.DataFrame:
    """One row per target: ``sentence_id`` (0.. in file order), ``text`` (the sentence),
    ``start``, ``end`` (exclusive character offsets of the mention), ``mention``, ``polarity``
    (2.0, 4.0, 6.0) and ``label`` (0 negative, 1 neutral, 2 positive)."""
    path = newsmtsc_path(split, folder)
    if not path.exists():
        raise SentimentError(f"NewsMTSC {split} is not at {path.name} in the shared corpora "
                             "folder (../shared/corpora); it is needed to train or evaluate "
                             "the news models.")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for sentence_id, line in enumerate(handle):
            record = json.loads(line)
            text = record["sentence_normalized"]
            for target in record["targets"]:
                polarity = float(target["polarity"])
                rows.append((sentence_id, text, int(target["from"]), int(target["to"]),
                             target["mention"], polarity, POLARITY_CLASS[polarity]))
    return pd.DataFrame(rows, columns=["sentence_id", "text", "start", "end", "mention",
                                       "polarity", "label"])


def sentence_labels(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence: ``sentence_id, text, mean_polarity, label`` where the label is
    the sign of the mean of its targets' polarities around neutral (4.0)."""
    grouped = targets.groupby("sentence_id", sort=True).agg(
        text=("text", "first"), mean_polarity=("polarity", "mean"))
    mean = grouped["mean_polarity"]
    grouped["label"] = (mean > 4.0).astype(int) - (mean < 4.0).astype(int) + 1
    return grouped.reset_index()
