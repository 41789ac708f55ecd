"""Every query the Neo4j adapter can run passes Neo4j's own Cypher linter with zero errors.

The linter is the npm package ``@neo4j-cypher/language-support`` (``lintCypherQuery``), driven by
``tools/lint_cypher.mjs``; CI installs it with ``npm ci --prefix tools``. The queries are those the Neo4j
adapter's catalogue resolves: every ``cypher/<name>.cypher`` without a ``cypher/neo4j/<name>.cypher``
override, every ``cypher/neo4j/*.cypher``, and the schema file split into its statements. LadybugDB-only
text lives in ``cypher/ladybug/`` and is not linted.

Placeholders (``__word__``) are filled with catalogue names, so each query is linted as the adapter would send
it. Which names a placeholder takes depends on its word:

- a word containing ``rel`` or ``type`` (``__rel__``, ``__rel_type__``): a relationship type;
- ``from``, ``src``, ``source``, ``start`` (and ``*_label`` forms): the source label of that type (or of the
  type the query names itself, as in ``-[r:REGISTERED_WITH]->``); ``to``, ``dst``, ``target``, ``end``: its
  target label;
- any other word (``__label__``, ``__table__``): a node label.

Each query is linted once, with one fitting combination: which catalogue name fills a placeholder cannot
change whether the query parses or type-checks, as long as every name is a plain identifier, and one extra
statement (``catalogue_names``) checks that for every label and type. Linting costs about 0.1 s a query, so
linting every combination would not be worth the minutes. Errors fail the test; warnings (unknown property
keys, patterns the catalogue has no edge for) are reported as one pytest warning, since the map keys of
``UNWIND`` rows look like unknown property keys to the linter.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import warnings
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from graph_service.domain.schema import NODES, RELS, SYSTEM_NODES
from graph_service.store.queries import CYPHER_DIR, Filter, Query, QueryCatalog, fill, split_statements

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tools"
QUERY_NAME = re.compile(r"[a-z][a-z0-9_]*")
PLACEHOLDER = re.compile(r"__([a-z][a-z_]*[a-z])__")
SOURCE_WORDS = {"from", "src", "source", "start", "from_label", "source_label", "start_label"}
TARGET_WORDS = {"to", "dst", "target", "end", "to_label", "target_label", "end_label"}
# Queries an adapter runs for itself: the other engine never asks for them.
ADAPTER_ONLY = ("ladybug_", "neo4j_")
LINT_PROCESSES = 2
LINT_INPUTS = ("lint_cypher.mjs", "package-lock.json")
LINT_CACHE = TOOLS / "node_modules" / ".cache" / "graph-service-cypher-lint.json"


def _is_rel_word(word: str) -> bool:
    return "rel" in word or "type" in word


def _representative(text: str) -> str:
    """``text`` with its placeholders filled by one fitting combination of catalogue names."""
    words = set(PLACEHOLDER.findall(text))
    if not words:
        return text
    # The relationship type: the placeholder's, else one the text names itself (so source and target fit it).
    named = [t for t in RELS if re.search(rf"[:|]{t}\b", text)]
    rel_type = next(iter(RELS)) if any(_is_rel_word(w) for w in words) or not named else named[0]
    source, target = RELS[rel_type].pairs[0]
    combo: dict[str, object] = {}
    for w in words:
        if _is_rel_word(w):
            combo[w] = rel_type
        elif w in SOURCE_WORDS:
            combo[w] = source
        elif w in TARGET_WORDS:
            combo[w] = target
        else:
            combo[w] = next(iter(NODES))
    return fill(text, combo)


def neo4j_queries() -> list[dict[str, str]]:
    """Every statement the Neo4j adapter can send, named ``query`` (``schema#n`` for DDL statements)."""
    catalog = QueryCatalog("neo4j", CYPHER_DIR)
    out: list[dict[str, str]] = []
    for name in catalog.names():
        if not QUERY_NAME.fullmatch(name):
            continue  # the catalogue refuses to load it, so no adapter can run it
        text = catalog.text(name)
        statements = split_statements(text) if name == "schema" else [text]
        for i, statement in enumerate(statements):
            out.append({"name": f"{name}#{i + 1}" if name == "schema" else name, "text": _representative(statement)})
    # Every listing of the application layer with all the filters it may compose (fragments included).
    from graph_service.services.reading import all_listing_filters

    for listing, fragments in all_listing_filters().items():
        composed = tuple(Filter(f) for f in fragments)
        for suffix in ("_page", "_count"):
            text = catalog.text(Query(listing + suffix, composed))
            out.append({"name": f"{listing}{suffix}+filters", "text": _representative(text)})
    # Every name a placeholder may take, in label and type position: each must be a plain Cypher identifier.
    matches = [f"MATCH (n{i}:{label})" for i, label in enumerate([*NODES, *SYSTEM_NODES])]
    matches += [f"MATCH ()-[r{i}:{rel_type}]->()" for i, rel_type in enumerate(RELS)]
    out.append({"name": "catalogue_names", "text": "\n".join([*matches, "RETURN 1 AS one"])})
    return out


def catalogue_schema() -> dict[str, Any]:
    """What the linter should know of our database: labels, types, property keys and allowed patterns."""
    specs = [*NODES.values(), *SYSTEM_NODES.values()]
    keys = {p.name for s in specs for p in s.stored_props} | {p.name for r in RELS.values() for p in r.props}
    return {
        "labels": sorted(s.label for s in specs),
        "relationshipTypes": sorted(RELS),
        "propertyKeys": sorted(keys),
        "graphSchema": [{"from": a, "to": b, "relType": t} for t, spec in RELS.items() for a, b in spec.pairs],
    }


def run_linter(queries: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Lint ``queries`` with ``tools/lint_cypher.mjs`` (about 0.1 s a query, so a few node processes share the work).

    Results are cached inside ``tools/node_modules`` keyed by the query text, the catalogue, the script and
    the lock file: ``npm ci`` starts it afresh, and an unchanged query is not linted twice.
    """
    if not (TOOLS / "node_modules").is_dir():
        pytest.skip("tools/node_modules missing: run `npm ci --prefix tools`")
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found on PATH: install Node.js 18+ to run Neo4j's Cypher linter")
    schema = catalogue_schema()
    salt = hashlib.sha256(json.dumps(schema, sort_keys=True).encode())
    for name in LINT_INPUTS:
        salt.update((TOOLS / name).read_bytes())
    keys = {q["name"]: hashlib.sha256(salt.digest() + q["text"].encode()).hexdigest() for q in queries}
    cache: dict[str, dict[str, Any]] = json.loads(LINT_CACHE.read_text()) if LINT_CACHE.is_file() else {}
    todo = [q for q in queries if keys[q["name"]] not in cache]

    def lint(chunk: list[dict[str, str]]) -> list[dict[str, Any]]:
        done = subprocess.run(
            [node, str(TOOLS / "lint_cypher.mjs")],
            input=json.dumps({"schema": schema, "queries": chunk}, ensure_ascii=False),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"lint_cypher.mjs failed:\n{done.stderr}"
        result: list[dict[str, Any]] = json.loads(done.stdout)
        return result

    if todo:
        workers = min(LINT_PROCESSES, len(todo))
        with ThreadPoolExecutor(workers) as pool:
            for chunk in pool.map(lint, [todo[i::workers] for i in range(workers)]):
                cache.update((keys[r["name"]], {"errors": r["errors"], "warnings": r["warnings"]}) for r in chunk)
        LINT_CACHE.parent.mkdir(parents=True, exist_ok=True)
        scratch = LINT_CACHE.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps(cache))
        scratch.replace(LINT_CACHE)
    return [{"name": q["name"], **cache[keys[q["name"]]]} for q in queries]


def test_every_neo4j_query_passes_the_neo4j_linter() -> None:
    queries = neo4j_queries()
    names = {q["name"].split("#")[0] for q in queries}
    assert {"schema", "bump_write_version", "neo4j_bulk_nodes", "neo4j_bulk_rels"} <= names
    results = run_linter(queries)
    errors = [f"{r['name']} {e['line']}:{e['column']}: {e['message']}" for r in results for e in r["errors"]]
    assert not errors, f"{len(errors)} Cypher errors from Neo4j's linter:\n" + "\n".join(errors)
    noted = [f"{r['name']}: {w['message']}" for r in results for w in r["warnings"]]
    if noted:
        warnings.warn(
            f"{len(noted)} linter warnings, e.g.\n" + "\n".join(islice(noted, 10)),
            UserWarning,
            stacklevel=1,
        )


def test_the_linter_reports_errors() -> None:
    """The harness itself: a broken query, a LadybugDB-only function and an APOC call are each an error."""
    bad = [
        {"name": "typo", "text": "MATCH (n:Area) RETRUN n"},
        {"name": "ladybug_only", "text": "MATCH (n:Area) RETURN label(n) AS l"},
        {"name": "apoc", "text": "RETURN apoc.coll.sum([1, 2]) AS s"},
        {"name": "fine", "text": "MATCH (n:Area {id: $id}) RETURN labels(n)[0] AS l"},
    ]
    results = {r["name"]: r for r in run_linter(bad)}
    assert all(results[n]["errors"] for n in ("typo", "ladybug_only", "apoc"))
    assert results["fine"]["errors"] == []


def test_every_query_the_embedded_store_runs_exists_for_neo4j() -> None:
    """A query with only a LadybugDB version would be an unknown query on Neo4j."""
    missing = sorted(
        p.stem
        for p in (CYPHER_DIR / "ladybug").glob("*.cypher")
        if not p.stem.startswith(ADAPTER_ONLY)
        and not (CYPHER_DIR / f"{p.stem}.cypher").exists()
        and not (CYPHER_DIR / "neo4j" / f"{p.stem}.cypher").exists()
    )
    assert missing == [], f"only in cypher/ladybug/: {missing}"
