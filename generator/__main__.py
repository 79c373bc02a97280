"""`python -m generator [--check]`: regenerate src/ and docs/ from openapi/, or check they match."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import SpecError
from .output import FormatError, diff, write
from .pipeline import generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument(
        "--check", action="store_true", help="fail if any generated file differs; write nothing"
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="project root (default: current directory)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        files = generate(args.root)
    except (SpecError, FormatError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        changed, stale = diff(files, args.root)
        if changed or stale:
            for p in changed:
                print(f"differs: {p}", file=sys.stderr)
            for p in stale:
                print(f"stale:   {p}", file=sys.stderr)
            print("generated files are out of date: run `python -m generator`", file=sys.stderr)
            return 1
        print(f"ok: {len(files)} generated files match the spec ({time.perf_counter() - started:.2f}s)")
        return 0
    changed, stale = write(files, args.root)
    print(
        f"wrote {len(changed)} changed file(s), removed {len(stale)} stale, "
        f"{len(files)} in all ({time.perf_counter() - started:.2f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
