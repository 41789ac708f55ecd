MATCH (a:Area {id: $id})
SET a.households = $households
RETURN a.households AS households
