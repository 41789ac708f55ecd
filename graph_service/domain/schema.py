"""The catalogue of node labels, relationship types and their properties.

This is the one source of truth: the DDL files in ``cypher/``, the import/export format, the validation of
records and the GraphQL types derive from it. Adding a property means adding one ``Prop`` here and
regenerating the DDL (``graph-service schema ddl``); a test fails while the committed DDL is stale.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from enum import Enum

from graph_service.domain.enums import (
    ActivityKind,
    AppealStatus,
    AreaLevel,
    CompoundKind,
    DeputyCapacity,
    Employment,
    FiveHave,
    LabeledEnum,
    MemberStatus,
    NodeLabel,
    OrgKind,
    Post,
    ProjectKind,
    PropertyMode,
    RelType,
    SunkRole,
    UnitType,
    WorkingGroupTopic,
)
from graph_service.domain.naming import NAME_KEY


class PropType(str, Enum):
    """Storage types shared by both engines (names follow LadybugDB's DDL)."""

    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"
    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP"
    STRING_LIST = "STRING[]"


@dataclass(frozen=True)
class Prop:
    """One property: its type, whether a record must carry it, its enum, and whether it is personal data."""

    name: str
    type: PropType = PropType.STRING
    required: bool = False
    enum: builtins.type[LabeledEnum] | None = None
    personal: bool = False
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    past: bool = False
    """A date of something that has happened: not after the day it is recorded (``validation.convert``)."""


@dataclass(frozen=True)
class NodeSpec:
    label: str
    props: tuple[Prop, ...]
    description: str = ""
    system: bool = False

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    @property
    def derived(self) -> tuple[Prop, ...]:
        """Properties the store keeps beside the record's own, derived from them by every write path: never in
        a record, an export or an answer (a name's sort key, ``domain.naming``)."""
        return (NAME_KEY_PROP,) if "name" in self.prop_names else ()

    @property
    def stored_props(self) -> tuple[Prop, ...]:
        """Every column the store holds for this label: the record's properties, then the derived ones."""
        return self.props + self.derived


@dataclass(frozen=True)
class RelSpec:
    type: str
    pairs: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = field(default_factory=tuple)
    description: str = ""

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)


ID = Prop("id", PropType.STRING, required=True, description="Stable identifier, unique within its label or type")
NAME_KEY_PROP = Prop(NAME_KEY, description="The name's natural sort key (domain.naming.natural_key), derived on write")
START = Prop("start_date", PropType.DATE, description="First day in force")
END = Prop("end_date", PropType.DATE, description="Last day in force; empty while it lasts. History is never deleted")

AREA, ORG, PERSON, PROJECT, APPEAL, ACTIVITY = (
    NodeLabel.AREA.value,
    NodeLabel.ORGANIZATION.value,
    NodeLabel.PERSON.value,
    NodeLabel.PROJECT.value,
    NodeLabel.APPEAL.value,
    NodeLabel.ACTIVITY.value,
)

