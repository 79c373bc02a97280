"""The route table: every Alation path the simulator answers, byte-exact (trailing slashes included)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .handlers import (
    bi,
    bi_reads,
    custom_fields,
    data_dictionary,
    data_quality,
    domains,
    hub,
    hub_reads,
    jobs_api,
    lineage,
    policies,
    rdbms,
    rdbms_reads,
    tokens,
    users,
    virtual,
)
from .wire import SimResponse

Handler = Callable[..., SimResponse]
_PARAM = re.compile(r"\{(\w+)(?::(int|str))?\}")


@dataclass(frozen=True)
class Route:
    """One operation: method + path template (starlette syntax, `{name:int}`) + handler."""

    operation_id: str
    method: str
    path: str
    handler: Handler
    public: bool = False  # answered without a TOKEN header (token endpoints)
    aliases: tuple[str, ...] = ()  # the spec's per-variant operation ids sharing this route
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    converters: dict[str, type] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        converters: dict[str, type] = {}
        pattern, pos = "", 0
        for m in _PARAM.finditer(self.path):
            pattern += re.escape(self.path[pos : m.start()])
            kind = m.group(2) or "str"
            converters[m.group(1)] = int if kind == "int" else str
            pattern += f"(?P<{m.group(1)}>[0-9]+)" if kind == "int" else f"(?P<{m.group(1)}>[^/]+)"
            pos = m.end()
        pattern += re.escape(self.path[pos:])
        object.__setattr__(self, "regex", re.compile(f"^{pattern}$"))
        object.__setattr__(self, "converters", converters)

    def params(self, path: str) -> dict[str, Any] | None:
        m = self.regex.match(path)
        if m is None:
            return None
        return {name: self.converters[name](value) for name, value in m.groupdict().items()}


def _r(
    op: str,
    method: str,
    path: str,
    handler: Callable[..., SimResponse],
    public: bool = False,
    aliases: tuple[str, ...] = (),
) -> Route:
    return Route(op, method, path, handler, public, aliases)


# Operation ids are the spec's (openapi/alation-workflows.yaml); routes the spec does not
# describe (lineage V2, domain delete, data dictionary, OAuth, duplicate-user CSV) have their own.
ROUTES: list[Route] = [
    # §1 job status
    _r("getJobStatus", "GET", "/api/v1/bulk_metadata/job/", jobs_api.get_job_status),
    # documents, folders, terms
    _r("createDocuments", "POST", "/integration/v2/document/", hub.create_documents),
    _r("updateDocuments", "PUT", "/integration/v2/document/", hub.update_documents),
    _r("deleteDocuments", "DELETE", "/integration/v2/document/", hub.delete_documents),
    _r("createDocumentHubFolders", "POST", "/integration/v2/folder/", hub.create_folders),
    _r("updateDocumentHubFolders", "PUT", "/integration/v2/folder/", hub.update_folders),
    _r("deleteDocumentHubFolders", "DELETE", "/integration/v2/folder/", hub.delete_folders),
    _r("createTerms", "POST", "/integration/v2/term/", hub.create_terms),
    _r("updateTerms", "PUT", "/integration/v2/term/", hub.update_terms),
    _r("deleteTerms", "DELETE", "/integration/v2/term/", hub.delete_terms),
    # business policies
    _r("createBusinessPolicies", "POST", "/integration/v1/business_policies/", policies.create_policies),
    _r("updateBusinessPolicies", "PUT", "/integration/v1/business_policies/", policies.update_policies),
    _r("deleteBusinessPolicies", "DELETE", "/integration/v1/business_policies/", policies.delete_policies),
    # custom fields and values
    _r("createCustomFields", "POST", "/integration/v2/custom_field/", custom_fields.create_fields),
    _r(
        "updateCustomFieldValues",
        "PUT",
        "/integration/v2/custom_field_value/async/",
        custom_fields.put_values,
    ),
    # relational integration
    _r("createSchemas", "POST", "/integration/v2/schema/", rdbms.post_schemas),
    _r("updateSchemas", "PATCH", "/integration/v2/schema/", rdbms.patch_schemas),
    _r("createTables", "POST", "/integration/v2/table/", rdbms.post_tables),
    _r("updateTables", "PATCH", "/integration/v2/table/", rdbms.patch_tables),
    _r("createColumns", "POST", "/integration/v2/column/", rdbms.post_columns),
    _r("updateColumns", "PATCH", "/integration/v2/column/", rdbms.patch_columns),
    _r("updateRootChildColumns", "PATCH", "/integration/v2/column/children/", rdbms.patch_root_children),
    _r(
        "updateChildColumns",
        "PATCH",
        "/integration/v2/column/{column_id:int}/children/",
        rdbms.patch_children,
    ),
    # virtual data source / file system, query log ingestion
    _r(
        "postVirtualDataSourceMetadata",
        "POST",
        "/api/v1/bulk_metadata/extraction/{ds_id:int}",
        virtual.post_vds,
    ),
    _r(
        "postVirtualFileSystemMetadata",
        "POST",
        "/api/v1/bulk_metadata/file_upload/{fs_id:int}/",
        virtual.post_vfs,
    ),
    _r(
        "postVirtualFileSystemMetadataNoSlash",
        "POST",
        "/api/v1/bulk_metadata/file_upload/{fs_id:int}",
        virtual.post_vfs,
    ),
    _r("pushQueryLogs", "POST", "/api/v1/bulk_metadata/query_log_ingestion/{ds_id:int}/", virtual.post_qli),
    # data quality
    _r(
        "postDataQuality",
        "POST",
        "/integration/v1/data_quality/",
        data_quality.post,
        aliases=("postDataQualityFields", "postDataQualityValues"),
    ),
    _r(
        "deleteDataQuality",
        "DELETE",
        "/integration/v1/data_quality/",
        data_quality.delete,
        aliases=("deleteDataQualityFields", "deleteDataQualityValues"),
    ),
    # lineage
    _r("createDataflows", "POST", "/integration/v2/dataflow/", lineage.post_dataflows),
    _r("updateDataflows", "PATCH", "/integration/v2/dataflow/", lineage.patch_dataflows),
    _r("deleteDataflows", "DELETE", "/integration/v2/dataflow/", lineage.delete_dataflows),
    _r("createLineage", "POST", "/integration/v2/lineage/", lineage.post_lineage),
    # BI sources
    _r("createBiServers", "POST", "/integration/v2/bi/server/", bi.create_servers),
    _r("createBiFolders", "POST", "/integration/v2/bi/server/{bi_server_id:int}/folder/", bi.upsert_folders),
    _r("createBiReports", "POST", "/integration/v2/bi/server/{bi_server_id:int}/report/", bi.upsert_reports),
    _r(
        "createBiReportColumns",
        "POST",
        "/integration/v2/bi/server/{bi_server_id:int}/report/column/",
        bi.upsert_report_columns,
    ),
    # domains, users
    _r("assignDomainMembership", "POST", "/integration/v2/domain/membership/", domains.assign_membership),
    _r("deleteDomains", "DELETE", "/integration/v2/domain/", domains.delete_domains),
    _r(
        "generateDuplicateUsersCsv",
        "GET",
        "/integration/v1/generate_dup_users_accts_csv_file/",
        users.generate_csv,
    ),
    _r("removeDuplicateUsers", "POST", "/integration/v1/remove_dup_users_accts/", users.remove_duplicates),
    # data dictionary (own task API)
    _r(
        "uploadDataDictionary",
        "PUT",
        "/integration/v1/data_dictionary/{object_type}/{object_id:int}/upload/",
        data_dictionary.upload,
    ),
    _r(
        "getDataDictionaryTask",
        "GET",
        "/integration/v1/data_dictionary/tasks/{task_id}",
        data_dictionary.get_task,
    ),
    _r(
        "getDataDictionaryTaskSlash",
        "GET",
        "/integration/v1/data_dictionary/tasks/{task_id}/",
        data_dictionary.get_task,
    ),
    _r(
        "getDataDictionaryTaskErrors",
        "GET",
        "/integration/v1/data_dictionary/tasks/{task_id}/errors/",
        data_dictionary.get_task_errors,
    ),
    # paged reads (x-pagination)
    _r("listDocuments", "GET", "/integration/v2/document/", hub_reads.list_documents),
    _r("listTables", "GET", "/integration/v2/table/", rdbms_reads.list_tables),
    _r("listColumns", "GET", "/integration/v2/column/", rdbms_reads.list_columns),
    _r("listBiFolders", "GET", "/integration/v2/bi/server/{bi_server_id:int}/folder/", bi_reads.list_folders),
    # §4 authentication
    _r("createApiAccessToken", "POST", "/integration/v1/createAPIAccessToken/", tokens.create_access, True),
    _r(
        "validateRefreshToken", "POST", "/integration/v1/validateRefreshToken/", tokens.validate_refresh, True
    ),
    _r(
        "validateApiAccessToken",
        "POST",
        "/integration/v1/validateAPIAccessToken/",
        tokens.validate_access,
        True,
    ),
    _r("revokeApiAccessTokens", "POST", "/integration/v1/revokeAPIAccessTokens/", tokens.revoke, True),
    _r("createOAuthToken", "POST", "/oauth/v2/token/", tokens.oauth_token, True),
    _r("createOAuthTokenNoSlash", "POST", "/oauth/v2/token", tokens.oauth_token, True),
]


def match(method: str, path: str) -> tuple[Route, dict[str, Any]] | SimResponse:
    """The route and path parameters for a request, or Alation's 404 / 405 answer."""
    allowed: list[str] = []
    for route in ROUTES:
        params = route.params(path)
        if params is None:
            continue
        if route.method == method:
            return route, params
        allowed.append(route.method)
    if allowed:
        return SimResponse.json(
            405, {"detail": f'Method "{method}" not allowed.'}, {"allow": ", ".join(sorted(set(allowed)))}
        )
    return SimResponse.json(404, {"detail": "Not found.", "code": "404000"})


def resolve_operation(operation_id: str) -> str:
    """The route's operation id for an operation id or one of its aliases; ValueError if unknown."""
    for route in ROUTES:
        if operation_id == route.operation_id or operation_id in route.aliases:
            return route.operation_id
    known = sorted({r.operation_id for r in ROUTES} | {a for r in ROUTES for a in r.aliases})
    raise ValueError(f"unknown operation id {operation_id!r}; known: {', '.join(known)}")
