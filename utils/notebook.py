"""Set-up shared by every notebook: deterministic display and plotting defaults.

Call :func:`setup_notebook` in a notebook's first code cell. It fixes what would otherwise make
stored outputs differ between machines or runs (nbval compares them): pandas display precision
and width, matplotlib figure size and DPI, and the NLTK data path (the project's own directory
only, see :mod:`utils.resources`; set when NLTK is first imported). It also disables tqdm
progress bars, which would otherwise be written to stderr inside stored outputs.
"""

from __future__ import annotations

import os


def setup_notebook(precision: int = 3) -> None:
    """Apply the collection's display, plotting and resource defaults (idempotent)."""
    import matplotlib as mpl
    import pandas as pd

    from utils.resources import use_project_nltk_data

    os.environ["TQDM_DISABLE"] = "1"
    pd.set_option("display.precision", precision)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.width", 120)
    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 80,
            "savefig.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.hashsalt": "news-corpus-toolkit",
        }
    )
    use_project_nltk_data(when_imported=True)  # NLTK itself imported only when used
