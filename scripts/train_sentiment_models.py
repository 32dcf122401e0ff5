"""Rebuild the shipped sentiment models from NewsMTSC train (in ../shared/corpora).

    .venv/bin/python scripts/train_sentiment_models.py [--check]

Chooses every setting by cross-validation on NewsMTSC train (folds grouped by sentence), fits
the final models on all of train, writes ``utils/sentiment/models/*.npz`` and their sha256 in
``utils/sentiment/models/SHA256SUMS`` and prints the cross-validation tables. NewsMTSC
devtest_mt is not read. With ``--check`` nothing is written: the script rebuilds the models in
memory and says whether the bytes equal the shipped files (a deterministic rebuild).
"""

from __future__ import annotations

import argparse
import hashlib
import sys

from utils.sentiment import linear
from utils.sentiment.newsmtsc import load_newsmtsc, newsmtsc_available


def build_models(log=print) -> dict[str, bytes]:
    from utils.sentiment import news, targets, training

    frame = load_newsmtsc("train")
    log(f"NewsMTSC train: {frame['sentence_id'].nunique()} sentences, {len(frame)} targets")
    out = {}
    choice, table = training.choose_target_model(frame, log=log)
    log("target tone, cross-validated macro-F1 on train (5 folds grouped by sentence):")
    log(table.round(4).to_string(index=False))
    log(f"chosen: {choice}")
    model = training.train_target_model(frame, choice)
    out[targets.TARGET_MODEL_FILE.name] = linear.model_bytes(model)
    news_choice, news_table = training.choose_news_model(frame, log=log)
    log("news scorer (model alone), cross-validated on train sentences:")
    log(news_table.round(4).to_string(index=False))
    news_model = training.train_news_model(frame, news_choice)
    tuning, held_out = training.nyt_halves()
    alpha, r_tuning = training.choose_alpha(news_model, tuning["text"].tolist(),
                                            tuning["human_mean"])
    log(f"news scorer blend weight alpha = {alpha} (Pearson r {r_tuning:.4f} on the NYT "
        f"tuning half, {len(tuning)} snippets; the other {len(held_out)} are held out)")
    band, f1 = training.news_band(frame, news_choice, alpha)
    log(f"news scorer neutral band {band} (cross-validated macro-F1 {f1:.4f} on train)")
    news_model.header.update({"alpha": alpha, "neutral_band": band, "cv_blend_macro_f1": f1,
                              "nyt_tuning_r": r_tuning, "nyt_tuning_half": "even editorials"})
    log(f"chosen: {news_model.header}")
    out[news.NEWS_MODEL_FILE.name] = linear.model_bytes(news_model)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild in memory and compare with the shipped files")
    args = parser.parse_args(argv)
    if not newsmtsc_available("train"):
        print("NewsMTSC train is not in ../shared/corpora; cannot train.", file=sys.stderr)
        return 2
    built = build_models()
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in built.items()}
    if args.check:
        shipped = linear.read_checksums()
        same = all(shipped.get(name) == digest for name, digest in digests.items())
        for name, digest in sorted(digests.items()):
            print(f"{name}: rebuilt {digest}, shipped {shipped.get(name)}")
        print("same bytes as shipped" if same else "DIFFERENT from the shipped files")
        return 0 if same else 1
    linear.MODELS_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in built.items():
        (linear.MODELS_DIR / name).write_bytes(data)
        print(f"wrote {name} ({len(data):,} bytes, sha256 {digests[name]})")
    existing = linear.read_checksums()
    existing.update(digests)
    linear.write_checksums(existing)
    return 0


if __name__ == "__main__":
    sys.exit(main())
