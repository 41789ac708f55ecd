"""Which stored properties a request reads of the nodes a list's page returns, so that the page reads no others.

LadybugDB reads each returned property of each returned node in turn: a page of 100 pairings with both
organisations whole (17 properties each) took 6.2-6.7 ms in the engine, with the four the example asks for
3.7-4.0 ms. ``page_columns`` reads the client's selection below a list field and answers, per node label, the
properties its rows must carry; the page statement then returns only those (``store.queries.Query.columns``).

The rows of a page become objects of the label's GraphQL type, and the rows they hand on (a person's row as the
person of each of their memberships) become objects of that type again. So a label's properties are gathered
over every selection of its type anywhere below the list, and an object built from a pruned row is only ever read
through one of them. A field counts what it reads of its own object:

- a plain field, its property (``unitType``: ``unit_type``); ``id`` and ``domainId`` the primary key, always kept;
- a resolver listed in ``RESOLVER_READS``, the properties listed there (most read only the id: they load by it);
- anything else: every property (the label is not pruned).

An abstract type below the list (an interface or a union) also leaves every label whole: which type stands behind
it is known only per row. Labels no selection names are left whole too: an object of another type may read them
(a pairing reads the community committee's id for its community), and nothing is gained on a row nobody reads.

The nodes a field loads by a link (a pairing's community, a person's memberships' organisations, an area's
children) are cut the same way, to what the field's own selection reads of the far end's label, plus what every
user of a link loader reads of each row (``LINK_READS``: the name the links are sorted by, what lists keep rows by).
``link_columns`` works them out for the field; a list loading that field ahead for its rows works them out from the
same nodes (``ahead._link_columns``), so that both use one loader. A loader is keyed by its columns: a row cut for
one selection never answers another. PostHolders' memberships: 1.97 -> 1.35 ms a load; in one process, alternating,
0.1-0.3 ms a request on the slow example operations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from graph_service.api.derived_field import DerivedField
from graph_service.api.selection_memo import per_selection
from graph_service.domain.schema import NODES, primary_key
from graph_service.store.queries import Columns
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionNode,
    get_named_type,
    is_abstract_type,
)

#: Per GraphQL type whose objects are built from one label's rows (the type's name is the label's), the stored
#: properties each resolver field reads of its object's row. A resolver that is not here reads every property.
#: ``tests/unit/test_page_columns.py`` reads each resolver's source and checks that it reads no more than this says.
RESOLVER_READS: dict[str, dict[str, tuple[str, ...]]] = {
    "Organization": {
        "flags": ("flags",),
        "flagEvidence": ("flag_evidence",),
        **dict.fromkeys(
            (
                "parent",
                "children",
                "chain",
                "leads",
                "covers",
                "serves",
                "locatedIn",
                "memberships",
                "pairings",
                "registrations",
                "activities",
                "units",
                "jointBranches",
                "projects",
            ),
            (),
        ),
    },
    "Area": dict.fromkeys(
        (
            "parent",
            "children",
            "chain",
            "ledBy",
            "servedBy",
            "coveredBy",
            "organizationsLocated",
            "propertyManagement",
            "sunkStaff",
            "sentDownCadres",
            "deputies",
        ),
        (),
    ),
    "Person": {
        "name": ("name",),
        "phone": ("phone",),
        "address": ("address",),
        "idNumber": ("id_number",),
        # These hand the person's row on as an end of each link (a membership's person): read as a Person there.
        **dict.fromkeys(("memberships", "residesIn", "sunkTo", "sentDownTo", "liaisons", "registrations"), ()),
    },
}

#: Each prunable label's stored properties.
_STORED: dict[str, frozenset[str]] = {label: frozenset(p.name for p in NODES[label].stored_props) for label in RESOLVER_READS}


class _Whole(Exception):
    """Something below the list leaves every label whole (an abstract type)."""


def page_columns(info: strawberry.Info) -> Columns:
    """Per label a selection below the current field names, the properties its rows must carry, as the store's
    ``Query.columns`` takes them (sorted, so that one selection gives one statement text); labels left whole are
    not in it. Once per document and field node."""
    raw = info._raw_info
    return per_selection(info, ("columns",), lambda: columns_below(raw.field_nodes, raw.return_type, raw.fragments))


#: What the users of a link loader read of every linked row besides the selection: the name the links are sorted by
#: (``services.graph``) and what a list of them keeps or drops rows by (``children(level:)``, ``children(kind:)``,
#: the coverage of compounds).
LINK_READS: dict[str, tuple[str, ...]] = {
    "Area": ("abolished", "level", "name"),
    "Organization": ("dissolved", "kind", "name"),
    "Person": ("name",),
}


def link_columns(info: strawberry.Info, label: str) -> Columns:
    """For the current field, which loads ``label`` nodes linked to its object, the properties of those nodes its
    selection and the link loaders read (``Query.columns``, for ``label`` alone); ``()``: whole rows. Once per
    document and field node."""
    raw = info._raw_info
    return per_selection(
        info, ("link", label), lambda: link_columns_below(raw.field_nodes, raw.return_type, raw.fragments, label)
    )


def link_columns_below(
    nodes: Iterable[FieldNode], field_type: Any, fragments: Mapping[str, FragmentDefinitionNode], label: str
) -> Columns:
    """``link_columns`` for the field ``nodes`` of GraphQL type ``field_type``."""
    props = dict(columns_below(nodes, field_type, fragments)).get(label)
    if props is None or label not in LINK_READS:
        return ()
    return ((label, tuple(sorted({*props, *LINK_READS[label]}))),)


def columns_below(nodes: Iterable[FieldNode], field_type: Any, fragments: Mapping[str, FragmentDefinitionNode]) -> Columns:
    """``page_columns`` for the field ``nodes`` of GraphQL type ``field_type``."""
    wanted: dict[str, set[str] | None] = {}
    try:
        for node in nodes:
            _walk_field(node, field_type, fragments, wanted)
    except _Whole:
        return ()
    return tuple(
        (label, tuple(sorted(props | {primary_key(label)}))) for label, props in sorted(wanted.items()) if props is not None
    )


def _walk_field(
    node: FieldNode,
    field_type: Any,
    fragments: Mapping[str, FragmentDefinitionNode],
    wanted: dict[str, set[str] | None],
) -> None:
    if node.selection_set is None:
        return
    named = get_named_type(field_type)
    if is_abstract_type(named):
        raise _Whole
    if not isinstance(named, GraphQLObjectType):
        return
    _walk(node.selection_set.selections, named, fragments, wanted)


def _walk(
    selections: Iterable[SelectionNode],
    parent: GraphQLObjectType,
    fragments: Mapping[str, FragmentDefinitionNode],
    wanted: dict[str, set[str] | None],
) -> None:
    label = parent.name if parent.name in RESOLVER_READS else None
    if label is not None:
        wanted.setdefault(label, set())
    for selection in selections:
        if isinstance(selection, FieldNode):
            name = selection.name.value
            field_def = parent.fields.get(name)
            if field_def is None:  # __typename (validation refuses any other)
                continue
            if label is not None:
                _count(label, name, field_def.extensions.get("strawberry-definition"), wanted)
            _walk_field(selection, field_def.type, fragments, wanted)
        elif isinstance(selection, InlineFragmentNode):
            # On an object type a fragment applies to it or to nothing: its fields, where the type has them, count.
            _walk(selection.selection_set.selections, parent, fragments, wanted)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments.get(selection.name.value)  # validation refuses a cycle of fragments
            if fragment is not None:
                _walk(fragment.selection_set.selections, parent, fragments, wanted)


def _count(label: str, name: str, field: Any, wanted: dict[str, set[str] | None]) -> None:
    """Adds to ``wanted[label]`` what field ``name`` reads of its object's row; ``None`` there: the whole row."""
    props = wanted.get(label)
    if props is None:
        return
    if name == "id" or (name == "domainId" and isinstance(field, DerivedField)):
        return  # the global id and ``common.domain_id_field``: the primary key, always kept
    if isinstance(field, StrawberryField) and field.base_resolver is None and field.python_name in _STORED[label]:
        props.add(field.python_name)
        return
    reads = RESOLVER_READS[label].get(name)
    if reads is None:
        wanted[label] = None
        return
    props.update(reads)


__all__ = ["LINK_READS", "RESOLVER_READS", "Columns", "columns_below", "link_columns", "link_columns_below", "page_columns"]
