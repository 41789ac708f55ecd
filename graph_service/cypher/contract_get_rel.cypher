MATCH (a)-[r:__rel__ {id: $id}]->(b)
RETURN a, r, b
