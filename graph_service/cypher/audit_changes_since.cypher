MATCH (a:AuditEntry)
WHERE a.seq > $since AND a.seq <= $upto AND a.entity_type IN $types
RETURN a
ORDER BY a.seq
LIMIT $limit
