// The changes of one entity and of the relationships it is an end of (recorded on each entry), oldest first.
MATCH (a:AuditEntry)
WHERE (a.entity_id = $entity_id OR a.from_id = $entity_id OR a.to_id = $entity_id) AND a.seq > $after
RETURN a
ORDER BY a.seq
LIMIT $limit
