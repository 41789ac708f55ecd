"""Change feeds for integrations and the audit log."""

from __future__ import annotations

import strawberry


@strawberry.type
class FeedQuery:
    @strawberry.field(description="Placeholder while the change feeds are being written")
    def feeds_ready(self) -> bool:
        return False
