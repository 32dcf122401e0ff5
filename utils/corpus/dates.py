"""Publication dates, read by a stated rule and counted.

The rule, per date column:

- text is cleaned first (HTML entities decoded; cut at a control character: Reuters-21578
  dates carry ``&#5;`` markers after the time);
- **numeric day/month dates** (``03/04/2015``, ``15.03.2015``, ``3-4-15``) take one order for
  the whole column. ``dayfirst=True``/``False`` sets it. Left to the loader (``None``), the
  column's own evidence decides: a first number above 12 proves day-first, a second above 12
  month-first; with no evidence the order is month-first (pandas' and the US default) and the
  ambiguous dates are counted; with evidence both ways the majority wins and the dates that
  contradict it are set to NaT and counted. A date proven the other way is never silently
  swapped. A column read in chunks is decided by the votes of all its chunks
  (:func:`day_order_votes`, passed to :func:`parse_dates` as ``votes=``);
- **partial dates**: a month and year (``March 2015``, ``2015-03``) is the first of the month,
  counted; a year alone (``2015``) is not a date (NaT), counted, since it would put every such
  article in January;
- a date must name its year: a time alone (``12:30``), a word (``now``, ``today``) or a day
  and month (``March 3``) would get the year, or the day, of the run; they are NaT, counted;
- everything else is parsed by pandas (ISO 8601, RFC 2822, "March 3, 2015"...); what cannot
  be parsed is NaT, counted. Time zones are converted to UTC and dropped.
"""

from __future__ import annotations

import html
import re
import unicodedata
import warnings

import numpy as np
import pandas as pd

from utils.corpus.report import LoadReport

_NUMERIC_ENTITY = re.compile(r"&#(x[0-9a-f]+|\d+);", re.IGNORECASE)
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b(.*)$")
#: A year in a date that is not all numbers: four digits from 1000 to 2999, or an ISO basic
#: date (20150304).
_YEAR = r"(?<!\d)(?:1\d{3}|2\d{3})(?!\d)|(?<!\d)(?:1\d|2\d)\d{2}[01]\d[0-3]\d(?!\d)"
_YEAR_ONLY = re.compile(r"^\s*(1[5-9]|2[0-9])\d{2}\s*$")
_MONTH_YEAR = re.compile(
    r"^\s*((\d{4})[-/](0?[1-9]|1[0-2])|(0?[1-9]|1[0-2])[-/](\d{4})|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})\s*$",
    re.IGNORECASE,
)


def _control_entity_to_char(match: re.Match) -> str:
    digits = match.group(1)
    code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    return chr(code) if code < 32 else match.group(0)


def clean_date_text(value: str) -> str:
    """Unescape HTML entities and cut a date string at its first control character."""
    value = html.unescape(_NUMERIC_ENTITY.sub(_control_entity_to_char, str(value)))
    for index, char in enumerate(value):
        if unicodedata.category(char) == "Cc":
            value = value[:index]
            break
    return value.strip()


#: Formats tried, with the one pandas guesses from a column's first date, before reading the
#: dates one by one (``format="mixed"``: dateutil, about 0.15 ms a date): Reuters-21578's.
KNOWN_FORMATS = ("%d-%b-%Y %H:%M:%S.%f",)


def _unambiguous(date_format: str) -> bool:
    """Whether a format reads a date only one way: a four-digit year, and the month by name
    or year-month-day (a guess of ``%d/%m`` from a first date could misread the others)."""
    by_name = "%b" in date_format or "%B" in date_format
    return "%Y" in date_format and (by_name or date_format.startswith(("%Y-%m-%d", "%Y/%m/%d")))


def _column_format(values: pd.Series) -> str | None:
    """A format that reads the first date of ``values`` (:func:`_unambiguous`), or ``None``."""
    from pandas.tseries.api import guess_datetime_format

    present = values.dropna()
    if present.empty:
        return None
    first = str(present.iloc[0])
    for date_format in (guess_datetime_format(first), *KNOWN_FORMATS):
        if date_format and _unambiguous(date_format):
            try:
                pd.to_datetime(first, format=date_format, utc=True)
            except (ValueError, TypeError):
                continue
            return date_format
    return None


