"""Intermediate representation: what the templates render, independent of OpenAPI's syntax."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, assert_never

from .naming import pascal, snake

# ---- types: a tree, so code and docs can each render it their own way --------------------------


@dataclass(frozen=True)
class Prim:
    # datetime/date/UUID: `format` date-time, date, uuid (read leniently: an unparsable value stays a str).
    name: Literal["str", "int", "float", "bool", "None", "Any", "bytes", "datetime", "date", "UUID"]


@dataclass(frozen=True)
class ListOf:
    item: TypeNode


@dataclass(frozen=True)
class DictOf:
    value: TypeNode


@dataclass(frozen=True)
class Ref:
    """A named model or enum (a component schema or a synthesized inline one)."""

    name: str
    kind: Literal["model", "enum"]


@dataclass(frozen=True)
class Union:
    options: tuple[TypeNode, ...]
    # anyOf: try the options left to right (first fit wins); oneOf: pydantic's smart mode.
    ordered: bool


@dataclass(frozen=True)
class Nullable:
    inner: TypeNode


@dataclass(frozen=True)
class JsonString:
    """A string carrying JSON (contentMediaType application/json), decoded to `inner`."""

    inner: TypeNode


@dataclass(frozen=True)
class Const:
    value: str | int | bool


TypeNode = Prim | ListOf | DictOf | Ref | Union | Nullable | JsonString | Const


def children(node: TypeNode) -> tuple[TypeNode, ...]:
    """The types directly inside a type: the one place that knows each kind's shape (mypy checks it is exhaustive)."""
    match node:
        case Prim() | Ref() | Const():
            return ()
        case ListOf(item=item):
            return (item,)
        case DictOf(value=value):
            return (value,)
        case Nullable(inner=inner) | JsonString(inner=inner):
            return (inner,)
        case Union(options=options):
            return options
        case _:
            assert_never(node)


def refs(node: TypeNode | None) -> list[Ref]:
    """Every model and enum a type names, outermost first."""
    if node is None:
        return []
    if isinstance(node, Ref):
        return [node]
    return [r for child in children(node) for r in refs(child)]


# ---- models -------------------------------------------------------------------------------------


class _NoDefault:
    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


@dataclass
class Field:
    name: str
    wire: str
    type: TypeNode
    required: bool
    description: str = ""
    example: Any = None
    constraints: dict[str, Any] = field(default_factory=dict[str, Any])
    # The schema's `default` (NO_DEFAULT when it has none): an unset field reads as this value.
    default: Any = NO_DEFAULT
    read_only: bool = False  # set by the server, never sent
    write_only: bool = False  # sent, never returned
    deprecated: bool = False
    # `format: password`: a credential, kept out of the model's repr.
    secret: bool = False


@dataclass
class Model:
    name: str
    module: str
    pointer: str
    description: str = ""
    fields: list[Field] = field(default_factory=list[Field])
    base: str | None = None
    # "allow" for anything the server sends, "forbid" for request-only models.
    extra: Literal["allow", "forbid"] = "allow"
    example: Any = None
    response_side: bool = False
    request_side: bool = False
    # `properties` + an `additionalProperties` schema: the type of the other keys (kept, typed).
    extra_type: TypeNode | None = None

    @property
    def read_only(self) -> list[str]:
        return [f.wire for f in self.fields if f.read_only]


@dataclass
class Enum:
    name: str
    module: str
    pointer: str
    values: list[str]
    description: str = ""
    # Open: unknown values parse as plain strings (anything the server sends).
    open: bool = False


# ---- operations ---------------------------------------------------------------------------------


@dataclass
class Param:
    name: str
    wire: str
    location: Literal["query", "path", "header"]
    type: TypeNode
    required: bool
    description: str = ""
    example: Any = None
    # Query/path/header serialization (OpenAPI defaults: form + explode for query, simple otherwise).
    style: str = "form"
    explode: bool = True
    default: Any = NO_DEFAULT
    deprecated: bool = False
    # minimum, maxLength, pattern, ... of the parameter's schema: checked before sending.
    constraints: dict[str, Any] = field(default_factory=dict[str, Any])


