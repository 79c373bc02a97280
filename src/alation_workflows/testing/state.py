"""The simulated catalog: every object kind the bulk APIs create, update or delete, kept in memory."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

Obj = dict[str, Any]
# Stores by id and by key; dataclass fields name them as their own default_factory, typed.
ById = dict[int, Obj]
ByKey = dict[str, Obj]
ByServerKey = dict[tuple[int, str], Obj]  # (BI server id, external id)


@dataclass
class CatalogState:
    """Objects by id (each a plain dict as Alation would echo it); keyed indexes where the API uses keys.

    Seeded with one of each container the bulk APIs need (document hub 1, template 1, glossary 1,
    policy group 1, data source 1, file system 1, domain 1, user 1) so tests can submit at once.
    """

    document_hubs: ById = field(default_factory=ById)
    templates: ById = field(default_factory=ById)
    glossaries: ById = field(default_factory=ById)
    policy_groups: ById = field(default_factory=ById)
    documents: ById = field(default_factory=ById)
    folders: ById = field(default_factory=ById)
    terms: ById = field(default_factory=ById)
    policies: ById = field(default_factory=ById)
    custom_fields: ById = field(default_factory=ById)
    # (otype, oid, field_id) -> value
    custom_field_values: dict[tuple[str, str, int], Any] = field(
        default_factory=dict[tuple[str, str, int], Any]
    )
    datasources: ById = field(default_factory=ById)
    # "<ds_id>.<schema>[.<table>[.<column>]]" -> object (with "id", "otype")
    schemas: ByKey = field(default_factory=ByKey)
    tables: ByKey = field(default_factory=ByKey)
    columns: ByKey = field(default_factory=ByKey)
    indexes: ByKey = field(default_factory=ByKey)
    file_systems: ById = field(default_factory=ById)
    # fs_id -> path -> file entry (each upload replaces the listing)
    files: dict[int, dict[str, Obj]] = field(default_factory=dict[int, dict[str, Obj]])
    query_logs: dict[int, list[Obj]] = field(default_factory=dict[int, list[Obj]])
    dq_fields: ByKey = field(default_factory=ByKey)
    # (field_key, object_key) -> value entry
    dq_values: dict[tuple[str, str], Obj] = field(default_factory=dict[tuple[str, str], Obj])
    dataflows: ById = field(default_factory=ById)
    lineage_paths: list[Any] = field(default_factory=list[Any])
    bi_servers: ById = field(default_factory=ById)
    # (server_id, external_id) -> object
    bi_folders: ByServerKey = field(default_factory=ByServerKey)
    bi_reports: ByServerKey = field(default_factory=ByServerKey)
    bi_columns: ByServerKey = field(default_factory=ByServerKey)
    domains: ById = field(default_factory=ById)
    # domain id -> set of (otype, oid)
    domain_members: dict[int, set[tuple[str, int]]] = field(default_factory=dict[int, set[tuple[str, int]]])
    users: ById = field(default_factory=ById)
    dd_tasks: ByKey = field(default_factory=ByKey)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(101))

    def __post_init__(self) -> None:
        self.document_hubs[1] = {"id": 1, "title": "Documents"}
        self.templates[1] = {"id": 1, "title": "Document template"}
        self.glossaries[1] = {"id": 1, "title": "Business Glossary"}
        self.policy_groups[1] = {"id": 1, "title": "Policies"}
        self.datasources[1] = {"id": 1, "title": "Virtual data source", "is_virtual": True}
        self.file_systems[1] = {"id": 1, "title": "Virtual file system"}
        self.domains[1] = {"id": 1, "title": "Finance"}
        self.users[1] = {"id": 1, "username": "admin", "email": "admin@example.com", "suspended": False}
        # Built-in fields every Alation has (ids as in Alation): title, description, steward.
        self.custom_fields[3] = {"id": 3, "field_type": "TEXT", "name_singular": "Title", "builtin": True}
        self.custom_fields[4] = {
            "id": 4,
            "field_type": "RICH_TEXT",
            "name_singular": "Description",
            "builtin": True,
            # Alation: "No support for updating `description` field for `data`." (allie-sdk issue #31)
            "unsupported_otypes": ["data"],
        }
        self.custom_fields[8] = {
            "id": 8,
            "field_type": "OBJECT_SET",
            "name_singular": "Steward",
            "name_plural": "Stewards",
            "allow_multiple": True,
            "allowed_otypes": ["user", "groupprofile"],
            "builtin": True,
        }

    def new_id(self) -> int:
        """A fresh object id (unique across kinds, like Alation's per-table ids are in practice)."""
        return next(self._ids)

    def add_datasource(self, title: str = "Data source", *, id: int | None = None, **extra: Any) -> int:
        """Register a data source (e.g. for RDBMS or virtual data source tests); returns its id."""
        ds_id = id if id is not None else self.new_id()
        self.datasources[ds_id] = {"id": ds_id, "title": title, **extra}
        return ds_id

    def add_file_system(self, title: str = "File system", *, id: int | None = None) -> int:
        fs_id = id if id is not None else self.new_id()
        self.file_systems[fs_id] = {"id": fs_id, "title": title}
        return fs_id

    def add_domain(self, title: str = "Domain", *, id: int | None = None) -> int:
        domain_id = id if id is not None else self.new_id()
        self.domains[domain_id] = {"id": domain_id, "title": title}
        return domain_id

    def add_table(self, key: str, *, id: int | None = None) -> int:
        """Register a table by its key ("<ds_id>.<schema>.<table>"), e.g. to set custom field values on it."""
        table_id = id if id is not None else self.new_id()
        self.tables[key] = {"id": table_id, "key": key, "ds_id": int(key.split(".", 1)[0]), "otype": "table"}
        return table_id

    def add_document_hub(self, title: str = "Hub", *, id: int | None = None) -> int:
        hub_id = id if id is not None else self.new_id()
        self.document_hubs[hub_id] = {"id": hub_id, "title": title}
        return hub_id

    def add_user(self, username: str, email: str = "", *, id: int | None = None) -> int:
        user_id = id if id is not None else self.new_id()
        self.users[user_id] = {"id": user_id, "username": username, "email": email, "suspended": False}
        return user_id

    def find_object(self, otype: str, oid: Any) -> bool | None:
        """Whether the object `otype`/`oid` exists: True/False for the object types this catalog
        keeps, None for those it does not model (then nothing can be said)."""
        by_kind: dict[str, list[dict[Any, Obj]]] = {
            "data": [self.datasources],
            "schema": [self.schemas],
            "table": [self.tables],
            "attribute": [self.columns],
            "glossary_term": [self.documents, self.terms],  # Document Hub documents are glossary_terms
            "glossary_v3": [self.glossaries],
            "business_policy": [self.policies],
            "user": [self.users],
            "domain": [self.domains],
            "bi_server": [self.bi_servers],
        }
        stores = by_kind.get(otype.lower())
        if stores is None:
            return None
        for store in stores:
            if oid in store or str(oid) in store:  # RDBMS objects are also named by key
                return True
            if any(str(obj.get("id")) == str(oid) for obj in store.values()):
                return True
        return False

    def object_exists(self, otype: str, key: str) -> bool:
        """Whether an RDBMS object with this key exists (data quality object keys)."""
        kinds = {"SCHEMA": self.schemas, "TABLE": self.tables, "ATTRIBUTE": self.columns}
        return key in kinds.get(otype.upper(), {})
