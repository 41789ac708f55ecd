"""The class of the projection's graphs: a networkx ``MultiDiGraph`` that reference counting alone frees.

networkx keeps a graph's edge and degree views in the graph once made (``functools.cached_property``), and each
view holds the graph: a graph whose ``edges`` were read is a reference cycle, freed only by the cyclic collector.
The projection is millions of objects (6.2 million the collector tracks at scale 10) that the server keeps out of
the collector's walks (``graph_service.heap``), since one walk over them stops every thread for about two
seconds. A frozen cycle is never collected, so each graph a patch replaced (its copied top-level dicts, 62 MB
each at scale 10) would stay until the next full walk. ``ProjectionGraph`` makes those views anew on each
read (0.24 us, against 0.04 us to read a kept one; the full analysis at scale 1 took the same time) and keeps
none, so a graph no one holds is freed at once.
"""

from __future__ import annotations

import networkx as nx
from networkx.classes.reportviews import (
    DiMultiDegreeView,
    InMultiDegreeView,
    InMultiEdgeView,
    OutMultiDegreeView,
    OutMultiEdgeView,
)


def _made_per_read(view: type) -> property:
    """A property giving a new ``view`` of the graph at each read, as networkx's would, without keeping it."""
    return property(view, doc=f"A new ``{view.__name__}`` of the graph (made per read, not kept in it).")


class ProjectionGraph(nx.MultiDiGraph):  # type: ignore[misc]  # networkx has no type hints
    """A ``MultiDiGraph`` whose views that hold the graph are made per read, not kept in it (see the module)."""

    edges = out_edges = _made_per_read(OutMultiEdgeView)
    in_edges = _made_per_read(InMultiEdgeView)
    degree = _made_per_read(DiMultiDegreeView)
    in_degree = _made_per_read(InMultiDegreeView)
    out_degree = _made_per_read(OutMultiDegreeView)


__all__ = ["ProjectionGraph"]
