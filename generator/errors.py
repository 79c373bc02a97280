"""The one exception the generator raises for a spec it cannot turn into an SDK."""

from __future__ import annotations


class SpecError(Exception):
    """Problems in the spec, each with the JSON pointer of the offending node."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {pointer or '/'}: {msg}" for pointer, msg in problems)
        super().__init__(f"{len(problems)} problem(s) in the spec:\n{lines}")


def esc(token: object) -> str:
    """Escape one JSON-pointer token (a YAML key may be an int, e.g. an unquoted `200:`)."""
    return str(token).replace("~", "~0").replace("/", "~1")