def _read_mixed(values: pd.Series) -> pd.Series:
    """``pd.to_datetime(values, format="mixed")``, with the dates that the column's format
    (:func:`_column_format`) reads read at once: the same dates, since such a format reads a
    date one way only, and dateutil reads the rest."""
    date_format = _column_format(values) if len(values) > 1 else None
    if date_format is None:
        return pd.to_datetime(values, errors="coerce", utc=True, format="mixed")
    parsed = pd.to_datetime(values, errors="coerce", utc=True, format=date_format)
    left = parsed.isna() & values.notna()
    if left.any():
        parsed[left] = pd.to_datetime(values[left], errors="coerce", utc=True, format="mixed")
    return parsed


def _to_datetime(values: pd.Series, **options) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # format inference warnings; failures are counted
        if options == {"format": "mixed"}:
            parsed = _read_mixed(values)
        else:
            parsed = pd.to_datetime(values, errors="coerce", utc=True, **options)
    parsed = parsed.dt.tz_localize(None)
    # outside what datetime64[ns] holds (years before 1677 or after 2262): not a date here
    in_range = parsed.isna() | ((parsed >= pd.Timestamp.min) & (parsed <= pd.Timestamp.max))
    return parsed.where(in_range).astype("datetime64[ns]")


def _examples(ids: pd.Series | None, mask: pd.Series, values: pd.Series) -> list[str]:
    rows = values[mask].head(3)
    if ids is None:
        return [repr(v) for v in rows]
    return [f"{ids[i]}: {v!r}" for i, v in rows.items()]


