"""Start the loopback servers the comparisons talk to, each in its own process."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from ._paths import ROOT, child_env

TOKEN = "bench-token"


class ServerProcess:
    """A child process that prints `{"url": ...}` when ready and stops when its stdin closes."""

    def __init__(self, module: str, *args: str, startup_timeout: float = 20.0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=ROOT,
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.module = module
        self.startup_timeout = startup_timeout
        self._url: str | None = None

    @property
    def url(self) -> str:
        """Waits (once) for the child's ready line; starting several servers first overlaps their start-up."""
        if self._url is None:
            self._url = self._wait_ready()
        return self._url

    def _wait_ready(self) -> str:
        module, startup_timeout = self.module, self.startup_timeout
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            self.proc.wait(timeout=startup_timeout)
            raise RuntimeError(f"{module} did not start: {err.strip()[-2000:]}")
        url: str = json.loads(line)["url"]
        return url

    def command(self, **command: Any) -> dict[str, Any]:
        _ = self.url  # the ready line comes first on stdout
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        reply: dict[str, Any] = json.loads(self.proc.stdout.readline())
        if not reply.get("ok"):
            raise RuntimeError(f"server command {command} failed: {reply.get('error')}")
        return reply

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def simulator() -> ServerProcess:
    return ServerProcess("benchmarks._sim_server", TOKEN)


def stub() -> ServerProcess:
    return ServerProcess("benchmarks._stub_server")
