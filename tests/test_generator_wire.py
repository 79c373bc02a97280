"""Every spec construct the generator honours, checked on the wire: a probe spec is generated into
a scratch package and called through an httpx mock transport."""

from __future__ import annotations

import datetime
import json
import logging
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.generated_project import imported, make_project, run_generator

OK = {"description": "ok"}


def json_response(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


PET = {"$ref": "#/components/schemas/Pet"}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Wire probe", "version": "1"},
    "servers": [{"url": "https://example.com/api"}],
    "security": [{"bearer": []}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "parameters": [
                    {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {
                        "name": "ids",
                        "in": "query",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "integer"}},
                    },
                    {
                        "name": "kinds",
                        "in": "query",
                        "style": "pipeDelimited",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "filter",
                        "in": "query",
                        "style": "deepObject",
                        "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "deprecated": True,
                        "schema": {"type": "integer", "default": 20, "minimum": 1, "maximum": 100},
                        "examples": {"small": {"value": 5}},
                    },
                    {
                        "name": "q",
                        "in": "query",
                        "schema": {"type": "string", "maxLength": 3, "pattern": "^[a-z]+$"},
                    },
                ],
                "responses": json_response({"type": "array", "items": PET}),
            },
            "post": {
                "operationId": "createPet",
                "tags": ["pets"],
                "requestBody": {"required": True, "content": {"application/json": {"schema": PET}}},
                "responses": json_response(PET),
            },
        },
        "/pets/{id}/photo": {
            "post": {
                "operationId": "uploadPhoto",
                "tags": ["pets"],
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "format": "uuid"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["photo"],
                                "properties": {
                                    "photo": {"type": "string", "format": "binary"},
                                    "caption": {"type": "string"},
                                },
                            },
                            "encoding": {"photo": {"contentType": "image/png", "x-filename": "photo.png"}},
                        }
                    },
                },
                "responses": {
                    "200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}
                },
            }
        },
        "/pets/{id}/export": {
            "get": {
                "operationId": "exportPet",
                "tags": ["pets"],
                "deprecated": True,
                "security": [],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                        },
                    }
                },
            }
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id", "name", "born"],
                "properties": {
                    "id": {"type": "string", "format": "uuid", "readOnly": True},
                    "name": {"type": "string"},
                    "born": {"type": "string", "format": "date-time"},
                    "status": {"type": "string", "enum": ["available", "sold"], "default": "available"},
                    "secret": {"type": "string", "writeOnly": True},
                    "legs": {"type": "integer", "default": 4},
                    "nickname": {"type": "string", "deprecated": True},
                },
                "additionalProperties": {"type": "integer"},
            }
        },
    },
}

PET_ID = "6f1c8f7e-3b5a-4c1e-9d2a-1b2c3d4e5f60"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = make_project(tmp_path_factory.mktemp("wire"), SPEC, "wire_probe", client_class="Probe")
    proc = run_generator(root)
    assert proc.returncode == 0, proc.stderr
    with imported(root, "wire_probe") as module:
        yield module


def client(sdk: ModuleType, handler: Callable[[httpx.Request], httpx.Response]) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return sdk.Probe(server_url="https://example.com/api", token="s3cret", client=http)


def pet_json(**extra: Any) -> dict[str, Any]:
    return {"id": PET_ID, "name": "Rex", "born": "2024-05-01T10:00:00Z", **extra}


def test_bearer_scheme_and_query_styles(sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[pet_json()])

    with client(sdk, handler) as c, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pets = c.pets.list_pets(
            tags=["a", "b"], ids=[1, 2], kinds=["x", "y"], filter={"color": "red"}, limit=5
        )
    request = seen[0]
    assert request.headers["authorization"] == "Bearer s3cret" and "token" not in request.headers
    assert request.url.path == "/api/pets"
    assert request.url.params.multi_items() == [
        ("tags", "a"),
        ("tags", "b"),
        ("ids", "1,2"),
        ("kinds", "x|y"),
        ("filter[color]", "red"),
        ("limit", "5"),
    ]
    assert any("limit is deprecated" in str(w.message) for w in caught if w.category is DeprecationWarning)
    assert pets[0].id == uuid.UUID(PET_ID)
    assert pets[0].born == datetime.datetime(2024, 5, 1, 10, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"q": "abcd"}, "q"), ({"q": "AB"}, "q")],
)
def test_parameter_constraints_are_checked_before_sending(
    sdk: ModuleType, arguments: dict[str, Any], named: str
) -> None:
    from pydantic import ValidationError

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    with client(sdk, handler) as c, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ValidationError) as caught:
            c.pets.list_pets(**arguments)
        assert [e["loc"][0] for e in caught.value.errors()] == [named]
        assert seen == []  # refused before anything was sent
        c.pets.list_pets(limit=100, q="abc")  # the bounds themselves are allowed
    assert seen[0].url.params["limit"] == "100"


