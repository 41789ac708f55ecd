// Compounds served by (or hosting) an active service station.
MATCH (c:Area {level: 'compound'})<-[:SERVES|LOCATED_IN]-(s:Organization {kind: 'service_station'})
WHERE s.dissolved IS NULL
RETURN DISTINCT c.id AS id
