"""Score an attribution extractor against hand-annotated attributions (PolNeAR).

The PolNeAR scoring, implemented here so that every figure the project
reports about attribution quality comes from one tested place:

- **gold**: the hand-annotated attributions of an article; when several annotators did the
  article, only the annotator id that sorts first is used (:func:`select_gold`). A content span
  may have several pieces (``"start end;start end"``): their union is the content.
- **content match**: a predicted content matches a gold content when the overlap of their
  *non-space* characters covers at least 50% of the gold's non-space characters and at least 50%
  of the prediction's. Pairs are one-to-one, chosen greedily by largest overlap first (ties by
  gold order, then prediction order). Precision, recall and F1 are pooled over all articles.
- **speaker accuracy**: among matched pairs, the share whose predicted source span overlaps the
  gold source span (both empty also counts as correct).
- **end-to-end**: precision, recall and F1 counting only matches with a correct speaker.
- **direct subset**: the same figures when only gold and predicted contents holding a quotation
  mark are kept (:func:`has_quotation_mark`).

- **components** (:func:`component_scores`, to read beside the published sentence-level figures,
  e.g. CofeNet's): each of source, cue and content on its own, no linking; a span is the
  stretch from the start of its first piece to the end of its last, with whitespace,
  punctuation and quotation marks trimmed at both ends; a predicted span counts when a gold span
  of the same component in the same article is exactly equal (one-to-one). Pooled precision,
  recall and F1.
- **comma- and apostrophe-free form** (:func:`strip_commas_apostrophes`): the articles with every
  comma and apostrophe deleted (the form of the FA-KES corpus), the gold offsets remapped.

The PolNeAR loaders (:func:`load_polnear`) read ``../shared/corpora/polnear_*.csv.gz`` with
pandas, keeping the article texts exactly as stored (the annotation offsets index them).
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils import paths
from utils.memo import kept_on_disk

#: Characters that count as a quotation mark for the direct subset (double quotes of any style;
#: the doubled apostrophe ``''`` that some archives, e.g. the NYT's, use is also recognised).
QUOTATION_MARKS = re.compile("[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]|''|``")

Span = tuple[int, int]


def parse_spans(value) -> list[Span]:
    """Parse PolNeAR's ``"start end[;start end]"`` span notation into ``[(start, end), ...]``.

    Missing values (NaN, ``None``, empty string) give ``[]``. Malformed pieces raise
    ``ValueError`` naming the offending value.
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return []
    text = str(value).strip()
    if not text:
        return []
    spans = []
    for piece in text.split(";"):
        parts = piece.split()
        if len(parts) != 2:
            raise ValueError(f"malformed span {piece!r} in {value!r}: expected 'start end'")
        start, end = int(parts[0]), int(parts[1])
        if end < start:
            raise ValueError(f"span {piece!r} ends before it starts")
        spans.append((start, end))
    return spans


def nonspace_positions(text: str, spans: Iterable[Span]) -> frozenset[int]:
    """Positions of the non-whitespace characters of ``text`` covered by ``spans`` (their union).

    Spans are clipped to the text, so an out-of-range span never raises.
    """
    positions: set[int] = set()
    size = len(text)
    for start, end in spans:
        start, end = max(0, int(start)), min(size, int(end))
        positions.update(i for i in range(start, end) if not text[i].isspace())
    return frozenset(positions)


def spans_overlap(a: Iterable[Span], b: Iterable[Span]) -> bool:
    """True when some span of ``a`` shares at least one character with some span of ``b``."""
    b = list(b)
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def has_quotation_mark(text: str) -> bool:
    """True when ``text`` holds a double quotation mark (straight, typographic, doubled)."""
    return bool(QUOTATION_MARKS.search(text or ""))


@dataclass(frozen=True)
class Item:
    """One attribution reduced to what the scoring needs."""

    content: frozenset[int]
    source: tuple[Span, ...]
    direct: bool


def make_items(text: str, content_spans, source_spans) -> list[Item]:
    """Build scoring items from parallel lists of content and source span lists.

    Items whose content covers no non-space character are dropped (they can never match).
    """
    items = []
    for content, source in zip(content_spans, source_spans, strict=True):
        positions = nonspace_positions(text, content)
        if not positions:
            continue
        pieces = "".join(text[max(0, s) : e] for s, e in content)
        items.append(
            Item(
                content=positions,
                source=tuple((int(s), int(e)) for s, e in source if e > s),
                direct=has_quotation_mark(pieces),
            )
        )
    return items


