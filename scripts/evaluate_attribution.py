"""Score the project's attribution extractors on PolNeAR (the PolNeAR scoring).

Usage: ``.venv/bin/python scripts/evaluate_attribution.py [dev] [train] [--method learned rules]
[--forms normal stripped]`` (default: dev and train, both methods, both forms). For each
compartment, method and form (``normal``: the articles as given; ``stripped``: every comma and
apostrophe deleted, gold offsets remapped) prints pooled content precision/recall/F1, speaker
accuracy and end-to-end figures for all attributions and for the direct subset, then the
exact-span F1 of each component (source, cue, content). Needs ``../shared/corpora/polnear_*``.
The learned extractor was trained on train: its train figures are not a held-out measure.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from utils.attribution.evaluation import polnear_paths, polnear_report


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("compartments", nargs="*", default=["dev", "train"])
    parser.add_argument("--method", nargs="+", default=["learned", "rules"])
    parser.add_argument("--forms", nargs="+", default=["normal", "stripped"])
    args = parser.parse_args(argv)
    articles_path, _ = polnear_paths()
    if not articles_path.exists():
        print("PolNeAR is not available (../shared/corpora absent): nothing to evaluate.")
        return 0
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    for compartment in args.compartments:
        for form in args.forms:
            for method in args.method:
                scores, components = polnear_report(compartment, method, form == "stripped")
                print(f"== PolNeAR {compartment}, {form}, {method}: {scores.articles} articles")
                print(scores.as_frame().to_string(index=False))
                print(components.to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
