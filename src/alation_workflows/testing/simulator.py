"""`Simulator`: the in-memory Alation, its request pipeline, and the ways to reach it (transport, server)."""

from __future__ import annotations

import copy
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Any

from . import examples_seed
from .faults import JOB_KINDS, RESPONSE_KINDS, FaultInjector
from .jobs import Job, JobRegistry, Work
from .routes import Route, match, resolve_operation
from .state import CatalogState
from .token_store import TokenStore
from .validation import (
    AnswerMismatch,
    check_answer,
    check_body,
    check_job_answer,
    check_media_type,
    check_params,
)
from .wire import MAX_BODY_BYTES, BadBody, Reject, SimRequest, SimResponse, too_large

# Simulator attributes a handler may change (swapped for copies during a dry run).
_MUTABLE = ("catalog", "jobs", "tokens", "faults", "oauth_clients", "deleted_domains")


class Submissions:
    """Accepted write requests, countable by operation id, "METHOD /path" or path prefix.

    `sim.submissions["createDocuments"]`, `sim.submissions["POST /integration/v2/document/"]` and
    `sim.submissions["/integration/v2/document/"]` (all methods) all work; a faulted request that
    was not processed is not counted, so tests can assert that a retry did not submit twice.
    """

    def __init__(self) -> None:
        self.records: list[tuple[str, str, str]] = []  # (operation id, method, path)

    def record(self, operation_id: str, method: str, path: str) -> None:
        self.records.append((operation_id, method, path))

    def __getitem__(self, key: str) -> int:
        if key.startswith("/"):
            return sum(1 for _, _, path in self.records if path.startswith(key))
        if " " in key:
            method, _, prefix = key.partition(" ")
            return sum(1 for _, m, path in self.records if m == method.upper() and path.startswith(prefix))
        return sum(1 for op, _, _ in self.records if op == key)

    def total(self) -> int:
        return len(self.records)

    def by_operation(self) -> Counter[str]:
        return Counter(op for op, _, _ in self.records)

    def __repr__(self) -> str:
        return f"Submissions({dict(self.by_operation())})"


