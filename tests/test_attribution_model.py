"""The learned attribution extractor: training on a small synthetic PolNeAR-like set, the model
file's checks (sha256, missing file), the shipped model, and the extractor end to end."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from utils.attribution import attribution_rows, extract_attributions, model, training
from utils.attribution.evaluation import (
    component_scores,
    evaluate,
    strip_commas_apostrophes,
    strip_corpus,
    trimmed_span,
)

_SENTENCES = (
    ("{s} said that {c}.", "said"),
    ("{s} hopes that {c}.", "hopes"),
    ("\"{c},\" {s} told reporters.", "told"),
    ("{s} is convinced that {c}.", "is convinced"),
    ("According to {s}, {c}.", "According to"),
    ("{s} warned that {c}.", "warned"),
)
_SOURCES = ("Senator Mary Smith", "The governor", "A spokesman for the campaign", "Ms. Lee",
            "The report", "Officials in Ohio")  # fmt: skip
_CONTENTS = ("the plan would fail in the end", "the vote was rigged from the start",
             "taxes will rise next year", "the economy is doing better than expected",
             "nobody in the party wants a fight")  # fmt: skip
_FILLER = "The weather was mild on Tuesday. Crowds gathered near the hall before noon."


def synthetic_polnear(articles: int = 24) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, gold)`` shaped like :func:`utils.attribution.evaluation.load_polnear`."""
    texts, rows = [], []
    for a in range(articles):
        name = f"synthetic_{a:03d}"
        parts, offset, k = [], 0, 0
        for i in range(4):
            template, cue = _SENTENCES[(a + i) % len(_SENTENCES)]
            source = _SOURCES[(a * 3 + i) % len(_SOURCES)]
            content = _CONTENTS[(a + 2 * i) % len(_CONTENTS)]
            sentence = template.format(s=source, c=content)
            if template.startswith("According"):
                cue_at = sentence.index(cue)
            else:
                cue_at = sentence.index(cue, sentence.index(source) + len(source) - 1) if (
                    template.index("{s}") < template.index(cue)) else sentence.index(cue)
            s_at, c_at = sentence.index(source), sentence.index(content)
            rows.append({
                "filename": name, "compartment": "train", "annotator": "a1",
                "attribution_id": f"E{k}", "type": "Attribution",
                "source_spans": f"{offset + s_at} {offset + s_at + len(source)}",
                "cue_spans": f"{offset + cue_at} {offset + cue_at + len(cue)}",
                "content_spans": f"{offset + c_at} {offset + c_at + len(content)}",
            })  # fmt: skip
            k += 1
            parts.append(sentence)
            offset += len(sentence) + 1
            if i == 1:
                parts.append(_FILLER)
                offset += len(_FILLER) + 1
        texts.append({"filename": name, "publisher": "synthetic", "text": " ".join(parts)})
    return pd.DataFrame(texts), pd.DataFrame(rows)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    data = synthetic_polnear()
    tagger = training.train(
        model_file=folder / "m.npz", card_file=folder / "m.json", tune=False,
        log=lambda *_: None, data=data,
    )  # fmt: skip
    return folder, tagger, data


def test_synthetic_gold_offsets_are_right():
    articles, gold = synthetic_polnear(6)
    text = dict(zip(articles["filename"], articles["text"], strict=True))
    for row in gold.itertuples():
        s, e = map(int, row.cue_spans.split())
        assert text[row.filename][s:e].lower().startswith(("said", "hopes", "told", "is con",
                                                           "accord", "warned"))  # fmt: skip


def test_training_runs_end_to_end_and_the_model_extracts(trained):
    folder, tagger, (articles, gold) = trained
    assert tagger.weights.shape == (training.BUCKETS, len(training.TAGS))
    extractor = lambda text: extract_attributions(text, model=tagger)  # noqa: E731
    scores = evaluate(articles, gold, extractor)
    assert scores.all.e2e_f1 >= 0.8
    for text in articles["text"]:
        found = extractor(text)
        for row in found.itertuples():
            assert text[row.content_start : row.content_end] == row.content
            assert text[row.cue_start : row.cue_end] == row.cue
            assert text[row.source_start : row.source_end] == row.source
    # "hopes" is not in the rules' lexicon: the learned cue finds it
    hope = "Senator Mary Smith hopes that the vote was rigged from the start."
    rules = extract_attributions(hope, method="rules")
    learned = extract_attributions(hope, model=tagger)
    assert len(learned) >= len(rules)
    counts = component_scores(articles, gold, extractor)
    assert counts["cue"].f1 > 0.5


