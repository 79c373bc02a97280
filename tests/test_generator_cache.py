"""The generator's content-hash cache: a clean verdict or a formatting is reused only for the same input."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cache import formatted, validated


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "openapi").mkdir()
    return tmp_path


def counting(result: list[tuple[str, str]]) -> tuple[list[int], object]:
    calls: list[int] = []

    def validate() -> list[tuple[str, str]]:
        calls.append(1)
        return result

    return calls, validate


def test_a_clean_verdict_is_reused_only_for_the_same_text(project: Path) -> None:
    spec = project / "openapi" / "spec.yaml"
    calls, ok = counting([])
    assert validated(spec, "openapi: 3.1.0", "3.1.0", ok) == []  # type: ignore[arg-type]
    assert validated(spec, "openapi: 3.1.0", "3.1.0", ok) == []  # type: ignore[arg-type]
    assert len(calls) == 1
    assert list((project / ".cache" / "generator").glob("valid-*"))
    validated(spec, "openapi: 3.1.0\n", "3.1.0", ok)  # type: ignore[arg-type]
    assert len(calls) == 2  # one byte more: validated again


def test_problems_are_never_cached_and_a_fresh_checkout_validates(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    spec = project / "openapi" / "spec.yaml"
    calls, bad = counting([("/info", "openapi-spec-validator: 'version' is a required property")])
    for _ in range(2):
        assert validated(spec, "broken", "3.1.0", bad)  # type: ignore[arg-type]
    assert len(calls) == 2
    elsewhere = tmp_path_factory.mktemp("no-project") / "spec.yaml"  # no pyproject.toml above: no cache
    calls, ok = counting([])
    for _ in range(2):
        validated(elsewhere, "x", "3.1.0", ok)  # type: ignore[arg-type]
    assert len(calls) == 2


def test_no_cache_switch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_NO_CACHE", "1")
    calls, ok = counting([])
    for _ in range(2):
        validated(project / "openapi" / "s.yaml", "x", "3.1.0", ok)  # type: ignore[arg-type]
    assert len(calls) == 2 and not (project / ".cache").exists()


def test_formatting_is_reused_for_identical_input_and_config(project: Path) -> None:
    runs: list[int] = []

    def fmt(files: dict[str, str]) -> dict[str, str]:
        runs.append(1)
        return {k: v.replace("  ", " ") for k, v in files.items()}

    files = {"a.py": "x  = 1\n", "b.py": "y  = 2\n"}
    first = formatted(project, files, lambda: fmt(files))
    assert formatted(project, files, lambda: fmt(files)) == first == {"a.py": "x = 1\n", "b.py": "y = 2\n"}
    assert len(runs) == 1
    changed = {**files, "b.py": "y  = 3\n"}
    assert formatted(project, changed, lambda: fmt(changed))["b.py"] == "y = 3\n"
    (project / "pyproject.toml").write_text("[tool.ruff]\nline-length = 80\n", encoding="utf-8")
    formatted(project, changed, lambda: fmt(changed))
    assert len(runs) == 3  # the formatter's config is part of the key
