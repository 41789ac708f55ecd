"""How long a dual check-in ledger of the most rows it may hold takes to check and to write.

    python bench/bench_ledger.py [--scale 0.1] [--rows 5000] [--seed 7]

The Heze demo city at ``--scale`` is loaded into a fresh LadybugDB store in a temporary directory; a ledger of
``--rows`` registrations (in-service Party members with community Party organisations they are not registered
with, and units' Party organisations where the city has them) is written as .xlsx, then imported through
``LedgerImport`` (the path of ``POST /ledger/registrations`` and ``graph-service ledger import``): once as a dry
run, once for real. Prints the file size and, for each step, the time and rows/s. The write runs in one
transaction, so its time is how long other writers wait.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from graph_service.domain.ledger import HEADERS, MAX_ROWS, SHEET
from graph_service.domain.records import NodeRecord, RelRecord
from graph_service.seed.heze import generate
from graph_service.services.bulk import bulk_insert
from graph_service.services.changes import ChangeService
from graph_service.services.ledger import LedgerImport
from graph_service.services.xlsx import SheetSpec, write_workbook
from graph_service.store.embedded import LadybugStore


def ledger_rows(records: list[object], rows: int, rng: random.Random) -> list[list[object]]:
    nodes = [r for r in records if isinstance(r, NodeRecord)]
    members = [n.id for n in nodes if n.label == "Person" and n.props.get("is_party_member") and n.props.get("left_on") is None]
    units = [n.id for n in nodes if n.props.get("kind") == "unit_party_org" and n.props.get("dissolved") is None]
    communities = [n.id for n in nodes if n.props.get("kind") == "community_committee" and n.props.get("dissolved") is None]
    taken = {(r.from_id, r.to_id) for r in records if isinstance(r, RelRecord) and r.type == "REGISTERED_WITH"}
    out: list[list[object]] = []
    tries = 0
    while len(out) < rows and tries < rows * 50:
        tries += 1
        unit = rng.random() < 0.2 and units
        registrant = rng.choice(units) if unit else rng.choice(members)
        community = rng.choice(communities)
        if (registrant, community) in taken:
            continue
        taken.add((registrant, community))
        kind = "单位" if unit else "党员"
        out.append([len(out) + 1, kind, registrant, None, community, None, date(2025, 6, 1), None, None])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--rows", type=int, default=MAX_ROWS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records = generate(args.scale, args.seed).records
    rows = ledger_rows(list(records), args.rows, random.Random(args.seed))
    if len(rows) < args.rows:
        print(f"the city at scale {args.scale} offers only {len(rows)} new registrations", file=sys.stderr)
    data = write_workbook([(SheetSpec(SHEET, HEADERS), rows)])
    print(f"ledger: {len(rows)} rows, {len(data):,} bytes (.xlsx)")
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore(Path(tmp) / "graph.lbdb")
        try:
            store.ensure_schema()
            bulk_insert(store, records)
            ledger = LedgerImport(ChangeService(store))
            for dry_run in (True, False):
                started = time.perf_counter()
                report = ledger.run("bench", data, dry_run=dry_run)
                seconds = time.perf_counter() - started
                step = "dry run" if dry_run else "write"
                print(f"{step:8} {report.written} rows in {seconds:.2f} s ({report.written / seconds:,.0f} rows/s)")
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
