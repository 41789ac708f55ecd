// Contract suite: timestamps.
CREATE (e:AuditEntry {
  id: $id, seq: $seq, at: $at, actor: $actor, action: $action, entity_type: $entity_type, entity_id: $entity_id
})
