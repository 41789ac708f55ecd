// fragment id_in(x)
// The node or relationship is one of $ids: narrows a projection's bulk read to the entities a change named
// (analysis/projection_patch.py), so a patched node or edge is read by the same query, column for column.
x.id IN $ids
