"""``node(id:)``: any object by its global id (Relay)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from graph_service.api.reading import READ_INTEGRATION
from graph_service.errors import InputError, echo


@strawberry.type
class NodeQuery:
    # A resolver of our own rather than relay.node(): that one mutates the shared field when a schema is built,
    # so a process could build only one schema (tests build several, with different limits).
    @strawberry.field(
        description="Any object by its global id (Relay): areas, organisations, people, memberships, pairings, ...",
        extensions=READ_INTEGRATION,
    )
    async def node(self, info: strawberry.Info, id: relay.GlobalID) -> relay.Node | None:
        try:
            node_type = id.resolve_type(info)
        except (ValueError, TypeError):
            raise InputError(f"id: {echo(str(id))} names no type of this API") from None
        if not issubclass(node_type, relay.Node):
            raise InputError(f"id: {echo(str(id))} names no type of this API")
        result: relay.Node | None = await id.resolve_node(info, required=False)
        return result


__all__ = ["NodeQuery"]
