"""The learned sentiment models: tone toward a person (target_sentiment), the news scorer
(engine "news"), their model files (sha256 check) and the training code."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from utils.sentiment import SentimentError, linear, score_sentences, target_sentiment
from utils.sentiment.newsmtsc import newsmtsc_available

RESCUE = "Smith rescued the hostages from the terrorists who had murdered three guards."


# --- target_sentiment: API ------------------------------------------------------------------

def test_target_sentiment_columns_order_and_range():
    items = [
        (RESCUE, 0, 5),
        ("The senator praised Jones for her courage.", 20, 25),
        ("Police arrested Brown after the brutal attack.", 16, 21),
    ]
    frame = target_sentiment(items)
    assert list(frame.columns[:2]) == ["compound", "label"]
    assert {"p_negative", "p_neutral", "p_positive"} <= set(frame.columns)
    assert len(frame) == 3
    assert frame["compound"].between(-1, 1).all()
    assert set(frame["label"]) <= {"negative", "neutral", "positive"}
    probabilities = frame[["p_negative", "p_neutral", "p_positive"]].sum(axis=1)
    assert np.allclose(probabilities, 1.0)
    # order kept: each row equals the item scored alone
    for k, item in enumerate(items):
        alone = target_sentiment([item]).iloc[0]
        assert alone["compound"] == pytest.approx(frame["compound"].iloc[k])
    reversed_frame = target_sentiment(items[::-1])
    assert np.allclose(reversed_frame["compound"].to_numpy()[::-1], frame["compound"])


def test_target_sentiment_empty_gives_the_columns():
    frame = target_sentiment([])
    assert frame.empty
    assert list(frame.columns) == ["compound", "label", "p_negative", "p_neutral", "p_positive"]


def test_target_sentiment_is_deterministic():
    items = [(RESCUE, 0, 5)] * 3
    first = target_sentiment(items)
    second = target_sentiment(items)
    pd.testing.assert_frame_equal(first, second)


def test_tone_toward_a_person_differs_from_the_sentence_tone():
    # negative news, but the rescuer is not the one portrayed badly
    sentence_compound = score_sentences([RESCUE])["compound"].iloc[0]
    assert sentence_compound < -0.05
    toward = target_sentiment([(RESCUE, 0, 5)])["compound"].iloc[0]
    assert not math.isclose(toward, sentence_compound, abs_tol=0.05)
    # the two people of one sentence are told apart
    two = "Garcia praised the brave firefighters, while Lopez was charged with fraud."
    frame = target_sentiment([(two, 0, 6), (two, 45, 50)])
    assert frame["compound"].iloc[0] > frame["compound"].iloc[1]


def test_passage_uses_the_sentence_of_the_mention():
    first = "Miller won the award for her brilliant, generous work."
    second = "Later that year Davis was indicted for fraud and bribery."
    passage = first + " " + second
    start = passage.index("Davis")
    in_passage = target_sentiment([(passage, start, start + 5)])
    alone = target_sentiment([(second, second.index("Davis"), second.index("Davis") + 5)])
    assert in_passage["compound"].iloc[0] == pytest.approx(alone["compound"].iloc[0])


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (("Text here.", 5, 3), "end 3 <= start 5"),
        (("Text here.", 0, 0), "end 0 <= start 0"),
        (("Text here.", -1, 3), "outside its text"),
        (("Text here.", 2, 40), "outside its text"),
        ((None, 0, 3), "missing text"),
        ((float("nan"), 0, 3), "missing text"),
        ((12, 0, 3), "type int"),
        (("Text here.", None, 3), "missing start"),
        (("Text here.", 0, 2.5), "end=2.5"),
        (("Text here.", True, 3), "start=True"),
        (("Text here.", 0), "(text, start, end)"),
        ("Text", "(text, start, end)"),
    ],
)
def test_target_sentiment_bad_items_name_the_item(item, message):
    with pytest.raises(SentimentError) as error:
        target_sentiment([("Fine sentence about Smith.", 20, 25), item])
    assert "Item 1" in str(error.value)
    assert message in str(error.value)


def test_target_sentiment_rejects_a_bare_tuple_and_accepts_a_frame():
    with pytest.raises(SentimentError, match="wrap"):
        target_sentiment(("Smith won.", 0, 5))
    frame = pd.DataFrame({"text": [RESCUE], "start": [0], "end": [5]})
    assert len(target_sentiment(frame)) == 1
    with pytest.raises(SentimentError, match="columns"):
        target_sentiment(pd.DataFrame({"text": [RESCUE]}))


def test_numpy_integer_offsets_are_accepted():
    frame = target_sentiment([(RESCUE, np.int64(0), np.int32(5))])
    assert len(frame) == 1


# --- model files ----------------------------------------------------------------------------

def test_shipped_models_match_their_checksums():
    sums = linear.read_checksums()
    assert "target_tone.npz" in sums
    for name in sums:
        model = linear.load_model(linear.MODELS_DIR / name)
        assert model.weights.shape == (linear.N_FEATURES, 3)


def test_sha256_mismatch_and_missing_file_name_the_rebuild_script(tmp_path):
    source = linear.MODELS_DIR / "target_tone.npz"
    copy = tmp_path / "target_tone.npz"
    shutil.copy(source, copy)
    (tmp_path / "SHA256SUMS").write_text("0" * 64 + "  target_tone.npz\n")
    with pytest.raises(SentimentError, match="train_sentiment_models.py") as error:
        linear.load_model(copy)
    assert "sha256" in str(error.value)
    with pytest.raises(SentimentError, match="train_sentiment_models.py"):
        linear.load_model(tmp_path / "absent.npz")
    (tmp_path / "SHA256SUMS").write_text("")
    with pytest.raises(SentimentError, match="No sha256"):
        linear.load_model(copy)


def test_model_bytes_are_reproducible():
    model = linear.load_model(linear.MODELS_DIR / "target_tone.npz")
    assert linear.model_bytes(model) == (linear.MODELS_DIR / "target_tone.npz").read_bytes()


# --- training -------------------------------------------------------------------------------

def _synthetic_targets() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    good = ["praised", "rescued", "honoured", "thanked"]
    bad = ["attacked", "accused", "arrested", "blamed"]
    names = ["Smith", "Jones", "Brown", "Lee"]
    rows = []
    for k in range(120):
        name = names[k % 4]
        kind = k % 3
        if kind == 0:
            text = f"Critics {rng.choice(bad)} {name} over the plan."
        elif kind == 1:
            text = f"On Monday {name} spoke to reporters about the plan."
        else:
            text = f"Voters {rng.choice(good)} {name} for the plan."
        start = text.index(name)
        rows.append((k, text, start, start + len(name), name, 2.0 + 2 * kind, kind))
    return pd.DataFrame(rows, columns=["sentence_id", "text", "start", "end", "mention",
                                       "polarity", "label"])


def test_training_runs_end_to_end_on_a_tiny_synthetic_set(tmp_path):
    pytest.importorskip("sklearn")
    from utils.sentiment import training

    frame = _synthetic_targets()
    choice, table = training.choose_target_model(
        frame, grid={"mask_names": [True], "window": [3], "c": [1.0], "class_weight": [None]},
        n_folds=3, log=lambda *_: None)
    assert len(table) == 1 and table["cv_macro_f1"].iloc[0] > 0.8
    model = training.train_target_model(frame, choice)
    path = tmp_path / "target_tone.npz"
    digest = linear.save_model(model, path)
    linear.write_checksums({"target_tone.npz": digest}, tmp_path / "SHA256SUMS")
    loaded = linear.load_model(path)
    items = list(zip(frame["text"], frame["start"], frame["end"], strict=True))
    predicted = target_sentiment(items, model=loaded)
    accuracy = (predicted["label"].map({"negative": 0, "neutral": 1, "positive": 2})
                == frame["label"]).mean()
    assert accuracy > 0.9
    # same data, same bytes
    again = training.train_target_model(frame, choice)
    assert linear.model_bytes(again) == path.read_bytes()


@pytest.mark.skipif(not newsmtsc_available("devtest_mt"),
                    reason="NewsMTSC devtest_mt is not in ../shared/corpora")
def test_target_tone_beats_the_sentence_label_on_devtest_mt():
    from utils.sentiment.newsmtsc import load_newsmtsc
    from utils.sentiment.training import macro_f1

    frame = load_newsmtsc("devtest_mt")
    tone = target_sentiment(list(zip(frame["text"], frame["start"], frame["end"], strict=True)))
    predicted = tone["label"].map({"negative": 0, "neutral": 1, "positive": 2})
    assert macro_f1(frame["label"], predicted) >= 0.62
