"""Display helpers for source attribution: highlighted HTML and matplotlib charts.

Every chart has a title and labelled axes, draws nothing (a "no data" note instead) when its
table is empty, and is deterministic (fixed colours in sorted order, a circular layout for the
co-citation network), so stored notebook outputs compare equal between runs.
"""

from __future__ import annotations

import html
import math

import matplotlib.pyplot as plt
import pandas as pd

#: Colours given to speakers in order of first appearance (light, so text stays readable).
SPEAKER_COLOURS = (
    "#fde68a", "#bfdbfe", "#bbf7d0", "#fecaca", "#ddd6fe", "#fed7aa", "#a5f3fc", "#f5d0fe",
    "#d9f99d", "#e5e7eb",
)  # fmt: skip
_NO_SPEAKER = "#e5e7eb"


def speaker_colours(attributions: pd.DataFrame) -> dict[str, str]:
    """A colour per speaker (empty speakers share grey), in order of first appearance."""
    colours: dict[str, str] = {}
    for speaker in attributions.get("speaker", pd.Series([], dtype="str")):
        if speaker and speaker not in colours:
            colours[speaker] = SPEAKER_COLOURS[len(colours) % len(SPEAKER_COLOURS)]
    return colours


def highlight_attributions(text: str, attributions: pd.DataFrame) -> str:
    """The text as HTML with each attribution highlighted.

    Contents are shaded in their speaker's colour (hover shows speaker, kind and source type),
    sources are bold and cues underlined; paragraphs are kept. A legend of speakers follows.
    Overlapping spans are drawn with cue over source over content.
    """
    text = text if isinstance(text, str) else ""
    size = len(text)
    role = [None] * size  # (priority, style, title) per character
    colours = speaker_colours(attributions)

    def mark(start: int, end: int, priority: int, style: str, title: str) -> None:
        for i in range(max(0, start), min(size, end)):
            if role[i] is None or role[i][0] < priority:
                role[i] = (priority, style, title)

    for row in attributions.itertuples():
        speaker = row.speaker or "(unresolved)"
        colour = colours.get(row.speaker, _NO_SPEAKER)
        title = html.escape(f"{speaker} · {row.kind} · {row.source_type}", quote=True)
        pieces = getattr(row, "content_spans", None) or [(row.content_start, row.content_end)]
        for start, end in pieces:
            mark(start, end, 1, f"background:{colour}", title)
        mark(row.source_start, row.source_end, 2, f"background:{colour};font-weight:bold", title)
        mark(row.cue_start, row.cue_end, 3, f"background:{colour};text-decoration:underline", title)
    out = []
    i = 0
    while i < size:
        j = i
        while j < size and role[j] == role[i]:
            j += 1
        chunk = html.escape(text[i:j]).replace("\n", "<br>")
        if role[i] is None:
            out.append(chunk)
        else:
            _, style, title = role[i]
            out.append(f'<span style="{style}" title="{title}">{chunk}</span>')
        i = j
    legend = " ".join(
        f'<span style="background:{colour};padding:0 4px">{html.escape(name)}</span>'
        for name, colour in colours.items()
    )
    return (
        '<div style="font-family:serif;line-height:1.5;max-width:60em">'
        + "".join(out)
        + f'</div><p style="font-size:90%">Speakers: {legend or "none"} · '
        "<b>bold</b>: source as written · <u>underlined</u>: cue</p>"
    )


def _empty(ax, title: str, xlabel: str, ylabel: str) -> plt.Axes:
    ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


def plot_most_cited(
    table: pd.DataFrame, ax: plt.Axes | None = None, title: str = "Most-cited sources"
) -> plt.Axes:
    """Horizontal bars of :func:`utils.attribution.most_cited_sources` (most cited on top)."""
    ax = ax or plt.subplots(figsize=(8, 0.35 * max(len(table), 4) + 1))[1]
    xlabel, ylabel = "attributions", "speaker (source type)"
    if table.empty:
        return _empty(ax, title, xlabel, ylabel)
    labels = [f"{s} ({t})" for s, t in zip(table["speaker"], table["source_type"], strict=True)]
    ax.barh(labels[::-1], table["attributions"].to_numpy()[::-1], color="#60a5fa")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


