// Projection: every relationship of a type that carries only its id (__rel__ comes from the catalogue).
MATCH (a)-[r:__rel__]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id