def test_training_is_deterministic(trained, tmp_path):
    folder, _, data = trained
    training.train(model_file=tmp_path / "m.npz", card_file=tmp_path / "m.json", tune=False,
                   log=lambda *_: None, data=data)  # fmt: skip
    assert (tmp_path / "m.npz").read_bytes() == (folder / "m.npz").read_bytes()
    assert (tmp_path / "m.json").read_text() == (folder / "m.json").read_text()


def test_model_file_with_another_sha256_is_refused(trained, tmp_path):
    folder, _, _ = trained
    shutil.copy(folder / "m.json", tmp_path / "m.json")
    damaged = bytearray((folder / "m.npz").read_bytes())
    damaged[-10] ^= 0xFF
    (tmp_path / "m.npz").write_bytes(bytes(damaged))
    with pytest.raises(model.ModelFileError, match="train_attribution.py"):
        model.read_model(tmp_path / "m.npz", tmp_path / "m.json")


def test_missing_model_file_names_the_training_script(tmp_path):
    with pytest.raises(model.ModelFileError, match="scripts/train_attribution.py"):
        model.read_model(tmp_path / "absent.npz", tmp_path / "absent.json")


def test_pipeline_runs_with_a_trained_model(trained, monkeypatch, tmp_path):
    from utils.pipeline import analyse_corpus

    _, tagger, (articles, _) = trained
    monkeypatch.setattr(model, "load_model", lambda: tagger)
    corpus = pd.DataFrame({
        "doc_id": [f"d{i}" for i in range(4)], "title": ["t"] * 4,
        "text": articles["text"].iloc[:4].tolist(),
    })  # fmt: skip
    results = analyse_corpus(corpus, cache=False)
    assert len(results.attributions) > 0
    expected = sum(len(attribution_rows(t, model=tagger)) for t in corpus["text"])
    assert len(results.attributions) == expected


def test_the_shipped_model_loads_and_matches_its_card():
    tagger = model.read_model(model.MODEL_FILE, model.CARD_FILE)
    assert tagger.weights.shape == (training.BUCKETS, len(training.TAGS))
    card = json.loads(model.CARD_FILE.read_text())
    assert card["sha256"] == model.file_sha256(model.MODEL_FILE)
    assert "PolNeAR train" in card["training_data"]
    assert model.MODEL_FILE.stat().st_size < 5_000_000


def test_methods_and_unknown_method():
    text = 'The mayor said that the road will reopen in May. "We are ready," she added.'
    assert len(extract_attributions(text, method="rules")) == 2
    assert len(extract_attributions(text)) >= 1
    with pytest.raises(ValueError, match="unknown attribution method"):
        extract_attributions(text, method="crf")


def test_strip_commas_apostrophes_remaps_offsets():
    text = "Smith's aide, Jones, said: \u2018no\u2019."
    stripped, new = strip_commas_apostrophes(text)
    assert stripped == "Smiths aide Jones said: no."
    s = text.index("Jones")
    assert stripped[new[s] : new[s + 5]] == "Jones"
    articles = pd.DataFrame({"filename": ["f"], "text": [text]})
    gold = pd.DataFrame({"filename": ["f"], "source_spans": [f"{s} {s + 5}"],
                         "cue_spans": ["21 25"], "content_spans": [""]})  # fmt: skip
    _, g = strip_corpus(articles, gold)
    start, end = map(int, g["source_spans"].iloc[0].split())
    assert stripped[start:end] == "Jones"


def test_trimmed_span_drops_quotes_and_punctuation():
    text = '  "Hello, world," she said.'
    assert trimmed_span(text, [(0, 18)]) == (3, 15)
    assert trimmed_span(text, [(0, 2)]) is None


_SAMPLE = (
    "Senator Mary Smith hopes that the vote was rigged. Markets rose sharply on Monday.\n\n"
    '"We will win," the governor told reporters. Officials expressed doubts about the plan, '
    "and the campaign is expected to respond. Significantly, the judge was convinced that "
    "the case would fail."
)


def test_feature_rows_are_the_rows_of_the_full_table():
    from utils.attribution.document import _Doc
    from utils.attribution.features import FeatureTable, Tokens, feature_buckets, rule_labels
    from utils.attribution.rules import rule_attributions

    tagger = model.load_model()
    doc = _Doc(_SAMPLE)
    tokens = Tokens(doc)
    rules = rule_labels(tokens, rule_attributions(doc))
    full = feature_buckets(tokens, rules, tagger.cue_words)
    rows = [0, 3, 4, len(tokens) - 1]
    assert (FeatureTable(tokens, rules, tagger.cue_words).buckets(rows) == full[rows]).all()


