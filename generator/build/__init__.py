"""Stage 2: resolve references and turn the spec into the IR (models, enums, groups, operations).

One module per concern: `types` (schemas -> IR types, one dispatch), `operations` (paths), `jobs`
(x-job + links), `variants` (x-variants), `batches` (x-batch-limit), `sides` (sent vs received).
"""

from __future__ import annotations

from typing import Any

from .. import ir
from ..errors import SpecError
from ..raw import arr, obj
from .access import apply_access
from .context import Context
from .operations import Operations
from .reach import unused
from .sides import mark_sides
from .types import Types


class Builder:
    def __init__(self, spec: dict[str, Any], settings: dict[str, Any], spec_path: str) -> None:
        self.ctx = Context(spec, settings, spec_path)
        self.types = Types(self.ctx)
        self.operations = Operations(self.ctx, self.types)

    def build(self) -> ir.Api:
        ctx = self.ctx
        for name in sorted(obj(obj(ctx.spec.get("components")).get("schemas"))):
            self.types.component(name)
        groups = self.operations.groups()
        mark_sides(ctx, groups)
        apply_access(ctx)
        ctx.warnings.extend(unused(ctx, groups))
        if ctx.problems:
            raise SpecError(ctx.problems)
        info = ctx.spec["info"]
        return ir.Api(
            title=info["title"],
            version=str(ctx.settings.get("version", info["version"])),
            description=info.get("description", ""),
            server_template=obj((arr(ctx.spec.get("servers")) or [{}])[0]).get("url", ""),
            package=ctx.settings["package"],
            client_class=ctx.settings["client_class"],
            settings=ctx.settings,
            groups=groups,
            models=sorted(ctx.models.values(), key=lambda m: m.name),
            enums=sorted(ctx.enums.values(), key=lambda e: e.name),
            spec_path=ctx.spec_path,
        )