def match_items(
    gold: list[Item], pred: list[Item], threshold: float = 0.5
) -> list[tuple[int, int]]:
    """One-to-one matching of gold and predicted contents, largest overlap first.

    A pair qualifies when the shared non-space characters are at least ``threshold`` of the
    gold's and of the prediction's. Returns ``[(gold_index, pred_index), ...]``.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            shared = len(g.content & p.content)
            if (
                shared
                and shared >= threshold * len(g.content)
                and shared >= threshold * len(p.content)
            ):
                candidates.append((-shared, gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_pred:
            continue
        used_gold.add(gi)
        used_pred.add(pi)
        pairs.append((gi, pi))
    return pairs


def speaker_correct(gold: Item, pred: Item) -> bool:
    """Whether the predicted source overlaps the gold source (both empty also counts)."""
    if not gold.source and not pred.source:
        return True
    return spans_overlap(gold.source, pred.source)


@dataclass
class Counts:
    """Pooled counts; the figures are properties."""

    gold: int = 0
    pred: int = 0
    matched: int = 0
    correct: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.pred += other.pred
        self.matched += other.matched
        self.correct += other.correct

    @staticmethod
    def _f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return self._f1(self.precision, self.recall)

    @property
    def speaker_accuracy(self) -> float:
        return self.correct / self.matched if self.matched else 0.0

    @property
    def e2e_precision(self) -> float:
        return self.correct / self.pred if self.pred else 0.0

    @property
    def e2e_recall(self) -> float:
        return self.correct / self.gold if self.gold else 0.0

    @property
    def e2e_f1(self) -> float:
        return self._f1(self.e2e_precision, self.e2e_recall)


def score_items(gold: list[Item], pred: list[Item]) -> Counts:
    """Counts for one article (all items)."""
    pairs = match_items(gold, pred)
    correct = sum(speaker_correct(gold[g], pred[p]) for g, p in pairs)
    return Counts(gold=len(gold), pred=len(pred), matched=len(pairs), correct=correct)


@dataclass
class Scores:
    """Pooled scores over a set of articles: all attributions and the direct subset."""

    all: Counts = field(default_factory=Counts)
    direct: Counts = field(default_factory=Counts)
    articles: int = 0

    def add_article(self, gold: list[Item], pred: list[Item]) -> None:
        self.articles += 1
        self.all.add(score_items(gold, pred))
        self.direct.add(score_items([g for g in gold if g.direct], [p for p in pred if p.direct]))

    def as_frame(self, digits: int = 3) -> pd.DataFrame:
        """The figures as a table: one row per subset (all, direct)."""
        rows = []
        for name, c in (("all", self.all), ("direct", self.direct)):
            rows.append(
                {
                    "subset": name,
                    "gold": c.gold,
                    "predicted": c.pred,
                    "matched": c.matched,
                    "content_precision": round(c.precision, digits),
                    "content_recall": round(c.recall, digits),
                    "content_f1": round(c.f1, digits),
                    "speaker_accuracy": round(c.speaker_accuracy, digits),
                    "e2e_precision": round(c.e2e_precision, digits),
                    "e2e_recall": round(c.e2e_recall, digits),
                    "e2e_f1": round(c.e2e_f1, digits),
                }
            )
        return pd.DataFrame(rows)


def select_gold(annotations: pd.DataFrame) -> pd.DataFrame:
    """Keep, for each article (``filename``), only the annotator id that sorts first."""
    if annotations.empty:
        return annotations
    first = annotations.groupby("filename")["annotator"].transform(
        lambda s: sorted(s.astype(str))[0]
    )
    return annotations[annotations["annotator"].astype(str) == first]


def gold_items(text: str, annotations: pd.DataFrame) -> list[Item]:
    """Scoring items from one article's PolNeAR annotation rows (one annotator)."""
    contents = [parse_spans(v) for v in annotations["content_spans"]]
    sources = [parse_spans(v) for v in annotations["source_spans"]]
    return make_items(text, contents, sources)


