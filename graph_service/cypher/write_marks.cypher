// The version of the last write no audit entry describes and the last audit sequence number, in one statement:
// what a projection is patched across (analysis/projection_patch.py). Either is missing until its first write.
MATCH (m:Meta)
WHERE m.key IN ['opaque_write_version', 'audit_seq']
RETURN m.key AS key, m.value AS value
