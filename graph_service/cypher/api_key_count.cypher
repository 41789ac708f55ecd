// How many API keys are stored and not revoked.
MATCH (k:ApiKey)
WHERE k.revoked IS NULL
RETURN count(k) AS total
