"""Train the learned attribution extractor on PolNeAR train and write its model file.

Usage: ``.venv/bin/python scripts/train_attribution.py [--no-tune] [--out FOLDER]``

Reads ``../shared/corpora/polnear_*.csv.gz`` (train compartment only), chooses the settings on
a held-out fifth of train, refits on all of train and writes
``utils/attribution/model/attribution_tagger.npz`` and its card ``attribution_tagger.json``
(training data, settings, tuning trials, sha256). The same data and settings give the same
bytes. About 10 minutes on one core (3 with ``--no-tune``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from utils.attribution import training
from utils.attribution.evaluation import polnear_paths
from utils.attribution.model import CARD_FILE, MODEL_FILE


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-tune", action="store_true", help="skip the settings search")
    parser.add_argument("--out", type=Path, default=None, help="folder for the two files")
    args = parser.parse_args(argv)
    articles_path, _ = polnear_paths()
    if not articles_path.exists():
        print("PolNeAR is not available (../shared/corpora absent): nothing to train on.")
        return 1
    model_file = args.out / MODEL_FILE.name if args.out else MODEL_FILE
    card_file = args.out / CARD_FILE.name if args.out else CARD_FILE
    training.train(model_file=model_file, card_file=card_file, tune=not args.no_tune)
    print(f"wrote {model_file.name} and {card_file.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