NODES: dict[str, NodeSpec] = {
    spec.label: spec
    for spec in (
        NodeSpec(
            AREA,
            (
                ID,
                Prop(
                    "level",
                    required=True,
                    enum=AreaLevel,
                    description="City, district/county, street, community, compound (= grid), building",
                ),
                Prop("name", required=True, description="Name as used locally (Chinese)"),
                Prop("code", description="Administrative or grid code"),
                Prop("compound_kind", enum=CompoundKind, description="Kind of compound (compounds only)"),
                Prop("households", PropType.INT, minimum=0, description="Households living in the area"),
                Prop("resident_population", PropType.INT, minimum=0, description="Resident population (常住人口)"),
                Prop("urban_population", PropType.INT, minimum=0, description="Urban resident population (城镇常住人口)"),
                Prop("platform_people_served", PropType.INT, minimum=0, description="People served by the 党建+ platform"),
                Prop("abolished", PropType.DATE, description="Date the area was abolished or merged; empty while it exists"),
            ),
            "An administrative or residential area: city, district/county, street, community, compound (grid), building.",
        ),
        NodeSpec(
            ORG,
            (
                ID,
                Prop("kind", required=True, enum=OrgKind, description="What sort of organisation"),
                Prop("name", required=True, description="Name (Chinese)"),
                Prop("unit_type", enum=UnitType, description="For units and their Party organisations"),
                Prop("founded", PropType.DATE, description="Founding date"),
                Prop("dissolved", PropType.DATE, description="Dissolution date; empty while active"),
                Prop("has_plaque", PropType.BOOL, description="Hangs a plaque and works as a real office (挂牌办公)"),
                Prop("five_haves", PropType.STRING_LIST, enum=FiveHave, description="Five-haves items met (五有)"),
                Prop(
                    "capacity",
                    PropType.INT,
                    minimum=0,
                    description="Communities a unit's Party organisation can support",
                ),
                Prop(
                    "problems_solved",
                    PropType.INT,
                    minimum=0,
                    description="Residents' problems solved (volunteer teams)",
                ),
                Prop("topic", enum=WorkingGroupTopic, description="Topic of a special working group"),
                Prop("households_served", PropType.INT, minimum=0, description="Households a central household serves"),
                Prop(
                    "flags",
                    PropType.STRING_LIST,
                    description="Weakness criteria recorded by staff (official list items 3, 5-8)",
                ),
                Prop("flag_evidence", description="Evidence for the recorded flags"),
                Prop(
                    "term_start",
                    PropType.DATE,
                    description="First day of the current committee's term (本届任期开始): its election is due when "
                    "the term ends",
                ),
                Prop(
                    "term_years",
                    PropType.INT,
                    minimum=1,
                    maximum=10,
                    description="Length of a term in years; empty: the regulation's (5 for community and compound "
                    "organisations, 3 for others)",
                ),
            ),
            "An organisation: the five-level Party system, owners' committees, property companies, units and their "
            "Party organisations, service centres and stations, warm stations, volunteer teams, leadership groups.",
        ),
        NodeSpec(
            PERSON,
            (
                ID,
                Prop("name", required=True, personal=True, description="Full name"),
                Prop("gender", description="Gender"),
                Prop("birth_year", PropType.INT, minimum=1900, maximum=2100, description="Year of birth"),
                Prop("is_party_member", PropType.BOOL, description="Member of the Party"),
                Prop("employment", enum=Employment, description="In service, retired, new employment group, other"),
                Prop("phone", personal=True, description="Phone number"),
                Prop("address", personal=True, description="Home address"),
                Prop("id_number", personal=True, description="Resident identity card number"),
                Prop("left_on", PropType.DATE, description="Date the person left (moved away, died); empty while active"),
            ),
            "A person: Party member, resident, worker, volunteer.",
        ),
        NodeSpec(
            PROJECT,
            (
                ID,
                Prop("kind", required=True, enum=ProjectKind),
                Prop("name", required=True),
                Prop("need", description="The residents' need it answers"),
                Prop("created", PropType.DATE),
            ),
            "A volunteer service project listed by a compound branch, or a co-construction project.",
        ),
        NodeSpec(
            APPEAL,
            (
                ID,
                Prop("summary", required=True, description="What the residents asked for"),
                Prop("received", PropType.DATE, required=True),
                Prop("status", required=True, enum=AppealStatus),
                Prop("resolved", PropType.DATE, description="Date resolved"),
            ),
            "A residents' appeal (群众诉求) collected by a grid worker.",
        ),
        NodeSpec(
            ACTIVITY,
            (
                ID,
                Prop("kind", required=True, enum=ActivityKind, description="What kind of meeting or activity"),
                Prop("held_on", PropType.DATE, required=True, past=True, description="The day it was held (not in the future)"),
                Prop("attendance", PropType.INT, minimum=0, description="How many took part"),
                Prop("topic", description="Its subject"),
            ),
            "A meeting or activity of organisational life (三会一课, 主题党日, 组织生活会, 民主评议党员 ...) held by an "
            "organisation.",
        ),
    )
}

