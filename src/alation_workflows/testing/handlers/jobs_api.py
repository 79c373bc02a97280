"""GET /api/v1/bulk_metadata/job/: a job's status, message and result, by id or by name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..registry import handles
from ..wire import SimRequest, SimResponse

if TYPE_CHECKING:
    from ..simulator import Simulator


@handles("getJobStatus")
def get_job_status(sim: Simulator, request: SimRequest) -> SimResponse:
    job_id, name = request.arg("id"), request.arg("name")
    if (job_id is None) == (name is None):
        return SimResponse.json(
            400,
            {"detail": "Exactly one of the query parameters 'id' or 'name' is required.", "code": "400000"},
        )
    if job_id is not None:
        if not job_id.strip().isdigit():
            return SimResponse.json(
                400, {"detail": f"'id' must be an integer, got {job_id!r}.", "code": "400000"}
            )
        job = sim.jobs.find(id=int(job_id))
        missing = f"Job with id {job_id} does not exist."
    else:
        job = sim.jobs.find(name=name)
        missing = f"Job with name {name} does not exist."
    if job is None:
        return SimResponse.json(404, {"detail": missing, "code": "404000"})
    request.reports_job = job.operation
    return SimResponse.json(200, job.body())