class Simulator:
    """A stateful in-memory Alation speaking the wire format of the bulk-metadata APIs.

    With `check_answers` on, every handler answer is checked against the operation's declared
    responses, and a status answer about a job also against that job's operation's `x-job`
    schema (`succeeded` for a successful job, `details` otherwise); a mismatch raises
    `AnswerMismatch` (the project's own tests turn it on).

    Request bodies larger than `max_body_bytes` get a 413 (the loopback server stops reading
    at that size).

    `token` is accepted as a valid API access token (it never expires unless the `expire_tokens`
    fault hits it); `job_duration` is how long new jobs stay "running". Reach it in-process with
    `httpx.Client(transport=sim.transport(), base_url="http://localhost")` (a loopback
    name keeps the SDK from warning about plain http) or over loopback HTTP
    with `with sim.serve() as url: ...`.
    """

    def __init__(
        self,
        token: str | None = "test-token",
        job_duration: float = 0.0,
        *,
        access_token_lifetime: float = 24 * 3600,
        cfv_legacy_job: bool = False,
        domain_sync_limit: int = 1000,
        clock: Callable[[], float] = time.monotonic,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.token = token
        self.cfv_legacy_job = cfv_legacy_job
        self.domain_sync_limit = domain_sync_limit
        self.clock = clock
        self.max_body_bytes = max_body_bytes
        self.lock = threading.RLock()
        self.catalog = CatalogState()  # handlers use this; `state` settles due jobs first
        self.jobs = JobRegistry(clock)
        self.jobs.default_duration = job_duration
        self.tokens = TokenStore(token, access_token_lifetime, clock)
        self.faults = FaultInjector()
        self.requests: list[SimRequest] = []
        self.oauth_clients: dict[str, str] = {}  # client_id -> client_secret
        self.deleted_domains: set[int] = set()
        self.submissions = Submissions()
        self.check_answers = Simulator.check_answers_default

    check_answers_default = False  # class-wide switch, so test suites can turn it on for every simulator

    def __repr__(self) -> str:
        return f"Simulator(jobs={len(self.jobs.by_id)}, requests={len(self.requests)})"

    # -- python-level access ------------------------------------------------------------------

    @property
    def state(self) -> CatalogState:
        """The catalog, after finishing every job whose time is up."""
        with self.lock:
            self.jobs.settle()
            return self.catalog

    def seed_examples(self) -> None:
        """Add the objects the docs' examples use (ids listed in `testing/examples_seed.py`); again restores them."""
        examples_seed.seed(self)

    def set_job_duration(self, seconds: float, operation_id: str | None = None) -> None:
        """How long new jobs stay "running": for every operation, or for one operation id."""
        if seconds < 0:
            raise ValueError(f"job duration must be >= 0, got {seconds}")
        with self.lock:
            if operation_id is None:
                self.jobs.default_duration = seconds
                return
            self.jobs.durations[resolve_operation(operation_id)] = seconds

    def issue_refresh_token(
        self, user_id: int = 1, lifetime: float = 60 * 86400, value: str | None = None
    ) -> str:
        """A refresh token for the token endpoints (createAPIAccessToken etc.); random unless `value` is given."""
        with self.lock:
            return self.tokens.issue_refresh_token(user_id, lifetime, value)

    def issue_access_token(self, user_id: int = 1, value: str | None = None) -> str:
        """An API access token that expires after `access_token_lifetime` seconds."""
        with self.lock:
            return self.tokens.issue_access_token(user_id, value=value).value

    def add_oauth_client(self, client_id: str, client_secret: str) -> None:
        """Register OAuth client credentials for `POST /oauth/v2/token/`."""
        with self.lock:
            self.oauth_clients[client_id] = client_secret

    def job(self, id: int | None = None, name: str | None = None) -> Job | None:
        with self.lock:
            return self.jobs.find(id=id, name=name)

    # -- the request pipeline (shared by the ASGI app and the in-process transport) ------------

    def handle(
        self, request: SimRequest, route: Route | None = None, params: dict[str, Any] | None = None
    ) -> SimResponse:
        """Answer one request: record it, apply faults, check the token, run the operation.

        The spec's body check (parsing and schema validation: the costly part of a large upload)
        runs before taking the simulator lock, so other clients are not held up meanwhile.
        """
        if len(request.body) > self.max_body_bytes:
            return SimResponse.json(413, too_large(self.max_body_bytes))
        found = match(request.method, request.path) if route is None else (route, params or {})
        if isinstance(found, tuple):
            route, params = found
            request.body_verdict = check_body(route, request)
        with self.lock:
            self.requests.append(request)
            self.jobs.settle()
            if self.faults.take(request, frozenset({"expire_tokens"})) is not None:
                self.tokens.expire_all()
            fault = self.faults.take(request, RESPONSE_KINDS)
            if fault is not None:
                request.fault = fault.kind
            if fault is not None and not fault.after:
                response = fault.respond(None)
            else:
                response = self._process(request, route, params)
                if fault is not None:
                    response = fault.respond(response)
            request.status = None if response.drop else response.status
            return response

    def _process(
        self, request: SimRequest, route: Route | None, params: dict[str, Any] | None
    ) -> SimResponse:
        if route is None:
            found = match(request.method, request.path)
            if isinstance(found, SimResponse):
                return found
            route, params = found
        params = params or {}
        if not route.public:
            denied = self.tokens.check(request)
            if denied is not None:
                return denied
        request.operation = route.operation_id
        refused = check_media_type(route, request) or check_params(route, request, params)
        if refused is not None:
            return refused
        invalid = request.body_verdict if route.spec is not None else None
        if route.handler is None:  # the spec's checks still hold; behaviour needs a handler
            return invalid or SimResponse.json(
                501, {"detail": f"The simulator has no handler for operation {route.operation_id!r}."}
            )
        if invalid is not None:
            # The handler's own checks answer in Alation's exact words; run it on a throwaway copy
            # of the state and fall back to the spec's verdict for what it lets through (or refuses otherwise).
            with self._dry_run():
                try:
                    rejected = self._run_handler(route, request, params)
                except Exception:  # the body is invalid anyway: the spec's 400 answers it
                    return invalid
            return rejected if rejected.status == invalid.status else invalid
        request.processed = True
        response = self._run_handler(route, request, params)
        reads = route.spec.get("reads", False) if route.spec is not None else request.method == "GET"
        if not reads and 200 <= response.status < 300:
            self.submissions.record(route.operation_id, request.method, request.path)
        return response

    def _run_handler(self, route: Route, request: SimRequest, params: dict[str, Any]) -> SimResponse:
        assert route.handler is not None
        try:
            answer = route.handler(self, request, **params)
        except Reject as rejected:
            answer = rejected.response
        except BadBody as bad:
            answer = SimResponse.json(400, {"detail": str(bad), "code": "400000"})
        if self.check_answers:
            problem = check_answer(route, answer)
            if problem is None and request.reports_job is not None:
                problem = check_job_answer(route, request.reports_job, answer)
            if problem is not None:
                raise AnswerMismatch(problem)
        return answer

    @contextmanager
    def _dry_run(self) -> Generator[None, None, None]:
        """Everything a handler may change is swapped for a copy, and the originals put back after."""
        saved = {name: getattr(self, name) for name in _MUTABLE}
        # Locks and the simulator itself are shared, not copied (a lock cannot be).
        memo: dict[int, Any] = {
            id(self): self,
            id(self.lock): self.lock,
            id(self.faults.lock): self.faults.lock,
        }
        for name, value in saved.items():
            setattr(self, name, copy.deepcopy(value, memo))
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(self, name, value)

    def start_job(self, request: SimRequest, work: Work | None, *, name_prefix: str | None = None) -> Job:
        """Queue a job for the operation being handled; job faults (never_finish, fail_job) apply here."""
        fault = self.faults.take(request, JOB_KINDS)
        job = self.jobs.submit(
            request.operation or "unknown",
            work,
            name_prefix=name_prefix,
            never_finish=fault is not None and fault.kind == "never_finish",
            fail_with=fault.params["result"] if fault is not None and fault.kind == "fail_job" else None,
        )
        return job

    # -- ways in ------------------------------------------------------------------------------

    def transport(self) -> Any:
        """An httpx transport (sync and async) that answers from this simulator without sockets."""
        from .transport import SimulatorTransport

        return SimulatorTransport(self)

    def asgi_app(self) -> Any:
        """The starlette ASGI application serving this simulator."""
        from .asgi import build_app

        return build_app(self)

    @contextmanager
    def serve(
        self, port: int = 0, host: str = "127.0.0.1", startup_timeout: float = 10.0
    ) -> Generator[str, None, None]:
        """Serve over real HTTP (uvicorn in a background thread); yields the base URL."""
        from .server import BackgroundServer

        server = BackgroundServer(self.asgi_app(), host=host, port=port)
        server.start(startup_timeout)
        try:
            yield server.url
        finally:
            server.stop()
