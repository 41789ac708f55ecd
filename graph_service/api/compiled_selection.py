"""A selection's fields completed by one function written for them.

The executor (``execution.LeafFastExecutionContext``) completes an object by walking its selection's steps: for
each field it looks at the step's kind, reads the value, checks and coerces it, and for an object or a list of
objects walks the next selection the same way. On a page that is most of the event loop's work (a post holders'
page: about 1,000 fields on 330 objects, 6.4 ms of a 16 ms request). A selection whose every field can be read
without a call (a plain leaf, a ``def f(self)`` leaf the caller may read, a relay id, ``__typename``, a plain object
or list of objects, a field whose reader has the value in hand) is written out once per document, selection and
role as a Python function (``write``), with the kinds decided when it is written: it reads every field off the
object, checks each value where it is read, and builds the answer as one dict.

The function knows nothing of errors. Whatever it does not expect (a null where the field may not be null, a value
of another type, a reader without the value in hand, any exception) raises, and the executor completes the object
again through its general path, which gives the answer or the errors it always gave: reading a field has no side
effect, so the second reading finds what the first did. The values it needs per request (each reader prepared for
the request, each nested selection's function, the answers of shared values completed once) are passed to
``Written.make`` when a request first completes the selection (``execution.LeafFastExecutionContext._bound``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graphql import GraphQLObjectType


class Unusual(Exception):
    """A value the written function does not complete: the executor's general path completes the object."""


class How(Enum):
    """What a field of a written selection is, as far as the function cares."""

    #: A leaf read by ``read`` and coerced (``coerce(leaf, value)``) unless of the exact type or an allowed null.
    VALUE = "value"
    #: A relay id written by ``read``; ``None`` when the object is not of the node's own type.
    ID = "id"
    #: The type's own name (``__typename``).
    TYPENAME = "typename"
    #: An object, completed by the nested selection's function.
    OBJECT = "object"
    #: A list of objects, each completed by the nested selection's function.
    OBJECTS = "objects"


@dataclass(frozen=True)
class Part:
    """One field of a selection as the written function reads it.

    ``read`` is the reader of the object (a constant), or ``None`` when the reader is prepared per request: the
    executor passes it to ``Written.make``. ``leaf`` is what ``coerce`` coerces a leaf by and ``exact`` the type
    whose values need no coercion. ``check`` is an object type's ``is_type_of`` (one that reads the object alone;
    ``None`` when it has none), ``kind`` the object type, ``shared`` whether its values are completed once per
    request (``completed_once``)."""

    name: str
    how: How
    step: Any
    read: Callable[[Any], Any] | None = None
    leaf: Any = None
    exact: type | None = None
    nullable: bool = True
    check: Callable[..., Any] | None = None
    kind: GraphQLObjectType | None = None
    shared: bool = False
    typename: str = ""


@dataclass(frozen=True)
class Need:
    """One value ``Written.make`` takes per request: the prepared reader of ``part``'s field (``"reader"``), the
    function of its nested selection (``"selection"``), or a dict for its shared values' answers (``"answers"``)."""

    what: str
    part: Part


@dataclass(frozen=True)
class Written:
    """A selection's function maker: ``make(*values)`` with a value per ``needs`` gives the request's function of
    one object, answering its fields' dict or raising."""

    make: Callable[..., Callable[[Any], dict[str, Any]]]
    needs: tuple[Need, ...]


