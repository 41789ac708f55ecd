// The write transaction that runs this made changes no audit entry describes (an import, a bulk load, the seed,
// an undo): the version it commits as is kept, so a projection is rebuilt across it rather than patched from the
// audit trail (analysis/projection_patch.py). Run inside the transaction, after the write version's bump.
MATCH (m:Meta {key: 'write_version'})
MERGE (o:Meta {key: 'opaque_write_version'})
ON CREATE SET o.value = 0
SET o.value = m.value
RETURN o.value AS version
