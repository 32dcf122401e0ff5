"""Settings for the Jupyter kernels the main job starts to execute notebooks.

ipykernel 7.4 logs ``Kernel is running over TCP without encryption ...`` to the terminal for
every kernel started over TCP without CurveZMQ keys: once for each notebook papermill executes.
jupyter_client 8.10 can provision those keys itself (``KernelManager.transport_encryption``,
``"disabled"`` by default) for kernels whose kernelspec declares ``"supported_encryption":
["curve"]``, as ipykernel's ``python3`` kernelspec does. Turning that on encrypts the kernel's
sockets, so the kernel has nothing to warn about; nothing is filtered, every other kernel
message still shows.

jupyter_client also sends every kernel an interrupt (SIGINT) just before asking it to shut
down. When the kernel is still answering a message at that moment, ipykernel logs
``KeyboardInterrupt caught in kernel.`` on the terminal: a race, seen when two notebooks run
at once. A notebook
that ran to its end leaves nothing to interrupt, so :class:`QuietShutdownKernelManager` skips
that interrupt while shutting down (interrupts at any other time are unchanged).

Use::

    papermill.execute_notebook(..., **papermill_kernel_options())
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager


class QuietShutdownKernelManager(AsyncKernelManager):
    """nbclient's kernel manager without the interrupt it sends a kernel it is shutting down
    (module docstring); the shutdown itself (request, then SIGTERM and SIGKILL after
    ``shutdown_wait_time``) is unchanged."""

    async def _async_interrupt_kernel(self) -> None:
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

def skip_iri_format_checker() -> bool:
    """Leave out jsonschema's optional IRI format checker in this process; returns whether it
    was still time to (jsonschema not imported yet).

    nbformat validates notebooks with jsonschema, whose format checkers import the optional
    ``rfc3987-syntax`` package when it is installed (``jsonschema[format-nongpl]``, pulled in by
    the Jupyter packages); that package builds some 35 Earley parsers with Lark when it is
    imported: 1.1 s of CPU in a process that then checks no IRI (no notebook schema uses the
    ``iri`` formats; python-jsonschema/jsonschema issue 1428). The main job calls this first,
    so that its process, which reads, executes and renders notebooks, does not pay for it. A
    module set to ``None`` in ``sys.modules`` raises ``ImportError`` when imported, which
    jsonschema takes as "not installed"."""
    if "jsonschema" in sys.modules:
        return False
    sys.modules.setdefault("rfc3987_syntax", None)
    return True


#: ``KernelManager.transport_encryption`` the project asks for: ``"auto"`` provisions CurveZMQ
#: keys when the kernelspec declares support and starts an unencrypted kernel otherwise (which
#: then warns, truthfully); ``"required"`` would refuse such a kernel.
TRANSPORT_ENCRYPTION = "auto"


def kernel_config():
    """A traitlets ``Config`` for kernel managers: CurveZMQ transport encryption
    (:data:`TRANSPORT_ENCRYPTION`) when this pyzmq has CurveZMQ (libzmq built with libsodium, as
    pyzmq's wheels are); an empty ``Config`` otherwise (jupyter_client would refuse the setting,
    and the kernel's warning is then true)."""
    import zmq
    from traitlets.config import Config

    if not zmq.has("curve"):
        return Config()
    return Config({"KernelManager": {"transport_encryption": TRANSPORT_ENCRYPTION}})


def papermill_kernel_options() -> dict[str, Any]:
    """Keyword arguments for ``papermill.execute_notebook`` (handed on to nbclient's
    ``NotebookClient``, which gives its ``config`` to the kernel manager it creates) so the
    kernel runs with encrypted transport and prints no unencrypted-TCP warning, and is shut
    down without an interrupt (:class:`QuietShutdownKernelManager`)."""
    return {"config": kernel_config(), "kernel_manager_class": QuietShutdownKernelManager}


# ---------------------------------------------------------------------------------------------
# kernels started ahead of their notebooks

#: Arguments nbclient gives every kernel it starts (its ``ipython_hist_file`` default).
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


#: Libraries the project's modules import inside their functions (so that importing
#: ``utils`` stays light), which a notebook's first cells would otherwise wait for: a kernel
#: started ahead imports them too (1 to 1.5 s of every notebook's first cell before). Not NLTK
#: (with the scikit-learn and SciPy it imports, 1.2 s of CPU per kernel): only the word
#: frequencies notebook uses it, and it imports it when it does.
LIBRARIES_AHEAD = ("charset_normalizer", "duckdb", "joblib", "matplotlib.pyplot",
                   "matplotlib_inline.backend_inline", "PIL.Image", "pyarrow.parquet")


def notebook_modules(notebooks) -> list[str]:
    """The modules the code cells of ``notebooks`` import (``import x``, ``from x import y``),
    sorted: what a kernel started for them can import before it is handed a notebook."""
    import ast
    import json

    modules: set[str] = set()
    for notebook in notebooks:  # the JSON as stored: nbformat (and its schemas) not needed
        for cell in json.loads(Path(notebook).read_text(encoding="utf-8")).get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError:  # magics and the like: nothing to learn from this cell
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.add(node.module)
    return sorted(modules)


def _warm_up_code(modules: list[str]) -> str:
    """Code importing ``modules`` without binding a name in the user's namespace (a module
    that fails to import is left to the notebook, which reports it in its own cell)."""
    return ("def _warm_up(names):\n"
            "    import importlib\n"
            "    for name in names:\n"
            "        try:\n"
            "            importlib.import_module(name)\n"
            "        except Exception:\n"
            "            pass\n"
            f"_warm_up({modules!r})\n"
            "del _warm_up\n")


async def _start_warm_kernel(cwd: str, modules: list[str], timeout: float):
    manager = QuietShutdownKernelManager(kernel_name="python3", config=kernel_config())
    await manager.start_kernel(cwd=cwd, extra_arguments=list(KERNEL_ARGUMENTS))
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=timeout)
        if modules:  # silent: no execution count, no output, nothing in the history
            msg_id = client.execute(_warm_up_code(modules), silent=True, store_history=False)
            while True:
                reply = await client.get_shell_msg(timeout=timeout)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
    finally:
        client.stop_channels()
    return manager


