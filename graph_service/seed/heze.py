"""The deterministic Heze demo city: areas, the five-level Party system, people and posts, with planted gaps.

``generate(scale, seed)`` returns every record (typed values, ready for ``bulk_insert``) and the ground truth.
At scale 1 the aggregates equal DOMAIN.md's published figures (see ``figures.py``); at scale ``s`` counts are
``round(figure * s)`` and rates stay. Gaps are planted on purpose; the ground truth is then computed from the
records by ``truth.evaluate`` with the definitions in the docs ("The Heze demo dataset"), so it is exact by
construction. The city is built by the stages of ``seed.stages`` over the small core of ``seed.core``.

All people, phone numbers, addresses and identity numbers are FICTITIOUS (see ``names``).
"""

from __future__ import annotations

import gc

from graph_service.domain.standards import DEFAULT_STANDARDS, Standards
from graph_service.seed.core import AS_OF, MIN_SCALE, CityBuilder, HezeDataset, Targets
from graph_service.seed.stages import areas, life, organisations, partners, residents, staff, support

__all__ = ["AS_OF", "MIN_SCALE", "HezeDataset", "Targets", "generate"]


def build(b: CityBuilder) -> None:
    """Every stage, in order: each relies on what the ones before it made."""
    areas.areas(b)
    areas.plan(b)
    areas.allocate_counts(b)
    areas.plan_life(b)
    organisations.leadership(b)
    organisations.street_committees(b)
    for community in b.communities:
        organisations.community(b, community)
    for compound in b.compounds:
        organisations.compound(b, compound)
    staff.sunk_staff(b)
    staff.property_management(b)
    residents.appeals(b)
    residents.volunteer_teams(b)
    residents.warm_stations(b)
    partners.units_and_pairings(b)
    partners.registrations(b)
    support.joint_branches(b)
    support.cadres_and_deputies(b)
    support.studios(b)
    life.organisational_life(b)


def generate(scale: float = 1.0, seed: int = 7, standards: Standards = DEFAULT_STANDARDS) -> HezeDataset:
    """The Heze demo city at ``scale`` (1 reproduces the published figures) from random ``seed``.

    The same (scale, seed) always gives the same records in the same order.
    """
    from graph_service.seed.truth import evaluate

    # Millions of small long-lived objects and no cycles: the cyclic collector would rescan them over and over.
    enabled = gc.isenabled()
    gc.disable()
    try:
        builder = CityBuilder(scale, seed, standards)
        build(builder)
        truth = evaluate(builder.records, AS_OF, standards)
    finally:
        if enabled:
            gc.enable()
    truth["scale"] = scale
    truth["seed"] = seed
    truth["as_of"] = AS_OF.isoformat()
    truth["intended"] = {
        "compound_gaps": {c.id: sorted(c.gaps) for c in builder.compounds if c.gaps},
        "branch_factors": {
            **{c.branch_id: sorted(c.weak) for c in builder.compounds if c.branch and c.weak},
            **{jb.id: sorted(jb.weak) for jb in builder.joint_branches if jb.weak},
        },
        "healthy_compounds": sorted(c.id for c in builder.compounds if c.healthy),
        "community_committees_election_overdue": sorted(builder.overdue_committees),
    }
    return HezeDataset(scale=scale, seed=seed, records=builder.records, ground_truth=truth)
