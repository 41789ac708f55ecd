"""The GraphQL schema against its saved SDL and the domain catalogue."""

from __future__ import annotations

import pytest

from graph_service.api.sdl import SDL_PATH, schema_sdl
from graph_service.domain.schema import NODES, RELS
from graph_service.services.coverage import CoverageFigures
from graphql import build_schema as parse_sdl


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


@pytest.fixture(scope="module")
def sdl() -> str:
    return schema_sdl()


def test_saved_sdl_is_current(sdl):
    assert SDL_PATH.read_text(encoding="utf-8") == sdl, "graphql/schema.graphql is stale: run `graph-service schema graphql`"


@pytest.mark.parametrize("label", sorted(NODES))
def test_every_node_property_is_exposed(sdl, label):
    schema = parse_sdl(sdl)
    fields = schema.get_type(label).fields
    missing = [p.name for p in NODES[label].props if p.name != "id" and _camel(p.name) not in fields]
    assert not missing, f"{label} does not expose {missing}"
    assert "domainId" in fields and fields["id"].type.of_type.name == "ID"


@pytest.mark.parametrize(
    ("rel_type", "type_name"), [("MEMBER_OF", "Membership"), ("PAIRED_WITH", "Pairing"), ("REGISTERED_WITH", "Registration")]
)
def test_relationship_types_expose_their_properties(sdl, rel_type, type_name):
    fields = parse_sdl(sdl).get_type(type_name).fields
    missing = [p.name for p in RELS[rel_type].props if p.name != "id" and _camel(p.name) not in fields]
    assert not missing


def test_personal_properties_are_nullable_so_they_can_be_withheld(sdl):
    schema = parse_sdl(sdl)
    for label, spec in NODES.items():
        for prop in spec.props:
            if prop.personal:
                field = schema.get_type(label).fields[_camel(prop.name)]
                assert not str(field.type).endswith("!"), f"{label}.{prop.name}"


def test_every_coverage_figure_is_exposed(sdl):
    fields = parse_sdl(sdl).get_type("Coverage").fields
    import dataclasses

    missing = [
        f.name
        for f in dataclasses.fields(CoverageFigures)
        if f.name not in ("area_id", "level", "gap_counts") and _camel(f.name) not in fields
    ]
    assert not missing
    assert "gaps" in fields, "the gap counts are a list of their own"


def test_enums_carry_chinese_labels(sdl):
    schema = parse_sdl(sdl)
    labeled = schema.get_type("OrgKindLabeled")
    assert set(labeled.fields) == {"code", "label"}
    assert "街道党工委" in schema.get_type("OrgKind").description
