// Audit entries of relationships written before entries recorded the relationship's ends.
MATCH (a:AuditEntry)
WHERE a.entity_type IN $types AND a.from_id IS NULL
RETURN a.id AS id, a.before AS before, a.after AS after
