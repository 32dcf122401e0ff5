"""Load an article corpus into one tidy DataFrame, with a report of what was read and dropped.

``load_corpus(source, **options)`` accepts

- a **folder of ``.txt`` articles** in the seed's format (``data/seed/``): first line the title,
  the title repeated as the first body line, body paragraphs, trailing site boilerplate such as
  "Stay Connected" (removed by :data:`BOILERPLATE_PATTERNS`, extend with ``boilerplate=``);
- a **table**: CSV (also ``.csv.gz``/``.csv.bz2``/``.csv.zip``/``.tsv``), JSON Lines
  (``.jsonl``/``.ndjson``, also gzipped) or Parquet. Common column names are recognised
  (:data:`COLUMN_CANDIDATES`); ``columns={"text": "my_body", ...}`` overrides them;
- the name of a **built-in corpus** (:data:`BUILTIN_CORPORA`): ``"seed"`` or ``"nyt-editorials"``.

The result has one row per article with the columns ``doc_id, title, text, source, date,
label`` (strings, ``date`` as ``datetime64``; missing metadata is ``<NA>``/``NaT``) followed
by any other columns of the input. Its load report (:class:`LoadReport`) is in
``frame.attrs["load_report"]`` and returned by :func:`load_report`.

Text repair and offsets: with ``fix_text=True`` (the default) each text is repaired by ftfy
(mojibake, HTML entities, control characters) and line endings are normalised to ``\\n`` *at load
time*. Every later offset (sentences, tokens, attributions) refers to the loaded ``text``
column, never to the raw file. Trailing site boilerplate lines (:data:`BOILERPLATE_PATTERNS`,
e.g. "Stay Connected", Reuters' closing "Reuter") are removed from every article. Pass
``fix_text=False`` to keep table texts exactly as read (needed when external annotations index
the raw text, e.g. PolNeAR).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils import paths

#: Output columns, in order, that every loaded corpus has.
CORE_COLUMNS = ("doc_id", "title", "text", "source", "date", "label")

#: Recognised input column names for each core column, in order of preference (case-insensitive).
COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article_content", "article_text", "article", "story"),
    "title": ("title", "article_title", "headline"),
    "source": ("source", "publisher", "domain", "site_url", "site", "outlet", "site_name"),
    "date": ("date", "published", "publication_date", "publish_date", "pubdate", "published_at"),
    "label": ("label", "labels", "type", "class", "category"),
    "doc_id": ("doc_id", "id", "article_id", "unit_id", "filename", "newid", "uuid"),
}

#: Lines of site boilerplate removed from the *end* of articles (whole-line,
#: case-insensitive regular expressions). Extend per corpus with ``boilerplate=[...]``.
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"stay connected",
    r"(share|tweet|email|print|pin)( (this|on|via) .*)?",
    r"share (this|on) (article|story|post|facebook|twitter).*",
    r"(please )?(subscribe|sign up)( to| for| now)?.*(newsletter|updates|channel|today|now)\W*",
    r"follow us( on .*)?",
    r"(click|tap) here to .*",
    r"(related|read more|more from|recommended)( articles| stories| posts)?:?",
    r"advertisement",
    r"comments?",
    r"leave a (comment|reply)",
    r"(all rights reserved|copyright|\(c\)|©).*",
    r"reuter",
)

#: Built-in corpora: name -> description (see data/README.md, the data card).
BUILTIN_CORPORA = {
    "seed": "The project's seed article (Assad's visit to Moscow), data/seed/.",
    "nyt-editorials": (
        "5,190 human-rated New York Times editorial snippets from the VADER paper "
        "(Hutto & Gilbert 2014), grouped into their ~500 editorials."
    ),
}

TABLE_SUFFIXES = {
    ".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet",
}
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".zip", ".xz", ".zst")

_WORD = re.compile(r"\w")
_LINE_ENDINGS = re.compile(r"\r\n?")
_NUMERIC_ENTITY = re.compile(r"&#(x[0-9a-f]+|\d+);", re.IGNORECASE)
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CorpusError(ValueError):
    """A corpus that cannot be loaded; the message says why and what to do."""


@dataclass
class LoadReport:
    """What a load read, kept and dropped, and why. ``str(report)`` is a readable summary."""

    source: str
    format: str
    read: int = 0
    kept: int = 0
    dropped: Counter = field(default_factory=Counter)
    warnings: Counter = field(default_factory=Counter)
    column_mapping: dict[str, str] = field(default_factory=dict)

    def drop(self, reason: str, count: int = 1) -> None:
        if count:
            self.dropped[reason] += count

    def warn(self, reason: str, count: int = 1) -> None:
        if count:
            self.warnings[reason] += count

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def as_frame(self) -> pd.DataFrame:
        """The report as a two-column table (what, count), for display in a notebook."""
        rows = [("read", self.read), ("kept", self.kept)]
        rows += [(f"dropped: {reason}", n) for reason, n in sorted(self.dropped.items())]
        rows += [(f"warning: {reason}", n) for reason, n in sorted(self.warnings.items())]
        return pd.DataFrame(rows, columns=["what", "articles"])

    def __str__(self) -> str:
        lines = [
            f"Loaded {self.source} ({self.format}): read {self.read}, kept {self.kept}, "
            f"dropped {self.dropped_total}"
        ]
        for reason, n in sorted(self.dropped.items()):
            lines.append(f"  dropped {n}: {reason}")
        for reason, n in sorted(self.warnings.items()):
            lines.append(f"  warning {n}: {reason}")
        if self.column_mapping:
            mapped = ", ".join(f"{k} <- {v}" for k, v in self.column_mapping.items())
            lines.append(f"  columns: {mapped}")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython display
        printer.text(str(self))


def load_report(frame: pd.DataFrame) -> LoadReport:
    """The :class:`LoadReport` of a frame returned by :func:`load_corpus`."""
    try:
        return frame.attrs["load_report"]
    except KeyError:
        raise CorpusError(
            "This frame carries no load report; was it made by load_corpus?"
        ) from None


def corpus_name(source: str | Path) -> str:
    """A short name for a corpus: the built-in name, or the file/folder name without suffixes."""
    text = str(source)
    if text in BUILTIN_CORPORA:
        return text
    name = Path(text.rstrip("/")).name
    for suffix in COMPRESSION_SUFFIXES:
        name = name.removesuffix(suffix)
    for suffix in TABLE_SUFFIXES:
        name = name.removesuffix(suffix)
    return name or "corpus"


def load_corpus(
    source: str | Path,
    *,
    columns: dict[str, str] | None = None,
    fix_text: bool = True,
    drop_duplicates: bool = True,
    boilerplate: list[str] | tuple[str, ...] | None = (),
    label_names: dict | None = None,
    verbose: bool = False,
) -> pd.DataFrame:
    """Load an article corpus as one tidy frame (see the module docstring for the formats).

    Parameters
    ----------
    source:
        A built-in corpus name, a folder of ``.txt`` articles, or a table file. Relative paths
        are tried against the working directory, then the project root.
    columns:
        Explicit mapping from core column (``text``, ``title``, ``source``, ``date``,
        ``label``, ``doc_id``) to the input column holding it; overrides recognition.
    fix_text:
        Repair texts with ftfy, normalise line endings and strip trailing boilerplate lines
        (offsets then refer to the loaded text). ``False`` keeps table texts exactly as read
        (use it when external annotations index the raw text).
    drop_duplicates:
        Drop exact duplicate texts (the first occurrence is kept); counted in the report.
    boilerplate:
        Extra whole-line regular expressions removed from the end of each article, on top of
        :data:`BOILERPLATE_PATTERNS`. ``None`` keeps table texts exactly as read (folders of
        ``.txt`` articles always lose their trailing boilerplate).
    label_names:
        Optional mapping applied to the label column (e.g. ``{1: "credible", 0: "fake"}``).
    verbose:
        Print the load report.

    Raises
    ------
    CorpusError
        Missing path, unknown format, no recognisable text column (the columns found are
        listed), a table that cannot be parsed, or a corpus with no article left.
    """
    if str(source) in BUILTIN_CORPORA:
        frame, report = _load_builtin(str(source), fix_text=fix_text)
    else:
        path = paths.resolve_user_path(source)
        if not path.exists():
            raise CorpusError(
                f"No corpus at {source!r}: not a file, not a folder, and not a built-in corpus "
                f"({', '.join(sorted(BUILTIN_CORPORA))})."
            )
        if path.is_dir():
            frame, report = _load_text_folder(path, str(source), boilerplate or (), fix_text)
        else:
            frame, report = _load_table(path, str(source), columns or {}, fix_text, boilerplate)
    frame = _finish(frame, report, drop_duplicates=drop_duplicates, label_names=label_names)
    if verbose:
        print(report)
    return frame


# ---------------------------------------------------------------------------------------------
# plain-text folders


def _decode(raw: bytes, report: LoadReport) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
        report.warn("not UTF-8, decoded as Windows-1252")
        return text
    except UnicodeDecodeError:
        report.warn("undecodable bytes replaced with U+FFFD")
        return raw.decode("utf-8", errors="replace")


def split_plain_text_article(
    content: str, boilerplate: list[str] | tuple[str, ...] = ()
) -> tuple[str, str, int]:
    """Split one plain-text article into ``(title, body, boilerplate_lines_removed)``.

    The title is the first non-empty line; a repetition of it at the start of the body is
    removed; trailing lines matching :data:`BOILERPLATE_PATTERNS` (or ``boilerplate``) are
    removed. The body keeps its paragraphs separated by blank lines.
    """
    lines = _LINE_ENDINGS.sub("\n", content).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", "", 0
    title = lines.pop(0).strip()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _same_title(lines[0], title):
        lines.pop(0)
    body, removed = strip_trailing_boilerplate("\n".join(lines), boilerplate)
    return title, body, removed


def strip_trailing_boilerplate(
    text: str, boilerplate: list[str] | tuple[str, ...] = ()
) -> tuple[str, int]:
    """Remove trailing lines matching :data:`BOILERPLATE_PATTERNS` (plus ``boilerplate``).

    Returns the stripped text and the number of boilerplate lines removed. Only whole trailing
    lines are removed, so a sentence that merely mentions "Stay connected" is kept.
    """
    patterns = _boilerplate_regexes(tuple(boilerplate))
    lines = text.rstrip().split("\n")
    removed = 0
    while lines:
        last = lines[-1].strip()
        if not last:
            lines.pop()
        elif any(p.fullmatch(last) for p in patterns):
            lines.pop()
            removed += 1
        else:
            break
    if not removed:
        return text.strip(), 0
    return "\n".join(lines).strip(), removed


@functools.cache
def _boilerplate_regexes(extra: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in (*BOILERPLATE_PATTERNS, *extra))


def _same_title(line: str, title: str) -> bool:
    def squash(s: str) -> str:
        return " ".join(s.split()).casefold()

    return squash(line) == squash(title)


def _load_text_folder(
    folder: Path, label: str, boilerplate, fix_text: bool
) -> tuple[pd.DataFrame, LoadReport]:
    report = LoadReport(source=label, format="folder of .txt articles")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
    skipped = sorted(p.name for p in folder.iterdir() if p.is_file() and p not in set(files))
    if skipped:
        report.warn("files in the folder that are not .txt (ignored)", len(skipped))
    if not files:
        raise CorpusError(f"The folder {label!r} holds no .txt articles.")
    rows = []
    for file in files:
        report.read += 1
        content = _decode(file.read_bytes(), report)
        title, body, removed = split_plain_text_article(content, boilerplate)
        report.warn("trailing boilerplate lines removed", removed)
        rows.append({"doc_id": file.stem, "title": title, "text": body})
    frame = pd.DataFrame(rows)
    if fix_text:
        frame["title"] = _repair_series(frame["title"], report, count=False)
        frame["text"] = _repair_series(frame["text"], report)
    return frame, report


# ---------------------------------------------------------------------------------------------
# tables


def _table_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes.pop()
    if suffixes and suffixes[-1] in TABLE_SUFFIXES:
        return TABLE_SUFFIXES[suffixes[-1]]
    raise CorpusError(
        f"Unknown corpus format for {path.name!r}: expected a folder of .txt articles or a "
        "table (.csv, .csv.gz, .tsv, .jsonl, .parquet)."
    )


def _read_table(path: Path, fmt: str, label: str, report: LoadReport) -> pd.DataFrame:
    try:
        if fmt == "parquet":
            return pd.read_parquet(path)
        if fmt == "jsonl":
            return _read_jsonl(path, label)
        # Every value as text (ids and labels keep their leading zeros); blank lines are rows
        # (an empty text), so pandas does not skip them silently.
        options = {"sep": "\t" if fmt == "tsv" else ",", "dtype": str, "keep_default_na": False,
                   "skip_blank_lines": False}
        try:
            return pd.read_csv(path, **options)
        except UnicodeDecodeError:
            frame = pd.read_csv(path, encoding_errors="replace", **options)
            report.warn("table is not valid UTF-8: undecodable bytes replaced with U+FFFD")
            return frame
    except CorpusError:
        raise
    except Exception as error:  # pandas/pyarrow raise many types; name the file and the cause
        raise CorpusError(f"Could not read {label!r} as {fmt}: {error}") from error


def _read_jsonl(path: Path, label: str) -> pd.DataFrame:
    try:
        return pd.read_json(path, lines=True, dtype=False)
    except ValueError as error:
        raise CorpusError(
            f"Could not read {label!r} as JSON Lines (one JSON object per line): {error}"
        ) from error


def recognise_columns(found: list[str], explicit: dict[str, str]) -> dict[str, str]:
    """Map core columns to input columns: explicit mapping first, then known names."""
    unknown = set(explicit) - set(CORE_COLUMNS)
    if unknown:
        raise CorpusError(
            f"columns= names {sorted(unknown)}, which are not core columns; use some of "
            f"{list(CORE_COLUMNS)}."
        )
    missing = {k: v for k, v in explicit.items() if v not in found}
    if missing:
        raise CorpusError(
            f"columns= maps {missing}, but the table has no such column. Columns found: {found}"
        )
    mapping = dict(explicit)
    by_lower = {}
    for name in found:
        by_lower.setdefault(name.strip().lower(), name)
    used = set(mapping.values())
    for core, candidates in COLUMN_CANDIDATES.items():
        if core in mapping:
            continue
        for candidate in candidates:
            name = by_lower.get(candidate)
            if name is not None and name not in used:
                mapping[core] = name
                used.add(name)
                break
    return mapping


def _load_table(
    path: Path, label: str, explicit: dict[str, str], fix_text: bool, boilerplate=()
) -> tuple[pd.DataFrame, LoadReport]:
    fmt = _table_format(path)
    report = LoadReport(source=label, format=fmt)
    raw = _read_table(path, fmt, label, report)
    return tidy_table(raw, report, explicit, fix_text, boilerplate), report


def tidy_table(
    raw: pd.DataFrame, report: LoadReport, explicit: dict[str, str] | None = None,
    fix_text: bool = True, boilerplate=(), first_row: int = 0,
) -> pd.DataFrame:
    """The table part of :func:`load_corpus` on an already-read table (or one chunk of it).

    Recognises the columns, coerces text, repairs it and strips trailing boilerplate exactly as
    :func:`load_corpus` does for a table file, counting into ``report`` (``report.read`` grows
    by the rows of ``raw``). Without a unique id column, ``doc_id`` is the row number counted
    from ``first_row`` (the chunk's offset in the whole table). Empty and duplicate texts are
    not dropped here (:func:`load_corpus` does it after this step).
    """
    explicit = explicit or {}
    label = report.source
    raw = raw.copy(deep=False)
    raw.columns = [str(c) for c in raw.columns]
    report.read += len(raw)
    found = list(raw.columns)
    mapping = recognise_columns(found, explicit)
    if "text" not in mapping:
        hint = ""
        if any(c.lower().endswith("_spans") for c in found):
            hint = (" It looks like an annotation table (character spans into articles held "
                    "elsewhere), not a corpus of articles.")
        raise CorpusError(
            f"{label!r} has no recognisable text column. Columns found: {found}. Known text "
            f"column names: {list(COLUMN_CANDIDATES['text'])}. Pass columns={{'text': "
            f"'<column>'}} to name it.{hint}"
        )
    report.column_mapping = {k: mapping[k] for k in CORE_COLUMNS if k in mapping}
    frame = pd.DataFrame(index=raw.index)
    for core in CORE_COLUMNS:
        if core in mapping:
            frame[core] = raw[mapping[core]]
    extras = [c for c in found if c not in set(mapping.values()) and c not in CORE_COLUMNS]
    for column in extras:
        frame[column] = raw[column]
    if "doc_id" not in frame or not _unique_ids(frame["doc_id"]):
        if "doc_id" in frame:
            report.warn(f"ids in column {mapping['doc_id']!r} not unique; doc_id is the row number")
            frame[f"original_{mapping['doc_id']}"] = frame["doc_id"]
            del report.column_mapping["doc_id"]
        frame["doc_id"] = [str(i) for i in range(first_row, first_row + len(frame))]
    frame["text"] = _as_text(frame["text"], report, "text")
    if "title" in frame:
        frame["title"] = _as_text(frame["title"], report, "title")
    if fix_text:
        frame["text"] = _repair_series(frame["text"], report)
        if "title" in frame:
            frame["title"] = _repair_series(frame["title"], report, count=False)
    if fix_text and boilerplate is not None:
        stripped = [strip_trailing_boilerplate(text, boilerplate) for text in frame["text"]]
        frame["text"] = [text for text, _ in stripped]
        report.warn("trailing boilerplate lines removed", sum(n for _, n in stripped))
    return frame.reset_index(drop=True)


def _unique_ids(ids: pd.Series) -> bool:
    as_text = ids.astype("string")
    return bool(as_text.notna().all() and as_text.str.strip().ne("").all() and as_text.is_unique)


def _as_text(values: pd.Series, report: LoadReport, what: str) -> pd.Series:
    """Coerce a column to Python strings; missing values become empty strings (counted later)."""
    out = []
    non_text = 0
    for value in values.tolist():
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            out.append("")
        elif isinstance(value, bytes):
            try:
                out.append(value.decode("utf-8"))
            except UnicodeDecodeError:
                out.append(value.decode("utf-8", errors="replace"))
                report.warn(f"{what}: undecodable bytes replaced with U+FFFD")
        elif isinstance(value, str):
            out.append(value)
        else:
            out.append(str(value))
            non_text += 1
    report.warn(f"{what}: non-text values converted to text", non_text)
    return pd.Series(out, index=values.index, dtype=object)


# ---------------------------------------------------------------------------------------------
# text repair and the common finish


def repair_text(text: str) -> str:
    """Repair one text: ftfy's ``fix_text`` (mojibake, HTML entities, odd control characters)
    and ``\\r\\n``/``\\r`` line endings to ``\\n``. Typographic quotes are kept (the tokenizer
    handles them), so quotation marks survive for attribution."""
    import ftfy

    if text.isascii() and "&" not in text and not _ASCII_CONTROL.search(text):
        return _LINE_ENDINGS.sub("\n", text)  # nothing ftfy would change; skip it (fast path)
    fixed = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    return _LINE_ENDINGS.sub("\n", fixed)


def _repair_series(values: pd.Series, report: LoadReport, count: bool = True) -> pd.Series:
    repaired = values.map(repair_text)
    if count:
        report.warn("texts repaired by ftfy (mojibake, entities, line endings)",
                    int((repaired != values).sum()))
    return repaired


def _control_entity_to_char(match: re.Match) -> str:
    digits = match.group(1)
    code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    return chr(code) if code < 32 else match.group(0)


def _clean_date_text(value: str) -> str:
    """Unescape HTML entities and cut a date string at its first control character
    (Reuters-21578 dates carry ``&#5;`` markers after the time)."""
    value = html.unescape(_NUMERIC_ENTITY.sub(_control_entity_to_char, str(value)))
    for index, char in enumerate(value):
        if unicodedata.category(char) == "Cc":
            value = value[:index]
            break
    return value.strip()


def _parse_dates(values: pd.Series, report: LoadReport) -> pd.Series:
    as_text = values.astype("string").map(_clean_date_text, na_action="ignore").astype("string")
    present = as_text.notna() & as_text.ne("")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # format inference warnings; failures are counted below
        parsed = pd.to_datetime(as_text.where(present), errors="coerce", utc=True, format="mixed")
    parsed = parsed.dt.tz_localize(None)
    report.warn("dates that could not be parsed (set to NaT)", int((present & parsed.isna()).sum()))
    return parsed.astype("datetime64[ns]")


def _finish(
    frame: pd.DataFrame, report: LoadReport, *, drop_duplicates: bool, label_names: dict | None,
    allow_empty: bool = False,
) -> pd.DataFrame:
    for column in CORE_COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    frame["date"] = _parse_dates(frame["date"], report)
    if label_names:
        names = {str(key): name for key, name in label_names.items()}
        frame["label"] = frame["label"].map(
            lambda v: names.get(str(v).strip(), v) if pd.notna(v) else v
        )
    for column in ("doc_id", "title", "source", "label"):
        frame[column] = frame[column].astype("string")
    for column in ("title", "source", "label"):
        frame[column] = frame[column].str.strip().replace("", pd.NA)
    frame["text"] = frame["text"].astype(object)
    replacement = frame["text"].map(lambda t: "\ufffd" in t)
    report.warn("texts holding U+FFFD (characters lost before loading)", int(replacement.sum()))

    empty = ~frame["text"].map(lambda t: bool(_WORD.search(t)))
    report.drop("empty text (no letters or digits)", int(empty.sum()))
    frame = frame[~empty]
    if drop_duplicates:
        duplicate = frame["text"].duplicated(keep="first")
        report.drop("exact duplicate text (first kept)", int(duplicate.sum()))
        frame = frame[~duplicate]
    report.kept = len(frame)
    if report.kept == 0 and not allow_empty:
        raise CorpusError(f"No article left after loading {report.source!r}.\n{report}")
    ordered = list(CORE_COLUMNS) + [c for c in frame.columns if c not in CORE_COLUMNS]
    frame = frame[ordered].reset_index(drop=True)
    frame.attrs["load_report"] = report
    return frame


# ---------------------------------------------------------------------------------------------
# built-in corpora


def _load_builtin(name: str, fix_text: bool) -> tuple[pd.DataFrame, LoadReport]:
    if name == "seed":
        frame, report = _load_text_folder(paths.SEED_DIR, "seed", (), fix_text)
        report.format = "built-in: folder of .txt articles"
        frame["source"] = pd.NA
        return frame, report
    if name == "nyt-editorials":
        sentences = load_nyt_sentences()
        report = LoadReport(source=name, format="built-in: VADER paper, NYT editorial snippets")
        report.read = sentences["editorial_id"].nunique()
        grouped = sentences.sort_values(["editorial_id", "sentence_index"]).groupby(
            "editorial_id", sort=True
        )
        frame = pd.DataFrame(
            {
                "doc_id": [f"nyt-{editorial:03d}" for editorial in grouped.groups],
                "title": pd.NA,
                "text": grouped["text"].agg(" ".join).tolist(),
                "source": "The New York Times",
                "date": pd.NA,
                "label": pd.NA,
                "sentences": grouped.size().tolist(),
                "human_mean_rating": grouped["human_mean"].mean().round(4).tolist(),
            }
        )
        frame["human_tone"] = human_tone(frame["human_mean_rating"])
        return frame, report
    raise CorpusError(f"Unknown built-in corpus {name!r}")  # pragma: no cover


#: Mean human rating (scale -4..+4) beyond which an editorial's tone counts as negative or
#: positive; the VADER paper's +/-0.05 band around zero, applied to the editorial's mean.
HUMAN_TONE_THRESHOLD = 0.05


def human_tone(mean_rating: pd.Series) -> pd.Series:
    """``negative``/``neutral``/``positive`` from mean human ratings (see
    :data:`HUMAN_TONE_THRESHOLD`), so the NYT editorials can be compared by human-rated tone."""
    values = pd.to_numeric(mean_rating, errors="coerce")
    tone = pd.Series("neutral", index=values.index, dtype="string")
    tone[values < -HUMAN_TONE_THRESHOLD] = "negative"
    tone[values > HUMAN_TONE_THRESHOLD] = "positive"
    tone[values.isna()] = pd.NA
    return tone


def load_nyt_sentences() -> pd.DataFrame:
    """The 5,190 NYT editorial snippets of the VADER paper with their human ratings.

    Columns: ``snippet_id`` (``N_M``), ``editorial_id`` (N), ``sentence_index`` (M, from 1),
    ``text``, ``human_mean`` (mean rating, -4..4), ``human_sd`` and ``ratings`` (the raw
    ratings of the individual raters, a list of ints).
    """
    return load_vader_ratings("nytEditorialSnippets")


def load_vader_ratings(dataset: str) -> pd.DataFrame:
    """One of the four human-rated data sets of the VADER paper (fetched and cached on first use).

    ``dataset`` is ``"nytEditorialSnippets"``, ``"tweets"``, ``"movieReviewSnippets"`` or
    ``"amazonReviewSnippets"``; columns as in :func:`load_nyt_sentences`.
    """
    from utils.resources import ensure_vader_paper_data

    folder = ensure_vader_paper_data()
    truth_path = folder / f"{dataset}_GroundTruth.txt"
    if not truth_path.exists():
        raise CorpusError(f"Unknown VADER data set {dataset!r}")
    rows = []
    for line in _read_lines(truth_path):
        snippet_id, mean, text = line.split("\t", 2)
        rows.append((snippet_id, float(mean), text))
    frame = pd.DataFrame(rows, columns=["snippet_id", "human_mean", "text"])
    ratings = {}
    for line in _read_lines(folder / f"{dataset}_anonDataRatings.txt"):
        snippet_id, _mean, sd, raw = line.split("\t", 3)
        values = [int(v) for v in raw.strip().strip("[]").split(",") if v.strip()]
        ratings[snippet_id] = (float(sd), values)
    frame["human_sd"] = frame["snippet_id"].map(lambda s: ratings.get(s, (None, None))[0])
    frame["ratings"] = frame["snippet_id"].map(lambda s: ratings.get(s, (None, None))[1])
    # "N_M" ids (NYT, Amazon) or plain "N" ids (tweets, movie reviews: no sentence index)
    parts = frame["snippet_id"].str.split("_", n=1, expand=True).reindex(columns=[0, 1])
    frame.insert(1, "editorial_id", pd.to_numeric(parts[0], errors="coerce").astype("Int64"))
    frame.insert(2, "sentence_index", pd.to_numeric(parts[1], errors="coerce").astype("Int64"))
    return frame


def _read_lines(path: Path) -> list[str]:
    raw = path.read_bytes().decode("utf-8", errors="replace")
    return [line for line in _LINE_ENDINGS.sub("\n", raw).split("\n") if line.strip()]
