"""Every list operation reads back, over loopback HTTP, what the bulk jobs wrote into the simulator."""

from __future__ import annotations

import asyncio

from alation_workflows import JobHandle, Workflows, models
from alation_workflows.testing.pytest_plugin import ServedSimulator


def test_folders_terms_and_policies_read_back(workflows: Workflows) -> None:
    wf = workflows
    folders = [models.DocumentHubFolderIn(title=f"Folder {i}", document_hub_id=1) for i in range(120)]
    wf.document_hub_folders.create_document_hub_folders(request=folders).wait(timeout=30)
    wf.terms.create_terms(request=[models.TermIn(title=f"Term {i}") for i in range(3)]).wait(timeout=30)
    wf.business_policies.create_business_policies(request=[models.BusinessPolicyIn(title="Retention")]).wait(
        timeout=30
    )
    assert [f.title for f in wf.document_hub_folders.list_document_hub_folders(document_hub_id=1)] == [
        f"Folder {i}" for i in range(120)
    ]
    assert [f.title for f in wf.document_hub_folders.list_document_hub_folders(search="Folder 11")] == [
        "Folder 11",
        *[f"Folder {i}" for i in range(110, 120)],
    ]
    assert [t.title for t in wf.terms.list_terms(search="Term")] == ["Term 0", "Term 1", "Term 2"]
    assert [p.title for p in wf.business_policies.list_business_policies()] == ["Retention"]
    assert list(wf.terms.list_terms(deleted=True)) == []


def test_custom_fields_by_name_and_type_and_values(
    workflows: Workflows, alation_server: ServedSimulator
) -> None:
    wf = workflows
    created = wf.custom_fields.create_custom_fields(
        request=[
            models.CustomFieldIn(field_type=models.CustomFieldType.RICH_TEXT, name_singular="Domain notes"),
            models.CustomFieldIn(
                field_type=models.CustomFieldType.PICKER, name_singular="Tier", options=["Gold", "Silver"]
            ),
        ]
    ).wait(timeout=30)
    assert created.status == "successful"
    tier = [f for f in wf.custom_fields.list_custom_fields(name_singular="Tier")]
    assert len(tier) == 1 and tier[0].field_type == "PICKER"
    rich = {f.name_singular for f in wf.custom_fields.list_custom_fields(field_type="RICH_TEXT")}
    assert {"Description", "Domain notes"} <= rich and "Tier" not in rich
    assert [f.name_singular for f in wf.custom_fields.list_custom_fields(name_singular_icontains="TIER")] == [
        "Tier"
    ]
    for table_id in (93, 94):  # values are refused for objects that do not exist
        alation_server.sim.state.add_table(f"1.sales.t{table_id}", id=table_id)
    wf.custom_field_values.update_custom_field_values(
        request=[
            models.CustomFieldValueUpdate(field_id=tier[0].id, otype="table", oid=93, value="Gold"),
            models.CustomFieldValueUpdate(field_id=tier[0].id, otype="table", oid=94, value="Silver"),
        ]
    ).wait(timeout=30)
    values = list(wf.custom_field_values.list_custom_field_values(otype="table", field_id=tier[0].id))
    assert [(v.oid, v.value) for v in values] == [(93, "Gold"), (94, "Silver")]
    assert [v.value for v in wf.custom_field_values.list_custom_field_values(oid=94)] == ["Silver"]


def test_schemas_tables_columns_read_back(workflows: Workflows, alation_server: ServedSimulator) -> None:
    wf = workflows
    ds = alation_server.sim.catalog.add_datasource("Warehouse")
    wf.rdbms.create_schemas(ds_id=ds, request=[models.SchemaIn(key=f"{ds}.sales")]).wait(timeout=30)
    tables = [models.TableIn(key=f"{ds}.sales.t{i:03}", title=f"T{i}") for i in range(150)]
    wf.rdbms.create_tables(ds_id=ds, request=tables).wait(timeout=30)
    wf.rdbms.create_columns(
        ds_id=ds, request=[models.ColumnIn(key=f"{ds}.sales.t000.c{i}", column_type="int") for i in range(3)]
    ).wait(timeout=30)
    [schema] = list(wf.rdbms.list_schemas(ds_id=ds))
    assert (schema.key, schema.name) == (f"{ds}.sales", "sales")
    listed = list(wf.rdbms.list_tables(ds_id=ds))
    assert [t.key for t in listed] == [t.key for t in tables]
    assert {t.schema_id for t in listed} == {schema.id}
    assert [t.name for t in wf.rdbms.list_tables(ds_id=ds, name="t007")] == ["t007"]
    columns = list(wf.rdbms.list_columns(ds_id=ds, table_id=listed[0].id))
    assert [(c.name, c.column_type, c.table_name) for c in columns] == [
        (f"c{i}", "int", "t000") for i in range(3)
    ]
    ids = {d.id for d in wf.rdbms.list_data_sources()}
    assert {1, ds} <= ids


