"""Quickstart: a document hub folder, 2 500 documents, custom fields and their values, all as jobs.

    python examples/quickstart.py

Without ALATION_BASE_URL it starts the embedded Alation simulator on 127.0.0.1 and runs there.
Against a real instance set:
    ALATION_BASE_URL          e.g. https://yourcompany.alationcloud.com
    ALATION_TOKEN             an API access token (or ALATION_REFRESH_TOKEN + ALATION_USER_ID)
    ALATION_DOCUMENT_HUB_ID   the document hub to write into
    ALATION_DOCUMENT_OTYPE    object type of documents for custom field values (default glossary_term)
    QUICKSTART_DOCUMENTS      how many documents to create (default 2500)
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from alation_workflows import PollConfig, Workflows, models
from alation_workflows.jobs import BatchOutcome, ProgressEvent, submit_batches


def say(text: str) -> None:
    print(text, flush=True)


def progress_for(label: str) -> Any:
    """A progress bar on a terminal (rich or tqdm, if installed); otherwise one line per job."""
    if sys.stderr.isatty():
        return "auto"

    def report(event: ProgressEvent) -> None:
        if event.kind in ("finished", "failed"):
            batch = "" if event.batch is None else f" batch {event.batch}"
            error = f": {event.error}" if event.error else ""
            print(f"  [{label}]{batch} {event.kind} ({event.done}/{event.total}){error}", file=sys.stderr)

    return report


def problems_of(kind: str, batches: Sequence[BatchOutcome[Any]]) -> list[str]:
    """Failed batches and partial failures reported inside successful ones."""
    return [
        f"{kind} batch {b.index} (items {b.start}-{b.stop - 1}): {b.error or '; '.join(b.problems)}"
        for b in batches
        if b.error is not None or b.problems
    ]


@contextmanager
def alation() -> Iterator[tuple[str, Any, int, str]]:
    """(server URL, token, document hub id, document otype): a real instance, or the simulator."""
    url = os.environ.get("ALATION_BASE_URL")
    otype = os.environ.get("ALATION_DOCUMENT_OTYPE", "glossary_term")
    if url:
        hub = os.environ.get("ALATION_DOCUMENT_HUB_ID")
        if not hub or not hub.isdigit():
            sys.exit("set ALATION_DOCUMENT_HUB_ID to the id of the document hub to write into")
        token: Any = os.environ.get("ALATION_TOKEN")
        if not token and os.environ.get("ALATION_REFRESH_TOKEN"):
            from alation_workflows.auth import RefreshTokenAuth

            token = RefreshTokenAuth(os.environ["ALATION_REFRESH_TOKEN"], int(os.environ["ALATION_USER_ID"]))
        if not token:
            sys.exit("set ALATION_TOKEN (or ALATION_REFRESH_TOKEN and ALATION_USER_ID)")
        yield url, token, int(hub), otype
        return
    from alation_workflows.testing import Simulator  # needs the [simulator] extra

    # A cloud-native-like simulator: jobs take a moment, custom field values start a second job.
    sim = Simulator(token="quickstart-token", job_duration=0.2, cfv_legacy_job=True)
    with sim.serve() as served:
        say(f"No ALATION_BASE_URL set: using the embedded Alation simulator at {served}")
        yield served, "quickstart-token", 1, otype


def main() -> None:
    count = int(os.environ.get("QUICKSTART_DOCUMENTS", "2500"))
    started = time.monotonic()
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    poll = PollConfig(initial_interval=0.05, multiplier=1.5, max_interval=5.0, timeout=1800.0)
    with (
        alation() as (url, token, hub, otype),
        Workflows(server_url=url, token=token, poll_config=poll) as wf,
    ):
        # 1. A folder to hold everything (one job).
        folder_job = wf.document_hub_folders.create_document_hub_folders(
            request=[models.DocumentHubFolderIn(title=f"Quickstart {stamp}", document_hub_id=hub)]
        )
        folder = folder_job.wait(timeout=300).result.created_folders[0]  # typed, not Optional
        say(f"folder      {folder.id} {folder.title!r}")

        # 2. Two custom fields (one job); the last message of the result carries the new ids.
        fields_job = wf.custom_fields.create_custom_fields(
            request=[
                models.CustomFieldIn(
                    field_type=models.CustomFieldType.PICKER,
                    name_singular=f"Quickstart status {stamp}",
                    options=["Draft", "Reviewed", "Published"],
                ),
                models.CustomFieldIn(
                    field_type=models.CustomFieldType.RICH_TEXT, name_singular=f"Quickstart note {stamp}"
                ),
            ]
        )
        messages = fields_job.wait(timeout=300).result
        field_ids = [
            i
            for m in messages
            if m.data
            for i in m.data.field_ids or []
        ]
        if len(field_ids) != 2:
            sys.exit(f"expected 2 new custom field ids, the job said: {messages!r}")
        status_field, note_field = field_ids
        say(f"fields      status={status_field} note={note_field}")

        # 3. The documents, in server-sized batches (the spec's limit: 1 000 per request).
        documents = [
            models.DocumentIn(
                title=f"Quickstart document {i:04d}",
                document_hub_id=hub,
                parent_folder_id=folder.id,
                description=f"<p>Document {i} of {count}, created by the alation-workflows quickstart.</p>",
            )
            for i in range(count)
        ]
        doc_batches = submit_batches(
            wf.documents.create_documents, documents, progress=progress_for("documents")
        )
        doc_ids: list[int] = []
        for batch in doc_batches:
            if batch.ok:
                doc_ids += [t.id for t in batch.details.result.created_terms]
        say(f"documents   {len(doc_ids)} created in {len(doc_batches)} batches")

        # 4. Two values per document (up to 10 000 per request); each job may name a follow-up job.
        values = [
            v
            for n, doc_id in enumerate(doc_ids)
            for v in (
                models.CustomFieldValueUpdate(
                    field_id=status_field,
                    otype=otype,
                    oid=doc_id,
                    value=["Draft", "Reviewed", "Published"][n % 3],
                ),
                models.CustomFieldValueUpdate(
                    field_id=note_field, otype=otype, oid=doc_id, value="<p>Set by quickstart</p>"
                ),
            )
        ]
        value_batches = submit_batches(
            wf.custom_field_values.update_custom_field_values, values, progress=progress_for("values")
        )
        followups = sum(len(b.handle.followups) for b in value_batches if b.handle is not None)

        # 5. A short typed summary; anything that went wrong is listed, never hidden.
        problems = problems_of("documents", doc_batches) + problems_of("values", value_batches)
        say(
            f"values      {len(values)} set in {len(value_batches)} batches ({followups} follow-up legacy jobs awaited)"
        )
        say(f"jobs        {1 + 1 + len(doc_batches) + len(value_batches) + followups} waited on")
        say(f"problems    {len(problems)}")
        for line in problems:
            say(f"  - {line}")
        say(f"done in {time.monotonic() - started:.1f}s")
        if problems:
            sys.exit(1)


if __name__ == "__main__":
    main()
