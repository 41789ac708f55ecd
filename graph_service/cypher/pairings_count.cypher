// How many pairings pairings_page would list over all pages.
MATCH (u:Organization)-[r:PAIRED_WITH]->(c:Organization)
WHERE true {{filters(u, r, c)}}
RETURN count(r) AS total
