"""The learned sentiment models: tone toward a person (target_sentiment), the news scorer
(engine "news"), their model files (sha256 check) and the training code."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

from utils.sentiment import (
    SentimentError,
    linear,
    score_sentences,
    score_text,
    target_sentiment,
)
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


# --- the news scorer (engine "news") --------------------------------------------------------

NEWS_TEXTS = [
    "Stocks plunged after the company announced thousands of layoffs.",
    "The rescue team was praised for saving every child from the flood.",
    "The committee will meet on Tuesday.",
    "",
    " ".join(["The company reported great growth and wonderful profits."] * 30),
]


def test_news_engine_range_columns_and_determinism():
    first = score_sentences(NEWS_TEXTS, engine="news")
    assert list(first.columns) == ["neg", "neu", "pos", "compound"]
    assert len(first) == len(NEWS_TEXTS)
    assert first["compound"].between(-1, 1).all()
    assert ((first[["neg", "neu", "pos"]] >= 0) & (first[["neg", "neu", "pos"]] <= 1)).all().all()
    assert first.iloc[3].tolist() == [0.0, 0.0, 0.0, 0.0]  # empty text, as VADER scores ""
    second = score_sentences(NEWS_TEXTS, engine="news")
    pd.testing.assert_frame_equal(first, second)
    # one at a time gives the same as the batch
    alone = [score_text(t, engine="news")["compound"] for t in NEWS_TEXTS]
    assert np.allclose(alone, first["compound"])
    assert first["compound"].iloc[1] > first["compound"].iloc[0]


def test_news_engine_does_not_saturate_on_long_texts():
    text = NEWS_TEXTS[4]
    assert score_text(text)["compound"] > 0.999  # VADER saturates
    one = score_text("The company reported great growth and wonderful profits.",
                     engine="news")["compound"]
    assert score_text(text, engine="news")["compound"] == pytest.approx(one, abs=1e-3)


def test_news_engine_through_the_article_functions():
    from utils.sentiment import article_sentiment, sentence_sentiment

    corpus = pd.DataFrame({"doc_id": ["a", "b"], "title": ["Markets fall", None],
                           "text": ["Shares fell sharply. Investors were worried.",
                                    "The festival was a joyful success."]})
    sentences = sentence_sentiment(corpus, engine="news", cache=False)
    assert len(sentences) == 3 and sentences["compound"].between(-1, 1).all()
    direct = score_sentences(sentences["text"], engine="news")["compound"].to_numpy()
    assert np.allclose(sentences["compound"].to_numpy(), direct)
    articles = article_sentiment(corpus, engine="news")
    assert len(articles) == 2


def test_news_engine_cache_key_differs_from_vader():
    from utils.sentiment import scorer_version

    assert scorer_version("news") != scorer_version("vader")


def test_unknown_engine_lists_news():
    with pytest.raises(SentimentError, match="news"):
        score_sentences(["x"], engine="bogus")


def test_news_rescaling_maps_the_band_onto_vaders_threshold():
    from utils.sentiment.news import rescale_compound

    values = rescale_compound(np.array([-1.0, -0.3, -0.2, 0.0, 0.2, 0.3, 1.0]), 0.2)
    assert values.tolist() == pytest.approx([-1.0, -0.05 - 0.1 * 0.95 / 0.8, -0.05, 0.0,
                                             0.05, 0.05 + 0.1 * 0.95 / 0.8, 1.0])
    assert np.all(np.diff(rescale_compound(np.linspace(-1, 1, 101), 0.3)) > 0)


def test_news_model_file_sha256_checked(tmp_path):
    shutil.copy(linear.MODELS_DIR / "news_scorer.npz", tmp_path / "news_scorer.npz")
    sums = linear.read_checksums()
    linear.write_checksums({"news_scorer.npz": sums["news_scorer.npz"]}, tmp_path / "SHA256SUMS")
    assert linear.load_model(tmp_path / "news_scorer.npz").header["model"] == "news_scorer"
    data = bytearray((tmp_path / "news_scorer.npz").read_bytes())
    data[-30] ^= 0xFF
    (tmp_path / "news_scorer.npz").write_bytes(bytes(data))
    with pytest.raises(SentimentError, match="Rebuild it with .*train_sentiment_models"):
        linear.load_model(tmp_path / "news_scorer.npz")


def test_news_training_runs_end_to_end_on_a_tiny_synthetic_set():
    pytest.importorskip("sklearn")
    from utils.sentiment import training
    from utils.sentiment.news import NewsScorer

    frame = _synthetic_targets()
    choice, table = training.choose_news_model(
        frame, grid={"mask_names": [True], "bigrams": [True], "c": [1.0]}, n_folds=3,
        log=lambda *_: None)
    assert table["cv_macro_f1"].iloc[0] > 0.8
    model = training.train_news_model(frame, choice)
    scores = NewsScorer(model).score_many(frame["text"].tolist())
    compound = np.array([row[3] for row in scores])
    assert compound[frame["label"].to_numpy() == 2].mean() > compound[
        frame["label"].to_numpy() == 0].mean()


# --- engine_validation ----------------------------------------------------------------------

def _nyt_fixture() -> pd.DataFrame:
    texts = ["What a wonderful, generous decision.", "This is a disgraceful, cruel policy.",
             "The meeting is on Monday.", "A brilliant success for everyone.",
             "The war killed thousands and ruined the city.", "The report was published."]
    human = [2.5, -2.8, 0.0, 2.9, -3.1, 0.0]
    return pd.DataFrame({"text": texts * 2, "human_mean": human * 2,
                         "editorial_id": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]})


def _write_newsmtsc(folder, split: str) -> None:
    import gzip
    import json

    records = [
        ("Critics attacked Smith over the corrupt deal.", [("Smith", 2.0)]),
        ("Voters praised Jones for her brave work.", [("Jones", 6.0)]),
        ("Lee met Brown on Monday.", [("Lee", 4.0), ("Brown", 4.0)]),
        ("Garcia rescued the hostages from Lopez and his gang.", [("Garcia", 6.0),
                                                                 ("Lopez", 2.0)]),
    ]
    with gzip.open(folder / f"newsmtsc_{split}.jsonl.gz", "wt", encoding="utf-8") as handle:
        for k, (text, targets) in enumerate(records):
            handle.write(json.dumps({
                "primary_gid": f"g{k}", "sentence_normalized": text,
                "targets": [{"from": text.index(m), "to": text.index(m) + len(m), "mention": m,
                             "polarity": p} for m, p in targets]}) + "\n")


def test_engine_validation_table_on_fixtures(tmp_path):
    from utils.sentiment import ENGINE_VALIDATION_COLUMNS, engine_validation

    _write_newsmtsc(tmp_path, "devtest_mt")
    table = engine_validation(nyt=_nyt_fixture(), newsmtsc_folder=tmp_path, n_boot=200,
                              engines=("vader", "news"))
    assert list(table.columns) == list(ENGINE_VALIDATION_COLUMNS)
    assert table.attrs["skipped"] and "train" in table.attrs["skipped"][0]
    datasets = set(table["dataset"])
    assert {"NYT editorial snippets, odd editorials", "NYT editorial snippets, all",
            "NewsMTSC devtest_mt"} == datasets
    devtest = table[table["dataset"] == "NewsMTSC devtest_mt"]
    assert set(devtest["engine"]) == {"vader", "news", "target tone"}
    assert (devtest["n"] == 6).all()
    numeric = table[["pearson_r", "macro_f1"]]
    assert numeric.apply(lambda c: c.between(-1, 1)).all().all()
    ok = table.dropna(subset=["pearson_r_low"])
    assert (ok["pearson_r_low"] <= ok["pearson_r"] + 1e-9).all()
    assert (ok["pearson_r"] <= ok["pearson_r_high"] + 1e-9).all()
    assert (table["macro_f1_low"] <= table["macro_f1"] + 1e-9).all()
    # VADER on the clear fixture snippets: every class right, r high
    vader_all = table[(table["engine"] == "vader")
                      & (table["dataset"] == "NYT editorial snippets, all")].iloc[0]
    assert vader_all["macro_f1"] == pytest.approx(1.0)
    assert vader_all["pearson_r"] > 0.9
    again = engine_validation(nyt=_nyt_fixture(), newsmtsc_folder=tmp_path, n_boot=200,
                              engines=("vader", "news"))
    pd.testing.assert_frame_equal(table, again)  # fixed seed


def test_engine_validation_skips_absent_newsmtsc_and_checks_engines(tmp_path):
    from utils.sentiment import engine_validation

    table = engine_validation(nyt=_nyt_fixture(), newsmtsc_folder=tmp_path, n_boot=50,
                              engines=("vader",))
    assert len(table.attrs["skipped"]) == 2
    assert set(table["dataset"]) == {"NYT editorial snippets, odd editorials",
                                     "NYT editorial snippets, all"}
    with pytest.raises(SentimentError, match="Unknown engine"):
        engine_validation(nyt=_nyt_fixture(), newsmtsc_folder=tmp_path, engines=("textblob",))


def test_weighted_metrics_match_the_plain_ones():
    from utils.sentiment.training import macro_f1
    from utils.sentiment.validation import (
        _weighted_macro_f1,
        _weighted_r,
        clustered_bootstrap_weights,
    )

    rng = np.random.default_rng(1)
    x = rng.normal(size=50)
    y = x + rng.normal(size=50)
    gold = rng.integers(0, 3, 50)
    predicted = rng.integers(0, 3, 50)
    weights = clustered_bootstrap_weights(np.arange(50) // 2, n_boot=3, seed=0)
    assert weights.shape == (3, 50) and (weights.sum(axis=1) == 50).all()
    assert (weights[:, ::2] == weights[:, 1::2]).all()  # a cluster is drawn whole
    for w in weights:
        expanded = np.repeat(np.arange(50), w.astype(int))
        assert _weighted_r(x, y, w[None])[0] == pytest.approx(
            np.corrcoef(x[expanded], y[expanded])[0, 1])
        assert _weighted_macro_f1(gold, predicted, w[None])[0] == pytest.approx(
            macro_f1(gold[expanded], predicted[expanded]))


def test_news_lexicon_covers_news_words_vader_lacks():
    from utils.sentiment import get_engine
    from utils.sentiment.news import NEWS_LEXICON, news_lexicon_sum, with_news_lexicon

    lexicon = get_engine("vader").lexicon
    assert not set(NEWS_LEXICON) & set(lexicon)  # only words VADER lacks
    assert all(-4 <= v <= 4 for v in NEWS_LEXICON.values())
    assert news_lexicon_sum("Stocks plunged as layoffs spread.") == pytest.approx(-3.8)
    assert news_lexicon_sum("Stocks never plunged.") == pytest.approx(1.8 * 0.74)
    # a sentence without news words keeps VADER's compound exactly
    assert with_news_lexicon([0.4404, -0.9, 0.0], [0.0, 0.0, 0.0]).tolist() == [0.4404, -0.9, 0.0]
    # news words move the compound the way VADER's normalisation would
    assert with_news_lexicon([0.0], [-3.8])[0] == pytest.approx(-3.8 / math.sqrt(3.8**2 + 15))
    assert with_news_lexicon([0.5], [-1.0])[0] < 0.5


def test_news_engine_scores_news_events_vader_misses():
    texts = ["Stocks plunged as layoffs spread.", "The army slaughtered civilians in the village."]
    assert (score_sentences(texts)["compound"] == 0).all()  # VADER sees nothing
    assert (score_sentences(texts, engine="news")["compound"] < -0.05).all()


def test_news_engine_in_a_process_pool_matches_one_process():
    texts = NEWS_TEXTS * 5
    one = score_sentences(texts, engine="news", workers=1)
    pool = score_sentences(texts, engine="news", workers=2, min_parallel=2)
    pd.testing.assert_frame_equal(one, pool)


def test_news_engine_in_quote_segments():
    from utils.sentiment import quote_segments

    corpus = pd.DataFrame({"doc_id": ["a"], "title": ["t"],
                           "text": ['The minister said "this is a terrible disaster" on Monday '
                                    'after the floods destroyed the town.']})
    segments = quote_segments(corpus, engine="news")
    assert set(segments["kind"]) == {"quoted", "authorial"}
    assert segments["compound"].between(-1, 1).all()
