"""An embedded, stateful Alation for tests: in-process httpx transport or a real loopback server.

from alation_workflows.testing import Simulator
sim = Simulator(token="test-token", job_duration=0.0)
with sim.serve() as url:
    ...
"""

from .faults import Fault, FaultInjector
from .simulator import Simulator, Submissions
from .state import CatalogState
from .wire import SimRequest, SimResponse

__all__ = ["CatalogState", "Fault", "FaultInjector", "SimRequest", "SimResponse", "Simulator", "Submissions"]
