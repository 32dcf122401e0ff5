"""Execute notebooks in place so their stored outputs are current (what nbval then checks).

Usage: python scripts/execute_notebooks.py [NOTEBOOK ...]   (default: every notebooks/*.ipynb)

Cells run top to bottom in a fresh ``python3`` kernel whose working directory is the notebook's
folder; no timing metadata is recorded, so re-executing an unchanged notebook leaves the file
unchanged. Fails (exit 1) if a cell raises.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from utils.kernels import papermill_kernel_options

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def execute_in_place(path: Path, timeout: int = 1800) -> None:
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        **papermill_kernel_options(),  # encrypted kernel transport: no TCP warning
    )
    client.execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
    for path in targets:
        print(f"executing {path.name}", flush=True)
        execute_in_place(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
