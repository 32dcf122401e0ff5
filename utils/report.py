"""The report folder of the main job: data tables, figures and a summary of the corpus.

- :func:`write_tables` saves the per-article results of :func:`utils.pipeline.analyse_corpus`
  as Parquet and CSV (``data/articles.*``, ``data/sentences.*``, ``data/attributions.*``,
  ``data/terms.*``, ``data/failures.*``), for pandas, DuckDB or a spreadsheet.
- :func:`extract_figures` copies every PNG figure of an executed notebook to ``figures/``.
- :func:`summary_lines` writes the headline findings in plain sentences, computed from the
  tables (so the same numbers as the notebooks). Articles the pipeline did not analyse (not
  English: ``analysed`` is false) are counted, with their languages, and left out of the
  figures; with no article analysed there are no tone, sourcing or group figures.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pandas as pd


def write_tables(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write each table as ``<name>.parquet`` and ``<name>.csv``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        parquet = folder / f"{name}.parquet"
        table.to_parquet(parquet, index=False)
        csv_table = table.copy()
        for column in csv_table.columns:  # lists (content pieces) as JSON text in the CSV
            if csv_table[column].map(lambda v: isinstance(v, list | tuple)).any():
                csv_table[column] = csv_table[column].map(
                    lambda v: json.dumps([list(p) for p in v]) if isinstance(v, list | tuple)
                    else v)
        csv = folder / f"{name}.csv"
        csv_table.to_csv(csv, index=False)
        written += [parquet, csv]
    return written


def extract_figures(notebook_path: Path, folder: Path) -> list[Path]:
    """Save the PNG outputs of an executed notebook as ``<notebook>_<n>.png`` in ``folder``."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                target = folder / f"{Path(notebook_path).stem}_{len(written) + 1:02d}.png"
                target.write_bytes(base64.b64decode(data["image/png"]))
                written.append(target)
    return written


def _fmt(value: float, digits: int = 3) -> str:
    return f"{value:+.{digits}f}" if pd.notna(value) else "n/a"


def not_analysed_line(articles: pd.DataFrame) -> str | None:
    """How many articles were not analysed and in which languages ("30 articles not
    analysed: not English (fr 30)"), or ``None`` when every article was."""
    if "analysed" not in articles:
        return None
    skipped = articles[~articles["analysed"].astype(bool)]
    if skipped.empty:
        return None
    languages = (skipped["language"].astype("string").fillna("unknown")
                 if "language" in skipped else pd.Series(["unknown"] * len(skipped)))
    counts = languages.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    parts = ", ".join(f"{code} {count:,}" for code, count in counts.items())
    n = len(skipped)
    line = f"{n:,} article{'s' if n != 1 else ''} not analysed: not English ({parts})"
    if n == len(articles):
        return line + "; no word counts, tone or sourcing figures."
    return line + f"; the figures are of the other {len(articles) - n:,}."


def summary_lines(results, corpus_label: str, group_by: str | None = None,
                  top_speakers: int = 5) -> list[str]:
    """Headline findings of a run as plain sentences (each a list item in the index)."""
    everything, attributions = results.articles, results.attributions
    lines = []
    n = len(everything)
    skipped = not_analysed_line(everything)
    articles = (everything[everything["analysed"].astype(bool)] if "analysed" in everything
                else everything)  # the articles the figures are computed from
    words = int(articles["words"].sum())
    sources = everything["source"].dropna().nunique() if "source" in everything else 0
    line = f"{corpus_label}: {n:,} articles"
    if len(articles) == n:
        line += f", {words:,} words"
    elif len(articles):
        line += f", {words:,} words in the {len(articles):,} analysed"
    if sources:
        line += f", {sources} source{'s' if sources != 1 else ''}"
    dates = (pd.to_datetime(everything["date"], errors="coerce").dropna()
             if "date" in everything else pd.Series([], dtype="datetime64[ns]"))
    if not dates.empty:
        line += f", dated {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
    labels = (everything["label"].dropna().value_counts() if "label" in everything
              else pd.Series())
    if not labels.empty:
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(labels.items()))
        line += f"; labels: {parts}"
    lines.append(line + ".")
    if skipped:
        lines.append(skipped)
    if not articles.empty:  # with nothing analysed there is no figure to give
        lines += _figure_lines(articles, attributions, words, group_by, top_speakers)
    if len(results.failures):
        lines.append(f"{len(results.failures)} article step(s) failed; see Failures below.")
    return lines


def _figure_lines(articles, attributions, words: int, group_by: str | None,
                  top_speakers: int) -> list[str]:
    """Tone, sourcing and group lines of :func:`summary_lines` (analysed articles only)."""
    lines = []
    scores = articles["mean_compound"].dropna()
    if not scores.empty:
        lines.append(
            f"Tone: mean article sentiment (mean of sentence VADER compounds) {_fmt(scores.mean())}"
            f"; {(scores <= -0.05).mean():.0%} of articles lean negative, "
            f"{(scores >= 0.05).mean():.0%} positive."
        )
    if len(attributions):
        per_1000 = len(attributions) * 1000 / max(words, 1)
        direct = (attributions["kind"] == "direct").mean()
        anonymous = (attributions["source_type"] == "anonymous").mean()
        speakers = attributions.loc[attributions["speaker"].astype(str).str.len() > 0, "speaker"]
        top = speakers.value_counts().sort_index().sort_values(ascending=False, kind="stable")
        named = ", ".join(f"{name} ({count})" for name, count in top.head(top_speakers).items())
        lines.append(
            f"Sources: {len(attributions):,} attributions ({per_1000:.1f} per 1,000 words); "
            f"{direct:.0%} direct quotes, {anonymous:.0%} anonymous"
            + (f"; most cited: {named}." if named else ".")
        )
    else:
        lines.append("Sources: no attribution found.")
    if group_by and group_by in articles:
        grouped = articles.dropna(subset=[group_by]).groupby(group_by)
        tone = grouped["mean_compound"].mean().dropna()
        sourcing = grouped["attributions"].sum() * 1000 / grouped["words"].sum().clip(lower=1)
        if len(tone) >= 2:
            low, high = tone.idxmin(), tone.idxmax()
            lines.append(
                f"By {group_by}: tone ranges from {low} ({_fmt(tone[low])}) to {high} "
                f"({_fmt(tone[high])}); attributions per 1,000 words from "
                f"{sourcing.idxmin()} ({sourcing.min():.1f}) to {sourcing.idxmax()} "
                f"({sourcing.max():.1f})."
            )
    return lines