def _cleaned(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(text, present)``: the cleaned text of every date and whether it holds one."""
    as_text = values.astype("string").map(clean_date_text, na_action="ignore").astype("string")
    present = as_text.notna() & as_text.ne("")
    return as_text.where(present), present


def _numeric_dates(text: pd.Series) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The numeric day/month dates among ``text`` (their parts) and, for each, whether its
    first number proves day-first, or its second month-first."""
    numeric = text.str.extract(_DAY_MONTH).dropna(subset=[0])
    first, second = numeric[0].astype(int), numeric[1].astype(int)
    return numeric, (first > 12) & (second <= 12), (second > 12) & (first <= 12)


def day_order_votes(values: pd.Series) -> tuple[int, int]:
    """``(day_votes, month_votes)`` of a date column: its numeric day/month dates that prove
    day-first (a first number above 12) and month-first (a second above 12). Summed over the
    chunks of a column and passed to :func:`parse_dates` (``votes=``), they decide the order
    of every chunk as for the whole column."""
    text, present = _cleaned(values)
    # year-only and month-year dates, which parse_dates reads apart, never match _DAY_MONTH
    _, proves_day, proves_month = _numeric_dates(text[present])
    return int(proves_day.sum()), int(proves_month.sum())


def warn_mixed_order(report: LoadReport, day_votes: int, month_votes: int) -> None:
    """Count a date column whose dates prove both orders (once per column)."""
    if day_votes and month_votes:
        order = "day" if day_votes > month_votes else "month"
        how = "by majority" if day_votes != month_votes else "on a tie, the default"
        report.warn("date columns with both day-first and month-first dates "
                    f"(read {order}-first {how})", 1)


def parse_dates(values: pd.Series, report: LoadReport, dayfirst: bool | None = None,
                ids: pd.Series | None = None, votes: tuple[int, int] | None = None
                ) -> pd.Series:
    """Dates of a column as ``datetime64[ns]`` by the rule of the module docstring, counting
    into ``report`` (``ids``: the articles' ids, named in the report's examples).

    ``votes``: when ``values`` is one chunk of a column, the column's
    :func:`day_order_votes` (summed over all its chunks), which then decide the order (with
    ``dayfirst=None``) instead of the chunk's own dates; the once-per-column count of
    :func:`warn_mixed_order` is then left to the caller."""
    text, present = _cleaned(values)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if not present.any():
        return parsed

    year_only = present & text.str.fullmatch(_YEAR_ONLY.pattern).fillna(False).astype(bool)
    report.warn("dates with only a year (set to NaT: too coarse for a month)",
                int(year_only.sum()), _examples(ids, year_only, text))
    month_year = present & text.str.fullmatch(_MONTH_YEAR.pattern, flags=re.IGNORECASE) \
        .fillna(False).astype(bool)
    if month_year.any():
        report.warn("dates with no day (set to the 1st of the month)", int(month_year.sum()),
                    _examples(ids, month_year, text))
        parts = text[month_year].str.replace(r"^(\d{1,2})[-/](\d{4})$", r"\2-\1", regex=True)
        parsed[month_year] = _to_datetime(parts, format="mixed").to_numpy()

    numeric, proves_day, proves_month = _numeric_dates(text[present & ~year_only & ~month_year])
    if len(numeric):
        first, second = numeric[0].astype(int), numeric[1].astype(int)
        if dayfirst is None:
            day_votes, month_votes = votes if votes is not None else (
                int(proves_day.sum()), int(proves_month.sum()))
            order_dayfirst = day_votes > month_votes
            if day_votes or month_votes:
                order = "day" if order_dayfirst else "month"
                report.warn(f"numeric day/month dates read {order}-first, as the column's "
                            f"own dates show (pass dayfirst= to choose)", len(numeric))
            if votes is None:
                warn_mixed_order(report, day_votes, month_votes)
            if not day_votes and not month_votes:
                ambiguous = (first != second) & (first <= 12) & (second <= 12)
                report.warn("ambiguous day/month dates (read month-first; pass dayfirst=True "
                            "for day-first)", int(ambiguous.sum()),
                            _examples(ids, ambiguous.reindex(text.index, fill_value=False),
                                      text))
        else:
            order_dayfirst = bool(dayfirst)
        contradicting = proves_month if order_dayfirst else proves_day
        contra_mask = contradicting.reindex(text.index, fill_value=False)
        report.warn("dates contradicting the column's day/month order (set to NaT)",
                    int(contradicting.sum()), _examples(ids, contra_mask, text))
        day = np.where(order_dayfirst, numeric[0], numeric[1])
        month = np.where(order_dayfirst, numeric[1], numeric[0])
        century = numeric[2].map(lambda y: "19" if int(y) >= 69 else "20")  # as strptime %y
        year = numeric[2].where(numeric[2].str.len() == 4, century + numeric[2])
        rebuilt = pd.Series(year + "-" + pd.Series(month, index=numeric.index).str.zfill(2)
                            + "-" + pd.Series(day, index=numeric.index).str.zfill(2)
                            + numeric[3].fillna(""), index=numeric.index)
        rebuilt = rebuilt[~contradicting]
        parsed[rebuilt.index] = _to_datetime(rebuilt, format="mixed").to_numpy()
        handled = numeric.index
    else:
        handled = pd.Index([])

    rest = present & ~year_only & ~month_year & ~text.index.isin(handled)
    # a date names its year: without one a parser fills in today's (times such as "12:30",
    # words such as "now", "March 3"), and results would change with the day of the run
    no_year = rest & ~text.str.contains(_YEAR, regex=True).fillna(False).astype(bool)
    report.warn("dates without a year (set to NaT)", int(no_year.sum()),
                _examples(ids, no_year, text))
    rest &= ~no_year
    if rest.any():
        # numeric day/month dates were read above by the column's order; the rest (ISO 8601,
        # month names) must not get dayfirst, which would read 2020-06-05 as 5 June -> 6 May
        parsed[rest] = _to_datetime(text[rest], format="mixed").to_numpy()
    failed = present & ~year_only & ~no_year & parsed.isna()
    if len(numeric):
        failed &= ~text.index.isin(numeric.index[contradicting.to_numpy()])
    report.warn("dates that could not be parsed (set to NaT)", int(failed.sum()),
                _examples(ids, failed, text))
    return parsed
