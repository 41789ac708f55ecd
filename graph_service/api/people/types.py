"""People (人员) and their posts over time (任职, Popolo Membership).

A person's name, phone, address and ID number are personal data (``Prop.personal``): each of those fields is
guarded on its own, so a viewer gets them null with an error naming the field and the rest intact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, Self

import strawberry
from graphql.pyutils import AwaitableOrValue
from strawberry import relay

from graph_service.api.ahead import loads_linked
from graph_service.api.common import (
    NODE_DOMAIN_ID,
    REL_DOMAIN_ID,
    Employment,
    Held,
    Labeled,
    MemberStatus,
    Post,
    active_field,
    active_on,
    domain_id_field,
    end_row,
    labeled,
    link_loader,
    linked_node,
    load_nodes,
    load_rels,
)
from graph_service.api.ends import area_from_row, organization_at, person_at
from graph_service.api.field_readers import reads
from graph_service.api.permissions import PERSONAL, allow
from graph_service.api.refs import (
    AREA,
    ORG,
    PERSON,
    AreaRef,
    CadrePostingRef,
    LiaisonRef,
    MembershipRef,
    OrganizationRef,
    RegistrationRef,
    SinkingRef,
)
from graph_service.domain import enums
from graph_service.domain.enums import RelType

if TYPE_CHECKING:
    from graph_service.api.loaders import Pair
    from graph_service.api.organizations.types import Organization


def _memberships(_: strawberry.Info, person: Person, pairs: list[Pair], current: bool = False) -> list[Membership]:
    """A person's posts from their MEMBER_OF relationships and organisations, oldest first; ``current``: those in
    force today."""
    items = [
        Membership.from_row({**rel, "_from": person._row, "_to": org})
        for rel, org in pairs
        if not current or active_on(rel.get("start_date"), rel.get("end_date"))
    ]
    return sorted(items, key=lambda m: (m.start_date or date.min, m.id)) if len(items) > 1 else items


_MEMBERSHIPS = Held(lambda info: link_loader(info, RelType.MEMBER_OF.value, PERSON, ORG), _memberships)


@strawberry.type(
    description="A person (人员): Party member 党员, resident, worker, volunteer. Name and contact data are "
    "personal: only roles analyst, editor and admin may read them"
)
class Person(relay.Node):
    id: relay.NodeID[str]
    gender: str | None = strawberry.field(description="Gender (性别)")
    birth_year: int | None = strawberry.field(description="Year of birth (出生年份)")
    is_party_member: bool | None = strawberry.field(description="Member of the Party (是否党员)")
    employment: Labeled[Employment] | None = strawberry.field(
        description="In service 在职, retired 退休, new employment group 新就业群体"
    )
    left_on: date | None = strawberry.field(description="Date the person left, moved away or died (离开日期); null while active")
    _row: strawberry.Private[dict[str, Any]]

    domain_id = domain_id_field(NODE_DOMAIN_ID)

    @strawberry.field(description="Full name (姓名); personal data", extensions=allow(*PERSONAL))
    def name(self) -> str | None:
        return self._row.get("name")

    @strawberry.field(description="Phone number (电话); personal data", extensions=allow(*PERSONAL))
    def phone(self) -> str | None:
        return self._row.get("phone")

    @strawberry.field(description="Home address (住址); personal data", extensions=allow(*PERSONAL))
    def address(self) -> str | None:
        return self._row.get("address")

    @strawberry.field(description="Resident identity card number (身份证号); personal data", extensions=allow(*PERSONAL))
    def id_number(self) -> str | None:
        return self._row.get("id_number")

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        return cls(
            id=row["id"],
            gender=row.get("gender"),
            birth_year=row.get("birth_year"),
            is_party_member=row.get("is_party_member"),
            employment=labeled(enums.Employment, row.get("employment")),
            left_on=row.get("left_on"),
            _row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_nodes(info, PERSON, node_ids, cls.from_row)

    @strawberry.field(
        description="Posts and memberships over time (任职经历), oldest first; `current: true` for those in force today",
        graphql_type=list[MembershipRef],
    )
    @reads(_MEMBERSHIPS)
    def memberships(self, info: strawberry.Info, current: bool = False) -> AwaitableOrValue[list[Membership]]:
        return _MEMBERSHIPS.resolve(self, info, current=current)

    @strawberry.field(description="Where the person lives (居住区域)")
    async def resides_in(self, info: strawberry.Info) -> AreaRef | None:
        return await linked_node(info, RelType.RESIDES_IN.value, PERSON, AREA, self.id, area_from_row())

    @strawberry.field(description="Compounds this community worker was sunk to (下沉)")
    async def sunk_to(self, info: strawberry.Info) -> list[SinkingRef]:
        from graph_service.api.areas.types import Sinking

        pairs = await info.context.loaders.out(RelType.SUNK_TO.value, PERSON, AREA).load(self.id)
        return [Sinking.from_row({**rel, "_from": self._row, "_to": area}) for rel, area in pairs]

    @strawberry.field(
        description="Communities this cadre was sent down to (下沉干部), oldest first; `current: true` for those in force today"
    )
    async def sent_down_to(self, info: strawberry.Info, current: bool = False) -> list[CadrePostingRef]:
        from graph_service.api.support.types import CadrePosting, dated_links

        sent = RelType.SENT_DOWN_TO.value
        return await dated_links(info, CadrePosting, sent, (PERSON, AREA), self._row, incoming=False, current=current)

    @strawberry.field(
        description="Communities this deputy or committee member serves (联系社区), oldest first; `current: true` for those in "
        "force today"
    )
    async def liaisons(self, info: strawberry.Info, current: bool = False) -> list[LiaisonRef]:
        from graph_service.api.support.types import Liaison, dated_links

        serves = RelType.LIAISES_WITH.value
        return await dated_links(info, Liaison, serves, (PERSON, AREA), self._row, incoming=False, current=current)

    @strawberry.field(description="Dual check-ins (双报到) of this in-service member with communities")
    async def registrations(self, info: strawberry.Info) -> list[RegistrationRef]:
        from graph_service.api.relations.types import Registration

        pairs = await info.context.loaders.out(RelType.REGISTERED_WITH.value, PERSON, ORG).load(self.id)
        me = {**self._row, "_label": PERSON}
        return [Registration.from_row({**rel, "_from": me, "_to": org}) for rel, org in pairs]


_HOLDER = person_at("_person")
_POST_ORGANIZATION = organization_at("_organization")


@strawberry.type(
    description="A post or plain membership a person holds in an organisation over a period (任职; Popolo Membership)"
)
class Membership(relay.Node):
    id: relay.NodeID[str]
    post: Labeled[Post] = strawberry.field(description="The post held (职务); `member` for plain Party membership")
    start_date: date | None = strawberry.field(description="First day in the post (任职开始)")
    end_date: date | None = strawberry.field(description="Last day in the post (任职结束); null while it lasts")
    full_time: bool | None = strawberry.field(description="Full-time (专职) rather than part-time (兼职)")
    member_status: Labeled[MemberStatus] | None = strawberry.field(
        description="For Party posts: full 正式党员 or probationary 预备党员 (null counts as full)"
    )
    _person: strawberry.Private[dict[str, Any]]
    _organization: strawberry.Private[dict[str, Any]]

    domain_id = domain_id_field(REL_DOMAIN_ID)

    active = active_field()

    # The ends are resolved without a coroutine when they are in hand (``end_node``), hence ``graphql_type``.
    @strawberry.field(description="Who holds the post", graphql_type=Person | None)
    @reads(_HOLDER)
    def person(self, info: strawberry.Info) -> AwaitableOrValue[Person | None]:
        return _HOLDER.resolve(self, info)

    @strawberry.field(description="The organisation the post is in", graphql_type=OrganizationRef | None)
    @reads(_POST_ORGANIZATION)
    def organization(self, info: strawberry.Info) -> AwaitableOrValue[Organization | None]:
        return _POST_ORGANIZATION.resolve(self, info)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Self:
        """``row``: the MEMBER_OF properties with ``_from`` (the person) and ``_to`` (the organisation), each a
        node's property dict or just its id."""
        return cls(
            id=row["id"],
            post=labeled(enums.Post, row.get("post")),  # type: ignore[arg-type]
            start_date=row.get("start_date"),
            end_date=row.get("end_date"),
            full_time=row.get("full_time"),
            member_status=labeled(enums.MemberStatus, row.get("member_status")),
            _person=end_row(row["_from"], PERSON),
            _organization=end_row(row["_to"], ORG),
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        return await load_rels(info, RelType.MEMBER_OF.value, PERSON, ORG, node_ids, cls.from_row)


loads_linked(Person, "memberships", RelType.MEMBER_OF.value, PERSON, ORG)

__all__ = ["Membership", "Person"]
