"""What people (人员) are filtered by."""

from __future__ import annotations

import strawberry

from graph_service.api.common import Employment, Post


@strawberry.input(description="Filters on people (人员). Filtering by name needs a role that may read names")
class PersonFilter:
    name_contains: str | None = strawberry.field(default=None, description="Part of the name (personal data)")
    post: Post | None = strawberry.field(default=None, description="Holds (or held) this post")
    organization_id: str | None = strawberry.field(default=None, description="Holds (or held) a post in this organisation")
    current_posts_only: bool = strawberry.field(default=True, description="Only posts in force today count for post/organisation")
    area_id: str | None = strawberry.field(default=None, description="Lives in this area or below it")
    is_party_member: bool | None = strawberry.field(default=None, description="Party members only (true) or others (false)")
    employment: Employment | None = strawberry.field(default=None, description="Employment status")
    include_left: bool = strawberry.field(default=False, description="Also people who left")


__all__ = ["PersonFilter"]
