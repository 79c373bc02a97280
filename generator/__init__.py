"""Generator: OpenAPI spec -> typed SDK modules and reference docs (`python -m generator`)."""
