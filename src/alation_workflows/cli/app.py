"""The typer application behind `alation-workflows`; operations come from the generated `_registry`."""

from __future__ import annotations

import difflib
import json
import os
import sys
import threading
from collections.abc import Generator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeGuard

import typer

from .._runtime.exceptions import WorkflowsError
from ..jobs.batches import BulkResult, resume_batches, submit_batches
from ..jobs.exceptions import InvalidItemsError, JobError
from ..jobs.handle import JobHandle, JobRef
from ..jobs.journal import Journal
from ..jobs.readers import read_items
from ..jobs.results import plain
from ..jobs.summary import ItemFailure
from ..sdk import Workflows
from ._registry import OPERATIONS, Entry

OK, FAILED, USAGE, AMBIGUOUS = 0, 1, 2, 3

app = typer.Typer(
    help="Alation bulk-metadata workflows: check and wait on jobs, submit files of items in journaled "
    "batches, resume a run, serve the simulator. Configure with ALATION_BASE_URL and ALATION_TOKEN "
    "(or ALATION_REFRESH_TOKEN + ALATION_USER_ID).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
job_app = typer.Typer(help="Look at one job (by id or name).", no_args_is_help=True)
app.add_typer(job_app, name="job")


class Output(StrEnum):
    json = "json"
    text = "text"


class _State:
    output = Output.text


OutputOpt = Annotated[Output, typer.Option("--output", "-o", help="json or text", case_sensitive=False)]


@app.callback()
def _options(output: OutputOpt = Output.text) -> None:
    _State.output = output


# -- helpers -------------------------------------------------------------------------------------


def _fail(message: str, code: int = USAGE) -> NoReturn:
    typer.echo(f"alation-workflows: {message}", err=True)
    raise typer.Exit(code)


def _print(data: Any, text: str) -> None:
    if _State.output is Output.json:
        typer.echo(json.dumps(data, indent=2, default=str))
    else:
        typer.echo(text)


@contextmanager
def _client() -> Generator[Workflows, None, None]:
    """A client configured from the environment; configuration problems exit with code 2."""
    url = os.environ.get("ALATION_BASE_URL", "").strip()
    if not url:
        _fail("set ALATION_BASE_URL to your Alation instance (e.g. https://alation.example.com)")
    token: Any = os.environ.get("ALATION_TOKEN", "").strip() or None
    refresh = os.environ.get("ALATION_REFRESH_TOKEN", "").strip()
    if token is None and refresh:
        from ..auth import RefreshTokenAuth

        user = os.environ.get("ALATION_USER_ID", "").strip()
        if not user.isdigit():
            _fail("ALATION_REFRESH_TOKEN needs ALATION_USER_ID (the refresh token's user id, an integer)")
        token = RefreshTokenAuth(refresh, int(user))
    if token is None and os.environ.get("ALATION_CLIENT_ID", "").strip():
        _fail(
            "OAuth client credentials (ALATION_CLIENT_ID) are not supported by this SDK yet: "
            "set ALATION_TOKEN, or ALATION_REFRESH_TOKEN + ALATION_USER_ID"
        )
    if token is None:
        _fail("set ALATION_TOKEN (an API access token) or ALATION_REFRESH_TOKEN + ALATION_USER_ID")
    try:
        client = Workflows(server_url=url, token=token)
    except (ValueError, TypeError) as exc:
        _fail(f"bad configuration: {exc}")
    with client:
        yield client


def _ref(id: int | None, name: str | None) -> JobRef:
    if (id is None) == (name is None):
        _fail("give exactly one of --id or --name")
    return JobRef(id=id, name=name)


def _entry(name: str) -> Entry:
    entry = OPERATIONS.get(name)
    if entry is None:
        close = difflib.get_close_matches(name, OPERATIONS, n=3)
        hint = (
            f" (did you mean {', '.join(close)}?)" if close else "; `alation-workflows operations` lists them"
        )
        _fail(f"unknown operation {name!r}{hint}")
    return entry


def _by_operation_id(operation: str) -> Entry:
    for entry in OPERATIONS.values():
        if entry.operation == operation:
            return entry
    _fail(f"the journal records operation {operation!r}, which this version does not know")


def _method(client: Workflows, entry: Entry) -> Any:
    return getattr(getattr(client, entry.group), entry.method)


def _params(entry: Entry, pairs: list[str]) -> dict[str, Any]:
    known = {p.name for p in entry.params}
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            _fail(f"--param takes name=value, got {pair!r}")
        if name not in known:
            names = ", ".join(sorted(known)) or "none"
            _fail(f"{entry.group}.{entry.method} has no parameter {name!r} (its parameters: {names})")
        out[name] = value
    missing = [p.name for p in entry.params if p.required and p.name not in out]
    if missing:
        _fail(f"{entry.group}.{entry.method} needs --param {missing[0]}=VALUE")
    return out


def _failure(f: ItemFailure) -> dict[str, Any]:
    return {"index": f.index, "stage": f.stage, "batch": f.batch, "messages": list(f.messages)}


def _report(result: BulkResult[Any]) -> NoReturn:
    summary: dict[str, Any] = result.summary()
    failed = [_failure(f) for f in result.failed_items]
    lines = [
        f"{summary['operation']}: {summary['items']} item(s) in {summary['batches']} batch(es)"
        + (" (dry run: nothing sent)" if result.dry_run else ""),
        "batches: " + ", ".join(f"{n} {s}" for s, n in sorted(summary["batch_states"].items())),
        f"objects created or updated: {summary['ids']}",
    ]
    lines += [f"failed {f}" for f in result.failed_items[:200]]
    if len(failed) > 200:
        lines.append(f"... {len(failed) - 200} more failed item(s) (use --output json for all)")
    lines += [f"problem: {p}" for p in summary["problems"]]
    for b in summary["ambiguous_batches"]:
        lines.append(
            f"AMBIGUOUS batch {b['batch']} (items {b['items'][0]}..{b['items'][1] - 1}): may have reached "
            "Alation. Check, then `alation-workflows resume --journal ... --applied N` or --resend-ambiguous"
        )
    for b in summary["unfinished_batches"]:
        lines.append(f"batch {b['batch']} {b['state']}: {b['error']}")
    if summary["journal"]:
        lines.append(f"journal: {summary['journal']}")
    _print({**summary, "failed": failed}, "\n".join(lines))
    raise typer.Exit(result.exit_code)


# -- commands ------------------------------------------------------------------------------------

IdOpt = Annotated[int | None, typer.Option("--id", help="the job's integer id")]
NameOpt = Annotated[str | None, typer.Option("--name", help="the job's name (virtual data source jobs)")]


@job_app.command("status")
def job_status(id: IdOpt = None, name: NameOpt = None) -> None:
    """One status request: the job's details as Alation sends them."""
    ref = _ref(id, name)
    with _client() as client:
        try:
            details = client.job_status.get_job_status(**ref.args())
        except WorkflowsError as exc:
            _fail(str(exc), FAILED)
    data = plain(details)
    _print(data, f"job {ref}: {data.get('status')} {data.get('msg') or ''}".rstrip())


@job_app.command("wait")
def job_wait(
    id: IdOpt = None,
    name: NameOpt = None,
    timeout: Annotated[float | None, typer.Option(help="seconds to wait (default: the client's)")] = None,
) -> None:
    """Poll until the job ends; exit 0 when it succeeded, 1 when it failed or is still running."""
    ref = _ref(id, name)
    with _client() as client:
        try:
            details = JobHandle.resume(client, ref).wait(timeout=timeout)
        except JobError as exc:
            data: Any = plain(exc.details) if exc.details is not None else {}
            if _State.output is Output.json:
                typer.echo(json.dumps({"error": str(exc), "details": data}, indent=2, default=str))
            _fail(str(exc), FAILED)
        except (WorkflowsError, ValueError) as exc:
            _fail(str(exc), FAILED)
    data = plain(details)
    _print(data, f"job {ref}: {data.get('status')}\n{json.dumps(data.get('result'), indent=2, default=str)}")


@app.command("operations")
def operations() -> None:
    """List the batch operations `submit` runs from a .jsonl or .csv file, with their parameters."""
    rows = {k: e for k, e in OPERATIONS.items() if e.kind == "batches"}
    data = {
        k: {"operation": e.operation, "summary": e.summary, "params": [p._asdict() for p in e.params]}
        for k, e in rows.items()
    }
    text = "\n".join(
        f"{k}  {' '.join(('--param ' + p.name + '=' + p.type.upper()) if p.required else '[' + p.name + ']' for p in e.params)}"
        f"\n    {e.summary}"
        for k, e in rows.items()
    )
    _print(data, text)


@app.command("submit")
def submit(
    operation: Annotated[str, typer.Argument(help="<group>.<operation>, e.g. documents.create_documents")],
    input: Annotated[
        Path | None,
        typer.Option(
            "--input", "-i", help="a .jsonl or .csv file of items (a .json body for other operations)"
        ),
    ] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value (repeatable)")] = None,
    journal: Annotated[
        Path | None, typer.Option(help="journal file (default: <input>.journal); rerun to resume")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="validate and plan, send nothing")] = False,
    no_resubmit_valid: Annotated[
        bool,
        typer.Option("--no-resubmit-valid", help="when a batch is rejected, do not resend its valid items"),
    ] = False,
    batch_size: Annotated[
        int | None, typer.Option(help="items per batch (default: the server limit)")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="jobs running at once")] = 4,
    timeout: Annotated[float | None, typer.Option(help="seconds to wait for each batch's job")] = None,
) -> None:
    """Validate every item of the input file, then submit them in journaled batches; prints a
    summary and the failed items. Other operations send the input file's JSON as their body once
    (no journal) and print the answer, waiting for the job when there is one."""
    entry = _entry(operation)
    params = _params(entry, param or [])
    if entry.kind != "batches":
        _single(entry, input, params, timeout)
    if input is None:
        _fail(f"{operation} needs --input FILE (.jsonl or .csv)")
    if not input.is_file():
        _fail(f"no such input file: {input}")
    try:
        items = read_items(input)
    except ValueError as exc:
        _fail(str(exc))
    path = journal or input.with_name(input.name + ".journal")
    with _client() as client:
        try:
            result = submit_batches(
                _method(client, entry),
                items,
                journal=None if dry_run else path,
                dry_run=dry_run,
                resubmit_valid=not no_resubmit_valid,
                batch_size=batch_size,
                concurrency=concurrency,
                timeout=timeout,
                summary=True,
                progress="auto",
                **params,
            )
        except InvalidItemsError as exc:
            failed = [_failure(f) for f in exc.failures]
            _print({"operation": entry.operation, "sent": 0, "failed": failed, "exit_code": FAILED}, str(exc))
            raise typer.Exit(FAILED) from None
        except (ValueError, TypeError) as exc:
            _fail(str(exc))
    _report(result)


