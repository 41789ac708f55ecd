// The entity each audit entry after $since up to $upto names, oldest first: what a projection is patched from
// (analysis/projection_patch.py). Entries before/after stay in the store: the patch reads the entities themselves.
MATCH (a:AuditEntry)
WHERE a.seq > $since AND a.seq <= $upto
RETURN a.seq AS seq, a.entity_type AS entity_type, a.entity_id AS entity_id
ORDER BY a.seq
