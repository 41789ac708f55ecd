CREATE (a:AuditEntry {id: $id, seq: $seq, at: $at, actor: $actor, action: $action, entity_type: $entity_type,
                      entity_id: $entity_id, from_id: $from_id, to_id: $to_id, before: $before, after: $after})
RETURN a.seq AS seq
