"""What every resolver gets in ``info.context``: the store, the settings, the caller and the request's loaders."""

from __future__ import annotations

from strawberry.fastapi import BaseContext

from graph_service.api.loaders import Loaders
from graph_service.api.permissions import Principal
from graph_service.config import Settings
from graph_service.store.port import Store


class GraphContext(BaseContext):
    """One per GraphQL request; built by the HTTP handler after the API key was checked."""

    def __init__(self, store: Store, settings: Settings, principal: Principal) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self.principal = principal
        self.loaders = Loaders(store)

    @property
    def may_see_personal(self) -> bool:
        from graph_service.api.permissions import PERSONAL

        return self.principal.may(frozenset(PERSONAL))


__all__ = ["GraphContext"]
