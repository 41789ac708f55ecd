// The contract suite plays a store written before audit entries recorded a relationship's ends.
MATCH (a:AuditEntry)
SET a.from_id = NULL, a.to_id = NULL
