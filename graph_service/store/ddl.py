"""Generate each dialect's schema file from the domain catalogue.

The generated files are committed (``cypher/ladybug/schema.cypher``, ``cypher/neo4j/schema.cypher``) so a
reader sees the real DDL; ``graph-service schema ddl`` rewrites them and a test fails while they are stale.
"""

from __future__ import annotations

from pathlib import Path

from graph_service.domain.naming import NAME_KEY
from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES, NodeSpec, primary_key
from graph_service.store.generated_queries import generated_query_files
from graph_service.store.queries import CYPHER_DIR

HEADER = "// Generated from graph_service/domain/schema.py by `graph-service schema ddl`. Do not edit.\n"
# Filters use the first three; the listings by name order by the name's sort key.
INDEXED = ("kind", "level", "unit_type", NAME_KEY)


def _node_specs() -> list[NodeSpec]:
    return [*NODES.values(), *SYSTEM_NODES.values()]


def ladybug_ddl() -> str:
    """Node tables, relationship tables with every FROM/TO pair, then ``ADD IF NOT EXISTS`` for upgrades."""
    out: list[str] = [HEADER]
    for spec in _node_specs():
        pk = primary_key(spec.label)
        cols = ", ".join(f"{p.name} {p.type.value}" for p in spec.stored_props)
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {spec.label}({cols}, PRIMARY KEY ({pk}));")
    for rel in RELS.values():
        pairs = ", ".join(f"FROM {a} TO {b}" for a, b in rel.pairs)
        cols = "".join(f", {p.name} {p.type.value}" for p in rel.props)
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel.type}({pairs}{cols});")
    # Upgrades: a property added to the catalogue after a database was created reaches it here.
    for spec in _node_specs():
        for p in spec.stored_props:
            if p.name != primary_key(spec.label):
                out.append(f"ALTER TABLE {spec.label} ADD IF NOT EXISTS {p.name} {p.type.value};")
    for rel in RELS.values():
        for p in rel.props:
            out.append(f"ALTER TABLE {rel.type} ADD IF NOT EXISTS {p.name} {p.type.value};")
    return "\n".join(out) + "\n"


def neo4j_ddl() -> str:
    """Uniqueness constraints on every key, indexes on the fields filters use and on relationship ids."""
    out: list[str] = [HEADER]
    for spec in _node_specs():
        pk = primary_key(spec.label)
        out.append(
            f"CREATE CONSTRAINT {spec.label.lower()}_{pk}_unique IF NOT EXISTS FOR (n:{spec.label}) REQUIRE n.{pk} IS UNIQUE;"
        )
        for prop in spec.stored_props:
            if prop.name in INDEXED:
                out.append(
                    f"CREATE INDEX {spec.label.lower()}_{prop.name} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{prop.name});"
                )
    out.append("CREATE INDEX auditentry_entity IF NOT EXISTS FOR (n:AuditEntry) ON (n.entity_id);")
    out.append("CREATE INDEX auditentry_from IF NOT EXISTS FOR (n:AuditEntry) ON (n.from_id);")
    out.append("CREATE INDEX auditentry_to IF NOT EXISTS FOR (n:AuditEntry) ON (n.to_id);")
    out.append("CREATE INDEX auditentry_seq IF NOT EXISTS FOR (n:AuditEntry) ON (n.seq);")
    for rel in RELS.values():
        out.append(f"CREATE INDEX {rel.type.lower()}_id IF NOT EXISTS FOR ()-[r:{rel.type}]-() ON (r.id);")
    return "\n".join(out) + "\n"


GENERATED: dict[Path, object] = {
    CYPHER_DIR / "ladybug" / "schema.cypher": ladybug_ddl,
    CYPHER_DIR / "neo4j" / "schema.cypher": neo4j_ddl,
    # The import's upsert queries set every property of a label, so they are generated from the catalogue too.
    **generated_query_files(),
}


def write_ddl_files() -> list[Path]:
    """Rewrite the generated schema and upsert query files; returns those whose text changed."""
    changed = []
    for path, make in GENERATED.items():
        text = make()  # type: ignore[operator]
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
