// How many entries audit_entity_log pages through for one entity.
MATCH (a:AuditEntry)
WHERE a.entity_id = $entity_id OR a.from_id = $entity_id OR a.to_id = $entity_id
RETURN count(a) AS n
