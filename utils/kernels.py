"""Settings for the Jupyter kernels the main job starts to execute notebooks.

ipykernel 7.4 logs ``Kernel is running over TCP without encryption ...`` to the terminal for
every kernel started over TCP without CurveZMQ keys: once for each notebook papermill executes.
jupyter_client 8.10 can provision those keys itself (``KernelManager.transport_encryption``,
``"disabled"`` by default) for kernels whose kernelspec declares ``"supported_encryption":
["curve"]``, as ipykernel's ``python3`` kernelspec does. Turning that on encrypts the kernel's
sockets, so the kernel has nothing to warn about; nothing is filtered, every other kernel
message still shows.

Use::

    papermill.execute_notebook(..., **papermill_kernel_options())
"""

from __future__ import annotations

from typing import Any

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
    kernel runs with encrypted transport and prints no unencrypted-TCP warning."""
    return {"config": kernel_config()}
