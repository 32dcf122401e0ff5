"""Notebook kernels started by the main job run with encrypted transport and print no
"running over TCP without encryption" warning (utils.kernels)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest

from utils import paths
from utils.kernels import TRANSPORT_ENCRYPTION, kernel_config, papermill_kernel_options

WARNING = "without encryption"

# One notebook executed as utils.analyze.run_analysis executes each notebook (same papermill
# call, kernel, working folder and options), in a child process so the kernel's own stderr,
# which it inherits, is captured whole.
EXECUTE = textwrap.dedent("""
    import json, sys
    import papermill
    from utils import paths
    from utils.kernels import papermill_kernel_options
    options = papermill_kernel_options() if json.loads(sys.argv[3]) else {}
    papermill.execute_notebook(
        sys.argv[1], sys.argv[2], parameters={"CORPUS": "seed"}, kernel_name="python3",
        cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False, log_output=False, **options,
    )
""")


def _probe_notebook(path, probe_code: str) -> None:
    """Write a notebook of a ``parameters`` cell (``CORPUS``) and one probe cell to ``path``."""
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('CORPUS = "nyt-editorials"')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(probe_code)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path)


def _execute(tmp_path, with_options: bool) -> tuple[subprocess.CompletedProcess, str]:
    source, executed = tmp_path / "probe.ipynb", tmp_path / f"executed-{with_options}.ipynb"
    _probe_notebook(source, "from ipykernel.kernelapp import IPKernelApp\n"
                    "print('encrypted:', IPKernelApp.instance().curve_secretkey is not None, "
                    "CORPUS)")
    result = subprocess.run(
        [sys.executable, "-c", EXECUTE, str(source), str(executed), json.dumps(with_options)],
        capture_output=True, text=True, timeout=180, cwd=paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    output = nbformat.read(executed, as_version=4).cells[-1].outputs[0]["text"]
    return result, output


def test_kernel_config_asks_only_for_transport_encryption():
    import zmq

    if not zmq.has("curve"):
        pytest.skip("this pyzmq has no CurveZMQ (libzmq without libsodium)")
    assert kernel_config() == {"KernelManager": {"transport_encryption": TRANSPORT_ENCRYPTION}}
    assert TRANSPORT_ENCRYPTION == "auto"  # an unsupported kernelspec still starts
    assert set(papermill_kernel_options()) == {"config", "kernel_manager_class", "shutdown_kernel"}
    assert papermill_kernel_options()["shutdown_kernel"] == "immediate"  # outputs all in hand


def test_kernel_config_is_empty_without_curve(monkeypatch):
    import zmq

    monkeypatch.setattr(zmq, "has", lambda capability: False)
    assert kernel_config() == {}


def test_notebook_execution_prints_no_unencrypted_transport_warning(tmp_path):
    result, output = _execute(tmp_path, with_options=True)
    assert WARNING not in result.stderr, result.stderr[-2000:]
    assert output.strip() == "encrypted: True seed"  # encrypted, not silenced; parameters in


def test_without_the_options_the_kernel_warns(tmp_path):
    """The warning the options remove is the one ipykernel prints (the test above can fail)."""
    result, output = _execute(tmp_path, with_options=False)
    assert WARNING in result.stderr, (
        "ipykernel no longer warns about unencrypted TCP kernels; utils.kernels may be "
        f"unneeded. stderr: {result.stderr[-1000:]}")
    assert output.strip() == "encrypted: False seed"


def test_a_kernel_being_shut_down_is_not_interrupted(monkeypatch):
    import asyncio

    from utils.kernels import QuietShutdownKernelManager, papermill_kernel_options

    assert papermill_kernel_options()["kernel_manager_class"] is QuietShutdownKernelManager
    manager = QuietShutdownKernelManager(kernel_name="python3")
    sent = []

    async def record(self):
        sent.append("interrupt")

    from jupyter_client.manager import AsyncKernelManager

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", record)
    manager.shutting_down = True
    asyncio.run(manager._async_interrupt_kernel())
    assert sent == []
    manager.shutting_down = False  # an interrupt asked for at any other time still goes
    asyncio.run(manager._async_interrupt_kernel())
    assert sent == ["interrupt"]


# ---------------------------------------------------------------------------------------------
# kernels started ahead of their notebooks (utils.kernels.KernelPool)

POOLED = textwrap.dedent("""
    import json, os, sys
    import papermill
    from utils import paths
    from utils.kernels import KernelPool
    # a kernel per notebook: the one started second imports what the probe notebook needs
    pool = KernelPool(2, paths.NOTEBOOKS_DIR, {"other.ipynb": ["json"],
                                               "probe.ipynb": ["json", "colorsys"]})
    pool._thread.join()  # both kernels ready before the notebook asks
    pids = []
    options = pool.options("probe.ipynb")
    manager = options["kernel_manager_class"]()
    pids.append(manager.provisioner.process.pid)
    papermill.execute_notebook(
        sys.argv[1], sys.argv[2], parameters={"CORPUS": "seed"}, kernel_name="python3",
        cwd=str(paths.NOTEBOOKS_DIR), progress_bar=False, log_output=False, **options)
    left = pool.take()
    pids.append(left.provisioner.process.pid)
    pool.put_back(left)
    pool.close()
    print(json.dumps(pids))
