"""A retried DELETE tells the truth: when an earlier answer was lost, the result says so."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows.utils import BackoffStrategy, RetryConfig

FAST = RetryConfig(backoff=BackoffStrategy(initial_interval=1, max_interval=2), max_attempts=4)


class Catalog:
    """Deletes documents; the first answer can be lost after the delete was carried out."""

    def __init__(self, lose_first: type[httpx.TransportError] | int | None) -> None:
        self.docs = {1, 2, 3}
        self.lose_first = lose_first
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        ids = set(json.loads(request.content)["id"])
        gone = sorted(ids & self.docs)
        self.docs -= ids
        if self.calls == 1 and self.lose_first is httpx.ConnectError:
            self.docs |= ids  # the connection never opened: nothing was deleted
            raise httpx.ConnectError("refused", request=request)
        if self.calls == 1 and self.lose_first is not None:
            if isinstance(self.lose_first, int):
                return httpx.Response(self.lose_first, text="upstream timed out")
            raise self.lose_first("connection lost after the delete", request=request)
        return httpx.Response(200, json={"deleted_document_count": len(gone), "deleted_document_ids": gone})


def _delete(catalog: Catalog) -> models.DocumentDeleteResult:
    client = httpx.Client(transport=httpx.MockTransport(catalog))
    with Workflows(
        server_url="https://alation.test", token="del-token", client=client, retry_config=FAST
    ) as wf:
        return wf.documents.delete_documents(request=models.DocumentDeleteRequest(id=[1, 2]))


@pytest.mark.parametrize("lost", [httpx.ReadError, httpx.RemoteProtocolError, 502, 504])
def test_a_delete_retried_after_a_lost_answer_says_so(
    lost: type[httpx.TransportError] | int, caplog: pytest.LogCaptureFixture
) -> None:
    catalog = Catalog(lost)
    with caplog.at_level(logging.WARNING, logger="alation_workflows"):
        result = _delete(catalog)
    assert catalog.calls == 2 and catalog.docs == {3}
    assert result.deleted_document_count == 0  # what the last attempt did...
    note = result.retried_delete  # ...and why that is not the whole story
    assert note is not None and note.attempts == 2 and len(note.lost) == 1
    assert "every object the request named is gone" in str(note)
    assert "retried_delete" not in result.to_wire() and "_retried_delete" not in json.dumps(result.to_wire())
    assert any("gone" in r.getMessage() for r in caplog.records)


def test_a_delete_answered_first_time_has_no_note() -> None:
    result = _delete(Catalog(None))
    assert result.deleted_document_count == 2 and result.retried_delete is None


def test_a_retry_after_a_connection_that_never_opened_has_no_note() -> None:
    result = _delete(Catalog(httpx.ConnectError))  # nothing was sent: the retry is the only delete
    assert result.retried_delete is None
