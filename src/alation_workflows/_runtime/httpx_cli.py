"""Keeps httpx's command line out of `import httpx` (about 30 ms of click, rich and pygments).

httpx 0.28 imports its CLI module from its package `__init__` whenever click and rich are
installed, which they always are beside this SDK's own command line. Upstream fixed the same by
importing it lazily (pydantic/httpx2#947). Until that reaches httpx, a stand-in for `httpx._main`
is registered before httpx is first imported: `httpx.main` and any attribute of `httpx._main`
load the real module on first use, so the `httpx` command and every program that uses it behave
as before.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from typing import Any

_CLI = "httpx._main"


def defer_httpx_cli() -> None:
    """Registers the stand-in, unless httpx (or its CLI) is already imported: then nothing changes."""
    if "httpx" in sys.modules or _CLI in sys.modules:
        return
    stand_in = types.ModuleType(_CLI, "httpx's command line, imported on first use by alation_workflows")

    lock = threading.Lock()  # two threads' first use must not both swap the stand-in out

    def real() -> types.ModuleType:
        with lock:
            if sys.modules.get(_CLI) is stand_in:
                del sys.modules[_CLI]
            return importlib.import_module(_CLI)

    def main(*args: Any, **kwargs: Any) -> Any:
        return real().main(*args, **kwargs)

    def __getattr__(name: str) -> Any:  # PEP 562: anything but `main` comes from the real module
        if name.startswith("__"):  # the import system probes e.g. `__path__`; that must not load it
            raise AttributeError(name)
        return getattr(real(), name)

    vars(stand_in).update(main=main, __getattr__=__getattr__)  # PEP 562: a module-level __getattr__
    sys.modules[_CLI] = stand_in
