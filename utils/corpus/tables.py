"""Tables of articles: CSV/TSV, JSON Lines, JSON and Parquet, read and checked column by column.

Reading:

- **CSV/TSV**: every value is read as text (ids and labels keep their leading zeros; blank
  lines are rows, so nothing is skipped silently). The encoding is chosen by evidence from the
  first :data:`utils.corpus.decoding.SAMPLE_BYTES` (byte-order mark, UTF-8, UTF-16, then
  charset-normalizer) unless ``encoding=`` is given. The separator is ``sep=`` if given, a tab
  for ``.tsv``, else a comma, unless the header holds no comma but semicolons, tabs or pipes:
  then that character (counted in the report);
- **JSON Lines** (``.jsonl``/``.ndjson``) and **JSON** (``.json``): an array of objects, one
  object per line, a column-oriented object (``{"text": {"0": ...}}``, pandas'
  ``orient="columns"``) or an object holding one array of objects (``{"articles": [...]}``);
  ``orient=`` forces pandas' reading. An array of arrays has no field names and is refused;
- **Parquet**: refused with a clear message when two columns share a name.

Checking (:func:`tidy_table`): the text column must hold text. Missing values and missing-value
markers (``NA``, ``null``, ``None``, ...) are empty texts; numbers, lists and mappings are
refused row by row with their reason; a column that holds no text at all (``unit_id`` mapped
as text) stops the load naming the column.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import numbers
import warnings
import zipfile
from pathlib import Path

import pandas as pd

from utils.corpus.cleaning import (
    has_letters,
    html_to_text,
    looks_like_html,
    repair_text,
    strip_trailing_boilerplate,
)
from utils.corpus.decoding import SAMPLE_BYTES, NotTextError, decode_bytes, detect_encoding
from utils.corpus.report import CorpusError, LoadReport

#: Output columns, in order, that every loaded corpus has.
CORE_COLUMNS = ("doc_id", "title", "text", "source", "date", "label", "language")
#: Core columns a user may map with ``columns=`` (``language`` is identified by the loader).
MAPPABLE_COLUMNS = ("doc_id", "title", "text", "source", "date", "label")

#: Recognised input column names for each core column, in order of preference (case-insensitive).
COLUMN_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article_content", "article_text", "article", "story"),
    "title": ("title", "article_title", "headline"),
    "source": ("source", "publisher", "domain", "site_url", "site", "outlet", "site_name"),
    "date": ("date", "published", "publication_date", "publish_date", "pubdate", "published_at"),
    "label": ("label", "labels", "type", "class", "category"),
    "doc_id": ("doc_id", "id", "article_id", "unit_id", "filename", "newid", "uuid"),
}

TABLE_SUFFIXES = {
    ".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".parquet": "parquet", ".pq": "parquet",
}
#: What ``format=`` accepts: the table formats and ``txt`` (one plain-text article).
FORMATS = ("csv", "tsv", "jsonl", "json", "parquet", "txt")
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".zip", ".xz", ".zst")
#: Values of a text or metadata cell that mean "missing" (compared case-insensitively).
MISSING_MARKERS = frozenset({"na", "n/a", "nan", "null", "none", "nil", "#n/a", "<na>", "-"})
#: Separators recognised from a CSV header that holds no comma.
OTHER_SEPARATORS = (";", "\t", "|")
#: Share of a text column's filled rows that must hold letters, else the column is refused.
MIN_TEXT_SHARE = 0.1


def source_format(path: Path, format: str | None = None) -> str:
    """``txt`` for a ``.txt`` article, else the table format of ``path`` (compression
    suffixes aside), or ``format`` when given."""
    if format is not None:
        if format not in FORMATS:
            raise CorpusError(f"format={format!r}: expected one of {list(FORMATS)}.")
        return format
    suffixes = [s.lower() for s in path.suffixes]
    while suffixes and suffixes[-1] in COMPRESSION_SUFFIXES:
        suffixes.pop()
    if suffixes and suffixes[-1] in (".txt", ".html", ".htm") \
            and len(suffixes) == len(path.suffixes):
        return "txt"
    if suffixes and suffixes[-1] in TABLE_SUFFIXES:
        return TABLE_SUFFIXES[suffixes[-1]]
    raise CorpusError(
        f"Unknown corpus format for {path.name!r}: expected a .txt article, a folder of them, "
        "or a table (.csv, .tsv, .jsonl, .json, .parquet, optionally compressed); or pass "
        f"format= (one of {list(FORMATS)})."
    )


def _open_decompressed(path: Path):
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return gzip.open(path, "rb")
    if suffix == ".bz2":
        return bz2.open(path, "rb")
    if suffix == ".xz":
        return lzma.open(path, "rb")
    if suffix == ".zip":
        archive = zipfile.ZipFile(path)
        names = [n for n in archive.namelist() if not n.endswith("/")
                 and not n.startswith("__MACOSX/") and not Path(n).name.startswith(".")]
        if len(names) != 1:
            raise CorpusError(f"{path.name!r}: a .zip corpus must hold exactly one table "
                              f"(found {len(names)} files).")
        return archive.open(names[0])
    if suffix == ".zst":
        import zstandard

        return zstandard.open(path, "rb")
    return open(path, "rb")


def _read_bytes(path: Path, limit: int | None = None) -> tuple[bytes, bool]:
    """The (decompressed) bytes of ``path``, at most ``limit``; and whether that is all."""
    try:
        with _open_decompressed(path) as handle:
            data = handle.read() if limit is None else handle.read(limit + 1)
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as error:
        raise CorpusError(f"Could not read {path.name!r}: {error}") from error
    if limit is not None and len(data) > limit:
        return data[:limit], False
    return data, True


def _pandas_encoding(encoding: str, by_mark: bool) -> str:
    if by_mark and encoding.startswith(("utf-16", "utf-32")):
        return encoding[:6]  # "utf-16": Python's codec reads the mark and the byte order
    if by_mark and encoding == "utf-8":
        return "utf-8-sig"
    return encoding


def csv_read_options(path: Path, fmt: str, report: LoadReport, sep: str | None = None,
                     encoding: str | None = None) -> dict:
    """Keyword arguments for ``pandas.read_csv`` on this file (see the module docstring for
    how the encoding and the separator are chosen), counting the choices into ``report``."""
    sample, complete = _read_bytes(path, SAMPLE_BYTES)
    if encoding is None:
        try:
            detected, by_mark = detect_encoding(sample, complete=complete)
        except NotTextError as error:
            raise CorpusError(f"{report.source!r} is not a text table ({error}).") from error
        encoding = _pandas_encoding(detected, by_mark)
        if detected != "utf-8":
            how = "byte-order mark" if by_mark else "detected"
            report.warn(f"table decoded as {detected.upper()} ({how})", 1, [path.name])
    if sep is None:
        sep = "\t" if fmt == "tsv" else ","
        header = sample.decode(encoding if encoding != "utf-8-sig" else "utf-8",
                               errors="replace").lstrip("\ufeff").split("\n", 1)[0]
        if fmt == "csv" and "," not in header:
            counts = {s: header.count(s) for s in OTHER_SEPARATORS}
            best = max(counts, key=counts.get)
            if counts[best]:
                sep = best
                report.warn(f"separator {best!r} recognised from the header (pass sep= to "
                            "choose another)", 1, [path.name])
    return {"sep": sep, "encoding": encoding, "encoding_errors": "replace", "dtype": str,
            "keep_default_na": False, "skip_blank_lines": False}


def check_parquet(path: Path, label: str) -> None:
    """Refuse a Parquet file whose columns are not uniquely named."""
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as error:  # pyarrow raises ArrowInvalid, OSError ...
        raise CorpusError(f"Could not read {label!r} as Parquet: {error}") from error
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise CorpusError(
            f"{label!r} has more than one column named {', '.join(map(repr, repeated))}; "
            "rename them so each column has its own name.")


def read_parquet_table(path: Path, label: str) -> pd.DataFrame:
    """A Parquet file as a frame: an index pandas stored (ids written as the index) becomes a
    column again; dates outside what pandas holds are read as objects (NaT later, counted)
    instead of failing the whole file."""
    import pyarrow.parquet as pq

    check_parquet(path, label)
    try:
        table = pq.read_table(path)
        try:
            frame = table.to_pandas()
        except (ValueError, OverflowError, OSError):  # "year -768 is out of range" ...
            frame = table.to_pandas(date_as_object=True, timestamp_as_object=True)
    except Exception as error:  # pyarrow raises many types; name the file and the cause
        raise CorpusError(f"Could not read {label!r} as Parquet: {error}") from error
    return restore_index(frame)


def restore_index(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an index other than the default row numbers turned back into columns
    (a table saved by pandas with its ids as the index keeps them)."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return frame
    names = [n if n is not None else "index" for n in frame.index.names]
    frame.index = frame.index.set_names(names)
    return frame.reset_index()


def _frame_from_json(data, label: str, report: LoadReport) -> pd.DataFrame:
    if isinstance(data, list):
        if not data:
            return pd.DataFrame()
        if all(isinstance(item, dict) for item in data):
            return pd.DataFrame.from_records(data)
        raise CorpusError(
            f"{label!r} is a JSON array of {type(data[0]).__name__} values, which have no "
            'field names; expected objects such as {"title": ..., "text": ...}.')
    if isinstance(data, dict):
        if {"columns", "data"} <= set(data) and isinstance(data["columns"], list):
            report.warn("JSON in pandas' split layout (columns and data) read as rows", 1,
                        [label])
            try:
                return pd.DataFrame(data["data"], columns=data["columns"])
            except (ValueError, TypeError) as error:
                raise CorpusError(f"{label!r}: its 'columns' and 'data' do not fit together "
                                  f"({error}).") from error
        values = list(data.values())
        if values and all(isinstance(v, dict) for v in values):
            report.warn("column-oriented JSON read as one row per key", 1, [label])
            return pd.DataFrame(data)
        arrays = [k for k, v in data.items() if isinstance(v, list) and v
                  and all(isinstance(i, dict) for i in v)]
        if len(arrays) == 1:
            report.warn(f"JSON object: articles read from its array {arrays[0]!r}", 1, [label])
            return pd.DataFrame.from_records(data[arrays[0]])
        if values and all(isinstance(v, list) for v in values):
            if len({len(v) for v in values}) == 1:
                report.warn("column-oriented JSON read as one row per position", 1, [label])
                return pd.DataFrame(data)
        return pd.DataFrame([data])
    raise CorpusError(f"{label!r} holds a single JSON {type(data).__name__}, not articles.")


def read_json_table(path: Path, label: str, report: LoadReport,
                    orient: str | None = None) -> pd.DataFrame:
    """A JSON or JSON Lines file as a frame (see the module docstring for the shapes)."""
    raw, _ = _read_bytes(path)
    try:
        text = decode_bytes(raw).text
    except NotTextError as error:
        raise CorpusError(f"{label!r} is not a JSON file ({error}).") from error
    if orient is not None:
        try:
            with warnings.catch_warnings():  # pandas warns on some shapes before failing
                warnings.simplefilter("ignore")
                frame = pd.read_json(io.StringIO(text), orient=orient, dtype=False)
            return restore_index(frame)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # pandas raises these when the file's shape is not the orient's
            raise CorpusError(f"Could not read {label!r} as JSON with orient={orient!r} (the "
                              f"file's shape is not that orient's: {type(error).__name__}: "
                              f"{error}); try without orient=.") from error
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return pd.DataFrame()
    try:
        return _frame_from_json(json.loads(stripped), label, report)
    except json.JSONDecodeError as error:
        lines = stripped.splitlines()
        several_objects = sum(1 for line in lines[:50] if line.lstrip().startswith("{")) > 1
        if not (stripped.startswith("{") and ("Extra data" in str(error) or several_objects)):
            raise CorpusError(f"Could not read {label!r} as JSON: {error}") from error
    if not stripped.lstrip("{ \t").startswith(("\n", "\r")):
        return json_lines_frame(stripped.splitlines(), report)
    return _concatenated_objects(stripped, label, report)


def _concatenated_objects(text: str, label: str, report: LoadReport) -> pd.DataFrame:
    """Objects written one after another, each over several lines (pretty-printed "JSON
    Lines"), as rows."""
    decoder = json.JSONDecoder()
    records, position = [], 0
    while position < len(text):
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise CorpusError(f"Could not read {label!r} as JSON objects written one after "
                              f"another: {error}") from error
        if not isinstance(value, dict):
            raise CorpusError(f"{label!r}: a {type(value).__name__} among its JSON objects.")
        records.append(value)
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
    report.warn("JSON objects written over several lines each, read as rows", 1, [label])
    return pd.DataFrame.from_records(records)


def json_lines_frame(lines, report: LoadReport, first_line: int = 1) -> pd.DataFrame:
    """One row per JSON object of ``lines`` (JSON Lines); a line that is not valid JSON, or is
    not an object, is dropped and counted with its line number (``first_line``: the number of
    the first of ``lines`` in the file). Blank lines are skipped."""
    records, bad, not_objects = [], [], []
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            bad.append(f"line {number}")
            continue
        if isinstance(value, dict):
            records.append(value)
        else:
            not_objects.append(f"line {number}")
    report.read += len(bad) + len(not_objects)
    report.drop("JSON Lines: lines that are not valid JSON", len(bad), bad)
    report.drop("JSON Lines: lines that are not JSON objects", len(not_objects), not_objects)
    return pd.DataFrame.from_records(records)


def iter_json_lines_chunks(path: Path, size: int, report: LoadReport):
    """Frames of ``size`` lines of a JSON Lines file (as :func:`json_lines_frame`), streamed."""
    sample, complete = _read_bytes(path, SAMPLE_BYTES)
    try:
        encoding, by_mark = detect_encoding(sample, complete=complete)
    except NotTextError as error:
        raise CorpusError(f"{report.source!r} is not a JSON Lines file ({error}).") from error
    with _open_decompressed(path) as raw:
        handle = io.TextIOWrapper(raw, encoding=_pandas_encoding(encoding, by_mark),
                                  errors="replace", newline="")
        lines, first = [], 1
        for line in handle:
            lines.append(line.lstrip("\ufeff") if first == 1 and not lines else line)
            if len(lines) == size:
                frame = json_lines_frame(lines, report, first)
                if len(frame):  # a chunk of blank or dropped lines has nothing to tidy
                    yield frame
                first += len(lines)
                lines = []
        frame = json_lines_frame(lines, report, first)
        if len(frame):
            yield frame


def read_table(path: Path, fmt: str, label: str, report: LoadReport, *, sep=None,
               encoding=None, orient=None) -> pd.DataFrame:
    """The whole table as read (before column recognition)."""
    if fmt == "parquet":
        return read_parquet_table(path, label)
    if fmt in ("json", "jsonl"):
        return read_json_table(path, label, report, orient)
    options = csv_read_options(path, fmt, report, sep, encoding)
    try:
        frame = pd.read_csv(path, **options)
    except (ValueError, pd.errors.ParserError, csv.Error, UnicodeError) as error:
        raise CorpusError(
            f"Could not read {label!r} as {fmt} (separator {options['sep']!r}, encoding "
            f"{options['encoding']}): {error}. Pass sep= or encoding= if the guess is wrong."
        ) from error
    check_no_implicit_index(frame, report.source, options["sep"])
    _warn_repeated_header(path, options, report)
    return frame


def check_no_implicit_index(frame: pd.DataFrame, label: str, sep: str) -> None:
    """Refuse a CSV whose first rows have one field more than its header: pandas then takes
    the first column for an index and every column slides one place (silently)."""
    if isinstance(frame.index, pd.RangeIndex):
        return
    raise CorpusError(
        f"{label!r}: its first rows have one field more than the header, so the columns would "
        f"shift by one (a {sep!r} inside unquoted text?). Quote the text fields, or pass sep= "
        "with the right separator.")


def _warn_repeated_header(path: Path, options: dict, report: LoadReport) -> None:
    """Count CSV columns sharing a name (pandas renames the later ones ``name.1``...)."""
    sample, _ = _read_bytes(path, 1 << 16)
    encoding = "utf-8" if options["encoding"] == "utf-8-sig" else options["encoding"]
    first = sample.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[:1]
    header = next(csv.reader(first, delimiter=options["sep"]), [])
    repeated = sorted({name for name in header if header.count(name) > 1})
    report.warn("columns sharing a name (the later ones renamed name.1, name.2 ...; the "
                "first is used)", len(repeated), repeated)


def recognise_columns(found: list[str], explicit: dict[str, str]) -> dict[str, str]:
    """Map core columns to input columns: explicit mapping first, then known names."""
    unknown = set(explicit) - set(MAPPABLE_COLUMNS)
    if unknown:
        raise CorpusError(
            f"columns= names {sorted(unknown)}, which are not core columns; use some of "
            f"{list(MAPPABLE_COLUMNS)}."
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


def _kind_of(value) -> str | None:
    """Why a cell cannot be article text (``None``: it can)."""
    if isinstance(value, bool | numbers.Number):
        return "a number"
    if isinstance(value, list | tuple | dict | set) or hasattr(value, "__array__"):
        return "a list or mapping"
    return f"a {type(value).__name__}"


def is_missing(value) -> bool:
    """A missing cell: ``None``, NaN, ``pd.NA`` or NaT."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def coerce_text(values: pd.Series, ids: pd.Series, report: LoadReport, what: str
                ) -> tuple[pd.Series, pd.Series]:
    """Cells of a text column as Python strings; returns ``(texts, refused)`` where
    ``refused`` holds, per row, why the cell is not text (``None`` where it is). Missing cells
    and missing-value markers become empty strings (counted)."""
    texts, refused = [], []
    markers = []
    for value, doc_id in zip(values.tolist(), ids.tolist(), strict=True):
        reason = None
        if is_missing(value):
            text = ""
        elif isinstance(value, str):
            text = value
            if value.strip().lower() in MISSING_MARKERS:
                text = ""
                markers.append(doc_id)
        elif isinstance(value, bytes):
            try:
                text = decode_bytes(value).text
            except NotTextError:
                text, reason = "", "bytes that are not text"
        else:
            text, reason = "", _kind_of(value)
        texts.append(text)
        refused.append(reason)
    report.warn(f"{what}: missing-value markers ('NA', 'null', ...) read as missing",
                len(markers), markers)
    return (pd.Series(texts, index=values.index, dtype=object),
            pd.Series(refused, index=values.index, dtype=object))


def _unique_ids(ids: pd.Series) -> bool:
    as_text = ids.astype("string")
    return bool(as_text.notna().all() and as_text.str.strip().ne("").all() and as_text.is_unique)


def _convert_html(texts: pd.Series, ids: pd.Series, report: LoadReport,
                  count: bool = True) -> pd.Series:
    marked = texts.map(looks_like_html)
    if not marked.any():
        return texts
    converted = texts.copy()
    converted[marked] = texts[marked].map(html_to_text)
    if count:
        report.warn("HTML converted to plain text", int(marked.sum()), ids[marked].head(3))
    return converted


def tidy_table(
    raw: pd.DataFrame, report: LoadReport, explicit: dict[str, str] | None = None,
    fix_text: bool = True, boilerplate=(), first_row: int = 0, *,
    row_number_ids: bool | None = None, check_text_column: bool = True,
) -> pd.DataFrame:
    """The table part of :func:`utils.corpus.load_corpus` on an already-read table (or one
    chunk of it).

    Recognises the columns, checks and coerces the text column (refused rows are dropped and
    counted), converts HTML, repairs text and strips trailing boilerplate, counting into
    ``report`` (``report.read`` grows by the rows of ``raw``). Without a unique id column,
    ``doc_id`` is the row number counted from ``first_row`` (the chunk's offset in the whole
    table). Empty and duplicate texts are not dropped here (:func:`finish_frame` does it).

    For one chunk of a larger table the caller decides over the whole table:
    ``row_number_ids`` (``None``: decided from ``raw``'s ids, as described) whether ``doc_id``
    is the row number, then counting the warning once itself; ``check_text_column=False``
    leaves the check that the text column holds text at all to the caller.
    """
    explicit = explicit or {}
    label = report.source
    if raw.shape == (0, 0):
        details = f"\n{report}" if report.dropped else ""
        raise CorpusError(f"{label!r} holds no articles (an empty table).{details}")
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
        if len(found) == 1 and any(s in found[0] for s in (";", "\t", "|", ",")):
            hint = (" The whole header was read as one column: pass sep= with the table's "
                    "separator.")
        raise CorpusError(
            f"{label!r} has no recognisable text column. Columns found: {found}. Known text "
            f"column names: {list(COLUMN_CANDIDATES['text'])}. Pass columns={{'text': "
            f"'<column>'}} to name it.{hint}"
        )
    report.column_mapping = {k: mapping[k] for k in MAPPABLE_COLUMNS if k in mapping}
    frame = pd.DataFrame(index=raw.index)
    for core in MAPPABLE_COLUMNS:
        if core in mapping:
            frame[core] = raw[mapping[core]]
    extras = [c for c in found if c not in set(mapping.values()) and c not in CORE_COLUMNS]
    for column in extras:
        frame[column] = raw[column]
    if "language" in found and "language" not in mapping.values():
        frame["input_language"] = raw["language"]
    if "doc_id" not in frame or (not _unique_ids(frame["doc_id"]) if row_number_ids is None
                                 else row_number_ids):
        if "doc_id" in frame:
            if row_number_ids is None:
                report.warn(f"ids in column {mapping['doc_id']!r} not unique; doc_id is the "
                            "row number")
            frame[f"original_{mapping['doc_id']}"] = frame["doc_id"]
            del report.column_mapping["doc_id"]
        frame["doc_id"] = [str(i) for i in range(first_row, first_row + len(frame))]
    frame["doc_id"] = frame["doc_id"].astype(str)
    text, refused = coerce_text(frame["text"], frame["doc_id"], report, "text")
    frame["text"] = text
    for reason, rows in refused.dropna().groupby(refused.dropna()):
        report.drop(f"text is {reason}, not article text", len(rows),
                    frame.loc[rows.index, "doc_id"].head(3))
    if check_text_column:
        _refuse_non_text_column(frame["text"][refused.isna()], mapping["text"], label)
    frame = frame[refused.isna()]
    if "title" in frame:
        title, bad_title = coerce_text(frame["title"], frame["doc_id"], report, "title")
        report.warn("title: not text (set to missing)", int(bad_title.notna().sum()),
                    frame.loc[bad_title.notna(), "doc_id"].head(3))
        frame["title"] = title.where(bad_title.isna(), "")
    if fix_text:
        frame["text"] = _convert_html(frame["text"], frame["doc_id"], report)
        frame["text"] = _repair_series(frame["text"], report, ids=frame["doc_id"])
        if "title" in frame:
            frame["title"] = _convert_html(frame["title"], frame["doc_id"], report, False)
            frame["title"] = _repair_series(frame["title"], report, count=False)
    if fix_text and boilerplate is not None:
        stripped = [strip_trailing_boilerplate(text, boilerplate) for text in frame["text"]]
        frame["text"] = [text for text, _ in stripped]
        where = [doc_id for doc_id, (_, n) in zip(frame["doc_id"], stripped, strict=True) if n]
        report.warn("trailing boilerplate lines removed", sum(n for _, n in stripped),
                    where[:3])
    return frame.reset_index(drop=True)


def _refuse_non_text_column(texts: pd.Series, column: str, label: str) -> None:
    """Stop the load when the column mapped as text holds no article text at all."""
    filled = texts[texts.str.strip().ne("")]
    if len(filled) < 5:
        return
    share = filled.map(has_letters).mean()
    if share < MIN_TEXT_SHARE:
        examples = ", ".join(repr(v[:20]) for v in filled.head(3))
        raise CorpusError(
            f"The column {column!r} of {label!r}, read as the article text, holds no text "
            f"({share:.0%} of its filled rows have letters; e.g. {examples}). Name the column "
            "holding the articles with columns={'text': ...}.")


def _repair_series(values: pd.Series, report: LoadReport, count: bool = True,
                   ids: pd.Series | None = None) -> pd.Series:
    """Texts repaired by :func:`repair_text`, counted (``ids`` name a few in the report)."""
    repaired = values.map(repair_text)
    if count:
        changed = (repaired != values).to_numpy()
        examples = ids[changed].head(3).tolist() if ids is not None else ()
        report.warn("texts repaired by ftfy (mojibake, entities, line endings)",
                    int(changed.sum()), examples)
    return repaired
