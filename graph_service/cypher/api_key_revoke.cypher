// Revoke an API key: the record stays (the audit trail names callers by key id), the key stops working.
MATCH (k:ApiKey {id: $id})
SET k.revoked = $revoked
RETURN k.id AS id
