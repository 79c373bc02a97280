"""A durable record of a bulk run in one stdlib sqlite3 file: what was planned, sent, submitted, finished.

Every batch moves planned -> sending -> submitted (with its job handle) -> finished / failed, or
ends rejected (Alation answered 4XX: nothing was created), split (rejected naming bad items; the
rest became a new batch), unsent (the request provably never left) or ambiguous (it may have
reached Alation). Each change is committed before the run goes on, so a run killed at any point
can be resumed: finished batches are skipped, submitted ones waited on, and a batch left
"sending" is ambiguous, never resent unless the user asks.

The validated items themselves are stored too (as the JSON sent on the wire), which is what lets
a run validate everything before the first submit while holding only one batch in memory, and
lets `alation-workflows resume` go on without the input file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

FORMAT = "alation-workflows/journal@1"

State = Literal[
    "planned", "sending", "submitted", "finished", "failed", "rejected", "split", "unsent", "ambiguous"
]
# States whose batch still has work to do on resume (ambiguous only when resending is asked for).
OPEN_STATES = ("planned", "unsent", "sending", "submitted", "ambiguous")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (idx INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY,
    members TEXT NOT NULL,
    parent INTEGER,
    state TEXT NOT NULL,
    handle TEXT,
    outcome TEXT,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    idx INTEGER NOT NULL,
    batch INTEGER,
    stage TEXT NOT NULL,
    messages TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One batch as recorded: input indices of its items, state, handle state and outcome."""

    id: int
    members: Sequence[int]
    parent: int | None
    state: State
    handle: dict[str, Any] | None
    outcome: dict[str, Any] | None


def encode_members(members: Sequence[int]) -> str:
    """A contiguous range is stored as {"start", "stop"}; anything else as a list."""
    if isinstance(members, range) and members.step == 1:
        return json.dumps({"start": members.start, "stop": members.stop})
    return json.dumps(list(members))


def decode_members(text: str) -> Sequence[int]:
    value: dict[str, int] | list[int] = json.loads(text)  # as encode_members wrote it
    return range(value["start"], value["stop"]) if isinstance(value, dict) else value


