"""Shared pytest setup."""

pytest_plugins = ["alation_workflows.testing.pytest_plugin"]
