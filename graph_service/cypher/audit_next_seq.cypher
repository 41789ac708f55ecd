// The audit's gap-free sequence: taken inside the change's own transaction, so a rollback returns it and
// concurrent writers queue on this one node (on Neo4j) and commit in sequence order.
MERGE (m:Meta {key: 'audit_seq'})
ON CREATE SET m.value = 0
SET m.value = m.value + 1
RETURN m.value AS seq