@dataclass
class Security:
    """How the token travels: a header name and a prefix ("Bearer " for http bearer)."""

    scheme: str
    header: str
    prefix: str = ""


@dataclass
class Body:
    type: TypeNode
    media: str
    required: bool
    description: str = ""
    example: Any = None
    item_type: TypeNode | None = None
    constraints: dict[str, Any] = field(default_factory=dict[str, Any])
    # multipart: (part name, content type, filename) from the media type's `encoding`.
    encoding: list[tuple[str, str, str]] = field(default_factory=list[tuple[str, str, str]])
    # `x-content-type`: the Content-Type header sent when it differs from the body's format (media).
    content_type: str | None = None


@dataclass
class Response:
    status: str
    type: TypeNode | None
    media: str | None
    description: str = ""
    example: Any = None


@dataclass
class JobPolling:
    """A polling contract (components/x-job-polling/<name>) shared by a family of job operations."""

    name: str
    status_operation: str
    # Wire names of the status operation's parameters (a link may fill any of them).
    params: list[str]
    # (verdict, JSON pointer into the status answer, casefolded values), terminal verdicts first.
    rules: list[tuple[str, str, list[str]]]
    message: str | None = None
    progress: tuple[str, str] | None = None
    errors_operation: str | None = None
    description: str = ""
    pointer: str = ""

    @property
    def const(self) -> str:
        return snake(self.name).upper()

    @property
    def handle_class(self) -> str:
        return f"{pascal(self.name)}Handle"


@dataclass
class JobLink:
    polling: JobPolling
    details: Ref
    sources: list[tuple[str, str]]
    # 2XX statuses whose bodies are job handles; any other 2XX response is a finished result.
    handle_statuses: list[str] = field(default_factory=list[str])
    sync_statuses: list[str] = field(default_factory=list[str])
    # What `wait()` returns: the successful job's narrower details (x-job.succeeded), else `details`.
    succeeded: Ref | None = None

    @property
    def result(self) -> Ref:
        return self.succeeded or self.details

    @property
    def status_operation(self) -> str:
        return self.polling.status_operation

    @property
    def hybrid(self) -> bool:
        return bool(self.sync_statuses)


@dataclass
class Paging:
    """`x-pagination`: parameter names (Python), the next-page header if any, sizes, the item type."""

    limit: str
    offset: str
    next_header: str | None
    page_size: int
    max_page_size: int
    item: TypeNode


@dataclass
class Operation:
    id: str
    name: str
    group: str
    method: str
    path: str
    pointer: str
    summary: str
    description: str
    retry: Literal["idempotent", "submit"]
    params: list[Param]
    body: Body | None
    responses: list[Response]
    errors: list[Response]
    exactly_one_of: list[str]
    job: JobLink | None
    batch_limit: int | None
    security: Security | None
    deprecated: bool = False
    # Object bodies (data quality): the wire name of the one list the batch limit applies to.
    batch_field: str | None = None
    paging: Paging | None = None

    @property
    def secured(self) -> bool:
        return self.security is not None

    @property
    def slug(self) -> str:
        """snake_case operationId: what links and job contracts name (the method name may differ)."""
        return snake(self.id)

    @property
    def const(self) -> str:
        return self.slug.upper()

    @property
    def success(self) -> Response:
        return self.responses[0]


@dataclass
class Group:
    tag: str
    attr: str
    class_name: str
    module: str
    description: str
    operations: list[Operation] = field(default_factory=list[Operation])


@dataclass
class Api:
    title: str
    version: str
    description: str
    server_template: str
    package: str
    client_class: str
    settings: dict[str, Any]
    groups: list[Group]
    models: list[Model]
    enums: list[Enum]
    spec_path: str

    @property
    def default_server(self) -> str | None:
        """The spec's first server when it is one fixed absolute URL (no variables), else None."""
        url = self.server_template
        return url if url.startswith(("http://", "https://")) and "{" not in url else None

    @property
    def service(self) -> str:
        """How docs name the server side (gen.yaml `service`)."""
        return str(self.settings.get("service") or "the API")

    @property
    def operations(self) -> list[Operation]:
        return [op for g in self.groups for op in g.operations]
