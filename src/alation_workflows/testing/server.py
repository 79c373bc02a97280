"""Runs the simulator's ASGI app with uvicorn on a loopback port in a background thread."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import uvicorn
from starlette.types import Scope


class BackgroundServer:
    """uvicorn in a daemon thread; `start` waits (bounded) until it listens, `stop` shuts it down."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="alation-simulator", daemon=True)
        self.port: int | None = None
        app.state.dropper = self._drop

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the server is not running")
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive():
                raise RuntimeError(f"the simulator server failed to start on {self.host}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the simulator server did not start within {timeout} s")
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]

    def stop(self, timeout: float = 5.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)
        if self.thread.is_alive():
            self.server.force_exit = True
            self.thread.join(timeout)

    def _drop(self, scope: Scope) -> bool:
        """Close the TCP connection the request in `scope` came on (no response is sent)."""
        client = tuple(scope.get("client") or ())
        for connection in list(self.server.server_state.connections):
            if getattr(connection, "client", None) == client:
                transport: asyncio.Transport = connection.transport
                transport.close()
                return True
        return False
