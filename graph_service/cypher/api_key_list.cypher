// Every stored API key, oldest first: what may be shown of it, never the hash.
MATCH (k:ApiKey)
RETURN k.id AS id, k.role AS role, k.note AS note, k.created AS created, k.revoked AS revoked
ORDER BY k.created, k.id
