"""Set-up shared by every notebook: deterministic display and plotting defaults.

Call :func:`setup_notebook` in a notebook's first code cell. It fixes what would otherwise make
stored outputs differ between machines or runs (nbval compares them): pandas display precision
and width, matplotlib figure size and DPI, and the NLTK data path (the project's own directory
only, see :mod:`utils.resources`; set when NLTK is first imported). It also disables tqdm
progress bars, which would otherwise be written to stderr inside stored outputs, and has each
figure drawn once per cell instead of twice (:func:`draw_figures_once`).
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
    draw_figures_once()


def draw_figures_once() -> bool:
    """In an IPython kernel with the inline backend, disconnect pyplot's own end-of-cell hook,
    which draws every changed figure on a canvas nobody sees just before the inline backend
    draws it again into the PNG it displays (a third of the plotting time of a cell: 0.1 to
    0.3 s per figure). The backend is resolved first, because pyplot connects its hook only
    then (at the first figure otherwise). Returns whether the hook was disconnected; outside
    such a kernel nothing changes."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    if get_ipython() is None:
        return False
    import matplotlib
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    if "inline" not in backend:
        return False
    plt.switch_backend(backend)  # connects pyplot's hook now (and the inline backend's)
    plt.uninstall_repl_displayhook()  # the inline backend still shows every figure
    return True
