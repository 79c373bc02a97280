"""Configuration types users pass to the client or to a single call."""

from ._runtime.config import BackoffStrategy, CallOptions, PollConfig, RetryConfig
from ._runtime.types import UNSET

__all__ = ["UNSET", "BackoffStrategy", "CallOptions", "PollConfig", "RetryConfig"]
