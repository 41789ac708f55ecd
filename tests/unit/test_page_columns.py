"""What a page reads of its nodes (``api/columns.py``): the properties gathered from a selection, and the
declarations of what each resolver reads checked against the resolvers' own source."""

from __future__ import annotations

import ast
import contextlib
import inspect
import textwrap
from typing import Any

import pytest

from graph_service.api.columns import RESOLVER_READS, columns_below
from graph_service.api.common import EndOf, Held
from graph_service.api.field_readers import reader_of
from graph_service.api.schema import build_schema
from graph_service.config import Settings
from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse

SCHEMA = build_schema(Settings(data_dir=".", api_keys="admin:an-admin-key-for-reading-the-schema-only"))._schema


def columns(document: str) -> dict[str, tuple[str, ...]]:
    """The columns of the first root field of ``document``."""
    parsed = parse(document)
    fragments = {d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)}
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    field = operation.selection_set.selections[0]
    assert isinstance(field, FieldNode)
    return dict(columns_below([field], SCHEMA.query_type.fields[field.name.value].type, fragments))  # type: ignore[union-attr]


def test_each_label_reads_what_its_selections_ask_for_and_its_id():
    found = columns(
        "{ pairings { edges { node { startDate unitOrganization { domainId name unitType { code } } "
        "communityOrganization { name } community { name level { label } } } } } }"
    )
    assert found == {"Organization": ("id", "name", "unit_type"), "Area": ("id", "level", "name")}


def test_fragments_count_and_a_resolver_adds_what_it_reads():
    found = columns(
        "query { organizations { nodes { ...Names ... on Organization { flags parent { kind } } } } } "
        "fragment Names on Organization { name }"
    )
    assert found == {"Organization": ("flags", "id", "kind", "name")}


def test_a_person_handed_on_is_read_as_a_person():
    found = columns("{ people { nodes { name memberships { post { code } person { phone } } } } }")
    assert found["Person"] == ("id", "name", "phone")


def test_an_undeclared_resolver_leaves_its_label_whole_and_others_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    # Were ``parent`` not declared, what it reads of the row would not be known: organisations are read whole.
    monkeypatch.delitem(RESOLVER_READS["Organization"], "parent")
    found = columns("{ pairings { nodes { unitOrganization { name parent { name } } community { name } } } }")
    assert found == {"Area": ("id", "name")}


def test_an_abstract_type_below_leaves_every_label_whole():
    assert columns('{ search(text: "x") { nodes { node { ... on Organization { name } } } } }') == {}
    assert columns("{ organizations { nodes { name } } }") == {"Organization": ("id", "name")}


def test_a_label_no_selection_names_is_left_whole():
    assert columns("{ pairings { nodes { startDate } } }") == {}


class _Recorder:
    """An object that notes the attributes read of it: each reads as an empty row."""

    def __init__(self) -> None:
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> dict[str, Any]:
        self.read.add(name)
        return {}


def _reader_reads(reader: Any) -> set[str]:
    """The attributes a field's reader (``field_readers``: ``common.Held``, ``common.EndOf``) reads of its object, run
    on a recording object: its key, and its answer with one linked pair (whose building may fail on the empty rows)."""
    source = _Recorder()
    if isinstance(reader, Held):
        reader.key(source)
        with contextlib.suppress(Exception):
            reader.answer(None, source, [({}, {})])
    else:
        assert isinstance(reader, EndOf), reader
        with contextlib.suppress(Exception):
            reader.prepare(None)(source)  # type: ignore[arg-type]
    return source.read


def _self_reads(type_name: str, field: str) -> tuple[set[str], set[str]]:
    """The attributes a resolver reads of ``self``, and the keys it reads of ``self._row`` (``.get("k")``, ``["k"]``);
    for a resolver declared with a reader, which answers the field as it does, what the reader reads (it reads no key
    of the row: a row it reads it hands on whole as a link's end)."""
    definition = SCHEMA.get_type(type_name).fields[field].extensions["strawberry-definition"]  # type: ignore[union-attr]
    reader = reader_of(definition.base_resolver.wrapped_func)
    if reader is not None:
        return _reader_reads(reader), set()
    tree = ast.parse(textwrap.dedent(inspect.getsource(definition.base_resolver.wrapped_func)))
    read_of_self = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and _is_self(n.value)]
    # ``self`` handed whole to a function could be read anywhere: its reads could not be declared.
    bases = {id(n.value) for n in read_of_self}
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "self" and id(n) not in bases], (
        f"{type_name}.{field} hands self on"
    )
    row_keys: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_row(node.func.value) and node.args:
            key = node.args[0]
        elif isinstance(node, ast.Subscript) and _is_row(node.value):
            key = node.slice
        else:
            continue
        row_keys.add(key.value if isinstance(key, ast.Constant) else "<not a constant>")
    return {n.attr for n in read_of_self}, row_keys


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _is_row(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "_row" and _is_self(node.value)


@pytest.mark.parametrize(
    ("type_name", "field"), [(t, f) for t, fields in RESOLVER_READS.items() for f in fields], ids=lambda value: str(value)
)
def test_a_declared_resolver_reads_no_more_of_its_row_than_declared(type_name: str, field: str) -> None:
    declared = set(RESOLVER_READS[type_name][field])
    attributes, row_keys = _self_reads(type_name, field)
    # The id, a private copy of a declared property (``_flags``), or the row itself: read by declared keys, or handed
    # on whole as a link's end when the field declares nothing (read there as an object of the same type).
    allowed = {"id"} | {f"_{prop}" for prop in declared} | {"_row"}
    assert attributes <= allowed, (type_name, field, attributes - allowed)
    assert row_keys <= declared, (type_name, field, row_keys - declared)