def _is_job(answer: object) -> TypeGuard[JobHandle[Any]]:
    # A guard, not isinstance(): that would narrow the untyped answer to JobHandle[Unknown].
    return isinstance(answer, JobHandle)


def _single(entry: Entry, input: Path | None, params: dict[str, Any], timeout: float | None) -> NoReturn:
    """One call of a non-batch operation: the body from a .json file, the job waited on if any."""
    body: Any = None
    if input is not None:
        if input.suffix.lower() != ".json" or not input.is_file():
            _fail(f"{entry.group}.{entry.method} takes one JSON body: --input FILE.json (an existing file)")
        try:
            body = json.loads(input.read_text(encoding="utf-8"))
        except ValueError as exc:
            _fail(f"{input} is not valid JSON: {exc}")
    with _client() as client:
        method = _method(client, entry)
        try:
            answer = method(**params) if body is None else method(request=body, **params)
            if _is_job(answer):
                answer = answer.wait(timeout=timeout)
        except JobError as exc:
            _fail(str(exc), FAILED)
        except (WorkflowsError, ValueError, TypeError) as exc:
            _fail(str(exc), FAILED if isinstance(exc, WorkflowsError) else USAGE)
    data = plain(answer)
    _print(data, json.dumps(data, indent=2, default=str))
    raise typer.Exit(OK)


