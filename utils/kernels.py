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
    down without an interrupt (:class:`QuietShutdownKernelManager`).

    Once the notebook has run, nbclient has every output, so its kernel is stopped at once
    (``shutdown_kernel="immediate"``) instead of asked to shut down and waited for: that wait
    was about 0.7 s per notebook, during which the thread could not start the next one."""
    return {"config": kernel_config(), "kernel_manager_class": QuietShutdownKernelManager,
            "shutdown_kernel": "immediate"}


# ---------------------------------------------------------------------------------------------
# kernels started ahead of their notebooks

#: Arguments nbclient gives every kernel it starts (its ``ipython_hist_file`` default).
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]


#: Libraries the project's modules import inside their functions (so that importing
#: ``utils`` stays light), which a notebook's first cells would otherwise wait for: a kernel
#: started ahead imports them too (1 to 1.5 s of every notebook's first cell before). NLTK is
#: imported only by the kernels whose notebook needs it (:data:`LAZY_LIBRARIES`).
LIBRARIES_AHEAD = ("charset_normalizer", "duckdb", "joblib", "matplotlib.pyplot",
                   "matplotlib_inline.backend_inline", "PIL.Image", "pyarrow.parquet")


#: Libraries some project modules import inside their functions, imported ahead in the kernel
#: of a notebook that imports such a module: NLTK (its tokenizer; with the SciPy and
#: scikit-learn it imports, about 2.4 s of CPU) for the word-frequency tables.
LAZY_LIBRARIES = {"utils.frequencies": ("nltk",), "utils.tables.words": ("nltk",)}


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
                    # "from utils import frequencies": the module utils.frequencies
                    modules.update(f"{node.module}.{alias.name}" for alias in node.names
                                   if f"{node.module}.{alias.name}" in LAZY_LIBRARIES)
    for module in list(modules):
        modules.update(LAZY_LIBRARIES.get(module, ()))
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
    other core does that work for free. ``modules``: the modules every kernel imports, or a
    dict (notebook name -> its modules, in the order the notebooks will start) for a kernel
    per notebook that imports only what that notebook needs. A notebook that finds no kernel
    ready starts its own, as without a pool; kernels not handed out are shut down by
    :meth:`close`.
    """

    def __init__(self, size: int, cwd, modules, timeout: float = 120.0, also=None):
        import threading

        if isinstance(modules, dict):
            plans = [(key, list(names)) for key, names in modules.items()][:size]
        else:
            plans = [(None, list(modules))] * size
        self._ready: list = []  # (key, manager), in the order they became ready
        self._lock = threading.Lock()
        self._cwd = str(cwd)
        self._timeout = timeout
        self._also = also
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._start, args=(plans,), daemon=True,
                                        name="kernel-pool")
        self._thread.start()

    def _start(self, plans: list) -> None:
        """Start a kernel for each ``(key, modules)`` plan, one at a time; after the first,
        run ``also`` (other work for the same spare time, e.g. preparing the HTML
        exporters)."""
        import asyncio

        for number, (key, modules) in enumerate(plans):
            if number == 1 and self._also is not None:
                try:
                    self._also()
                except Exception:  # the work is done again when needed
                    pass
            if self._closed.is_set():
                return
            try:
                manager = asyncio.run(_start_warm_kernel(self._cwd, modules, self._timeout))
            except Exception:  # no kernel now: the notebooks start their own
                return
            with self._lock:
                self._ready.append((key, manager))

    def take(self, key=None):
        """A started kernel manager (the one started for ``key`` when it is ready, else any),
        or ``None`` when none is ready yet."""
        with self._lock:
            for index, (ready_key, _) in enumerate(self._ready):
                if key is not None and ready_key == key:
                    return self._ready.pop(index)[1]
            return self._ready.pop(0)[1] if self._ready else None

    def put_back(self, manager, key=None) -> None:
        """Return a kernel taken but not used (shut down by :meth:`close` if not taken)."""
        with self._lock:
            self._ready.append((key, manager))

    def options(self, key=None) -> dict[str, Any]:
        """:func:`papermill_kernel_options`, with a ready kernel when there is one (that of
        ``key`` first): nbclient then uses it (and shuts it down after the notebook) instead
        of starting one."""
        options = papermill_kernel_options()
        manager = self.take(key)
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
