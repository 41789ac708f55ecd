// One API key by id (for checking a presented key).
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.role AS role, k.key_hash AS key_hash, k.revoked AS revoked
