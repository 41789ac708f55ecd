"""Volunteer and co-construction projects (项目) and residents' appeals (群众诉求)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Self

import strawberry
from strawberry import relay

from graph_service.api.common import AppealStatus, Labeled, ProjectKind, domain_id_field, labeled, linked_nodes, load_nodes
from graph_service.api.ends import area_from_row, organization_from_row
from graph_service.api.refs import APPEAL, AREA, ORG, PERSON, PROJECT, AreaRef, OrganizationRef
from graph_service.domain import enums
from graph_service.domain.enums import RelType

if TYPE_CHECKING:
    pass


@strawberry.type(
    description="A volunteer service project (志愿服务项目) listed by a compound branch from residents' needs, "
    "or a co-construction project (共建项目)"
)
class Project(relay.Node):
    id: relay.NodeID[str]
    kind: Labeled[ProjectKind] = strawberry.field(description="Kind of project (项目类型)")
    name: str = strawberry.field(description="Name (名称)")
    need: str | None = strawberry.field(description="The residents' need it answers (群众需求)")
    created: date | None = strawberry.field(description="Date listed (发布日期)")

    domain_id = domain_id_field("The stable identifier in the store and in NDJSON files")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            kind=labeled(enums.ProjectKind, row.get("kind")),  # type: ignore[arg-type]
            name=row.get("name") or "",
            need=row.get("need"),
            created=row.get("created"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info, PROJECT, node_ids, cls.from_row)

    @strawberry.field(description="The organisations that listed it (发布组织)")
    async def listed_by(self, info: strawberry.Info) -> list[OrganizationRef]:
        return await linked_nodes(info, RelType.LISTED_BY.value, PROJECT, ORG, self.id, organization_from_row())

    @strawberry.field(description="How many members claimed it (认领人数)")
    async def claim_count(self, info: strawberry.Info) -> int:
        return len(await info.context.loaders.into(RelType.CLAIMED.value, PERSON, PROJECT).load(self.id))


@strawberry.type(description="A residents' appeal (群众诉求) collected by a grid worker")
class Appeal(relay.Node):
    id: relay.NodeID[str]
    summary: str = strawberry.field(description="What the residents asked for (诉求内容)")
    received: date | None = strawberry.field(description="Date received (受理日期)")
    status: Labeled[AppealStatus] = strawberry.field(description="Open 办理中 or resolved 已解决")
    resolved: date | None = strawberry.field(description="Date resolved (办结日期)")

    domain_id = domain_id_field("The stable identifier in the store and in NDJSON files")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            summary=row.get("summary") or "",
            received=row.get("received"),
            status=labeled(enums.AppealStatus, row.get("status")),  # type: ignore[arg-type]
            resolved=row.get("resolved"),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info, APPEAL, node_ids, cls.from_row)

    @strawberry.field(description="The compounds the appeal concerns (诉求所在小区)")
    async def concerns(self, info: strawberry.Info) -> list[AreaRef]:
        return await linked_nodes(info, RelType.CONCERNS.value, APPEAL, AREA, self.id, area_from_row())


__all__ = ["Appeal", "Project"]