def write(
    parts: list[Part],
    coerce: Callable[[Any, Any], Any],
    not_held: object,
    shared: set[type],
    is_awaitable: Callable[[Any], bool],
) -> Written:
    """The function completing an object of the selection ``parts``. ``coerce(leaf, value)``: a leaf's value as
    the executor coerces it (raising where it takes the general path); ``not_held``: a prepared reader's "the
    resolver has to run"; ``shared``: the classes whose instances are completed once per request;
    ``is_awaitable``: the executor's test for a value still to be awaited."""
    constants: dict[str, Any] = {"U": Unusual, "C": coerce, "NH": not_held, "SH": shared, "IA": is_awaitable}
    needs: list[Need] = []
    reads: list[str] = []
    completes: list[str] = []

    def need(what: str, part: Part) -> str:
        needs.append(Need(what, part))
        return f"n{len(needs) - 1}"

    for index, part in enumerate(parts):
        value = f"v{index}"
        if part.how is How.TYPENAME:
            constants[f"t{index}"] = part.typename
            reads.append(f"{value} = t{index}")
            continue
        if part.read is not None:
            constants[f"r{index}"] = part.read
            reader = f"r{index}"
        else:
            reader = need("reader", part)
        reads.append(f"{value} = {reader}(obj)")
        if part.read is None:
            reads.append(f"if {value} is NH: raise U")
        if part.how is How.ID:
            reads.append(f"if {value} is None: raise U")
        elif part.how is How.VALUE:
            constants[f"l{index}"] = part.leaf
            if part.exact is None:
                reads.append(f"{value} = C(l{index}, {value})")
            else:
                constants[f"e{index}"] = part.exact
                allowed_null = f" and {value} is not None" if part.nullable else ""
                reads.append(f"if type({value}) is not e{index}{allowed_null}: {value} = C(l{index}, {value})")
        else:
            constants[f"k{index}"] = part.check
            reads += _checked(index, part)
            completes += _completed(index, part, need)
    returned = ", ".join(f"{part.name!r}: v{index}" for index, part in enumerate(parts))
    per_request = ", ".join(f"n{index}" for index in range(len(needs)))
    lines = [
        f"def make({per_request}):",
        "    def complete(obj):",
        *(f"        {line}" for line in reads + completes),
        f"        return {{{returned}}}",
        "    return complete",
    ]
    written: dict[str, Any] = dict(constants)
    # Safe to run: the names are GraphQL names (letters, digits and underscores, as the parser reads them) written
    # as literals (repr); everything else comes in as a constant or through ``make``.
    exec("\n".join(lines), written)
    return Written(written["make"], tuple(needs))


def _checked(index: int, part: Part) -> list[str]:
    """The lines checking an object field's value (``v{index}``) before it is completed: a null where the field may
    be null; else an object (or a list of objects) of the field's type."""
    value = f"v{index}"
    check = f"k{index}"
    lines = [f"if {value} is None:", "    raise U" if not part.nullable else "    pass"]
    # Without a check of the type's own, any object will do, as for graphql-core: not an awaitable or an error.
    test = f"{check}({{item}}, None) is not True" if part.check is not None else "IA({item}) or isinstance({item}, Exception)"
    if part.how is How.OBJECT:
        lines += [f"elif {test.format(item=value)}:", "    raise U"]
    else:
        unfit = test if part.check is not None else "{item} is None or " + test
        lines += [f"elif type({value}) is not list:", "    raise U", "else:", f"    for y in {value}:"]
        lines += [f"        if {unfit.format(item='y')}:", "            raise U"]
    return lines


def _completed(index: int, part: Part, need: Callable[[str, Part], str]) -> list[str]:
    """The lines completing an object field's checked value (``v{index}``) by its selection's function."""
    value = f"v{index}"
    nested = need("selection", part)
    if part.how is How.OBJECTS:
        return [f"if {value} is not None:", f"    {value} = [{nested}(y) for y in {value}]"]
    if not part.shared:
        return [f"if {value} is not None:", f"    {value} = {nested}({value})"]
    # An instance of a shared class is completed once per request: its answer is kept with the instance (so that
    # the id it is found by stays its own).
    answers = need("answers", part)
    return [
        f"if {value} is not None:",
        f"    a = {answers}.get(id({value})) if type({value}) in SH else None",
        f"    if a is not None and a[0] is {value}:",
        f"        {value} = a[1]",
        "    else:",
        f"        a = ({value}, {nested}({value}))",
        f"        if type({value}) in SH:",
        f"            {answers}[id({value})] = a",
        f"        {value} = a[1]",
    ]