def test_data_quality_read_back(workflows: Workflows) -> None:
    wf = workflows
    wf.data_quality.post_data_quality_fields(
        request=models.DataQualityFieldsRequest(
            fields=[
                models.DataQualityFieldIn(
                    field_key="dq.rows", name="Rows", type=models.DataQualityFieldType.NUMERIC
                )
            ]
        )
    ).wait(timeout=30)
    wf.data_quality.post_data_quality_values(
        request=models.DataQualityValuesRequest(
            values=[
                models.DataQualityValueIn(
                    field_key="dq.rows",
                    object_key="1.s.t",
                    object_type=models.DataQualityObjectType.TABLE,
                    status=models.DataQualityStatus.GOOD,
                    value=12,
                )
            ]
        )
    ).wait(timeout=30)
    assert [f.key for f in wf.data_quality.list_data_quality_fields()] == ["dq.rows"]
    [value] = list(wf.data_quality.list_data_quality_values(field_key="dq.rows"))
    assert (value.object_key, value.value_quality, value.value_value) == ("1.s.t", "GOOD", 12)


def test_bi_servers_and_reports_page_by_offset(workflows: Workflows, alation_server: ServedSimulator) -> None:
    wf = workflows
    created = wf.bi_sources.create_bi_servers(
        request=[models.BiServerIn(uri="https://bi.example.com", title="BI")]
    )
    assert created.server_ids is not None
    server_id = created.server_ids[0]
    reports = [
        models.BiReportIn(
            name=f"R{i}",
            external_id=f"r-{i}",
            source_url=f"https://bi.example.com/r/{i}",
            bi_object_type="Dashboard",
            description_at_source=None,
            owner="ann",
            report_type="DASHBOARD",
        )
        for i in range(205)
    ]
    wf.bi_sources.create_bi_reports(bi_server_id=server_id, request=reports).wait(timeout=30)
    assert [s.id for s in wf.bi_sources.list_bi_servers()] == [server_id]
    assert [r.external_id for r in wf.bi_sources.list_bi_reports(bi_server_id=server_id)] == [
        f"r-{i}" for i in range(205)
    ]
    picked = wf.bi_sources.list_bi_reports(bi_server_id=server_id, key_field=models.ListBiReportsKeyField.EXTERNAL_ID, oids="r-3,r-7")
    assert [r.name for r in picked] == ["R3", "R7"]
    gets = [r for r in alation_server.sim.requests if r.path.endswith("/report/") and r.method == "GET"]
    assert all("x-next-page" not in str(r) for r in gets)


def test_domains_membership_rules_page_a_post_listing(
    workflows: Workflows, alation_server: ServedSimulator
) -> None:
    wf = workflows
    finance = alation_server.sim.catalog.add_domain("Marketing")
    res = wf.domains.assign_domain_membership(
        request=models.DomainMembershipRequest(id=finance, otype="table", oid=list(range(1, 251)))
    )
    if isinstance(res, JobHandle):
        res.wait(timeout=30)
    [domain] = [d for d in wf.domains.list_domains() if d.title == "Marketing"]
    request = models.DomainMembershipRulesRequest(domain_ids=[domain.id])
    rules = list(wf.domains.list_domain_membership_rules(request=request))
    assert sorted(r.oid for r in rules) == list(range(1, 251))
    posts = [
        r for r in alation_server.sim.requests if r.path == "/integration/v2/domain/membership/view_rules/"
    ]
    # Three pages of 100: every page (followed through X-Next-Page) repeats the body.
    assert len(posts) == 3 and len({r.body for r in posts}) == 1 and posts[0].body
    # A listing reads even as a POST: the simulator does not count it as a submission.
    assert alation_server.sim.submissions["listDomainMembershipRules"] == 0
    assert alation_server.sim.submissions["assignDomainMembership"] == 1

    async def collect() -> int:
        return len(
            [r async for r in wf.domains.list_domain_membership_rules_async(request=request, limit=1000)]
        )

    assert asyncio.run(collect()) == 250


def test_users_and_templates(workflows: Workflows, alation_server: ServedSimulator) -> None:
    wf = workflows
    alation_server.sim.catalog.add_user("ann", "ann@example.com")
    assert [u.username for u in wf.users.list_users(email_icontains="ANN@")] == ["ann"]
    assert [t.title for t in wf.custom_fields.list_custom_templates(title="Document template")] == [
        "Document template"
    ]


def test_dataflows_read_back_with_their_paths(workflows: Workflows) -> None:
    wf = workflows
    payload = models.DataflowPayload(
        dataflow_objects=[models.DataflowObject(external_id="api/df1", title="Load")],
        paths=[
            [
                [models.LineageObjectRef(otype="table", key="1.s.a")],
                [models.LineageObjectRef(otype="dataflow", key="api/df1")],
                [models.LineageObjectRef(otype="table", key="1.s.b")],
            ]
        ],
    )
    wf.dataflows.create_dataflows(request=payload).wait(timeout=30)
    got = wf.dataflows.get_dataflows(key_field=models.DataflowKeyField.EXTERNAL_ID, request=["api/df1"])
    assert [(d.external_id, d.title) for d in got.dataflow_objects] == [("api/df1", "Load")]
    assert [[n.key for seg in path for n in seg] for path in got.paths or []] == [
        ["1.s.a", "api/df1", "1.s.b"]
    ]
    by_id = wf.dataflows.get_dataflows(key_field=models.DataflowKeyField.ID, request=[got.dataflow_objects[0].id])
    assert [d.external_id for d in by_id.dataflow_objects] == ["api/df1"]
