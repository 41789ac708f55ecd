// Every compound with the areas above it (community, street, district, city): how the measures the whole city's
// compounds are read with are cut to an area (services.measures). Ended PART_OF steps count, as they do where an
// area's compounds are matched by PART_OF*0..4 (the figures' queries).
MATCH (c:Area)-[:PART_OF*1..4]->(a:Area)
WHERE c.level = 'compound'
RETURN c.id AS id, collect(DISTINCT a.id) AS ancestors
