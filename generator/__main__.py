"""`python -m generator [--check]`: regenerate src/ and docs/ from openapi/, or check they match."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from .errors import SpecError
from .output import FormatError, diff, write
from .pipeline import generate
from .surface import PATH as SURFACE

EXIT_OK, EXIT_DRIFT, EXIT_SPEC = 0, 1, 2
EPILOG = """exit codes:
  0  generated (or, with --check, every generated file matches the spec)
  1  --check only: generated files differ from what the spec gives (run without --check),
     or the spec removes or renames public API in openapi/public_api.json (each one is listed;
     regenerating and committing the snapshot acknowledges them)
  2  the spec, openapi/gen.yaml or the command line is wrong (each problem is printed with
     the JSON pointer of its node), or a generator bug (printed as such)

Warnings (unknown x- extensions, orphaned schemas, empty tags) do not change the exit code."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--check", action="store_true", help="fail if any generated file differs; write nothing"
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="project root (default: current directory)"
    )
    parser.add_argument("--debug", action="store_true", help="print a traceback on a generator bug")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    warnings: list[tuple[str, str]] = []
    removed: list[str] = []
    notes: list[str] = []
    try:
        files = generate(args.root, warnings, removed, check=args.check, notes=notes)
    except (SpecError, FormatError) as exc:
        _print_warnings(warnings)
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SPEC
    except Exception as exc:  # noqa: BLE001  (a spec must never end in a bare traceback)
        if args.debug:
            traceback.print_exc()
        print(
            f"error: generator bug on this spec ({type(exc).__name__}: {exc}); "
            "please report it with the spec (--debug prints the traceback)",
            file=sys.stderr,
        )
        return EXIT_SPEC
    _print_warnings(warnings)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    for line in removed:
        print(f"public API: {line}", file=sys.stderr)
    if args.check:
        changed, stale = diff(files, args.root)
        if removed:
            print(
                f"{len(removed)} removal(s) from the public API ({SURFACE}): regenerate and commit the "
                "snapshot to accept them, or keep the names (x-method-name)",
                file=sys.stderr,
            )
            return EXIT_DRIFT
        if changed or stale:
            for p in changed:
                print(f"differs: {p}", file=sys.stderr)
            for p in stale:
                print(f"stale:   {p}", file=sys.stderr)
            print("generated files are out of date: run `python -m generator`", file=sys.stderr)
            return EXIT_DRIFT
        print(f"ok: {len(files)} generated files match the spec ({time.perf_counter() - started:.2f}s)")
        return EXIT_OK
    changed, stale = write(files, args.root)
    print(
        f"wrote {len(changed)} changed file(s), removed {len(stale)} stale, "
        f"{len(files)} in all ({time.perf_counter() - started:.2f}s)"
    )
    return EXIT_OK


def _print_warnings(warnings: list[tuple[str, str]]) -> None:
    for pointer, message in warnings:
        print(f"warning: {pointer or '/'}: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
