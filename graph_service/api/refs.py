"""Names the type modules share: node labels in short and lazy references to each other's types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph_service.domain.enums import NodeLabel

if TYPE_CHECKING:
    from graph_service.api.activities.types import Activity
    from graph_service.api.areas.types import Area, Sinking
    from graph_service.api.organizations.types import Organization
    from graph_service.api.people.types import Membership, Person
    from graph_service.api.projects.types import Project
    from graph_service.api.relations.types import Pairing, Registration
    from graph_service.api.support.types import CadrePosting, JointBranchMembership, Liaison

AREA = NodeLabel.AREA.value
ORG = NodeLabel.ORGANIZATION.value
PERSON = NodeLabel.PERSON.value
PROJECT = NodeLabel.PROJECT.value
APPEAL = NodeLabel.APPEAL.value
ACTIVITY = NodeLabel.ACTIVITY.value

# The types refer to each other; strawberry resolves these when the schema is built, after every module is loaded.
AreaRef = Annotated["Area", strawberry.lazy("graph_service.api.areas.types")]
SinkingRef = Annotated["Sinking", strawberry.lazy("graph_service.api.areas.types")]
OrganizationRef = Annotated["Organization", strawberry.lazy("graph_service.api.organizations.types")]
PersonRef = Annotated["Person", strawberry.lazy("graph_service.api.people.types")]
MembershipRef = Annotated["Membership", strawberry.lazy("graph_service.api.people.types")]
ProjectRef = Annotated["Project", strawberry.lazy("graph_service.api.projects.types")]
PairingRef = Annotated["Pairing", strawberry.lazy("graph_service.api.relations.types")]
RegistrationRef = Annotated["Registration", strawberry.lazy("graph_service.api.relations.types")]
ActivityRef = Annotated["Activity", strawberry.lazy("graph_service.api.activities.types")]
JointBranchMembershipRef = Annotated["JointBranchMembership", strawberry.lazy("graph_service.api.support.types")]
CadrePostingRef = Annotated["CadrePosting", strawberry.lazy("graph_service.api.support.types")]
LiaisonRef = Annotated["Liaison", strawberry.lazy("graph_service.api.support.types")]

__all__ = [
    "ACTIVITY",
    "APPEAL",
    "AREA",
    "ORG",
    "PERSON",
    "PROJECT",
    "ActivityRef",
    "AreaRef",
    "CadrePostingRef",
    "JointBranchMembershipRef",
    "LiaisonRef",
    "MembershipRef",
    "OrganizationRef",
    "PairingRef",
    "PersonRef",
    "ProjectRef",
    "RegistrationRef",
    "SinkingRef",
]
