"""Stage 1: read the spec, validate it, and lint what openapi-spec-validator lets through."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .cache import validated
from .errors import SpecError, esc
from .extensions import unknown_extensions
from .raw import Obj, arr, is_arr, is_obj, obj

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
        "multipleOf",
        # Annotations: documentation only, nothing to honour in the generated code.
        "$comment",
        "$schema",
        "$id",
        "externalDocs",
        "xml",
    }
)
# Keywords the generator refuses, each with what to do instead (anything else unknown is a typo).
REFUSED_KEYWORDS = {
    "not": "`not` has no Python type; hint: say what is allowed instead (enum, oneOf, pattern)",
    "if": "conditional schemas are not supported; hint: a oneOf of the cases",
    "then": "conditional schemas are not supported; hint: a oneOf of the cases",
    "else": "conditional schemas are not supported; hint: a oneOf of the cases",
    "discriminator": "discriminator is not supported; hint: remove it if each oneOf option fits only its own data",
    "patternProperties": "patternProperties is not supported; hint: additionalProperties with one value schema",
    "prefixItems": "tuples (prefixItems) are not supported; hint: an array of a oneOf",
    "uniqueItems": "uniqueItems is not checked by the SDK; hint: remove it or check it in your code",
}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class _DuplicateKey(Exception):
    """A mapping names a key twice (found while loading; `duplicate_keys` then says where)."""


if TYPE_CHECKING:
    from yaml import SafeLoader as _Loader
else:
    # libyaml's C loader is ~10x faster than the pure-Python one on this spec.
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Loader):
    """YAML keeps the last of two equal keys silently: a second `/path:` block would hide the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(set(keys)) != len(keys):
            raise _DuplicateKey()
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return mapping


def duplicate_keys(text: str) -> list[tuple[str, str]]:
    """Every key given twice in one mapping, with the mapping's JSON pointer and both lines."""
    problems: list[tuple[str, str]] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                name = str(key.value)
                line = key.start_mark.line + 1
                if name in first:
                    problems.append(
                        (
                            f"{pointer}/{esc(name)}",
                            f"key {name!r} appears twice in one mapping (lines {first[name]} and {line}); "
                            "YAML would keep only the last: merge the two blocks",
                        )
                    )
                first.setdefault(name, line)
                walk(value, f"{pointer}/{esc(name)}")
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{pointer}/{i}")

    # The PyYAML stub pyright bundles leaves compose's stream parameter unannotated.
    walk(yaml.compose(text, Loader=yaml.SafeLoader), "")  # pyright: ignore[reportUnknownMemberType]
    return problems


def load_spec(
    path: Path, settings: dict[str, Any] | None = None, warnings: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """Read, validate and lint a spec (OpenAPI 3.1, or 3.0 read as 3.1); every problem has a pointer."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError([("", f"cannot read the spec {path}: {exc.strerror}")]) from exc
    try:
        loaded: object = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise SpecError([("", f"{path.name} is not valid YAML: {exc}")]) from exc
    except _DuplicateKey:
        raise SpecError(duplicate_keys(text)) from None
    if not is_obj(loaded):
        raise SpecError([("", "the spec is not a YAML mapping")])
    spec = loaded
    version = str(spec.get("openapi", spec.get("swagger", "")))
    if not version.startswith(("3.0.", "3.1.")):
        raise SpecError(
            [("/openapi", f"OpenAPI {version or '(no version)'} is not supported; hint: convert it to 3.1")]
        )
    # The validator crashes on a $ref it cannot resolve, so references are checked first.
    problems = check_refs(spec) or validated(path, text, version, lambda: validator_errors(spec, version))
    if problems:
        raise SpecError(problems)
    spec = normalize(spec, version)
    problems = lint(spec, settings)
    if problems:
        raise SpecError(problems)
    if warnings is not None:
        warnings.extend(unknown_extensions(spec))
    return spec


def validator_errors(spec: dict[str, Any], version: str) -> list[tuple[str, str]]:
    """Every openapi-spec-validator error at once, each at the absolute pointer of its node."""
    # Imported here: it takes ~0.4 s and a cached verdict (cache.py) skips it.
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    validator = (OpenAPIV30SpecValidator if version.startswith("3.0.") else OpenAPIV31SpecValidator)(spec)
    problems: list[tuple[str, str]] = []
    errors = validator.iter_errors()
    while True:
        try:
            exc = next(errors)
        except StopIteration:
            break
        except Exception as crash:  # noqa: BLE001  (its later, semantic checks assume a schema-valid spec)
            if not problems:
                problems.append(("", f"openapi-spec-validator could not check the spec: {crash!r}"))
            break
        pointer = "/" + "/".join(esc(str(p)) for p in getattr(exc, "absolute_path", []) or [])
        message = f"openapi-spec-validator: {str(getattr(exc, 'message', exc)).splitlines()[0]}"
        if (pointer, message) not in problems:
            problems.append((pointer, message))
    return problems


def check_refs(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Every `$ref` that leaves this file or names nothing, with a did-you-mean for typos."""
    problems: list[tuple[str, str]] = []
    names = [
        f"#/components/{kind}/{esc(n)}"
        for kind, m in obj(spec.get("components")).items()
        if is_obj(m)
        for n in m
    ]

    def walk(node: object, pointer: str) -> None:
        if is_arr(node):
            for i, v in enumerate(node):
                walk(v, f"{pointer}/{i}")
            return
        if not is_obj(node):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith("#"):
                problems.append(
                    (
                        pointer,
                        f"external $ref {ref!r} is not supported; hint: bundle the spec into one file "
                        "(e.g. `redocly bundle`)",
                    )
                )
            elif resolve_pointer(spec, ref) is None:
                close = difflib.get_close_matches(ref, names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append((pointer, f"$ref {ref!r} does not resolve{hint}"))
        for key, value in node.items():
            if key not in ("example", "examples", "default", "const", "enum"):
                walk(value, f"{pointer}/{esc(key)}")

    walk(spec, "")
    return problems


def normalize(spec: dict[str, Any], version: str) -> dict[str, Any]:
    """A copy with the optional top-level sections present and OpenAPI 3.0 schema idioms in 3.1 form."""
    spec = copy.deepcopy(spec)
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})
    if version.startswith("3.0."):
        _walk_schemas(spec, _upgrade_30)
    return spec