def predicted_items(text: str, predictions: pd.DataFrame) -> list[Item]:
    """Scoring items from an extractor's frame (see :func:`utils.attribution.extract_attributions`).

    The content is the union of ``content_spans`` (a list of ``(start, end)`` pieces) when that
    column exists, else ``[content_start, content_end)``; the source is
    ``[source_start, source_end)`` (empty when the two are equal).
    """
    if predictions.empty:
        return []
    if "content_spans" in predictions.columns:
        contents = [list(v) for v in predictions["content_spans"]]
    else:
        contents = [
            [(int(s), int(e))]
            for s, e in zip(predictions["content_start"], predictions["content_end"], strict=True)
        ]
    sources = [
        [(int(s), int(e))] if int(e) > int(s) else []
        for s, e in zip(predictions["source_start"], predictions["source_end"], strict=True)
    ]
    return make_items(text, contents, sources)


def polnear_paths(folder: Path | None = None) -> tuple[Path, Path]:
    """Paths of PolNeAR's articles and attributions tables in the shared corpora folder."""
    folder = Path(folder) if folder is not None else paths.shared_corpora_dir()
    return folder / "polnear_articles.csv.gz", folder / "polnear_attributions.csv.gz"


def load_polnear(
    compartment: str = "dev", folder: Path | None = None, stripped: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """PolNeAR articles and gold attributions (first annotator) of one compartment.

    Returns ``(articles, gold)``: ``articles`` has ``filename, publisher, text`` (raw text, the
    offsets' reference); ``gold`` the annotation rows of the first annotator of each article.
    ``stripped``: the texts without commas and apostrophes, the gold offsets remapped
    (:func:`strip_corpus`). Raises ``FileNotFoundError`` with a clear message when the corpus
    is absent.
    """
    articles_path, attributions_path = polnear_paths(folder)
    if not articles_path.exists() or not attributions_path.exists():
        raise FileNotFoundError(
            f"PolNeAR not found ({articles_path.name}, {attributions_path.name} expected in the "
            "shared corpora folder)"
        )
    articles = pd.read_csv(articles_path, keep_default_na=False, na_values=[])
    known = sorted(set(articles["compartment"]))
    if compartment not in known:
        raise ValueError(f"unknown PolNeAR compartment {compartment!r}; known: {known}")
    articles = articles[articles["compartment"] == compartment].reset_index(drop=True)
    annotations = pd.read_csv(attributions_path, dtype={"annotator": str})
    annotations = annotations[annotations["compartment"] == compartment]
    gold = select_gold(annotations)
    if stripped:
        return strip_corpus(articles, gold)
    return articles, gold


def evaluate(
    articles: pd.DataFrame,
    gold: pd.DataFrame,
    extractor: Callable[[str], pd.DataFrame],
) -> Scores:
    """Run ``extractor`` on every article and score it against ``gold`` (pooled)."""
    by_file = {name: rows for name, rows in gold.groupby("filename", sort=False)}
    scores = Scores()
    empty = gold.iloc[0:0]
    for name, text in zip(articles["filename"], articles["text"], strict=True):
        text = text if isinstance(text, str) else ""
        scores.add_article(
            gold_items(text, by_file.get(name, empty)), predicted_items(text, extractor(text))
        )
    return scores


def evaluate_polnear(
    compartment: str = "dev",
    extractor: Callable[[str], pd.DataFrame] | None = None,
    folder: Path | None = None,
    stripped: bool = False,
) -> Scores:
    """Score ``extractor`` (default: the project's) on a PolNeAR compartment (``stripped``:
    without commas and apostrophes, see :func:`load_polnear`)."""
    if extractor is None:
        from utils.attribution import extract_attributions as extractor
    articles, gold = load_polnear(compartment, folder, stripped)
    return evaluate(articles, gold, extractor)


# ---------------------------------------------------------------------------------------------
# the comma- and apostrophe-free form

#: Characters deleted by :func:`strip_commas_apostrophes` (comma, straight and typographic
#: apostrophes).
STRIPPED_CHARACTERS = ",'\u2019\u2018"


def strip_commas_apostrophes(text: str) -> tuple[str, list[int]]:
    """``text`` without :data:`STRIPPED_CHARACTERS`, and the offset map: ``new[i]`` is the
    offset in the stripped text of offset ``i`` of the original (``len(text) + 1`` entries), so a
    span ``(s, e)`` becomes ``(new[s], new[e])``."""
    new = [0] * (len(text) + 1)
    kept = []
    count = 0
    for i, ch in enumerate(text):
        new[i] = count
        if ch not in STRIPPED_CHARACTERS:
            kept.append(ch)
            count += 1
    new[len(text)] = count
    return "".join(kept), new


def _remap_spans(value, new: list[int]) -> str:
    pieces = []
    size = len(new) - 1
    for s, e in parse_spans(value):
        s, e = new[min(max(s, 0), size)], new[min(max(e, 0), size)]
        pieces.append(f"{s} {e}")
    return ";".join(pieces)


def strip_corpus(articles: pd.DataFrame, gold: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles, gold)`` of :func:`load_polnear` in the comma- and apostrophe-free form: the
    texts stripped, every span of the gold remapped to the stripped text."""
    articles = articles.copy()
    gold = gold.copy()
    maps = {}
    texts = []
    for name, text in zip(articles["filename"], articles["text"], strict=True):
        stripped, new = strip_commas_apostrophes(text if isinstance(text, str) else "")
        maps[name] = new
        texts.append(stripped)
    articles["text"] = texts
    for column in ("source_spans", "cue_spans", "content_spans"):
        gold[column] = [
            _remap_spans(v, maps[f]) if f in maps else v
            for f, v in zip(gold["filename"], gold[column], strict=True)
        ]
    return articles, gold


# ---------------------------------------------------------------------------------------------
# per-component exact spans

#: Characters trimmed at both ends of a span before exact comparison.
TRIM_CHARACTERS = frozenset(
    string.whitespace + string.punctuation + "\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb"
    "\u2013\u2014\u2026\xa0"
)
COMPONENTS = ("source", "cue", "content")


def trimmed_span(text: str, spans: Iterable[Span]) -> Span | None:
    """The stretch from the first piece's start to the last piece's end, trimmed of whitespace,
    punctuation and quotation marks at both ends; ``None`` when nothing is left."""
    spans = [(max(0, int(s)), min(len(text), int(e))) for s, e in spans if int(e) > int(s)]
    if not spans:
        return None
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    while start < end and text[start] in TRIM_CHARACTERS:
        start += 1
    while end > start and text[end - 1] in TRIM_CHARACTERS:
        end -= 1
    return (start, end) if end > start else None


@dataclass
class ComponentCounts:
    """Pooled exact-span counts of one component."""

    gold: int = 0
    pred: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _exact_matches(gold: list[Span], pred: list[Span]) -> int:
    left = Counter(gold)
    matched = 0
    for span in pred:
        if left[span] > 0:
            left[span] -= 1
            matched += 1
    return matched


def article_components(text: str, rows: Iterable[tuple[list[Span], list[Span], list[Span]]]):
    """``{component: [span, ...]}`` from ``(source pieces, cue pieces, content pieces)`` rows."""
    found: dict[str, list[Span]] = {c: [] for c in COMPONENTS}
    for row in rows:
        for component, spans in zip(COMPONENTS, row, strict=True):
            span = trimmed_span(text, spans)
            if span is not None:
                found[component].append(span)
    return found


def gold_components(text: str, annotations: pd.DataFrame) -> dict[str, list[Span]]:
    rows = zip(
        (parse_spans(v) for v in annotations["source_spans"]),
        (parse_spans(v) for v in annotations["cue_spans"]),
        (parse_spans(v) for v in annotations["content_spans"]),
        strict=True,
    )
    return article_components(text, rows)


def predicted_components(text: str, predictions: pd.DataFrame) -> dict[str, list[Span]]:
    if predictions.empty:
        return {c: [] for c in COMPONENTS}
    if "content_spans" in predictions.columns:
        contents = [list(v) for v in predictions["content_spans"]]
    else:
        contents = [[(int(s), int(e))] for s, e in zip(
            predictions["content_start"], predictions["content_end"], strict=True)]  # fmt: skip
    rows = zip(
        ([(int(s), int(e))] for s, e in zip(
            predictions["source_start"], predictions["source_end"], strict=True)),
        ([(int(s), int(e))] for s, e in zip(
            predictions["cue_start"], predictions["cue_end"], strict=True)),
        contents,
        strict=True,
    )  # fmt: skip
    return article_components(text, rows)


def component_scores(
    articles: pd.DataFrame,
    gold: pd.DataFrame,
    extractor: Callable[[str], pd.DataFrame],
) -> dict[str, ComponentCounts]:
    """Exact-span counts per component (source, cue, content), pooled over ``articles``."""
    by_file = {name: rows for name, rows in gold.groupby("filename", sort=False)}
    empty = gold.iloc[0:0]
    counts = {c: ComponentCounts() for c in COMPONENTS}
    for name, text in zip(articles["filename"], articles["text"], strict=True):
        text = text if isinstance(text, str) else ""
        g = gold_components(text, by_file.get(name, empty))
        p = predicted_components(text, extractor(text))
        for c in COMPONENTS:
            counts[c].gold += len(g[c])
            counts[c].pred += len(p[c])
            counts[c].matched += _exact_matches(g[c], p[c])
    return counts


def component_frame(counts: dict[str, ComponentCounts], digits: int = 3) -> pd.DataFrame:
    """The per-component figures as a table (one row per component)."""
    return pd.DataFrame(
        [
            {
                "component": c,
                "gold": counts[c].gold,
                "predicted": counts[c].pred,
                "matched": counts[c].matched,
                "precision": round(counts[c].precision, digits),
                "recall": round(counts[c].recall, digits),
                "f1": round(counts[c].f1, digits),
            }
            for c in COMPONENTS
        ]
    )


def polnear_report(
    compartment: str = "dev",
    method: str = "learned",
    stripped: bool = False,
    folder: Path | None = None,
) -> tuple[Scores, pd.DataFrame]:
    """``(scores, components)`` of the project's extractor (``method``: ``"learned"`` or
    ``"rules"``) on a PolNeAR compartment: the end-to-end :class:`Scores` and the
    per-component exact-span table (:func:`component_frame`); ``stripped``: the comma- and
    apostrophe-free form. Each article is extracted once for both tables, and a report is
    kept for the rest of the process (the notebook's two tables ask for the same ones) and on
    disk (:mod:`utils.memo`: computed again when the code, the model or PolNeAR changes)."""
    scores, components = _report(compartment, method, bool(stripped),
                                 None if folder is None else str(folder))
    return scores, components.copy()


def _report_files(compartment, method, stripped, folder) -> tuple[Path, Path]:
    return polnear_paths(None if folder is None else Path(folder))


@functools.lru_cache(maxsize=16)
@kept_on_disk(files=_report_files)
def _report(compartment: str, method: str, stripped: bool,
            folder: str | None) -> tuple[Scores, pd.DataFrame]:
    from utils.attribution import extract_attributions

    articles, gold = load_polnear(compartment, None if folder is None else Path(folder),
                                  stripped)
    extracted: dict[str, pd.DataFrame] = {}

    def extractor(text: str) -> pd.DataFrame:  # the same text is read by both scorings
        if text not in extracted:
            extracted[text] = extract_attributions(text, method=method)
        return extracted[text]

    return (evaluate(articles, gold, extractor),
            component_frame(component_scores(articles, gold, extractor)))


def comparison_frame(
    compartments: Iterable[str] = ("dev",),
    methods: Iterable[str] = ("rules", "learned"),
    forms: Iterable[str] = ("normal", "stripped"),
    folder: Path | None = None,
    digits: int = 3,
) -> pd.DataFrame:
    """One row per compartment, form and method: end-to-end F1 (all and direct), speaker
    accuracy and the exact-span F1 of source, cue and content."""
    rows = []
    for compartment in compartments:
        for form in forms:
            for method in methods:
                scores, components = polnear_report(compartment, method, form == "stripped", folder)
                f1 = dict(zip(components["component"], components["f1"], strict=True))
                rows.append({
                    "compartment": compartment, "form": form, "method": method,
                    "e2e_f1": round(scores.all.e2e_f1, digits),
                    "direct_e2e_f1": round(scores.direct.e2e_f1, digits),
                    "speaker_accuracy": round(scores.all.speaker_accuracy, digits),
                    "source_f1": f1["source"], "cue_f1": f1["cue"], "content_f1": f1["content"],
                })  # fmt: skip
    return pd.DataFrame(rows)


#: Published exact-span F1 on PolNeAR test, sentence by sentence (CofeNet, Wang et al.,
#: COLING 2022, Table 6): ``(system, source, cue, content)``.
PUBLISHED_ANCHORS = (
    ("BERT+CofeNet", 0.832, 0.753, 0.729),
    ("BERT-CRF", 0.822, 0.749, 0.710),
    ("CRF", 0.506, 0.534, 0.286),
    ("rules", 0.107, 0.228, 0.056),
)


def published_anchors() -> pd.DataFrame:
    """:data:`PUBLISHED_ANCHORS` as a table (``system, source_f1, cue_f1, content_f1``)."""
    return pd.DataFrame(
        PUBLISHED_ANCHORS, columns=["system", "source_f1", "cue_f1", "content_f1"]
    )
