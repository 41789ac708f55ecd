// Store a new API key: its id, role, note and the salted hash of the secret (never the secret itself).
CREATE (k:ApiKey {id: $id, role: $role, key_hash: $key_hash, note: $note, created: $created})
RETURN k.id AS id
