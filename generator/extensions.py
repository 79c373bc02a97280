"""The vendor extensions the generator reads; any other `x-` key is listed as a warning.

A session adding an extension registers it here (one line: name -> where it goes and what it says).
"""

from __future__ import annotations

from typing import Any

from .errors import esc
from .raw import is_arr, is_obj

KNOWN: dict[str, str] = {
    "x-retries": "operation: idempotent|submit, whether a retry may repeat the request",
    "x-job": "operation: the job it starts (its polling contract, details schema and succeeded schema)",
    "x-content-type": "request media type: the Content-Type header sent when it differs from the body format",
    "x-job-polling": "components: polling contracts (status operation, verdict values, message, progress)",
    "x-variants": "operation: one typed method per option of a oneOf body",
    "x-batch-limit": "operation: most items one request may carry",
    "x-pagination": "operation: how a GET listing pages (limit/offset parameters, next-page header, sizes)",
    "x-exactly-one-of": "operation: parameters of which exactly one must be given",
    "x-method-name": "operation: the Python method name, kept stable when the operationId changes",
    "x-filename": "multipart encoding: the filename a file part is sent with (default: the part name)",
    "x-codeSamples": "operation: code samples for docs (not read by the generator)",
    "x-alation-also-serves": "path: methods Alation serves there that the spec lacks (the simulator answers 501, not 405)",
    "x-accepts-numeric-string": "schema: the server also takes this integer as a numeric string (simulator checks)",
}

# Maps whose keys are names chosen by the spec author (a property may be called "x-foo").
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "content",
        "encoding",
        "variables",
        "mapping",
        "paths",
        "webhooks",
        "scopes",
    }
)
# Values that are data, not spec structure.
_DATA = frozenset({"example", "examples", "default", "const", "enum", "x-codeSamples"})


def unknown_extensions(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, message) for every `x-` key the generator does not read."""
    found: list[tuple[str, str]] = []

    def walk(node: object, pointer: str, names: bool) -> None:
        if is_arr(node):
            for i, v in enumerate(node):
                walk(v, f"{pointer}/{i}", False)
            return
        if not is_obj(node):
            return
        for key, value in node.items():
            child = f"{pointer}/{esc(key)}"
            if names:
                walk(value, child, False)
                continue
            # str(): a YAML key may be an int (an unquoted `200:`), never an extension.
            if str(key).startswith("x-") and key not in KNOWN:
                found.append((child, f"unknown extension {key!r} is not read by the generator"))
                continue
            if key in _DATA:
                continue
            walk(value, child, key in _NAME_MAPS and is_obj(value))

    walk(spec, "", False)
    return found
