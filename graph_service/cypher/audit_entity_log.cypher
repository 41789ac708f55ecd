MATCH (a:AuditEntry)
WHERE a.entity_id = $entity_id AND a.seq > $after
RETURN a
ORDER BY a.seq
LIMIT $limit
