"""The content end corrector of the learned extractor (utils.attribution.content_ends): its
candidates, that it leaves ends alone without a reason, and that it moves them when the weights
say so."""

from __future__ import annotations

import numpy as np

from utils.attribution import content_ends, model
from utils.attribution.document import _Attribution, _Doc

TEXT = ("The group has called for attacks on the city, according to a monitoring service, "
        "which follows extremist statements. Officials did not comment.")  # fmt: skip


def _att(doc: _Doc) -> _Attribution:
    cue = doc.norm.index("according to")
    end = doc.norm.index(". Officials")
    return _Attribution(cue=(cue, cue + len("according to")), source=None, pieces=[(0, end)])


def test_candidates_hold_the_rules_end_and_the_clause_marks():
    doc = _Doc(TEXT)
    att = _att(doc)
    cands = content_ends.candidates(doc, 0, att.pieces[0][1], 1 << 62)
    ends = [p for p, _ in cands]
    assert att.pieces[0][1] in ends
    assert TEXT.index(", according") in ends
    assert all(0 < p <= len(TEXT) for p in ends) and ends == sorted(ends)
    assert dict(cands)[att.pieces[0][1]] == "rules"


def test_zero_weights_change_nothing_and_weights_can_move_an_end():
    doc = _Doc(TEXT)
    att = _att(doc)
    before = list(att.pieces)
    content_ends.corrected_ends(doc, [att], np.zeros(content_ends.END_BUCKETS, np.float32))
    assert att.pieces == before
    weights = np.zeros(content_ends.END_BUCKETS, np.float32)
    weights[content_ends._hash("next=according")] = 5.0
    content_ends.corrected_ends(doc, [att], weights, margin=1.0)
    assert att.pieces == [(0, TEXT.index(", according"))]
    # a margin above the gain leaves the end alone
    att = _att(doc)
    content_ends.corrected_ends(doc, [att], weights, margin=10.0)
    assert att.pieces == before


def test_the_shipped_model_has_an_end_corrector():
    assert model.load_model().end_weights is not None
    assert model.load_model().end_weights.shape == (content_ends.END_BUCKETS,)
