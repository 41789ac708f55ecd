// Record the ends of relationships on their audit entries ($rows: an Arrow table of id, from_id, to_id).
LOAD FROM $rows
MATCH (a:AuditEntry {id: id})
SET a.from_id = from_id, a.to_id = to_id
