"""GraphQL result types derived from the analyses' dataclasses, so a field added to a result appears in the API.

The analyses return frozen dataclasses (``analysis.coverage.CompoundCoverage``, ``analysis.structure.Broker`` ...).
``mirror`` builds the strawberry type of one from its fields and their annotations: scalars as they are, ``X |
None`` as nullable, tuples and sets as lists, a tuple of another mirrored dataclass as a list of its type. What the
API shows differently from the dataclass is said once, beside the type: an id field (``ids``), a field kept back
(``skip``), a field converted (``shown``), a property the dataclass computes (``shown`` too), a description (``described``);
resolvers the class defines stay. ``of(Type, result)`` converts a result, nested results through their own types.

``api/coverage/types.py`` builds ``Coverage`` from ``services.coverage.CoverageFigures`` the same way.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry

__all__ = ["Shown", "mirror", "of"]

_SCALARS = (str, int, float, bool)
#: Dataclass → its mirrored GraphQL type, so nested results convert through their own type.
_MIRRORED: dict[type, Any] = {}
#: Mirrored type → how each of its fields is read from a result.
_CONVERTERS: dict[Any, dict[str, Callable[[Any], Any]]] = {}
T = TypeVar("T")


@dataclass(frozen=True)
class Shown:
    """A field as the API shows it: its GraphQL annotation and how the result's value becomes it."""

    annotation: Any
    convert: Callable[[Any], Any]
    after: str | None = None
    """For a property the dataclass computes: the field it follows in the type (default: the last)."""


def mirror(
    source: type,
    *,
    description: str,
    ids: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    shown: Mapping[str, Shown] | None = None,
    described: Mapping[str, str] | None = None,
) -> Callable[[type[T]], type[T]]:
    """A class decorator: the strawberry type with a field per field of the dataclass ``source`` (then the
    ``shown`` fields the dataclass lacks), besides the resolvers the class defines; ``of`` converts a result."""

    def decorate(cls: type[T]) -> type[T]:
        remaining = dict(shown or {})
        notes = dict(described or {})
        hints = typing.get_type_hints(source)
        annotations: dict[str, Any] = {}
        converters: dict[str, Callable[[Any], Any]] = {}

        def add(field: str, annotation: Any, text: str | None, convert: Callable[[Any], Any]) -> None:
            annotations[field] = annotation
            setattr(cls, field, strawberry.field(description=text) if text else strawberry.field())
            converters[field] = convert

        for f in dataclasses.fields(source):
            if f.name in skip:
                continue
            if f.name in remaining:
                given = remaining.pop(f.name)
                add(f.name, given.annotation, notes.get(f.name), _attribute(f.name, given.convert))
                continue
            annotation, convert = _graphql(hints[f.name], f"{source.__name__}.{f.name}")
            add(f.name, strawberry.ID if f.name in ids else annotation, notes.get(f.name), _attribute(f.name, convert))
            for field, given in [(n, g) for n, g in remaining.items() if g.after == f.name]:
                add(field, given.annotation, notes.get(field), _attribute(field, given.convert))
                del remaining[field]
        for field, given in remaining.items():
            # Properties the dataclass computes (``UnmetDemand.unmet``), read like fields.
            add(field, given.annotation, notes.get(field), _attribute(field, given.convert))
        cls.__annotations__ = annotations
        gql = strawberry.type(cls, description=description)
        _CONVERTERS[gql] = converters
        _MIRRORED[source] = gql
        return gql

    return decorate


def of(cls: type[T], result: Any) -> T:
    """``result`` (an instance of the dataclass ``cls`` mirrors) as an instance of ``cls``."""
    return cls(**{field: convert(result) for field, convert in _CONVERTERS[cls].items()})


def _attribute(field: str, convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda result: convert(getattr(result, field))


def _identity(value: Any) -> Any:
    return value


def _graphql(hint: Any, where: str) -> tuple[Any, Callable[[Any], Any]]:
    """The GraphQL annotation of a dataclass field's type, and how a value of it converts."""
    if hint in _SCALARS:
        return hint, _identity
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        (inner,) = (a for a in args if a is not type(None))
        annotation, convert = _graphql(inner, where)
        return annotation | None, lambda v: None if v is None else convert(v)
    if origin in (tuple, list, frozenset, set):
        item = args[0]
        if item in _SCALARS:
            return list[item], list  # type: ignore[valid-type]
        if item in _MIRRORED:
            nested = _MIRRORED[item]
            return list[nested], lambda v: [of(nested, x) for x in v]  # type: ignore[valid-type]
    # A type with no rule: say which field needs a ``shown`` entry rather than guess a shape.
    raise TypeError(f"{where}: no GraphQL form for {hint!r}; give it in `shown`")
