"""Mutations: create, update and end areas, organisations, people, posts, pairings and registrations."""

from __future__ import annotations

import strawberry


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Placeholder while the change mutations are being written")
    def ping_changes(self) -> bool:
        return True
