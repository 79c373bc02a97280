"""Stage 3b: render the reference docs (docs/sdks, docs/models) and the README's generated sections."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import ir
from .config_docs import config_pages
from .doc_pages import DocsError, Page, Row, cell, page_file
from .naming import enum_member, field_name
from .paging import paging_docs
from .pretty import Atom, Doc, Seq, flat, fmt, literal, plain
from .pytypes import doc_type
from .raw import is_arr, is_obj
from .render import MD_HEADER, environment

README = "README.md"
MODELS = "docs/models"
UTILS = "docs/models/utils"
CALL_OPTIONS = (
    (
        "retries",
        "[Optional[RetryConfig]](../../models/utils/retryconfig.md)",
        "Override the client's retry configuration for this call.",
    ),
    ("timeout_ms", "*Optional[int]*", "Override the client's request timeout (milliseconds)."),
    ("server_url", "*Optional[str]*", "Override the client's server URL for this call."),
    ("http_headers", "*Optional[Mapping[str, str]]*", "Extra HTTP headers to send with this call."),
)


def render_docs(api: ir.Api, root: Path) -> dict[str, str]:
    """Every generated doc file, plus README.md with its marked sections replaced."""
    env = environment()
    header = MD_HEADER.format(spec=api.spec_path)
    docs = _Docs(api)
    out: dict[str, str] = {}
    for group in api.groups:
        ops = [docs.operation(op) for op in group.operations]
        out[f"docs/sdks/{group.module}/README.md"] = env.get_template("docs_group.md.jinja").render(
            header=header, group=group, ops=ops, service=api.service
        )
    for page in docs.model_pages():
        out[f"{MODELS}/{page['file']}"] = env.get_template("docs_model.md.jinja").render(
            header=header, **page
        )
    for page in config_pages(api, root):
        out[f"{UTILS}/{page['file']}"] = env.get_template("docs_model.md.jinja").render(header=header, **page)
    readme = root / README
    if readme.exists():
        sections = {
            "Available Resources and Operations": env.get_template("readme_operations.md.jinja").render(
                api=api, groups=[(g, [docs.summary(op) for op in g.operations]) for g in api.groups]
            ),
        }
        out[README] = replace_sections(readme.read_text(encoding="utf-8"), sections)
    return out


def replace_sections(text: str, sections: dict[str, str]) -> str:
    """Replace what lies between `<!-- Start: NAME -->` and `<!-- End: NAME -->`; both must exist."""
    for name, body in sections.items():
        start, end = f"<!-- Start: {name} -->", f"<!-- End: {name} -->"
        i, j = text.find(start), text.find(end)
        if i < 0 or j < i:
            raise DocsError([(README, f"missing or misordered markers {start!r} ... {end!r}")])
        text = text[: i + len(start)] + "\n" + body.strip("\n") + "\n" + text[j:]
    return text


# ---- operations ---------------------------------------------------------------------------------


class _Docs:
    def __init__(self, api: ir.Api) -> None:
        self.api = api
        self.settings = api.settings
        self.service = api.service
        self.var = api.settings["docs"]["client_var"]
        self.models = {m.name: m for m in api.models}
        self.enums = {e.name: e for e in api.enums}
        self.ops = {op.name: op for op in api.operations}
        files: dict[str, str] = {}
        for name in [*self.models, *self.enums]:
            f = page_file(name)
            if f in files:
                raise DocsError([("/components/schemas", f"{name} and {files[f]} share the doc page {f}")])
            files[f] = name

    def summary(self, op: ir.Operation) -> dict[str, Any]:
        return {"op": op, "summary": cell(op.summary or op.description.split("\n")[0])}

    def operation(self, op: ir.Operation) -> dict[str, Any]:
        link = "../../models/"
        params: list[tuple[str, str, bool, str]] = []
        if op.body:
            desc = op.body.description or "The request body."
            if op.batch_limit:
                desc += f" At most {op.batch_limit} items per request."
            params.append(("request", doc_type(op.body.type, link), op.body.required, desc))
        for p in sorted(op.params, key=lambda p: not p.required):
            desc = p.description or "N/A"
            if p.deprecated:
                desc += " **Deprecated.**"
            if p.default is not ir.NO_DEFAULT:
                desc += f" Server default: `{json.dumps(p.default)}`."
            if p.name in op.exactly_one_of:
                others = ", ".join(f"`{n}`" for n in op.exactly_one_of if n != p.name)
                desc += f" Give exactly one of this and {others}."
            params.append((p.name, doc_type(p.type, link), p.required, desc))
        rows = [(f"`{n}`", cell(t if "[" in t else f"*{t}*"), req, cell(d)) for n, t, req, d in params]
        if op.paging:
            rows.append(
                (
                    "`max_items`",
                    "*Optional[int]*",
                    False,
                    "Stop after this many items (None: list everything).",
                )
            )
        rows += [(f"`{n}`", t, False, d) for n, t, d in CALL_OPTIONS]
        success = op.success
        return {
            "op": op,
            "anchor": op.name,
            "summary": self.summary(op)["summary"],
            "description": op.description,
            "snippet": self.snippet(op),
            "params": rows,
            "response": doc_type(success.type, link) if success.type else "None",
            "details": doc_type(op.job.details, link) if op.job else None,
            "succeeded": doc_type(op.job.result, link) if op.job else None,
            "handle_class": op.job.polling.handle_class if op.job else None,
            "handle": self.handle_type(op, link),
            "sync": [
                (r.status, doc_type(r.type, link) if r.type else "no body")
                for r in op.responses
                if op.job and r.status in op.job.sync_statuses
            ],
            "errors": self.errors(op, link),
            "paging": paging_docs(op, link) if op.paging else None,
        }

    def handle_type(self, op: ir.Operation, link: str) -> str | None:
        if not op.job:
            return None
        statuses = op.job.handle_statuses or [op.success.status]
        types = [doc_type(r.type, link) for r in op.responses if r.status in statuses and r.type]
        return " \\| ".join(dict.fromkeys(types)) or None

    def errors(self, op: ir.Operation, link: str) -> list[tuple[str, str, str, str]]:
        by_type: dict[tuple[str, str], list[str]] = {}
        for r in op.errors:
            if r.type is not None and r.media and "json" in r.media:
                by_type.setdefault((doc_type(r.type, link), r.media), []).append(r.status)
        rows = [
            ("errors.ProblemDetailsError", ", ".join(st), media, cell(data))
            for (data, media), st in by_type.items()
        ]
        rows.append(("errors.APIError", "4XX, 5XX", "\\*/\\*", "—"))
        if op.job:
            rows.append(("errors.JobFailedError", "job ended `failed` (from `wait()`)", "—", "—"))
            rows.append(("errors.JobTimeoutError", "job still running at timeout (from `wait()`)", "—", "—"))
        return rows

    # -- usage snippets ---------------------------------------------------------------------------

    def snippet(self, op: ir.Operation) -> str:
        lines: list[str] = []
        if op.job and op.job.hybrid:
            lines.append(fmt(self.call(op, "res = "), 4))
            # A new name for the waited result: `res` is typed handle-or-result, the wait's details are not.
            lines.append(f"    # {self.service} may run the request as a job: then wait for its details")
            lines.append("    result = res.wait(timeout=60) if isinstance(res, JobHandle) else res")
            lines.append("    print(result)")
        elif op.job:
            lines.append(fmt(self.call(op, "job = "), 4))
            lines.append("    details = job.wait(timeout=60)  # polls until the job ends")
            lines += self.use_details(op.job.result, op.job.polling)
        elif op.paging:
            call = self.call(op, "")
            lines.append(fmt(Seq("for item in " + call.open, call.close + ":", call.items), 4))
            lines.append("        print(item)")
        elif (source := self.job_source(op)) is not None:
            job_op, param = source
            assert job_op.job is not None
            lines.append(fmt(self.call(job_op, "job = "), 4))
            # The contract's handle class has a typed property per status parameter (handles.py).
            call = Seq(f"{self.var}.{op.group}.{op.name}(", ")", [(f"{param}=", Atom(f"job.{param}"))])
            lines.append(fmt(Seq("res = " + call.open, call.close, call.items), 4))
            if op.slug == job_op.job.polling.status_operation:
                lines.append(f"    print({_status_fields(job_op.job.polling, 'res')})")
            else:
                lines.append("    print(res)")
        else:
            res = "res = " if op.success.type is not None else ""
            lines.append(fmt(self.call(op, res), 4))
            if res:
                lines.append("    print(res)")
        body = "\n".join(lines)
        names = ["JobHandle"] if "JobHandle" in body else []
        cls = self.api.client_class
        names = sorted(
            [*names, cls] + (["models"] if "models." in body else []), key=lambda n: (n.islower(), n)
        )
        head = f"import os\n\nfrom {self.api.package} import " + ", ".join(names)
        env = self.settings["docs"]["env"]
        client = (
            f'with {cls}(server_url=os.environ["{env["server_url"]}"], token=os.environ["{env["token"]}"])'
            f" as {self.var}:"
        )
        return f"{head}\n\n{client}\n{body}\n"

    def job_source(self, op: ir.Operation) -> tuple[ir.Operation, str] | None:
        """For a job-status operation: a create job with a short example to start, and the parameter to pass."""
        starters = [
            other
            for other in self.api.operations
            if other.job
            and not other.job.hybrid
            and op.slug in (other.job.status_operation, other.job.polling.errors_operation)
            and other.job.sources
        ]
        if not starters:
            return None
        best = min(
            starters, key=lambda o: (not o.name.startswith("create"), len(flat(self.call(o, ""))), o.name)
        )
        assert best.job is not None
        return best, best.job.sources[0][0]

    def use_details(self, details: ir.Ref, polling: ir.JobPolling) -> list[str]:
        lines = [f"    print({_status_fields(polling, 'details')})"]
        model = self.models[details.name]
        result = next((f for f in self.all_fields(model) if f.wire == "result"), None)
        typed = _first_model(result.type) if result else None
        if typed is not None:
            fields = self.all_fields(self.models[typed.name])
            shown = next((f for f in fields if isinstance(f.type, ir.ListOf)), fields[0] if fields else None)
            read = f"details.result.{shown.name}" if shown else "details.result"
            if result is not None and result.type == typed:  # a succeeded model: `result` is not Optional
                lines.append(f"    print({read})  # typed result")
            else:
                lines.append(f"    if isinstance(details.result, models.{typed.name}):  # typed result")
                lines.append(f"        print({read})")
        else:
            lines.append("    print(details.result)")
        return lines

    def call(self, op: ir.Operation, assign: str) -> Seq:
        items: list[tuple[str, Doc]] = []
        if op.body:
            example = op.body.example if op.body.example is not None else self.synth(op.body.type)
            items.append(("request=", self.value(op.body.type, example)))
        picked_one = False
        for p in op.params:
            if p.name in op.exactly_one_of:
                if picked_one:
                    continue
                picked_one = True
            elif not p.required and p.example is None:
                continue
            example = p.example if p.example is not None else self.synth(p.type)
            items.append((f"{p.name}=", self.value(p.type, example, p.wire)))
        return Seq(f"{assign}{self.var}.{op.group}.{op.name}(", ")", items)

    def all_fields(self, model: ir.Model) -> list[ir.Field]:
        inherited = self.all_fields(self.models[model.base]) if model.base else []
        own = {f.name for f in model.fields}
        return [f for f in inherited if f.name not in own] + list(model.fields)

    def synth(self, node: ir.TypeNode) -> Any:
        """A plausible value when the spec gives no example (required fields only)."""
        if isinstance(node, ir.Prim):
            return {
                "str": "example",
                "int": 1,
                "float": 1.0,
                "bool": True,
                "bytes": "a,b\n1,2\n",
                "datetime": "2024-01-01T00:00:00Z",
                "date": "2024-01-01",
                "UUID": "00000000-0000-4000-8000-000000000000",
            }.get(node.name)
        if isinstance(node, ir.ListOf):
            return [self.synth(node.item)]
        if isinstance(node, ir.Ref) and node.kind == "enum":
            return self.enums[node.name].values[0]
        if isinstance(node, ir.Ref):
            model = self.models[node.name]
            if model.example is not None:
                return model.example
            return {
                f.wire: f.example if f.example is not None else self.synth(f.type)
                for f in self.all_fields(model)
                if f.required
            }
        if isinstance(node, ir.Union):
            return self.synth(node.options[0])
        if isinstance(node, (ir.Nullable, ir.JsonString)):
            return self.synth(node.inner)
        if isinstance(node, ir.Const):
            return node.value
        return {}

    def value(self, node: ir.TypeNode, v: Any, wire: str = "") -> Doc:
        """Render an example value as Python: models as constructors, enums as members."""
        credentials = self.settings["docs"]["credentials"]
        if wire in credentials and isinstance(v, str):
            return Atom(f'os.environ["{credentials[wire]}"]')
        if isinstance(node, ir.Nullable):
            return Atom("None") if v is None else self.value(node.inner, v)
        if isinstance(node, ir.JsonString):
            return Atom(literal(v)) if isinstance(v, str) else self.value(node.inner, v)
        if isinstance(node, ir.ListOf) and is_arr(v):
            return Seq("[", "]", [("", self.value(node.item, x)) for x in v])
        if isinstance(node, ir.DictOf) and is_obj(v):
            return Seq("{", "}", [(f"{json.dumps(k)}: ", self.value(node.value, x)) for k, x in v.items()])
        if isinstance(node, ir.Prim) and node.name == "bytes" and isinstance(v, str):
            return Atom(repr(v.encode()))
        if isinstance(node, ir.Ref) and node.kind == "enum":
            if v in self.enums[node.name].values:
                return Atom(f"models.{node.name}.{enum_member(v)}")
            return Atom(literal(v))
        if isinstance(node, ir.Ref) and self.fits(node, v):
            fields = {f.wire: f for f in self.all_fields(self.models[node.name])}
            return Seq(
                f"models.{node.name}(",
                ")",
                [(f"{fields[k].name}=", self.value(fields[k].type, x, k)) for k, x in v.items()],
            )
        if isinstance(node, ir.Union):
            for option in node.options:
                if not isinstance(option, ir.Ref) or self.fits(option, v):
                    if isinstance(option, ir.Ref) or _plain_fits(option, v):
                        return self.value(option, v)
        return plain(v)

    def fits(self, ref: ir.Ref, v: Any) -> bool:
        if ref.kind != "model" or not is_obj(v):
            return False
        fields = self.all_fields(self.models[ref.name])
        wires = {f.wire for f in fields}
        return set(v) <= wires and all(f.wire in v for f in fields if f.required)

    # -- model pages ------------------------------------------------------------------------------

    def model_pages(self) -> list[Page]:
        pages: list[Page] = []
        for m in self.api.models:
            fields: list[Row] = []
            for f in self.all_fields(m):
                desc = f.description
                if _has_json_string(f.type):
                    desc += f" Sent by {self.service} as a JSON-encoded string; the SDK decodes it into the type shown."
                if f.read_only:
                    desc += f" Read-only: set by {self.service}, never sent."
                if f.write_only:
                    desc += f" Write-only: sent, never returned by {self.service}."
                if f.default is not ir.NO_DEFAULT:
                    desc += f" Default: `{json.dumps(f.default)}`."
                if f.deprecated:
                    desc += " **Deprecated.**"
                if f.constraints:
                    desc += (
                        " Constraints: "
                        + ", ".join(f"`{k}={v!r}`" for k, v in sorted(f.constraints.items()))
                        + "."
                    )
                desc = desc.strip() or "N/A"
                name = f"`{f.name}`" + (f" (wire: `{f.wire}`)" if f.wire != f.name else "")
                example = "" if f.example is None else f"`{json.dumps(f.example, ensure_ascii=False)}`"
                typ = doc_type(f.type, "")
                fields.append(
                    (name, cell(typ if "[" in typ else f"*{typ}*"), f.required, cell(desc), cell(example))
                )
            notes: list[str] = []
            if m.base:
                notes.append(f"Extends [{m.base}]({page_file(m.base)}): its fields are listed here too.")
            if m.extra == "forbid":
                notes.append(
                    f"Sent to {self.service} only: an unknown field is an error, not silently dropped."
                )
            else:
                notes.append(
                    f"Fields {self.service} sends that are not listed here are kept (`model_extra`, `to_wire()`)."
                )
            pages.append(
                {
                    "file": page_file(m.name),
                    "title": m.name,
                    "import_path": f"models.{m.name}",
                    "description": m.description,
                    "notes": notes,
                    "fields": fields,
                    "values": None,
                    "example": json.dumps(m.example, indent=2, ensure_ascii=False)
                    if m.example is not None
                    else None,
                }
            )
        for e in self.api.enums:
            note = (
                f"Open enum: a value {self.service} sends that is not listed stays a plain `str`."
                if e.open
                else "Closed enum: only these values are accepted."
            )
            pages.append(
                {
                    "file": page_file(e.name),
                    "title": e.name,
                    "import_path": f"models.{e.name}",
                    "description": e.description,
                    "notes": [note],
                    "fields": None,
                    "values": [(enum_member(v), v) for v in e.values],
                    "example": None,
                }
            )
        return sorted(pages, key=lambda p: p["file"])


def _first_model(node: ir.TypeNode | None) -> ir.Ref | None:
    if isinstance(node, ir.Ref) and node.kind == "model":
        return node
    if isinstance(node, ir.Union):
        return next((r for o in node.options if (r := _first_model(o))), None)
    if isinstance(node, (ir.Nullable, ir.JsonString)):
        return _first_model(node.inner)
    return None


def _has_json_string(node: ir.TypeNode) -> bool:
    return isinstance(node, ir.JsonString) or any(_has_json_string(c) for c in ir.children(node))


def _plain_fits(node: ir.TypeNode, v: Any) -> bool:
    if isinstance(node, ir.Prim):
        kinds: dict[str, type | tuple[type, ...]] = {
            "str": str,
            "int": int,
            "float": (int, float),
            "bool": bool,
            "None": type(None),
            "bytes": str,
            "datetime": str,
            "date": str,
            "UUID": str,
        }
        return node.name == "Any" or isinstance(v, kinds[node.name])
    if isinstance(node, ir.ListOf):
        return is_arr(v) and all(_plain_fits(node.item, x) for x in v)
    if isinstance(node, ir.DictOf):
        return is_obj(v)
    if isinstance(node, ir.Ref):
        return is_obj(v) if node.kind == "model" else isinstance(v, str)
    if isinstance(node, ir.Const):
        return bool(v == node.value)
    return True


def _status_fields(polling: ir.JobPolling, var: str) -> str:
    """The fields a polling contract reads the outcome from (and its message), as snippet arguments."""
    pointers = [p for _, p, _ in reversed(polling.rules)] + ([polling.message] if polling.message else [])
    names = dict.fromkeys(field_name(p.lstrip("/").split("/")[0]) for p in pointers)
    return ", ".join(f"{var}.{n}" for n in names)