def plot_source_type_shares(
    table: pd.DataFrame, ax: plt.Axes | None = None, title: str = "Who is cited: source types"
) -> plt.Axes:
    """Bars of :func:`utils.attribution.source_type_shares` (share of all attributions)."""
    ax = ax or plt.subplots()[1]
    xlabel, ylabel = "source type", "share of attributions"
    if table.empty or table["attributions"].sum() == 0:
        return _empty(ax, title, xlabel, ylabel)
    ax.bar(table["source_type"], table["share"], color="#34d399")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, ylim=(0, 1))
    return ax


def plot_sourcing_by_group(
    table: pd.DataFrame, ax: plt.Axes | None = None, title: str = "Named vs anonymous sourcing"
) -> plt.Axes:
    """Stacked shares of named, anonymous and unattributed sourcing per group
    (:func:`utils.attribution.sourcing_by_group`); groups without attributions are skipped."""
    ax = ax or plt.subplots()[1]
    xlabel, ylabel = "share of the group's attributions", "group"
    table = table[table["attributions"] > 0]
    if table.empty:
        return _empty(ax, title, xlabel, ylabel)
    total = table["attributions"]
    left = pd.Series(0.0, index=table.index)
    for column, colour in (
        ("named", "#60a5fa"),
        ("anonymous", "#f87171"),
        ("unattributed", "#d1d5db"),
    ):
        share = table[column] / total
        ax.barh(table["group"], share, left=left, color=colour, label=column)
        left = left + share
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=(0, 1))
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_cocitation_network(
    edges: pd.DataFrame,
    ax: plt.Axes | None = None,
    max_nodes: int = 15,
    title: str = "Who is quoted together",
    weights: dict[str, int] | None = None,
) -> plt.Axes:
    """The co-citation network of :func:`utils.attribution.cocitation_edges`.

    The ``max_nodes`` speakers with most shared articles are placed on a circle (alphabetical,
    clockwise from the top); line width grows with the number of articles citing both.
    ``weights``: each speaker's shared articles over all its pairs, when ``edges`` holds only
    some pairs (:func:`utils.tables.sources.cocitation_network`); by default summed over
    ``edges``.
    """
    ax = ax or plt.subplots(figsize=(7, 7))[1]
    xlabel = "speakers on a circle; line width = articles citing both"
    ylabel = "speakers"
    if edges.empty:
        return _empty(ax, title, xlabel, ylabel)
    weight: dict[str, int] = {}
    for a, b, n in zip(edges["speaker_a"], edges["speaker_b"], edges["articles"], strict=True):
        weight[a] = weight.get(a, 0) + int(n)
        weight[b] = weight.get(b, 0) + int(n)
    if weights is not None:
        weight = {name: int(weights[name]) for name in weight}
    nodes = sorted(sorted(weight), key=lambda s: -weight[s])[:max_nodes]
    nodes = sorted(nodes)
    position = {
        name: (
            math.sin(2 * math.pi * i / len(nodes)),
            math.cos(2 * math.pi * i / len(nodes)),
        )
        for i, name in enumerate(nodes)
    }
    shown = edges[edges["speaker_a"].isin(position) & edges["speaker_b"].isin(position)]
    top = max(int(shown["articles"].max()), 1) if len(shown) else 1
    for a, b, n in zip(shown["speaker_a"], shown["speaker_b"], shown["articles"], strict=True):
        (x1, y1), (x2, y2) = position[a], position[b]
        ax.plot([x1, x2], [y1, y2], color="#94a3b8", linewidth=0.5 + 4 * int(n) / top, zorder=1)
    xs = [position[n][0] for n in nodes]
    ys = [position[n][1] for n in nodes]
    sizes = [40 + 260 * weight[n] / max(weight.values()) for n in nodes]
    ax.scatter(xs, ys, s=sizes, color="#f59e0b", zorder=2)
    for name, (x, y) in position.items():
        ax.annotate(
            name, (x, y), xytext=(6 * x, 6 * y), textcoords="offset points",
            ha="left" if x > 0.05 else "right" if x < -0.05 else "center",
            va="bottom" if y >= 0 else "top", fontsize="small",
        )  # fmt: skip
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel, xlim=(-1.6, 1.6), ylim=(-1.3, 1.3))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")
    return ax