def _upgrade_30(node: dict[str, Any]) -> None:
    # 3.0 `nullable: true` is 3.1's null type; 3.0 boolean exclusiveMinimum/Maximum move the bound.
    if node.pop("nullable", False) is True:
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        elif "$ref" in node or "allOf" in node or "oneOf" in node or "anyOf" in node:
            inner = {k: node.pop(k) for k in list(node) if k in ("$ref", "allOf", "oneOf", "anyOf")}
            node["anyOf"] = [inner, {"type": "null"}]
    for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(flag), bool):
            if node.pop(flag) and bound in node:
                node[flag] = node.pop(bound)


def _walk_schemas(spec: dict[str, Any], visit: Callable[[Obj], None]) -> None:
    def walk(node: object, in_schema: bool) -> None:
        if is_arr(node):
            for v in node:
                walk(v, in_schema)
            return
        if not is_obj(node):
            return
        if in_schema:
            visit(node)
        for key, value in node.items():
            if key in ("example", "examples", "default", "const", "enum"):
                continue
            if in_schema and key in ("properties", "patternProperties") and is_obj(value):
                for sub in value.values():
                    walk(sub, True)
                continue
            walk(value, in_schema or key in _SCHEMA_SLOTS)

    walk(spec, False)


def lint(spec: dict[str, Any], settings: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """Checks openapi-spec-validator does not make: typos, 3.0-isms, dangling refs and links.

    `settings["require"]` lists what every operation of this project's spec must say (x-retries,
    operationId, tags); a foreign spec requires none of them and gets defaults instead.
    """
    required = set(arr(obj(settings).get("require")))
    problems: list[tuple[str, str]] = []
    op_ids = {
        op.get("operationId")
        for item in obj(spec.get("paths")).values()
        for m, op in obj(item).items()
        if m in _METHODS and is_obj(op)
    }

    def walk(node: object, pointer: str, in_schema: bool) -> None:
        if is_arr(node):
            for i, v in enumerate(node):
                walk(v, f"{pointer}/{i}", in_schema)
            return
        if not is_obj(node):
            return
        if in_schema:
            _lint_schema(node, pointer, problems)
        for key, value in node.items():
            child = f"{pointer}/{esc(key)}"
            if key in ("example", "examples", "default", "const", "enum"):
                continue
            if in_schema and key in ("properties", "patternProperties"):
                for name, sub in obj(value).items():
                    walk(sub, f"{child}/{esc(name)}", True)
                continue
            if key == "links" and is_obj(value):
                for lname, link in value.items():
                    if is_obj(link) and link.get("operationId") not in op_ids:
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

    problems += check_refs(spec)
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
        if not op.get("operationId") and "operationId" in required:
            problems.append((pointer, "operation has no operationId"))
        if not op.get("tags") and "tags" in required:
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
        k in node for k in ("type", "$ref", "properties", "oneOf", "anyOf", "allOf", "items", "enum", "not")
    )
    if not looks_like_schema:
        return
    for key in node:
        if key in REFUSED_KEYWORDS:
            problems.append((f"{pointer}/{esc(key)}", REFUSED_KEYWORDS[key]))
        elif key not in SCHEMA_KEYWORDS and key != "nullable" and not key.startswith("x-"):
            problems.append((f"{pointer}/{esc(key)}", f"unknown or unsupported schema keyword {key!r}"))
    props = obj(node.get("properties"))
    for name in arr(node.get("required")):
        if props and name not in props:
            problems.append((f"{pointer}/required", f"required property {name!r} is not in properties"))


def iter_operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, Obj]] = []
    for path, item in obj(spec.get("paths")).items():
        for method in _METHODS:
            op = obj(item).get(method)
            if is_obj(op):
                out.append((f"/paths/{esc(path)}/{method}", op))
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
        if is_obj(node) and token in node:
            node = node[token]
        else:
            return None
    return node
