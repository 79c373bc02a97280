"""pytest fixtures: `alation_simulator`, `alation_server` (loopback HTTP) and `workflows` (a bound client).

Enable with `pytest_plugins = ["alation_workflows.testing.pytest_plugin"]` in your conftest.py.
One uvicorn server runs per test session; each test binds its own fresh simulator to it. To
change the simulator (job duration, options), override `alation_simulator` in your conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from .simulator import Simulator

if TYPE_CHECKING:
    from alation_workflows import Workflows

    from .server import BackgroundServer


@dataclass(frozen=True)
class ServedSimulator:
    """A simulator served over loopback HTTP: base `url`, a valid `token`, and the `sim` itself."""

    url: str
    token: str
    sim: Simulator


@pytest.fixture
def alation_simulator() -> Simulator:
    """A fresh in-memory Alation (token "test-token", jobs finish at once)."""
    return Simulator(token="test-token", job_duration=0.0)


@pytest.fixture(scope="session")
def alation_loopback_server() -> Iterator[BackgroundServer]:
    """The session's uvicorn server on 127.0.0.1 (a free port); `alation_server` binds simulators to it."""
    from .asgi import build_app
    from .server import BackgroundServer

    server = BackgroundServer(build_app(Simulator()))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def alation_server(
    alation_simulator: Simulator, alation_loopback_server: BackgroundServer
) -> Iterator[ServedSimulator]:
    """`alation_simulator` served over loopback HTTP for the test's duration."""
    state = alation_loopback_server.app.state
    state.sim = alation_simulator
    try:
        yield ServedSimulator(
            url=alation_loopback_server.url, token=alation_simulator.token or "", sim=alation_simulator
        )
    finally:
        state.sim = Simulator()  # requests still in flight land on an empty simulator


@pytest.fixture
def workflows(alation_server: ServedSimulator) -> Iterator[Workflows]:
    """A `Workflows` client bound to `alation_server` (short timeouts so a broken test fails fast)."""
    from alation_workflows import Workflows

    with Workflows(server_url=alation_server.url, token=alation_server.token, timeout_ms=5000) as client:
        yield client
