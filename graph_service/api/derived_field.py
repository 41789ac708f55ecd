"""A field computed from its object alone (``common.derived_field`` declares one); apart from ``common`` so that
``columns`` can tell it without importing what ``common`` imports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from strawberry.types.field import StrawberryField


class DerivedField(StrawberryField):
    """A field computed from the object alone (``compute(obj)``), served the way strawberry serves a plain
    attribute: no ``Info``, no argument parsing, no extension chain. A resolver field cost about twice as much per
    value, and ``domainId`` is asked of every node on a page (CityHierarchy: 421 times). Not a constructor argument
    (``init=False``), nor part of ``repr`` or ``==``; it takes no arguments and no extensions.
    """

    compute: Callable[[Any], Any]

    def get_result(self, source: Any, info: Any, args: list[Any], kwargs: Any) -> Any:
        return self.compute(source)

    def __copy__(self) -> Self:
        copied = super().__copy__()
        copied.compute = self.compute
        copied.init = copied.repr = copied.compare = False
        return copied


__all__ = ["DerivedField"]
