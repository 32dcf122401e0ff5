"""The load report: what a load read, kept, dropped and repaired, and why.

Every reason is counted, and every count keeps the names of a few of the files or rows it
concerns (:data:`EXAMPLES_PER_REASON`), so that "dropped 3: not a text file" says which three.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

#: Names of files or rows kept per reason in a :class:`LoadReport` (shown in its summary).
EXAMPLES_PER_REASON = 3


class CorpusError(ValueError):
    """A corpus that cannot be loaded; the message says why and what to do."""


@dataclass
class LoadReport:
    """What a load read, kept and dropped, and why. ``str(report)`` is a readable summary.

    ``dropped`` and ``warnings`` count articles (or files, for paths skipped in a folder) per
    reason; ``examples`` keeps up to :data:`EXAMPLES_PER_REASON` names per reason.
    """

    source: str
    format: str
    read: int = 0
    kept: int = 0
    dropped: Counter = field(default_factory=Counter)
    warnings: Counter = field(default_factory=Counter)
    column_mapping: dict[str, str] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def _note(self, reason: str, examples) -> None:
        examples = list(examples)
        if not examples:
            return
        kept = self.examples.setdefault(reason, [])
        for example in examples:
            if len(kept) >= EXAMPLES_PER_REASON:
                break
            example = str(example)
            if example not in kept:
                kept.append(example)

    def drop(self, reason: str, count: int = 1, examples=()) -> None:
        """Count ``count`` articles dropped for ``reason`` (``examples``: their names)."""
        if count:
            self.dropped[reason] += count
            self._note(reason, examples)

    def warn(self, reason: str, count: int = 1, examples=()) -> None:
        """Count ``count`` articles kept with a warning for ``reason``."""
        if count:
            self.warnings[reason] += count
            self._note(reason, examples)

    def merge(self, other: LoadReport) -> None:
        """Add the drops, warnings and examples of ``other`` (a chunk of the same corpus)."""
        for reason, n in other.dropped.items():
            self.drop(reason, n, other.examples.get(reason, ()))
        for reason, n in other.warnings.items():
            self.warn(reason, n, other.examples.get(reason, ()))
        if not self.column_mapping and other.column_mapping:
            self.column_mapping = dict(other.column_mapping)

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())

    def as_frame(self) -> pd.DataFrame:
        """The report as a table (what, count, examples), for display in a notebook."""
        rows = [("read", self.read, ""), ("kept", self.kept, "")]
        for prefix, counts in (("dropped", self.dropped), ("warning", self.warnings)):
            rows += [(f"{prefix}: {reason}", n, ", ".join(self.examples.get(reason, ())))
                     for reason, n in sorted(counts.items())]
        return pd.DataFrame(rows, columns=["what", "articles", "examples"])

    def as_dict(self) -> dict:
        """A JSON-ready copy (for manifests); :meth:`from_dict` reads it back."""
        return {"source": self.source, "format": self.format, "read": self.read,
                "kept": self.kept, "dropped": dict(self.dropped),
                "warnings": dict(self.warnings), "column_mapping": dict(self.column_mapping),
                "examples": {k: list(v) for k, v in self.examples.items()}}

    @classmethod
    def from_dict(cls, data: dict) -> LoadReport:
        return cls(source=data["source"], format=data["format"], read=data["read"],
                   kept=data["kept"], dropped=Counter(data["dropped"]),
                   warnings=Counter(data["warnings"]),
                   column_mapping=dict(data["column_mapping"]),
                   examples={k: list(v) for k, v in data.get("examples", {}).items()})

    def _line(self, kind: str, reason: str, n: int) -> str:
        line = f"  {kind} {n}: {reason}"
        names = self.examples.get(reason)
        if names:
            more = ", ..." if n > len(names) else ""
            line += f" (e.g. {', '.join(names)}{more})"
        return line

    def __str__(self) -> str:
        lines = [
            f"Loaded {self.source} ({self.format}): read {self.read}, kept {self.kept}, "
            f"dropped {self.dropped_total}"
        ]
        lines += [self._line("dropped", r, n) for r, n in sorted(self.dropped.items())]
        lines += [self._line("warning", r, n) for r, n in sorted(self.warnings.items())]
        if self.column_mapping:
            mapped = ", ".join(f"{k} <- {v}" for k, v in self.column_mapping.items())
            lines.append(f"  columns: {mapped}")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython display
        printer.text(str(self))


def load_report(frame: pd.DataFrame) -> LoadReport:
    """The :class:`LoadReport` of a frame returned by :func:`utils.corpus.load_corpus`."""
    try:
        return frame.attrs["load_report"]
    except KeyError:
        raise CorpusError(
            "This frame carries no load report; was it made by load_corpus?"
        ) from None
