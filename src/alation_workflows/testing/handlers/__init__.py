"""Operation handlers, one module per area of the Alation API; each takes (sim, request, **path params)."""
