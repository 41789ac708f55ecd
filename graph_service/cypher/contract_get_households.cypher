MATCH (a:Area {id: $id})
RETURN a.households AS households
