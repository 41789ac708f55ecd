// Record the ends of relationships on their audit entries ($rows: id, from_id, to_id).
UNWIND $rows AS r
MATCH (a:AuditEntry {id: r.id})
SET a.from_id = r.from_id, a.to_id = r.to_id
