"""Score the project's attribution extractor on PolNeAR (the PolNeAR scoring).

Usage: ``.venv/bin/python scripts/evaluate_attribution.py [dev] [train]`` (default: dev and
train). Prints pooled content precision/recall/F1, speaker accuracy and end-to-end figures for
all attributions and for the direct subset. Needs ``../shared/corpora/polnear_*.csv.gz``.
"""

from __future__ import annotations

import sys

import pandas as pd

from utils.attribution.evaluation import evaluate_polnear, polnear_paths


def main(argv: list[str]) -> int:
    compartments = argv or ["dev", "train"]
    articles_path, _ = polnear_paths()
    if not articles_path.exists():
        print("PolNeAR is not available (../shared/corpora absent): nothing to evaluate.")
        return 0
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    for compartment in compartments:
        scores = evaluate_polnear(compartment)
        print(f"== PolNeAR {compartment}: {scores.articles} articles")
        print(scores.as_frame().to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
