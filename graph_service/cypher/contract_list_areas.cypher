MATCH (a:Area)
RETURN a.id AS id, a.name AS name, a.level AS level, a.households AS households
ORDER BY id
