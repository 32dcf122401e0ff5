"""The public rows and frames of an article's attributions (:func:`attribution_rows`,
:func:`extract_attributions`, :func:`attribution_frame`) and their columns.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from utils.attribution.boundaries import (
    content_pieces,
    cue_preposition,
    reported_spans,
    with_trimmed_source,
)
from utils.attribution.document import _Doc
from utils.attribution.model import TaggerModel, learned_attributions
from utils.attribution.rules import finalised, rule_candidates
from utils.attribution.speakers import _kind, _resolve

#: Columns of :func:`extract_attributions`, in order.
COLUMNS = (
    "content",
    "content_start",
    "content_end",
    "cue",
    "cue_start",
    "cue_end",
    "source",
    "source_start",
    "source_end",
    "speaker",
    "source_type",
    "kind",
    "content_spans",
)


def _empty_frame() -> pd.DataFrame:
    return _empty_template().copy()


@functools.cache
def _empty_template() -> pd.DataFrame:
    data = {}
    for column in COLUMNS:
        if column.endswith(("_start", "_end")):
            data[column] = pd.Series([], dtype="int64")
        elif column == "content_spans":
            data[column] = pd.Series([], dtype="object")
        else:
            data[column] = pd.Series([], dtype="str")
    return pd.DataFrame(data)


#: The extractors :func:`extract_attributions` offers; the first is the default.
METHODS = ("learned", "rules")


def attribution_rows(
    text: str, method: str = "learned", model: TaggerModel | None = None
) -> list[tuple]:
    """Attributions in one article as plain tuples, one per attribution in text order, with the
    values of :data:`COLUMNS` in that order: the core of :func:`extract_attributions` without
    building a DataFrame (which costs more than the extraction on short articles), for callers
    that handle many articles, such as :mod:`utils.pipeline`. Empty or non-string input gives
    an empty list.

    ``method``: ``"learned"`` (default; :mod:`utils.attribution.model`, the shipped model or
    ``model``) or ``"rules"`` (:mod:`utils.attribution.rules` alone)."""
    if method not in METHODS:
        raise ValueError(f"unknown attribution method {method!r}; known: {list(METHODS)}")
    if not isinstance(text, str) or not text.strip():
        return []
    doc = _Doc(text)
    candidates = rule_candidates(doc)
    if method == "learned":
        atts = learned_attributions(doc, candidates, model)
        atts.sort(key=lambda a: (min(a.pieces)[0], a.cue[0]))
    else:
        atts = finalised(doc, candidates)
    if not atts:
        return []
    atts = [with_trimmed_source(doc, att) for att in atts]
    rows = []
    for att, (speaker, stype) in zip(atts, _resolve(doc, atts), strict=True):
        pieces = content_pieces(doc, att)
        (ks, ke), source = reported_spans(doc, att)
        preposition = cue_preposition(doc, att, *pieces[0])
        if preposition is not None:  # "talked about [the economy]"
            ke = max(ke, preposition[0])
            pieces[0] = (preposition[1], pieces[0][1])
        pieces = _without_overlaps(pieces)
        cs = pieces[0][0]
        ce = max(e for _, e in pieces)
        ss, se = source if source else (ks, ks)
        rows.append((
            text[cs:ce], cs, ce,
            text[ks:ke], ks, ke,
            text[ss:se], ss, se,
            speaker, stype, _kind(doc, att), [tuple(p) for p in pieces],
        ))  # fmt: skip
    return rows


def _without_overlaps(pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The content pieces in text order, overlapping ones merged (a quote the rules took both
    on its own and inside its clause, 'Sanders "is tapping into ...," X told' is one piece)."""
    merged: list[tuple[int, int]] = []
    for s, e in sorted(pieces):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def attribution_frame(rows: list[tuple], doc_ids: list[str] | None = None) -> pd.DataFrame:
    """A frame of :data:`COLUMNS` (preceded by ``doc_id`` when ``doc_ids`` gives one per row)
    from rows of :func:`attribution_rows`, with the dtypes of an empty frame when there are
    none.

    The frame is built from typed column arrays rather than ``DataFrame.from_records`` and
    ``astype``: on short articles (FA-KES) that generic path cost more than the extraction
    itself, six times what the columns cost."""
    if not rows:
        frame = _empty_frame()
    else:
        dtypes = _column_dtypes()
        data = {}
        for name, values in zip(COLUMNS, zip(*rows, strict=True), strict=True):
            if name == "content_spans":
                column = np.empty(len(values), dtype=object)
                for i, pieces in enumerate(values):  # one list per cell, never broadcast
                    column[i] = pieces
                data[name] = column
            elif name.endswith(("_start", "_end")):
                data[name] = np.fromiter(values, dtype=np.int64, count=len(values))
            else:
                data[name] = pd.array(values, dtype=dtypes[name])
        frame = pd.DataFrame(data, copy=False)
    if doc_ids is not None:
        frame.insert(0, "doc_id", pd.Series(doc_ids, dtype="str", index=frame.index))
    return frame


@functools.cache
def _column_dtypes() -> dict:
    return _empty_template().dtypes.to_dict()


def extract_attributions(
    text: str, method: str = "learned", model: TaggerModel | None = None
) -> pd.DataFrame:
    """Attributions in one article: who (source) says (cue) what (content), with offsets.

    Returns one row per attribution, in text order, with the columns of :data:`COLUMNS`:
    ``content``/``content_start``/``content_end`` (covering all pieces of a quote split around
    its cue; ``content_spans`` lists the pieces as ``(start, end)`` tuples), ``cue``,
    ``cue_start``, ``cue_end``, ``source``/``source_start``/``source_end`` (empty with equal
    offsets when there is none, e.g. "it was reported"), ``speaker`` (the source resolved to a
    name, or ""), ``source_type`` (one of :data:`SOURCE_TYPES`) and ``kind`` (one of
    :data:`KINDS`). For every row ``text[content_start:content_end] == content`` (and the same
    for cue and source). Empty or non-string input gives an empty frame with these columns.
    ``method``: ``"learned"`` (the default) or ``"rules"``, see :func:`attribution_rows`.
    """
    return attribution_frame(attribution_rows(text, method, model))
