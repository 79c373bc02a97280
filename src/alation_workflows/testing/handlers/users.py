"""Duplicate user accounts: the CSV report (GET) and the sync multipart `csv_file` upload (POST)."""

from __future__ import annotations

import csv
import io
from email.parser import BytesParser
from email.policy import HTTP
from typing import TYPE_CHECKING

from ..registry import handles, simulator_only
from ..wire import Reject, SimRequest, SimResponse

if TYPE_CHECKING:
    from ..simulator import Simulator

COLUMNS = ["SN", "Username", "email", "Action", "Group"]


def multipart_parts(request: SimRequest) -> dict[str, tuple[str | None, bytes]]:
    """Form parts by name: (filename, content). Raises a 400 when the body is not multipart."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise Reject(
            400, {"detail": f'Unsupported media type "{content_type}" in request.', "code": "400000"}
        )
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + request.body
    )
    parts: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            parts[name] = (part.get_filename(), payload if isinstance(payload, bytes) else b"")
    return parts


@simulator_only("generateDuplicateUsersCsv", "GET", "/integration/v1/generate_dup_users_accts_csv_file/")
def generate_csv(sim: Simulator, request: SimRequest) -> SimResponse:
    by_email: dict[str, list[dict[str, object]]] = {}
    for user in sim.catalog.users.values():
        if user.get("email") and not user.get("suspended"):
            by_email.setdefault(str(user["email"]).lower(), []).append(user)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    number = 0
    for group, users in enumerate((u for u in by_email.values() if len(u) > 1), start=1):
        for position, user in enumerate(sorted(users, key=lambda u: int(str(u["id"])))):
            number += 1
            action = "RETAIN" if position == 0 else "SUSPEND"
            writer.writerow([number, user["username"], user["email"], action, group])
    return SimResponse(200, out.getvalue().encode(), {"content-type": "text/csv"})


@handles("removeDuplicateUsers")
def remove_duplicates(sim: Simulator, request: SimRequest) -> SimResponse:
    parts = multipart_parts(request)
    if "csv_file" not in parts:
        raise Reject(400, {"detail": "csv_file is required.", "code": "400000"})
    try:
        rows = list(csv.DictReader(io.StringIO(parts["csv_file"][1].decode("utf-8", errors="replace"))))
    except csv.Error as exc:
        raise Reject(400, {"detail": f"csv_file is not a valid CSV file: {exc}.", "code": "400000"}) from exc
    if rows and not set(COLUMNS) <= set(rows[0]):
        raise Reject(
            400, {"detail": f"csv_file must have the columns {', '.join(COLUMNS)}.", "code": "400000"}
        )
    by_name = {str(u["username"]): u for u in sim.catalog.users.values()}
    suspended = 0
    for row in rows:
        user = by_name.get(row["Username"] or "")
        action = row["Action"] or ""  # a short row has None for its missing columns
        if user is not None and action.strip().upper() == "SUSPEND" and not user["suspended"]:
            user["suspended"] = True
            user["username"] = f"{user['username']}_dup_{user['id']}"
            suspended += 1
    return SimResponse.json(
        200, {"Success": f"Total number of users got updated with temp username and suspended: {suspended}"}
    )
