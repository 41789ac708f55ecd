"""What every resolver gets in ``info.context``: the application services, the settings, the caller, the loaders."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from strawberry.fastapi import BaseContext

from graph_service.api.loaders import Loaders
from graph_service.api.permissions import PERSONAL, Principal
from graph_service.bootstrap import Services
from graph_service.config import Settings


class GraphContext(BaseContext):
    """One per GraphQL request; built by the HTTP handler after the API key was checked."""

    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self.services = services
        self.settings: Settings = services.settings
        self.principal = principal
        self.loaders = Loaders(services.graph, services.brief)
        #: What resolvers work out from the request's document (``selection_memo.per_selection``): the document
        #: cache's memo for that text (``limits.CheckedDocument``) once parsed, shared by every request sending it.
        self.selection_memo: dict[Hashable, Any] = {}

    @property
    def may_see_personal(self) -> bool:
        return self.principal.may(frozenset(PERSONAL))


__all__ = ["GraphContext"]