def test_response_datetime_is_lenient_and_defaults_fill_in(sdk: ModuleType) -> None:
    body = [pet_json(born="sometime in May", extra_count=3)]
    with client(sdk, lambda r: httpx.Response(200, json=body)) as c:
        pet = c.pets.list_pets()[0]
    assert pet.born == "sometime in May"  # kept as sent, not an error
    assert pet.legs == 4 and pet.status == sdk.models.PetStatus.AVAILABLE  # spec defaults
    assert pet.model_extra == {"extra_count": 3}  # additionalProperties: kept and typed
    with pytest.raises(Exception, match="extra_count"):
        sdk.models.Pet.model_validate(pet_json(extra_count="three"))
    with pytest.warns(DeprecationWarning, match="nickname"):
        _ = pet.nickname


def test_read_only_is_never_sent_and_write_only_is_optional_when_read(sdk: ModuleType) -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=pet_json())  # no `secret`: write-only fields are never returned

    with client(sdk, handler) as c:
        pet = c.pets.create_pet(
            request=sdk.models.Pet(
                id=PET_ID, name="Rex", born=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC), secret="x"
            )
        )
    assert sent == [{"name": "Rex", "born": "2024-05-01T00:00:00Z", "secret": "x"}]
    assert pet.secret is None and pet.to_wire()["id"] == PET_ID  # read-only fields are kept when read


def test_multipart_part_has_spec_filename_and_type_and_text_response(sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="stored", headers={"content-type": "text/plain"})

    with client(sdk, handler) as c:
        answer = c.pets.upload_photo(request={"photo": b"\x89PNG", "caption": "hi"}, id=PET_ID)
    assert answer == "stored"
    body = seen[0].read()
    assert b'filename="photo.png"' in body and b"Content-Type: image/png" in body
    assert seen[0].url.path == f"/api/pets/{PET_ID}/photo"


def test_binary_response_unsecured_and_deprecated_operation(sdk: ModuleType) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"\x00\x01", headers={"content-type": "application/octet-stream"})

    with client(sdk, handler) as c, pytest.warns(DeprecationWarning, match="export_pet"):
        data = c.pets.export_pet(id="7")
    assert data == b"\x00\x01"
    assert "authorization" not in seen[0].headers  # security: []
    assert "Deprecated" in (sdk.pets.Pets.export_pet.__doc__ or "")


def test_api_key_scheme_header_name_comes_from_the_spec(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = json.loads(json.dumps(SPEC))
    spec["components"]["securitySchemes"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}}
    spec["security"] = [{"key": []}]
    root = make_project(tmp_path, spec, "wire_probe_key", client_class="Probe")
    assert run_generator(root).returncode == 0
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    with (
        imported(root, "wire_probe_key") as module,
        client(module, handler) as c,
        caplog.at_level(logging.DEBUG),
    ):
        c.pets.list_pets()
    assert seen[0].headers["x-api-key"] == "s3cret" and "authorization" not in seen[0].headers
    assert "x-api-key" in caplog.text and "s3cret" not in caplog.text  # debug logs redact the scheme's header


@pytest.mark.parametrize(
    ("mutate", "pointer", "words"),
    [
        (
            lambda s: s["components"]["schemas"]["Pet"]["properties"].update(no={"not": {"type": "string"}}),
            "/components/schemas/Pet/properties/no/not",
            "hint",
        ),
        (
            lambda s: s["components"]["securitySchemes"].update(bearer={"type": "http", "scheme": "basic"}),
            "/components/securitySchemes/bearer",
            "bearer",
        ),
        (
            lambda s: s["paths"]["/pets"]["get"]["parameters"][0].update(style="matrix"),
            "/paths/~1pets/get/parameters/0",
            "style",
        ),
        (
            lambda s: s["paths"]["/pets/{id}/export"]["get"]["responses"]["200"].update(
                content={"application/xml": {}}
            ),
            "/paths/~1pets~1{id}~1export/get/responses/200/content",
            "hint",
        ),
    ],
)
def test_unsupported_constructs_are_refused_with_pointer_and_hint(
    tmp_path: Path, mutate: Any, pointer: str, words: str
) -> None:
    spec = json.loads(json.dumps(SPEC))
    mutate(spec)
    proc = run_generator(make_project(tmp_path, spec, "wire_refused"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    line = next((ln for ln in proc.stderr.splitlines() if ln.strip().startswith(pointer)), None)
    assert line is not None and words in line, proc.stderr