RELS: dict[str, RelSpec] = {
    spec.type: spec
    for spec in (
        RelSpec(RelType.PART_OF.value, ((AREA, AREA),), (ID,), "A child area lies in its parent area"),
        RelSpec(RelType.SUB_ORG_OF.value, ((ORG, ORG),), (ID,), "An organisation is led by (reports to) another"),
        RelSpec(RelType.LEADS.value, ((ORG, AREA),), (ID,), "A Party organisation or leadership group leads an area"),
        RelSpec(RelType.COVERS.value, ((ORG, AREA),), (ID,), "A building Party group covers a building or courtyard"),
        RelSpec(RelType.SERVES.value, ((ORG, AREA),), (ID,), "A service centre or station serves an area"),
        RelSpec(RelType.LOCATED_IN.value, ((ORG, AREA),), (ID,), "An organisation sits in an area"),
        RelSpec(
            RelType.MANAGES.value,
            ((ORG, AREA),),
            (
                ID,
                Prop("mode", required=True, enum=PropertyMode),
                START,
                END,
                Prop("fee_collection_rate", PropType.FLOAT, minimum=0.0, maximum=1.0),
                Prop("serve_first", PropType.BOOL, description="Serve first, charge later (先服务、后收费)"),
            ),
            "A property company manages a compound",
        ),
        RelSpec(
            RelType.MEMBER_OF.value,
            ((PERSON, ORG),),
            (
                ID,
                Prop("post", required=True, enum=Post),
                START,
                END,
                Prop("full_time", PropType.BOOL),
                Prop(
                    "member_status",
                    enum=MemberStatus,
                    description="For Party posts: a full or probationary member (正式/预备党员); empty counts as full",
                ),
            ),
            "A person holds a post (or plain membership) in an organisation (Popolo Membership)",
        ),
        RelSpec(
            RelType.PAIRED_WITH.value,
            ((ORG, ORG),),
            (ID, START, END, Prop("projects", PropType.STRING_LIST), Prop("resources")),
            "Co-construction pairing (结对共建): a unit's Party organisation with a community Party organisation",
        ),
        RelSpec(
            RelType.REGISTERED_WITH.value,
            ((ORG, ORG), (PERSON, ORG)),
            (ID, START, END),
            "Dual check-in (双报到) of a unit's Party organisation or an in-service member with a community",
        ),
        RelSpec(
            RelType.SUNK_TO.value,
            ((PERSON, AREA),),
            (ID, Prop("role", required=True, enum=SunkRole), START, END),
            "Community staff sunk (下沉) to a compound",
        ),
        RelSpec(RelType.RESIDES_IN.value, ((PERSON, AREA),), (ID,), "A person lives in an area"),
        RelSpec(RelType.LISTED_BY.value, ((PROJECT, ORG),), (ID,), "A project listed by an organisation"),
        RelSpec(
            RelType.CLAIMED.value, ((PERSON, PROJECT),), (ID, Prop("claimed_on", PropType.DATE)), "A member claims a project"
        ),
        RelSpec(RelType.COLLECTED.value, ((PERSON, APPEAL),), (ID,), "A grid worker collected an appeal"),
        RelSpec(RelType.CONCERNS.value, ((APPEAL, AREA),), (ID,), "An appeal concerns an area"),
        RelSpec(RelType.HELD_BY.value, ((ACTIVITY, ORG),), (ID,), "An activity held by an organisation"),
        RelSpec(RelType.ATTENDED.value, ((PERSON, ACTIVITY),), (ID,), "A person took part in an activity"),
        RelSpec(
            RelType.JOINS.value,
            ((ORG, ORG),),
            (ID, START, END),
            "A unit with fewer than 3 full members joins a joint Party branch (联合党支部) of several units",
        ),
        RelSpec(
            RelType.SENT_DOWN_TO.value,
            ((PERSON, AREA),),
            (ID, Prop("duty", description="What the cadre does there"), START, END),
            "A cadre of an agency or enterprise sent down (下沉干部) to serve a community",
        ),
        RelSpec(
            RelType.LIAISES_WITH.value,
            ((PERSON, AREA),),
            (
                ID,
                Prop("role", required=True, enum=DeputyCapacity, description="Deputy (人大代表) or committee member (政协委员)"),
                Prop("level", description="The congress or conference they sit in (city, district ...)"),
                START,
                END,
            ),
            "A deputy (人大代表) or committee member (政协委员) who serves a community",
        ),
    )
}

# Bookkeeping tables of the service itself: not part of the domain, never imported or exported.
SYSTEM_NODES: dict[str, NodeSpec] = {
    spec.label: spec
    for spec in (
        NodeSpec("Meta", (Prop("key", required=True), Prop("value", PropType.INT)), system=True),
        NodeSpec(
            "AuditEntry",
            (
                ID,
                Prop("seq", PropType.INT, required=True),
                Prop("at", PropType.TIMESTAMP, required=True),
                Prop("actor", required=True),
                Prop("action", required=True),
                Prop("entity_type", required=True),
                Prop("entity_id", required=True),
                # A relationship's two ends (null for a node): an entity's log holds the changes of its links too.
                Prop("from_id"),
                Prop("to_id"),
                Prop("before"),
                Prop("after"),
            ),
            system=True,
        ),
        NodeSpec(
            "ApiKey",
            (
                ID,
                Prop("role", required=True),
                Prop("key_hash", required=True),
                Prop("note"),
                Prop("created", PropType.TIMESTAMP),
                Prop("revoked", PropType.TIMESTAMP),
            ),
            system=True,
        ),
        NodeSpec(
            "AnalysisRun",
            (
                ID,
                Prop("at", PropType.TIMESTAMP, required=True),
                Prop("analysis", required=True),
                Prop("params"),
                Prop("summary"),
                # Each judged organisation's weakness (services.analyses.run_weakness): apart from the summary, so
                # listing runs stays small. Runs saved before it existed lack it.
                Prop("weakness"),
            ),
            system=True,
        ),
    )
}


def node_spec(label: str) -> NodeSpec:
    """The spec of a domain or system label; ``KeyError`` for an unknown one."""
    return NODES[label] if label in NODES else SYSTEM_NODES[label]


def primary_key(label: str) -> str:
    return "key" if label == "Meta" else "id"
