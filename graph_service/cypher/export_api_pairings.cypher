// One batch of pairings (keyset on the pairing id) with both organisations, the unit, and the community's place.
MATCH (u:Organization)-[p:PAIRED_WITH]->(c:Organization)
WHERE p.id > $after
WITH u, p, c
ORDER BY p.id
LIMIT $limit
OPTIONAL MATCH (u)-[:SUB_ORG_OF]->(unit:Organization)
OPTIONAL MATCH (c)-[:LEADS]->(community:Area)
OPTIONAL MATCH (community)-[:PART_OF]->(street:Area)
OPTIONAL MATCH (street)-[:PART_OF]->(district:Area)
RETURN p.id AS id, p.start_date AS start_date, p.end_date AS end_date, p.projects AS projects,
       p.resources AS resources,
       u.id AS unit_org_id, u.name AS unit_org_name, u.unit_type AS unit_type,
       unit.id AS unit_id, unit.name AS unit_name,
       c.id AS community_org_id, c.name AS community_org_name,
       community.id AS community_id, community.name AS community_name,
       street.id AS street_id, street.name AS street_name,
       district.id AS district_id, district.name AS district_name
ORDER BY id