class Journal:
    """One bulk run's sqlite file. `Journal(path)` opens or creates it; `Journal.scratch()` spools
    a run that has no journal (the file is deleted on `close()`)."""

    def __init__(self, path: str | os.PathLike[str], *, _temporary: bool = False) -> None:
        self.path = Path(path)
        self.temporary = _temporary
        try:
            # isolation_level=None: we open and commit transactions ourselves.
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            # WAL + FULL: every commit is on disk before the run goes on (kill -9 keeps it).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL" if not _temporary else "PRAGMA synchronous=OFF")
            self._db.execute("PRAGMA cache_size=-512")  # KiB: rows are written once and read once
            self._db.executescript(_SCHEMA)
            fmt = self.meta("format")
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{self.path} is not a bulk-run journal: {exc}") from None
        if fmt is None:
            self.set_meta({"format": FORMAT, "created": time.time()})
        elif fmt != FORMAT:
            raise ValueError(f"{self.path} is a journal of format {fmt!r}; this SDK reads {FORMAT!r}")

    @classmethod
    def scratch(cls) -> Journal:
        fd, name = tempfile.mkstemp(prefix="alation-workflows-", suffix=".journal")
        os.close(fd)
        return cls(name, _temporary=True)

    def close(self) -> None:
        self._db.close()
        if self.temporary:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # -- run metadata ------------------------------------------------------------------------------

    def meta(self, key: str) -> Any:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_meta(self, values: dict[str, Any]) -> None:
        with self._tx():
            self._db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in values.items()],
            )

    @property
    def planned(self) -> bool:
        """True once every input item was validated and planned into batches."""
        return bool(self.meta("planned"))

    # -- planning (one transaction: a run killed while planning has planned nothing) ----------------

    def plan(
        self,
        batches: Iterable[tuple[Sequence[int], Sequence[bytes]]],
        invalid: Iterable[tuple[int, list[str]]] = (),
        meta: Callable[[], dict[str, Any]] | None = None,
    ) -> int:
        """Store the batches (input indices + wire JSON of each item) and mark the run planned.

        `invalid` and `meta()` are read once `batches` is exhausted (the pass that fills them)."""
        count = 0
        with self._tx():
            self._db.execute("DELETE FROM items")
            self._db.execute("DELETE FROM batches")
            self._db.execute("DELETE FROM failures")
            for members, bodies in batches:
                self._db.executemany(
                    "INSERT INTO items (idx, body) VALUES (?, ?)", zip(members, bodies, strict=True)
                )
                self._insert_batch(members, None, "planned")
                count += 1
            self._db.executemany(
                "INSERT INTO failures (idx, batch, stage, messages) VALUES (?, NULL, 'validation', ?)",
                [(i, json.dumps(m)) for i, m in invalid],
            )
            for k, v in {**(meta() if meta else {}), "planned": True}.items():
                self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (k, json.dumps(v)))
        return count

    def _insert_batch(self, members: Sequence[int], parent: int | None, state: State) -> int:
        cur = self._db.execute(
            "INSERT INTO batches (members, parent, state, updated) VALUES (?, ?, ?, ?)",
            (encode_members(members), parent, state, time.time()),
        )
        assert cur.lastrowid is not None
        return cur.lastrowid

    # -- batches -----------------------------------------------------------------------------------

    def batches(self, states: Sequence[str] | None = None) -> Iterator[BatchRow]:
        sql = "SELECT id, members, parent, state, handle, outcome FROM batches"
        args: tuple[Any, ...] = ()
        if states is not None:
            sql += f" WHERE state IN ({','.join('?' * len(states))})"
            args = tuple(states)
        for row in self._db.execute(sql + " ORDER BY id", args).fetchall():
            yield _row(row)

    def batch(self, batch_id: int) -> BatchRow:
        row = self._db.execute(
            "SELECT id, members, parent, state, handle, outcome FROM batches WHERE id = ?", (batch_id,)
        ).fetchone()
        if row is None:
            raise KeyError(batch_id)
        return _row(row)

    def bodies(self, members: Sequence[int]) -> list[Any]:
        """The wire JSON of these items, decoded, in the order given."""
        if isinstance(members, range):
            rows: list[tuple[int, bytes]] = self._db.execute(
                "SELECT idx, body FROM items WHERE idx >= ? AND idx < ?", (members.start, members.stop)
            ).fetchall()
        else:
            rows = []
            for i in range(0, len(members), 500):  # sqlite's bound-parameter limit
                part = list(members[i : i + 500])
                rows += self._db.execute(
                    f"SELECT idx, body FROM items WHERE idx IN ({','.join('?' * len(part))})", part
                ).fetchall()
        found = {idx: body for idx, body in rows}
        return [json.loads(found[i]) for i in members]

    def mark(
        self,
        batch_id: int,
        state: State,
        *,
        handle: dict[str, Any] | None = None,
        outcome: dict[str, Any] | None = None,
    ) -> None:
        """Record a batch's new state (and its handle or outcome); committed before returning."""
        sets: list[str] = ["state = ?", "updated = ?"]
        args: list[Any] = [state, time.time()]
        if handle is not None:
            sets.append("handle = ?")
            args.append(json.dumps(handle))
        if outcome is not None:
            sets.append("outcome = ?")
            args.append(json.dumps(outcome, default=str))
        with self._tx():
            self._db.execute(f"UPDATE batches SET {', '.join(sets)} WHERE id = ?", (*args, batch_id))

    def split(
        self,
        batch_id: int,
        failed: Sequence[tuple[int, list[str]]],
        rest: Sequence[int],
        outcome: dict[str, Any],
    ) -> int | None:
        """A batch rejected naming bad items: record them, and plan the rest as a new batch (its id)."""
        with self._tx():
            self._db.execute(
                "UPDATE batches SET state = 'split', outcome = ?, updated = ? WHERE id = ?",
                (json.dumps(outcome, default=str), time.time(), batch_id),
            )
            self._add_failures(batch_id, "rejected", failed)
            return self._insert_batch(rest, batch_id, "planned") if rest else None

    def add_failures(self, batch_id: int | None, stage: str, failed: Sequence[tuple[int, list[str]]]) -> None:
        with self._tx():
            self._add_failures(batch_id, stage, failed)

    def _add_failures(
        self, batch_id: int | None, stage: str, failed: Sequence[tuple[int, list[str]]]
    ) -> None:
        self._db.executemany(
            "INSERT INTO failures (idx, batch, stage, messages) VALUES (?, ?, ?, ?)",
            [(i, batch_id, stage, json.dumps(m)) for i, m in failed],
        )

    def settle(self, batch_index: int, *, applied: bool) -> None:
        """Decide an ambiguous batch after checking Alation: `applied=True` records it as finished
        (its items are there), `applied=False` as never received (the next resume sends it)."""
        row = self.batch(batch_index + 1)
        if row.state not in ("ambiguous", "sending"):
            raise ValueError(f"batch {batch_index} is {row.state}, not ambiguous: nothing to settle")
        note = "settled by the user: " + ("applied" if applied else "not received, to send")
        self.mark(row.id, "finished" if applied else "planned", outcome={"error": None, "note": note})

    def failures(self) -> Iterator[tuple[int, int | None, str, list[str]]]:
        """(input index, batch id, stage, messages) of every item reported as failed, by input index."""
        for idx, batch, stage, messages in self._db.execute(
            "SELECT idx, batch, stage, messages FROM failures ORDER BY idx, rowid"
        ):
            yield idx, batch, stage, json.loads(messages)

    def counts(self) -> dict[str, int]:
        """Number of batches in each state."""
        return dict(self._db.execute("SELECT state, COUNT(*) FROM batches GROUP BY state").fetchall())

    class _Tx:
        def __init__(self, db: sqlite3.Connection) -> None:
            self.db = db

        def __enter__(self) -> None:
            self.db.execute("BEGIN IMMEDIATE")

        def __exit__(self, kind: object, *rest: object) -> None:
            self.db.execute("ROLLBACK" if kind is not None else "COMMIT")

    def _tx(self) -> Journal._Tx:
        return Journal._Tx(self._db)


def _row(row: tuple[Any, ...]) -> BatchRow:
    bid, members, parent, state, handle, outcome = row
    return BatchRow(
        bid,
        decode_members(members),
        parent,
        state,
        json.loads(handle) if handle else None,
        json.loads(outcome) if outcome else None,
    )