@app.command("resume")
def resume(
    journal: Annotated[Path, typer.Option(help="the journal of an earlier submit")],
    resend_ambiguous: Annotated[
        bool, typer.Option("--resend-ambiguous", help="send ambiguous batches again (may duplicate)")
    ] = False,
    applied: Annotated[
        list[int] | None, typer.Option("--applied", help="ambiguous batch N was applied: record it done")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="jobs running at once")] = 4,
    timeout: Annotated[float | None, typer.Option(help="seconds to wait for each batch's job")] = None,
) -> None:
    """Go on with a journaled run: skip finished batches, wait on submitted ones, send the rest."""
    if not journal.is_file():
        _fail(f"no such journal: {journal}")
    try:
        jr = Journal(journal)
    except ValueError as exc:
        _fail(str(exc))
    with jr:
        operation = jr.meta("operation")
        if not jr.planned or not isinstance(operation, str):
            _fail(f"{journal} holds no planned run to resume")
        for index in applied or []:
            try:
                jr.settle(index, applied=True)
            except (KeyError, ValueError) as exc:
                _fail(f"--applied {index}: {exc}")
        entry = _by_operation_id(operation)
        with _client() as client:
            try:
                result = resume_batches(
                    _method(client, entry),
                    jr,
                    resend_ambiguous=resend_ambiguous,
                    concurrency=concurrency,
                    timeout=timeout,
                    summary=True,
                    progress="auto",
                )
            except (ValueError, TypeError) as exc:
                _fail(str(exc))
    _report(result)


@app.command("simulator")
def simulator(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1 (0: a free one)")] = 0,
    job_duration: Annotated[float, typer.Option(help="seconds new jobs stay running", min=0)] = 0.0,
    seed: Annotated[str | None, typer.Option(help="'examples': load the ids the docs use")] = None,
    token: Annotated[str, typer.Option(help="API access token the simulator accepts")] = "test-token",
) -> None:
    """Serve the Alation simulator on loopback until Ctrl-C (needs the simulator extra)."""
    try:
        from ..testing.simulator import Simulator
    except ImportError as exc:
        _fail(f"the simulator needs its extra: pip install 'alation-workflows[simulator]' ({exc.name})")
    sim = Simulator(token=token, job_duration=job_duration)
    if seed is not None:
        if seed != "examples":
            _fail(f"--seed takes 'examples', got {seed!r}")
        seed_examples = getattr(sim, "seed_examples", None)
        if seed_examples is None:
            _fail("--seed examples needs Simulator.seed_examples(), which this version lacks")
        seed_examples()
    with sim.serve(port=port) as url:
        typer.echo(f"Alation simulator listening on {url}")
        typer.echo(f"ALATION_BASE_URL={url}")
        typer.echo(f"ALATION_TOKEN={token}")
        sys.stdout.flush()
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            typer.echo("stopping")
