"""Shared pytest setup."""

from alation_workflows.testing import Simulator

pytest_plugins = ["alation_workflows.testing.pytest_plugin", "tests.operation_tables"]

# Every simulator answer in this suite must fit the operation's declared responses.
Simulator.check_answers_default = True
