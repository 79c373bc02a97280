"""Configuration users pass to the client or to a single call: retries, job polling, call options."""

from ._runtime.annotations import UNSET
from ._runtime.config import BackoffStrategy, CallOptions, PollConfig, RetryConfig

__all__ = ["UNSET", "BackoffStrategy", "CallOptions", "PollConfig", "RetryConfig"]
