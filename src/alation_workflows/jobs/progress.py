"""Progress reporting for long waits and batch runs: a callback, or a ready-made rich/tqdm bar."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeAlias

EventKind = Literal["submitted", "polled", "finished", "failed"]


@dataclass(frozen=True, slots=True)
class JobProgress:
    """How far one job is, as its status answer says (data dictionary: batches completed of total)."""

    done: int
    total: int | None


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One thing that happened while waiting.

    `kind`: "submitted" (a batch became a job), "polled" (a status check found the job still
    running), "finished" (the job's outcome is known and not an error), "failed" (it ended in
    an error: failed job, timeout, HTTP error; `error` holds it).
    `done`/`total` count the jobs (or batches) of the whole run; `status` is the last status seen.
    In a bulk run, `items_done`/`items_total` count input items whose batch has ended and
    `operation` names the operation (its operationId). `job_progress` is the polled job's own
    progress when its status answer reports one (polling contract `progress`).
    """

    kind: EventKind
    handle: Any
    done: int
    total: int
    elapsed: float
    status: str | None = None
    error: BaseException | None = None
    batch: int | None = None
    items_done: int = 0
    items_total: int = 0
    operation: str | None = None
    job_progress: JobProgress | None = None


ProgressCallback: TypeAlias = Callable[[ProgressEvent], None]
# None: no progress; a callable: called with each event; "auto": a bar when stderr is a terminal
# (rich, else tqdm, else a plain text line), else nothing; True/"bar": a bar (rich, else tqdm),
# error if neither; "rich"/"tqdm".
ProgressArg: TypeAlias = ProgressCallback | bool | Literal["auto", "bar", "rich", "tqdm"] | None


class Reporter(Protocol):
    def __call__(self, event: ProgressEvent) -> None: ...

    def close(self) -> None: ...


class _Nothing:
    def __call__(self, event: ProgressEvent) -> None:
        return None

    def close(self) -> None:
        return None


class _Callback:
    def __init__(self, fn: ProgressCallback) -> None:
        self._fn = fn

    def __call__(self, event: ProgressEvent) -> None:
        self._fn(event)

    def close(self) -> None:
        return None


class _RichBar:
    """A rich progress bar on stderr: one tick per finished job or batch."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task: Any = None
        self._label = label
        self._failed = 0
        self._progress.start()

    def __call__(self, event: ProgressEvent) -> None:
        done, total = _counts(event)
        if self._task is None:
            self._task = self._progress.add_task(event.operation or self._label, total=total, note="")
        if event.kind == "failed":
            self._failed += 1
        note = f"{self._failed} failed" if self._failed else (event.status or "")
        self._progress.update(self._task, completed=done, total=total, note=note)

    def close(self) -> None:
        self._progress.stop()


class _TqdmBar:
    """A tqdm progress bar on stderr: one tick per finished job or batch."""

    def __init__(self, label: str) -> None:
        tqdm = importlib.import_module("tqdm").tqdm  # optional, untyped: looked up at run time
        self._bar: Any = tqdm(desc=label, unit="job")
        self._failed = 0

    def __call__(self, event: ProgressEvent) -> None:
        done, total = _counts(event)
        if event.items_total:
            self._bar.unit = "item"
            if event.operation:
                self._bar.set_description(event.operation, refresh=False)
        if self._bar.total != total:
            self._bar.total = total
        if event.kind == "failed":
            self._failed += 1
            self._bar.set_postfix(failed=self._failed, refresh=False)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()


class _TextLine:
    """No bar library installed: one line on stderr, rewritten in place (at most 10 times a second)."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._last = 0.0
        self._failed = 0
        self._shown = False

    def __call__(self, event: ProgressEvent) -> None:
        if event.kind == "failed":
            self._failed += 1
        done, total = _counts(event)
        now = time.monotonic()
        if now - self._last < 0.1 and done < total:
            return
        self._last = now
        unit = "items" if event.items_total else self._label
        failed = f", {self._failed} failed" if self._failed else ""
        sys.stderr.write(f"\r{event.operation or self._label}: {done}/{total} {unit}{failed}")
        sys.stderr.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _counts(event: ProgressEvent) -> tuple[int, int]:
    """Items when the event counts items (bulk runs), else jobs."""
    return (event.items_done, event.items_total) if event.items_total else (event.done, event.total)


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _on_terminal() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    return bool(isatty and isatty())


def reporter(progress: ProgressArg, label: str = "jobs") -> Reporter:
    """Turn the user's `progress=` argument into a reporter; a bar that was asked for must exist."""
    if progress is None or progress is False:
        return _Nothing()
    if progress == "auto":
        if not _on_terminal():
            return _Nothing()
        if _installed("rich"):
            return _RichBar(label)
        if _installed("tqdm"):
            return _TqdmBar(label)
        return _TextLine(label)
    if progress is True or progress == "bar":
        if _installed("rich"):
            return _RichBar(label)
        if _installed("tqdm"):
            return _TqdmBar(label)
        raise ImportError(
            "progress=True needs 'rich' or 'tqdm': pip install 'alation-workflows[progress]' "
            "(or pass progress='auto' to show a bar only when one is installed)"
        )
    if progress in ("rich", "tqdm"):
        if not _installed(str(progress)):
            raise ImportError(f"progress={progress!r} needs the {progress!r} package: pip install {progress}")
        return _RichBar(label) if progress == "rich" else _TqdmBar(label)
    if callable(progress):
        return _Callback(progress)
    raise TypeError(
        "progress must be None, a callable taking a ProgressEvent, True, 'auto', 'bar', 'rich' or 'tqdm'; "
        f"got {progress!r}"
    )


class Clock:
    """Counts finished jobs (and, in a bulk run, items) and elapsed time for the events of one run."""

    def __init__(self, total: int, items_total: int = 0, operation: str | None = None) -> None:
        self.started = time.monotonic()
        self.total = total
        self.done = 0
        self.items_total = items_total
        self.items_done = 0
        self.operation = operation

    def event(
        self,
        kind: EventKind,
        handle: Any,
        *,
        status: str | None = None,
        error: BaseException | None = None,
        batch: int | None = None,
        items: int = 0,
        job_progress: JobProgress | None = None,
    ) -> ProgressEvent:
        if kind in ("finished", "failed"):
            self.done += 1
            self.items_done += items
        return ProgressEvent(
            kind,
            handle,
            self.done,
            self.total,
            time.monotonic() - self.started,
            status,
            error,
            batch,
            self.items_done,
            self.items_total,
            self.operation,
            job_progress,
        )
