MATCH (a:AuditEntry)
WHERE a.entity_id = $entity_id
RETURN count(a) AS n
