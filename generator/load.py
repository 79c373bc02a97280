"""Stage 1: read the spec, validate it, and lint what openapi-spec-validator lets through."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from .errors import SpecError, esc

# JSON Schema keywords the generator understands; anything else (not x-) is a typo or unsupported.
SCHEMA_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "required",
        "items",
        "enum",
        "const",
        "description",
        "title",
        "example",
        "examples",
        "format",
        "default",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "additionalProperties",
        "oneOf",
        "anyOf",
        "allOf",
        "contentMediaType",
        "contentSchema",
        "readOnly",
        "writeOnly",
        "deprecated",
    }
)
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def load_spec(path: Path, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        # libyaml's C loader is ~10x faster than the pure-Python one on this spec.
        spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise SpecError([("", f"{path.name} is not valid YAML: {exc}")]) from exc
    if not isinstance(spec, dict):
        raise SpecError([("", "the spec is not a YAML mapping")])
    try:
        validate(spec)
    except OpenAPIValidationError as exc:
        pointer = "/" + "/".join(esc(str(p)) for p in getattr(exc, "absolute_path", []) or [])
        raise SpecError([(pointer, f"openapi-spec-validator: {exc.message}")]) from exc
    problems = lint(spec, settings)
    if problems:
        raise SpecError(problems)
    return spec


def lint(spec: dict[str, Any], settings: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """Checks openapi-spec-validator does not make: typos, 3.0-isms, dangling refs and links.

    `settings["required_extensions"]` lists project extensions every operation must carry
    (x-retries for this project's spec; None or [] for a foreign one, which gets defaults).
    """
    required = set((settings or {}).get("required_extensions") or [])
    problems: list[tuple[str, str]] = []
    op_ids = {
        op.get("operationId")
        for item in (spec.get("paths") or {}).values()
        for m, op in item.items()
        if m in _METHODS and isinstance(op, dict)
    }

    def walk(node: Any, pointer: str, in_schema: bool) -> None:
        if isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{pointer}/{i}", in_schema)
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and resolve_pointer(spec, ref) is None:
            problems.append((pointer, f"$ref {ref!r} does not resolve"))
        if in_schema:
            _lint_schema(node, pointer, problems)
        for key, value in node.items():
            child = f"{pointer}/{esc(key)}"
            if key in ("example", "examples", "default", "const", "enum"):
                continue
            if in_schema and key in ("properties", "patternProperties"):
                for name, sub in (value or {}).items():
                    walk(sub, f"{child}/{esc(name)}", True)
                continue
            if key == "links" and isinstance(value, dict):
                for lname, link in value.items():
                    if isinstance(link, dict) and link.get("operationId") not in op_ids:
                        problems.append(
                            (
                                f"{child}/{esc(lname)}",
                                f"link to unknown operation {link.get('operationId')!r}",
                            )
                        )
            walk(
                value,
                child,
                in_schema or key in _SCHEMA_SLOTS or (key.startswith("x-") and key != "x-codeSamples"),
            )

    walk(spec, "", False)
    for pointer, op in iter_operations(spec):
        retries = op.get("x-retries")
        if (retries is not None or "x-retries" in required) and retries not in ("idempotent", "submit"):
            problems.append(
                (
                    f"{pointer}/x-retries",
                    f"every operation needs x-retries: idempotent|submit (got {retries!r})",
                )
            )
        if not op.get("operationId"):
            problems.append((pointer, "operation has no operationId"))
        if not op.get("tags"):
            problems.append((pointer, "operation has no tag (tags become operation groups)"))
    return problems


_SCHEMA_SLOTS = frozenset(
    {"schema", "schemas", "items", "additionalProperties", "oneOf", "anyOf", "allOf", "contentSchema", "not"}
)


def _lint_schema(node: dict[str, Any], pointer: str, problems: list[tuple[str, str]]) -> None:
    # Only schema objects (they have a type/ref/combinator or sit in a schema slot) are checked.
    if "nullable" in node:
        problems.append((pointer, "`nullable` is OpenAPI 3.0; in 3.1 write type: [X, 'null']"))
    looks_like_schema = any(
        k in node for k in ("type", "$ref", "properties", "oneOf", "anyOf", "allOf", "items", "enum")
    )
    if not looks_like_schema:
        return
    for key in node:
        if key not in SCHEMA_KEYWORDS and key != "nullable" and not key.startswith("x-"):
            problems.append((f"{pointer}/{esc(key)}", f"unknown or unsupported schema keyword {key!r}"))
    props = node.get("properties") or {}
    for name in node.get("required") or []:
        if props and name not in props:
            problems.append((f"{pointer}/required", f"required property {name!r} is not in properties"))


def iter_operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path, item in (spec.get("paths") or {}).items():
        for method in _METHODS:
            if isinstance(item.get(method), dict):
                out.append((f"/paths/{esc(path)}/{method}", item[method]))
    return out


def resolve_pointer(spec: dict[str, Any], ref: str) -> Any:
    """The node a local `#/...` reference names, or None."""
    if not ref.startswith("#"):
        return None
    node: Any = spec
    for token in ref[1:].lstrip("/").split("/"):
        if not token:
            continue
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        else:
            return None
    return node