def test_tagging_only_possible_cue_starts_finds_the_cues_of_full_tagging():
    """:func:`model.cue_tags` tags a few tokens; the cues are those of tagging every token."""
    from utils.attribution.document import _Doc
    from utils.attribution.features import Tokens
    from utils.attribution.rules import rule_attributions

    tagger = model.load_model()
    doc = _Doc(_SAMPLE)
    tokens = Tokens(doc)
    rule_atts = rule_attributions(doc)
    tags, probs = model.tag(doc, tokens, rule_atts, tagger)
    threshold = tagger.settings["cue_threshold"]
    all_begins = [i for i in range(len(tokens)) if tags[i] == 3 or probs[i, 3] >= threshold]
    begins, partial_tags, _ = model.cue_tags(tokens, rule_atts, tagger)
    known = tagger.cue_words
    full = model.learned_cues(doc, tokens, pd.Series(all_begins).to_numpy(), tags, rule_atts,
                              known)  # fmt: skip
    fast = model.learned_cues(doc, tokens, begins, partial_tags, rule_atts, known)
    assert [c.span() for c in fast] == [c.span() for c in full]
    assert set(begins.tolist()) <= set(all_begins)


def test_fallback_and_source_test_settings(trained):
    _, tagger, (articles, _) = trained
    for fallback, threshold in ((0, 0.0), (1, 0.0), (1, 0.05), (1, 0.99)):
        settings = {**tagger.settings, "fallback": fallback, "source_threshold": threshold}
        variant = model.TaggerModel(tagger.weights, tagger.cue_words, settings)
        for text in list(articles["text"][:5]) + [_SAMPLE]:
            for row in extract_attributions(text, model=variant).itertuples():
                assert text[row.source_start : row.source_end] == row.source
                assert text[row.content_start : row.content_end] == row.content


def _trial(c, threshold, normal, stripped, speaker):
    return {"C": c, "cue_threshold": 0.3, "fallback": 1, "source_threshold": threshold,
            "e2e_f1_normal": normal, "e2e_f1_stripped": stripped,
            "speaker_accuracy_normal": speaker, "speaker_accuracy_stripped": speaker}  # fmt: skip


def test_settings_search_prefers_settings_that_reach_the_speaker_accuracy_floor():
    trials = [
        _trial(1.0, 0.05, 0.59, 0.52, 0.946),
        _trial(1.0, 0.1, 0.587, 0.513, 0.951),
        _trial(3.0, 0.1, 0.587, 0.513, 0.952),
        _trial(1.0, 0.0, 0.58, 0.50, 0.97),
    ]
    # the best end-to-end F1 among those at or above the floor; ties to the smaller C
    assert training.best_trial(trials) is trials[1]
    # nobody reaches the floor: the best end-to-end F1 of all
    assert training.best_trial(trials, floor=0.99) is trials[0]
    assert training.best_trial(trials, floor=0.0) is trials[0]


def test_a_noun_cue_after_a_possessive_has_the_possessive_as_its_source():
    from utils.attribution.document import _Doc
    from utils.attribution.model import _fallback_at_cue
    from utils.attribution.rules import CueMatch

    text = "Ban Ki-moon on Friday renewed his push for Syria to allow inspectors in at once."
    start = text.index("push for")
    att = _fallback_at_cue(_Doc(text), CueMatch(start, start + len("push for"), "push for"))
    assert text[att.source[0] : att.source[1]] == "his"
    assert text[att.pieces[0][0] : att.pieces[0][1]] == "Syria to allow inspectors in at once"


def test_a_content_cut_down_to_a_possessive_is_dropped():
    from utils.attribution.document import _Attribution, _Doc
    from utils.attribution.rules import finalised

    text = "Ban Ki-moon renewed his push for Syria to allow inspectors in at once."
    renewed = (text.index("renewed"), text.index("renewed") + 7)
    push = (text.index("push for"), text.index("push for") + 8)
    his = (text.index("his"), text.index("his") + 3)
    atts = finalised(_Doc(text), [
        _Attribution(cue=renewed, source=(0, 11), pieces=[(his[0], len(text) - 1)]),
        _Attribution(cue=push, source=his, pieces=[(push[1] + 1, len(text) - 1)]),
    ])  # fmt: skip
    assert [text[a.cue[0] : a.cue[1]] for a in atts] == ["push for"]
