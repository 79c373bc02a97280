"""Reference pages for the hand-written option types (RetryConfig, BackoffStrategy, PollConfig).

Their fields and descriptions are read from the runtime's source (parsed, not imported), so the
docs cannot drift from the code; the client's defaults come from `openapi/gen.yaml`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from . import ir
from .doc_pages import DocsError, Page, Row, cell, page_file

# The hand-written runtime types the per-call options link to (parsed from their source, not imported).
CONFIG_SOURCE = "_runtime/config.py"
CONFIG_CLASSES = ("RetryConfig", "BackoffStrategy", "PollConfig")


def config_pages(api: ir.Api, root: Path) -> list[Page]:
    source = root / "src" / api.package / CONFIG_SOURCE
    tree = ast.parse(source.read_text(encoding="utf-8"))
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    pages: list[Page] = []
    problems: list[tuple[str, str]] = []
    for name in CONFIG_CLASSES:
        cls = classes.get(name)
        if cls is None:
            raise DocsError([(str(source), f"class {name} not found (docs link to it)")])
        fields: list[Row] = []
        for stmt, after in zip(cls.body, [*cls.body[1:], None], strict=True):
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                key = f"{name}.{stmt.target.id}"
                # The field's description is the string literal right below it (an attribute docstring).
                described = isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                text = str(after.value.value).strip() if described else ""  # type: ignore[union-attr]
                if not text:
                    problems.append((str(source), f"{key} has no description (a docstring line below it)"))
                default = _default(stmt.value)
                typ = ast.unparse(stmt.annotation)
                typ = re.sub(
                    r"\b(" + "|".join(CONFIG_CLASSES) + r")\b", lambda m: f"[{m[1]}]({page_file(m[1])})", typ
                )
                fields.append(
                    (
                        f"`{stmt.target.id}`",
                        cell(typ if "[" in typ else f"*{typ}*"),
                        False,
                        cell(" ".join(text.split())),
                        cell(default),
                    )
                )
        pages.append(
            {
                "file": page_file(name),
                "title": name,
                # The README imports these from the package top level; `utils` is the Speakeasy-style alias.
                "import_path": f"{api.package}.{name}",
                "description": (ast.get_docstring(cls) or "").split("\n\n")[0],
                "notes": [f"Also importable as `{api.package}.utils.{name}`.", *_client_defaults(api, name)],
                "fields": fields,
                "values": None,
                "example": None,
                "default_column": "Default",
            }
        )
    if problems:
        raise DocsError(problems)
    return pages


def _default(node: ast.expr | None) -> str:
    if node is None:
        return ""
    if isinstance(node, ast.Call) and ast.unparse(node.func) == "field":
        for kw in node.keywords:
            if kw.arg == "default_factory":
                return f"`{ast.unparse(kw.value)}()`"
    return f"`{ast.unparse(node)}`"


def _client_defaults(api: ir.Api, name: str) -> list[str]:
    d = api.settings.get("defaults", {})
    if name == "RetryConfig" and "retry" in d:
        r = d["retry"]
        return [
            f"The generated `{api.client_class}` client uses strategy `{r['strategy']}`, "
            f"{r['max_attempts']} attempts, backoff {r['initial_interval_ms']} ms × {r['exponent']} "
            f"up to {r['max_interval_ms']} ms, at most {r['max_elapsed_time_ms']} ms in all "
            "(from `openapi/gen.yaml`); pass `retry_config=` to the client or `retries=` to a call to change it."
        ]
    if name == "PollConfig" and "poll" in d:
        p = d["poll"]
        return [
            f"The generated `{api.client_class}` client first polls after {p['initial_interval_s']} s, then waits "
            f"at most {p['lag_ratio']} of the job's age (at most {p['max_interval_s']} s) between polls, for at "
            f"most {p['timeout_s']} s, and sends at most {p['requests_per_second']} status requests per second "
            "(from `openapi/gen.yaml`); pass `poll_config=` to the client or `poll=` to `wait()` to change it."
        ]
    return []
