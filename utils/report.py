"""The report folder of the main job: data tables, figures and a summary of the corpus.

- :func:`write_tables` saves the per-article results of :func:`utils.pipeline.analyse_corpus`
  as Parquet and CSV (``data/articles.*``, ``data/sentences.*``, ``data/attributions.*``,
  ``data/terms.*``, ``data/failures.*``), for pandas, DuckDB or a spreadsheet.
- :func:`extract_figures` copies every PNG figure of an executed notebook to ``figures/``.
- :func:`summary_lines` writes the headline findings in plain sentences, computed from the
  tables (so the same numbers as the notebooks).
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


def summary_lines(results, corpus_label: str, group_by: str | None = None,
                  top_speakers: int = 5) -> list[str]:
    """Headline findings of a run as plain sentences (each a list item in the index)."""
    articles, attributions = results.articles, results.attributions
    lines = []
    n = len(articles)
    words = int(articles["words"].sum())
    sources = articles["source"].dropna().nunique() if "source" in articles else 0
    line = f"{corpus_label}: {n:,} articles, {words:,} words"
    if sources:
        line += f", {sources} source{'s' if sources != 1 else ''}"
    dates = pd.to_datetime(articles.get("date"), errors="coerce").dropna()
    if not dates.empty:
        line += f", dated {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
    labels = articles["label"].dropna().value_counts() if "label" in articles else pd.Series()
    if not labels.empty:
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(labels.items()))
        line += f"; labels: {parts}"
    lines.append(line + ".")
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
    if len(results.failures):
        lines.append(f"{len(results.failures)} article step(s) failed; see Failures below.")
    return lines
