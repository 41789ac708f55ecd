"""Network analyses over a networkx projection of the store (README.md, "Network analyses").

* ``projection``: the graph read once through the bulk path, cached by the store's write version, cut per area.
* ``common``: thresholds and weights (``Thresholds``), the shared index of what is in force on a day.
* ``coverage``: compound coverage, its factors and score, under-covered compounds, roll-ups per area level.
* ``chain``: chain completeness from each building up to the street Party working committee.
* ``weakness``: weak and lax compound branches and community committees, factors mapped to official criteria.
* ``structure``, ``mobilization``, ``recommendations``: single points of failure and brokers, mobilisation reach,
  pairing recommendations by min-cost flow.
* ``runner``: ``run_all`` over one projection, saved runs (``list_runs``), ``graph-service analyze``.

Analyses are pure functions of a projection-shaped ``networkx.MultiDiGraph`` and thresholds; reading the store is
the projection's job only.
"""
