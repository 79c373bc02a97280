"""Read what a *successful* job says went wrong inside it, and which follow-up jobs it started.

Alation reports partial failure as `status: "successful"` with the problems inside `result`
(catalog §1.1): data quality `not_found` / `failure_count`, virtual data source `error_objects`,
business policy "[Succeeded: x, Failed: y, Total: z]", custom field values "Error count: N",
relational integration / dataflow `errors` / `failed` lists. Every helper here accepts job
details (typed model or raw dict) or just their `result`, typed or raw (JSON-in-string too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

_BATCH_COUNTS = re.compile(r"\[\s*Succeeded:\s*(\d+),\s*Failed:\s*(\d+),\s*Total:\s*(\d+)\s*\]")
_ERROR_COUNT = re.compile(r"Error count:\s*(\d+)")
# Cloud-native custom field value writes name a second (legacy) job at the end of a result line.
_FOLLOWUP = re.compile(r"\(can be tracked using jobs API\):\s*([0-9]+)\s*$")


def as_mapping(value: object) -> Mapping[str, Any] | None:
    """`value` if it is a JSON object (a mapping), else None: the one cast where untyped JSON is read."""
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def as_list(value: object) -> Sequence[Any] | None:
    """`value` if it is a JSON array (a list), else None."""
    return cast("Sequence[Any]", value) if isinstance(value, list) else None


def plain(value: Any) -> Any:
    """The value as plain JSON data: models dumped by alias, JSON-in-string objects/lists decoded."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        value = dump(mode="json", by_alias=True)
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "[") and text[-1:] in ("}", "]"):
            try:
                return plain(json.loads(text))
            except ValueError:
                return value
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in cast("Mapping[object, Any]", value).items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in cast("Sequence[Any]", value)]
    return value


def result_of(details_or_result: Any) -> Any:
    """The `result` of job details (model or dict), or the argument itself if it is a result."""
    if hasattr(details_or_result, "status") and hasattr(details_or_result, "result"):
        return details_or_result.result
    fields = as_mapping(details_or_result)
    if fields is not None and "status" in fields:
        return fields.get("result")
    return details_or_result


def _lines(result: Any) -> list[str]:
    if isinstance(result, str):
        return [result]
    items = as_list(result)
    return [x for x in items if isinstance(x, str)] if items is not None else []


def _raw_lines(details_or_result: Any) -> list[str]:
    """Strings of the result before JSON decoding (list-of-strings and plain-string results)."""
    result = result_of(details_or_result)
    dump = getattr(result, "model_dump", None)
    if callable(dump):
        result = dump(mode="json", by_alias=True)
    return _lines(result)


@dataclass(frozen=True, slots=True)
class BatchCounts:
    """Business policy create/update: "[Succeeded: x, Failed: y, Total: z]" parsed."""

    succeeded: int
    failed: int
    total: int


def batch_counts(details_or_result: Any) -> BatchCounts | None:
    """The last "[Succeeded: x, Failed: y, Total: z]" of a business policy job, or None if absent."""
    found: BatchCounts | None = None
    for line in _raw_lines(details_or_result):
        m = _BATCH_COUNTS.search(line)
        if m:
            found = BatchCounts(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return found


def error_count(details_or_result: Any) -> int | None:
    """Sum of "Error count: N" in a custom field value job's result lines, or None if absent."""
    counts = [int(m.group(1)) for line in _raw_lines(details_or_result) for m in _ERROR_COUNT.finditer(line)]
    return sum(counts) if counts else None


def followup_job_ids(details_or_result: Any) -> list[int]:
    """Job ids named by "... (can be tracked using jobs API): N" lines, in order, without repeats."""
    ids: list[int] = []
    for line in _raw_lines(details_or_result):
        m = _FOLLOWUP.search(line)
        if m and int(m.group(1)) not in ids:
            ids.append(int(m.group(1)))
    return ids


@dataclass(frozen=True, slots=True)
class DataQualityShortfall:
    """Data quality job: keys that were not found and values whose object could not be attributed."""

    fields_not_found: int = 0
    values_not_found: int = 0
    attribution_failures: int = 0
    failure_sample: list[Any] = field(default_factory=list[Any])

    @property
    def total(self) -> int:
        return self.fields_not_found + self.values_not_found + self.attribution_failures


def data_quality_shortfall(details_or_result: Any) -> DataQualityShortfall | None:
    """What a data quality job did not apply, or None when the result is not a data quality one."""
    result = as_mapping(plain(result_of(details_or_result)))
    if result is None or not ({"fields", "values", "created_object_attribution"} & result.keys()):
        return None

    def not_found(section: str) -> int:
        part = as_mapping(result.get(section)) or {}
        stats = as_mapping(part.get("not_found")) or {}
        count = stats.get("count")
        return count if isinstance(count, int) else 0

    attribution = as_mapping(result.get("created_object_attribution")) or {}
    failures = attribution.get("failure_count")
    sample = as_list(attribution.get("failure_sample"))
    return DataQualityShortfall(
        fields_not_found=not_found("fields"),
        values_not_found=not_found("values"),
        attribution_failures=failures if isinstance(failures, int) else 0,
        failure_sample=list(sample) if sample is not None else [],
    )


def error_objects(details_or_result: Any) -> list[Any] | None:
    """Virtual data source: the lines the server ignored (`error_objects`), or None if not that shape."""
    result = as_mapping(plain(result_of(details_or_result)))
    if result is not None and "error_objects" in result:
        objs = result.get("error_objects")
        listed = as_list(objs)
        return list(listed) if listed is not None else ([objs] if objs else [])
    return None


def partial_failures(details_or_result: Any) -> list[str]:
    """Human-readable problems reported inside a job's result; empty when it reports none.

    Covers every shape in catalog §1.1/§3 that can carry errors; other shapes give [].
    """
    problems: list[str] = []
    dq = data_quality_shortfall(details_or_result)
    if dq is not None:
        if dq.fields_not_found:
            problems.append(f"{dq.fields_not_found} data quality field(s) not found")
        if dq.values_not_found:
            problems.append(f"{dq.values_not_found} data quality value(s) not found")
        if dq.attribution_failures:
            problems.append(
                f"{dq.attribution_failures} data quality value(s) not attributed to an object: {dq.failure_sample}"
            )
    errs = error_objects(details_or_result)
    if errs:
        problems.append(f"{len(errs)} virtual data source line(s) rejected: {errs}")
    result = plain(result_of(details_or_result))
    fields = as_mapping(result)
    if fields is not None and isinstance(fields.get("error"), str) and fields["error"]:
        problems.append(f"server error note: {fields['error']}")
    counts = batch_counts(details_or_result)
    if counts is not None and counts.failed:
        problems.append(f"{counts.failed} of {counts.total} item(s) failed")
    n = error_count(details_or_result)
    if n:
        problems.append(f"{n} custom field value error(s)")
    # Relational integration and dataflow results: lists of objects with `errors` / `failed` lists.
    entries = as_list(result)
    for entry in entries if entries is not None else [result]:
        obj = as_mapping(entry)
        if obj is None:
            continue
        for key in ("errors", "failed"):
            items = as_list(obj.get(key))
            if items:
                problems.append(f"{len(items)} {key}: {items}")
    return problems
