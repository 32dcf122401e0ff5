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