class KernelPool:
    """Kernels started (and their notebooks' modules imported) in a background thread while
    the main job analyses the corpus, handed to the notebooks as they run (:meth:`options`).

    Starting a kernel and importing pandas, matplotlib and the project's modules costs about
    1.5 s of one core per notebook; the analysis reads the corpus on one core first, so the
    other core does that work for free. A notebook that finds no kernel ready starts its own,
    as without a pool; kernels not handed out are shut down by :meth:`close`.
    """

    def __init__(self, size: int, cwd, modules: list[str], timeout: float = 120.0,
                 also=None):
        import queue
        import threading

        self._ready: queue.Queue = queue.Queue()
        self._cwd = str(cwd)
        self._modules = list(modules)
        self._timeout = timeout
        self._also = also
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._start, args=(size,), daemon=True,
                                        name="kernel-pool")
        self._thread.start()

    def _start(self, size: int) -> None:
        """Start ``size`` kernels, one at a time; after the first, run ``also`` (other work
        for the same spare time, e.g. preparing the HTML exporters)."""
        import asyncio

        for number in range(size):
            if number == 1 and self._also is not None:
                try:
                    self._also()
                except Exception:  # the work is done again when needed
                    pass
            if self._closed.is_set():
                return
            try:
                manager = asyncio.run(_start_warm_kernel(self._cwd, self._modules,
                                                         self._timeout))
            except Exception:  # no kernel now: the notebooks start their own
                return
            self._ready.put(manager)

    def take(self):
        """A started kernel manager, or ``None`` when none is ready yet."""
        import queue

        try:
            return self._ready.get_nowait()
        except queue.Empty:
            return None

    def options(self) -> dict[str, Any]:
        """:func:`papermill_kernel_options`, with a ready kernel when there is one: nbclient
        then uses it (and shuts it down after the notebook) instead of starting one."""
        options = papermill_kernel_options()
        manager = self.take()
        if manager is not None:
            options["kernel_manager_class"] = _handing_over(manager)
        return options

    def close(self) -> None:
        """Stop starting kernels and shut down those not handed out."""
        import asyncio

        self._closed.set()
        self._thread.join()
        while (manager := self.take()) is not None:
            try:
                asyncio.run(manager.shutdown_kernel(now=True))
            except Exception:  # already gone
                pass


def _handing_over(manager) -> type:
    """A kernel-manager class whose construction returns ``manager`` (a started kernel): how
    nbclient, which creates its manager from a class, is handed a kernel started before."""

    class HandedOver(QuietShutdownKernelManager):
        def __new__(cls, *args, **kwargs):
            return manager

    return HandedOver
