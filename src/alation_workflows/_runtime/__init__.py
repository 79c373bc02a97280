"""Hand-written runtime shared by every generated operation: requests, retries, responses, errors."""

from .httpx_cli import defer_httpx_cli

defer_httpx_cli()  # before any module here imports httpx
