"""``load_corpus``: any corpus source to one tidy frame, and the finish every load shares."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from utils import paths
from utils.corpus.builtin import BUILTIN_CORPORA, load_builtin
from utils.corpus.cleaning import has_letters
from utils.corpus.dates import parse_dates
from utils.corpus.decoding import NotTextError, decode_bytes
from utils.corpus.folders import load_text_articles
from utils.corpus.language import ANALYSED_LANGUAGES, detect_language
from utils.corpus.report import CorpusError, LoadReport
from utils.corpus.tables import (
    COLUMN_CANDIDATES,
    COMPRESSION_SUFFIXES,
    CORE_COLUMNS,
    FORMATS,
    MAPPABLE_COLUMNS,
    MISSING_MARKERS,
    TABLE_SUFFIXES,
    _repair_series,
    read_table,
    source_format,
    tidy_table,
)

_WHOLE_NUMBER = re.compile(r"^([+-]?\d+)\.0*$")


def corpus_name(source: str | Path) -> str:
    """A short name for a corpus: the built-in name, or the file/folder name without suffixes."""
    text = str(source)
    if text in BUILTIN_CORPORA:
        return text
    name = Path(text.rstrip("/")).name
    for suffix in COMPRESSION_SUFFIXES:
        name = name.removesuffix(suffix)
    for suffix in (*TABLE_SUFFIXES, ".txt"):
        name = name.removesuffix(suffix)
    return name or "corpus"


def check_load_options(columns=None, label_names=None, dayfirst=None, format=None, sep=None,
                       encoding=None, orient=None, boilerplate=()) -> None:
    """Raise :class:`CorpusError` naming the option and what it expects, before any work."""
    if boilerplate is not None:
        if isinstance(boilerplate, str) or not isinstance(boilerplate, list | tuple):
            raise CorpusError(f"boilerplate= must be a list of regular expressions (whole "
                              f"lines), e.g. [r'powered by .*']; got {boilerplate!r}.")
        for pattern in boilerplate:
            try:
                re.compile(pattern)
            except (re.error, TypeError) as error:
                raise CorpusError(f"boilerplate= pattern {pattern!r} is not a regular "
                                  f"expression: {error}.") from None
    if columns is not None:
        if not isinstance(columns, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in columns.items()):
            raise CorpusError(
                f"columns= must map core columns to input column names, e.g. "
                f'{{"text": "body", "date": "published"}}; got {columns!r}.')
        unknown = sorted(set(columns) - set(MAPPABLE_COLUMNS))
        if unknown:
            raise CorpusError(f"columns= names {unknown}, which are not core columns; use "
                              f"some of {list(MAPPABLE_COLUMNS)}.")
    if label_names is not None and not isinstance(label_names, dict):
        raise CorpusError(f'label_names= must map label values to names, e.g. {{"1": '
                          f'"credible", "0": "fake"}}; got {label_names!r}.')
    if dayfirst not in (None, True, False):
        raise CorpusError(f"dayfirst= must be True, False or None; got {dayfirst!r}.")
    if format is not None and format not in FORMATS:
        raise CorpusError(f"format={format!r}: expected one of {list(FORMATS)}.")
    if sep is not None and (not isinstance(sep, str) or len(sep) != 1):
        raise CorpusError(f"sep= must be one character, e.g. ';' or '\\t'; got {sep!r}.")
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise CorpusError(f"encoding={encoding!r} is not an encoding Python knows "
                              "(e.g. 'utf-8', 'utf-16', 'cp1252').") from None
    if orient is not None and orient not in ("split", "records", "index", "columns", "values",
                                             "table"):
        raise CorpusError(f"orient={orient!r}: expected one of pandas' JSON orients "
                          "(records, columns, index, split, values, table).")


def load_corpus(
    source: str | Path,
    *,
    columns: dict[str, str] | None = None,
    fix_text: bool = True,
    drop_duplicates: bool = True,
    boilerplate: list[str] | tuple[str, ...] | None = (),
    label_names: dict | None = None,
    dayfirst: bool | None = None,
    recursive: bool = True,
    format: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    orient: str | None = None,
    verbose: bool = False,
) -> pd.DataFrame:
    """Load an article corpus as one tidy frame (see :mod:`utils.corpus` for the formats).

    Parameters
    ----------
    source:
        A built-in corpus name, a ``.txt`` article, a folder of them, or a table file.
        Relative paths are tried against the working directory, then the project root.
    columns:
        Explicit mapping from core column (``text``, ``title``, ``source``, ``date``,
        ``label``, ``doc_id``) to the input column holding it; overrides recognition.
    fix_text:
        Convert HTML, repair texts with ftfy, normalise line endings and strip trailing
        boilerplate lines (offsets then refer to the loaded text). ``False`` keeps table texts
        exactly as read (use it when external annotations index the raw text).
    drop_duplicates:
        Drop exact duplicate texts (the first occurrence is kept); counted in the report.
    boilerplate:
        Extra whole-line regular expressions removed from the end of each article, on top of
        :data:`BOILERPLATE_PATTERNS`. ``None`` keeps table texts exactly as read (folders of
        ``.txt`` articles always lose their trailing boilerplate).
    label_names:
        Optional mapping applied to the label column (e.g. ``{"1": "credible", "0":
        "fake"}``); keys and values are compared as text, ``1.0`` as ``1``.
    dayfirst:
        Order of numeric day/month dates (``03/04/2015``): ``True`` day-first, ``False``
        month-first, ``None`` decided by the column's own dates (:mod:`utils.corpus.dates`).
    recursive:
        Read the subfolders of a folder (``False``: only its own files; subfolders counted).
    format, sep, encoding, orient:
        Force the format (``csv``, ``tsv``, ``jsonl``, ``json``, ``parquet``, ``txt``), the CSV
        separator, the text encoding of a CSV, or pandas' JSON orient, where the loader's
        choice is wrong.
    verbose:
        Print the load report.

    Raises
    ------
    CorpusError
        Invalid options, a missing path, an unknown format, no recognisable text column (the
        columns found are listed), a table that cannot be parsed, or no article left.
    """
    check_load_options(columns, label_names, dayfirst, format, sep, encoding, orient,
                       boilerplate)
    if not isinstance(source, str | Path) or not str(source).strip():
        raise CorpusError(f"The corpus must be a path or a built-in name "
                          f"({', '.join(sorted(BUILTIN_CORPORA))}); got {source!r}.")
    if str(source) in BUILTIN_CORPORA and format is None:
        frame, report = load_builtin(str(source))
        if fix_text and str(source) == "seed":  # the editorials are the paper's own text
            frame["text"] = _repair_series(frame["text"].astype(object), report,
                                           ids=frame["doc_id"])
    else:
        path = paths.resolve_user_path(source)
        if not path.exists():
            raise CorpusError(
                f"No corpus at {str(source)!r}: not a file, not a folder, and not a built-in "
                f"corpus ({', '.join(sorted(BUILTIN_CORPORA))})."
            )
        if not path.is_dir() and not path.is_file():
            raise CorpusError(
                f"{str(source)!r} is not a regular file (a FIFO, a device or a pipe such as "
                "<(command)): save the corpus to a file first.")
        fmt = "folder" if path.is_dir() else source_format(path, format)
        table_in_txt = fmt == "txt" and format is None and txt_table_separator(path)
        if table_in_txt:
            fmt, sep = "csv", sep or table_in_txt
        if fmt in ("folder", "txt"):
            frame, report = load_text_articles(path, str(source), boilerplate or (), recursive)
            if fix_text and len(frame):
                frame["title"] = _repair_series(frame["title"], report, count=False)
                frame["text"] = _repair_series(frame["text"], report, ids=frame["doc_id"])
        else:
            report = LoadReport(source=str(source), format=fmt)
            if table_in_txt:
                report.warn("a .txt file with a table header read as a table (pass format='txt' "
                            "for one article)", 1, [path.name])
            raw = read_table(path, fmt, str(source), report, sep=sep, encoding=encoding,
                             orient=orient)
            frame = tidy_table(raw, report, columns or {}, fix_text, boilerplate)
    frame = finish_frame(frame, report, drop_duplicates=drop_duplicates,
                         label_names=label_names, dayfirst=dayfirst)
    if verbose:
        print(report)
    return frame


def txt_table_separator(path: Path) -> str | None:
    """The separator of a table saved as ``.txt`` (a first line of two or more fields split by
    a tab, comma, semicolon or pipe, all short like column names and one of them a known text
    column name, then a row of as many fields), else ``None``."""
    try:
        with open(path, "rb") as handle:
            first = handle.read(4096)
        lines = decode_bytes(first).text.lstrip("\ufeff").splitlines()[:2]
    except (OSError, NotTextError):
        return None
    if len(lines) < 2 or not lines[1].strip():
        return None  # an article's title line is followed by a blank line, a header by a row
    text_names = set(COLUMN_CANDIDATES["text"])
    for sep in ("\t", ",", ";", "|"):
        header, row = (next(csv.reader([line], delimiter=sep), []) for line in lines)
        fields = [f.strip().lower() for f in header]
        header_like = all(f and len(f) <= 40 and len(f.split()) <= 2 for f in fields)
        if (len(fields) >= 2 and header_like and text_names & set(fields)
                and len(row) == len(fields)):
            return sep
    return None


def _whole_number_text(value: str) -> str:
    match = _WHOLE_NUMBER.match(value)
    return match.group(1) if match else value


def _labels(labels: pd.Series, ids: pd.Series, report: LoadReport,
            label_names: dict | None, numeric: bool = False,
            column_warnings: bool = True) -> pd.Series:
    """Labels as text: whole numbers written as decimals (``1.0``) read as ``1``, then
    ``label_names`` applied (its keys read the same way); values without a name counted.
    ``numeric``: the column held numbers (a float column is how pandas, Parquet and JSON
    keep whole numbers with missing values), so ``1.0`` is not worth a warning.
    ``column_warnings=False``: case variants and values without a name are not counted (the
    caller counts them over the whole column)."""
    present = labels.notna()
    as_text = labels.astype("string").str.strip()
    normalised = as_text.map(_whole_number_text, na_action="ignore").astype("string")
    changed = present & (normalised != as_text) & (not numeric)
    report.warn("labels written as decimals read as whole numbers (1.0 as 1)",
                int(changed.sum()), ids[changed].head(3))
    if column_warnings:
        _warn_case_variants(normalised, ids, report)
    if not label_names:
        return normalised
    names = {_whole_number_text(str(key).strip()): str(name) for key, name in
             label_names.items()}
    named = normalised.map(lambda v: names.get(v, v), na_action="ignore").astype("string")
    unnamed = present & normalised.notna() & ~normalised.isin(list(names)) \
        & ~normalised.isin(list(names.values()))
    if unnamed.any() and column_warnings:
        values = sorted(normalised[unnamed].unique())
        report.warn(f"label values with no name in label_names (kept as they are: "
                    f"{', '.join(map(repr, values[:5]))})", int(unnamed.sum()),
                    ids[unnamed].head(3))
    return named


def _warn_case_variants(labels: pd.Series, ids: pd.Series, report: LoadReport) -> None:
    """Count labels that differ from another label only in case or inner spacing (kept
    apart: the loader does not guess that they mean the same)."""
    values = labels.dropna().unique()
    folded: dict[str, list[str]] = {}
    for value in sorted(map(str, values)):
        folded.setdefault(" ".join(value.casefold().split()), []).append(value)
    variants = [v for group in folded.values() if len(group) > 1 for v in group]
    if variants:
        shown = ", ".join(map(repr, variants[:6]))
        mask = labels.isin(variants).fillna(False).astype(bool)
        report.warn(f"label values differing only in case or spacing (kept apart: {shown})",
                    int(mask.sum()), ids[mask].head(3))


def _markers_to_missing(values: pd.Series, ids: pd.Series, report: LoadReport,
                        what: str) -> pd.Series:
    text = values.astype("string").str.strip()
    marker = text.str.lower().isin(MISSING_MARKERS).fillna(False).astype(bool)
    report.warn(f"{what}: missing-value markers ('NA', 'null', ...) read as missing",
                int(marker.sum()), ids[marker].head(3))
    return text.mask(marker | text.eq(""), pd.NA)


def finish_frame(
    frame: pd.DataFrame, report: LoadReport, *, drop_duplicates: bool = True,
    label_names: dict | None = None, dayfirst: bool | None = None, allow_empty: bool = False,
    date_votes: tuple[int, int] | None = None, column_warnings: bool = True,
) -> pd.DataFrame:
    """The end of every load: metadata typed and checked, dates read by the stated rule,
    articles without letters and duplicate texts dropped, language identified; all counted.

    For one chunk of a larger table: ``date_votes``, the date column's day/month votes over
    the whole table (``votes=`` of :func:`utils.corpus.dates.parse_dates`);
    ``column_warnings=False`` leaves the warnings decided over whole columns to the caller
    (label values differing only in case or spacing, label values without a name, the
    languages of the kept articles)."""
    for column in CORE_COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    frame = frame.reset_index(drop=True)
    frame["doc_id"] = frame["doc_id"].astype("string")
    ids = frame["doc_id"]
    frame["date"] = parse_dates(frame["date"], report, dayfirst=dayfirst, ids=ids,
                                votes=date_votes)
    numeric_labels = pd.api.types.is_float_dtype(frame["label"])  # whole numbers with gaps
    frame["label"] = _labels(_markers_to_missing(frame["label"], ids, report, "label"), ids,
                             report, label_names, numeric=numeric_labels,
                             column_warnings=column_warnings)
    frame["source"] = _markers_to_missing(frame["source"], ids, report, "source")
    frame["title"] = frame["title"].astype("string").str.strip().replace("", pd.NA)
    frame["text"] = frame["text"].astype(object)
    replacement = frame["text"].map(lambda t: "\ufffd" in t).astype(bool)
    report.warn("texts holding U+FFFD (characters lost before loading)", int(replacement.sum()),
                ids[replacement].head(3))

    empty = ~frame["text"].map(has_letters).astype(bool)
    report.drop("text has no letters (empty, a number or symbols only)", int(empty.sum()),
                ids[empty].head(3))
    frame = frame[~empty]
    if drop_duplicates:
        duplicate = frame["text"].duplicated(keep="first")
        report.drop("exact duplicate text (first kept)", int(duplicate.sum()),
                    frame.loc[duplicate, "doc_id"].head(3))
        frame = frame[~duplicate]
    report.kept = len(frame)
    if report.kept == 0 and not allow_empty:
        raise CorpusError(f"No article left after loading {report.source!r}.\n{report}")
    frame = frame.copy()
    frame["language"] = frame["text"].map(detect_language).astype("string")
    other = ~frame["language"].isin(list(ANALYSED_LANGUAGES))
    if other.any() and column_warnings:
        counts = frame.loc[other, "language"].value_counts()
        codes = ", ".join(f"{code} {n}" for code, n in sorted(counts.items()))
        report.warn(f"not English (kept, not analysed by the English-only tools: {codes})",
                    int(other.sum()), frame.loc[other, "doc_id"].head(3))
    undetermined = frame["language"].eq("und")
    if column_warnings:
        report.warn("too short to identify the language (analysed as English)",
                    int(undetermined.sum()), frame.loc[undetermined, "doc_id"].head(3))
    ordered = list(CORE_COLUMNS) + [c for c in frame.columns if c not in CORE_COLUMNS]
    frame = frame[ordered].reset_index(drop=True)
    frame.attrs["load_report"] = report
    return frame
