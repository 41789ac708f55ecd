"""Fields read off an object without a resolver call, when what they answer is already in hand.

Most object fields of a page answer from something the request already holds: a relationship's end kept on the
object (a pairing's unit organisation), or what a loader loaded ahead for every row of the page (a committee's led
community, a person's posts: ``ahead``). Through its resolver such a field still costs a resolve info, an ``Info``,
the resolver's own lookups of its loader and that loader's columns (``link_loader``), and graphql-core's
completion of the value: about 35 us a field, and a page of 100 pairings asks 300 of them (7.6 ms of a 26.7 ms
request went to its 100 ``community`` fields alone).

A resolver that can answer that way carries a ``Reader`` (``reads``): ``prepare`` is called once per request and
selection with the field's ``Info`` and arguments, and gives a function of the object alone that answers the field's
value, or ``NOT_HELD`` when the resolver has to run (an end known by id only, a key its loader has not loaded). The
executor (``execution.LeafFastExecutionContext``) calls that function for every object of the selection and
completes the value itself; on ``NOT_HELD``, or on any exception, it calls the resolver as before, which then
gives the answer or the error it always gave. A reader and its resolver are written from one description of the
field (``common.EndOf``, ``common.Held``), so the two cannot answer differently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Protocol, TypeVar

import strawberry

#: What a prepared reader answers when the field's resolver has to run.
NOT_HELD: Final = object()

F = TypeVar("F", bound=Callable[..., Any])


class Reader(Protocol):
    """How to answer a field without its resolver (see the module's docstring)."""

    def prepare(self, info: strawberry.Info, **args: Any) -> Callable[[Any], Any]:
        """For one request and selection: a function of the object answering the field's value or ``NOT_HELD``;
        ``args``: the field's arguments under their Python names."""
        ...


def reads(reader: Reader) -> Callable[[F], F]:
    """Declares that the decorated resolver answers what ``reader`` answers whenever ``reader`` has it in hand
    (place it under ``strawberry.field``)."""

    def mark(resolver: F) -> F:
        resolver.reader = reader  # type: ignore[attr-defined]
        return resolver

    return mark


def reader_of(resolver: object) -> Reader | None:
    """The ``Reader`` a resolver function was declared with (``reads``), if any."""
    found = getattr(resolver, "reader", None)
    return found if callable(getattr(found, "prepare", None)) else None


__all__ = ["NOT_HELD", "Reader", "reader_of", "reads"]