""")


def test_a_pooled_kernel_runs_the_notebook_and_every_kernel_is_shut_down(tmp_path):
    import psutil

    source, executed = tmp_path / "probe.ipynb", tmp_path / "executed.ipynb"
    _probe_notebook(source, "import os, sys\n"
                    "print(CORPUS, 'colorsys' in sys.modules, 'colorsys' in dir(), os.getpid())")
    result = subprocess.run([sys.executable, "-c", POOLED, str(source), str(executed)],
                            capture_output=True, text=True, timeout=240, cwd=paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert WARNING not in result.stderr and "KeyboardInterrupt" not in result.stderr
    handed, unused = json.loads(result.stdout.strip().splitlines()[-1])
    cell = nbformat.read(executed, as_version=4).cells[-1]
    corpus, imported, bound, pid = cell.outputs[0]["text"].split()
    # the notebook ran on the kernel started ahead, which had imported the modules asked for
    # without binding their names in the notebook's namespace; its cells are counted from 1
    # (parameters, injected parameters, probe) as on a new kernel
    assert (corpus, imported, bound, int(pid)) == ("seed", "True", "False", handed)
    assert cell.execution_count == 3
    for process_id in (handed, unused):  # shut down: after the notebook, and by close()
        assert not psutil.pid_exists(process_id) or \
            psutil.Process(process_id).status() == psutil.STATUS_ZOMBIE


def test_notebook_modules_lists_what_the_notebooks_import():
    from utils.kernels import notebook_modules

    modules = notebook_modules(sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))
    assert {"utils.notebook", "utils.results", "IPython.display"} <= set(modules)
    assert modules == sorted(set(modules))


def test_notebook_modules_adds_the_libraries_a_module_imports_lazily(tmp_path):
    from utils.kernels import notebook_modules

    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": "from utils import frequencies as freq, paths"}]}))
    assert notebook_modules([notebook]) == ["nltk", "utils", "utils.frequencies"]
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": "from utils import paths"}]}))
    assert notebook_modules([notebook]) == ["utils"]


def test_notebook_modules_reads_list_and_text_sources(tmp_path):
    from utils.kernels import notebook_modules

    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["import textwrap\n", "from json import dumps\n"]},
        {"cell_type": "code", "source": "%matplotlib inline"},  # not Python: skipped
        {"cell_type": "markdown", "source": "import nothing"},
        {"cell_type": "code", "source": "from .relative import x\nimport a.b as c"},
    ]}))
    assert notebook_modules([notebook]) == ["a.b", "json", "textwrap"]


def test_skip_iri_format_checker_leaves_notebook_validation_working():
    code = (
        "import sys\n"
        "from utils.kernels import skip_iri_format_checker\n"
        "assert skip_iri_format_checker()\n"
        "import jsonschema, nbformat\n"
        "assert 'iri' not in jsonschema.FormatChecker().checkers\n"
        "nbformat.validate(nbformat.read(sys.argv[1], as_version=4))\n"
        "assert not skip_iri_format_checker()  # too late once jsonschema is imported\n"
        "print('ok')\n")
    notebook = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))[0]
    done = subprocess.run([sys.executable, "-c", code, str(notebook)], capture_output=True,
                          text=True, cwd=paths.PROJECT_ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_kernels_ahead_can_be_turned_off(monkeypatch):
    from utils.analyze import start_kernels

    monkeypatch.setenv("NEWS_KERNELS_AHEAD", "0")
    assert start_kernels(sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))) is None
    monkeypatch.delenv("NEWS_KERNELS_AHEAD")
    assert start_kernels([]) is None


def test_the_libraries_imported_ahead_exist():
    """A kernel's warm-up skips a module it cannot import: a misspelt name would only be slow."""
    import importlib

    from utils.kernels import LIBRARIES_AHEAD

    for name in LIBRARIES_AHEAD:
        assert importlib.import_module(name) is not None, name


def test_notebooks_start_longest_first_and_come_back_in_notebook_order(tmp_path, monkeypatch):
    from concurrent.futures import Future

    from utils import analyze

    notebooks = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
    started = []

    class Pool:
        def submit(self, function, notebook, *args):
            started.append(notebook.name[:2])
            future = Future()
            future.set_result(notebook.name)
            return future

    futures = analyze.start_notebooks(Pool(), notebooks, tmp_path, {})
    assert started == list(analyze.HEAVIEST_FIRST)
    assert [f.result() for f in futures] == [nb.name for nb in notebooks]
    assert sorted(analyze.HEAVIEST_FIRST) == [nb.name[:2] for nb in notebooks]
