"""Results of the two slow stages that depend only on their input, remembered by content hash.

- openapi-spec-validator's verdict (about a second with its import): it only changes with the
  spec text or the validator version. Only a clean verdict is kept; problems are always
  recomputed, so they are always reported in full.
- ruff's formatting of the rendered Python (three subprocesses and ~140 temporary files): it
  only changes with the unformatted text, the ruff version and pyproject.toml.

The cache lives in `<project>/.cache/generator/` (gitignored; the project is the nearest folder
with a pyproject.toml above the spec, or the root being generated): a fresh clone, and so CI,
always validates and formats. `GENERATOR_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
from collections.abc import Callable
from pathlib import Path

Problems = list[tuple[str, str]]


def cache_dir(spec_path: Path) -> Path | None:
    if os.environ.get("GENERATOR_NO_CACHE"):
        return None
    for folder in spec_path.resolve().parents:
        if (folder / "pyproject.toml").is_file():
            return folder / ".cache" / "generator"
    return None


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def key(text: str, version: str) -> str:
    validator = _version("openapi-spec-validator")
    digest = hashlib.sha256(f"{validator}\0{version}\0".encode() + text.encode("utf-8"))
    return digest.hexdigest()


def validated(spec_path: Path, text: str, version: str, validate: Callable[[], Problems]) -> Problems:
    """`validate()`'s problems, or [] at once if this exact text already validated clean."""
    folder = cache_dir(spec_path)
    if folder is None:
        return validate()
    marker = folder / f"valid-{key(text, version)}"
    if marker.is_file():
        return []
    problems = validate()
    if not problems:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            marker.write_text("openapi-spec-validator found no problem in this spec\n", encoding="utf-8")
        except OSError:
            pass  # a read-only checkout just validates every time
    return problems


def formatted(root: Path, files: dict[str, str], fmt: Callable[[], dict[str, str]]) -> dict[str, str]:
    """`fmt()`'s formatting of `files` (path -> unformatted text), or the remembered one."""
    folder = cache_dir(root / "pyproject.toml")
    if folder is None:
        return fmt()
    config = root / "pyproject.toml"
    digest = hashlib.sha256(_version("ruff").encode())
    digest.update(config.read_bytes() if config.is_file() else b"")
    for path in sorted(files):
        digest.update(f"\0{path}\0".encode() + files[path].encode("utf-8"))
    entry = folder / f"format-{digest.hexdigest()}.json"
    try:
        out: dict[str, str] = json.loads(entry.read_text(encoding="utf-8"))
        if out.keys() == files.keys():
            return out
    except (OSError, ValueError):
        pass
    out = fmt()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("format-*.json"):  # only the latest formatting is worth keeping
            old.unlink(missing_ok=True)
        entry.write_text(json.dumps(out), encoding="utf-8")
    except OSError:
        pass
    return out
