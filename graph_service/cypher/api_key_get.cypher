// One API key by id (for checking a presented key, and before revoking it).
MATCH (k:ApiKey {id: $id})
RETURN k.id AS id, k.role AS role, k.key_hash AS key_hash, k.note AS note, k.created AS created, k.revoked AS revoked
