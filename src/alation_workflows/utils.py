"""The Speakeasy-style import path of the configuration types; they live in `alation_workflows.config`."""

from .config import UNSET, BackoffStrategy, CallOptions, PollConfig, RetryConfig

__all__ = ["UNSET", "BackoffStrategy", "CallOptions", "PollConfig", "RetryConfig"]
