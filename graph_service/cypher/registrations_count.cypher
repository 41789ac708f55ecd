// How many check-ins registrations_page would list over all pages.
MATCH (x)-[r:REGISTERED_WITH]->(c:Organization)
WHERE true {{filters(x, r, c)}}
RETURN count(r) AS total
