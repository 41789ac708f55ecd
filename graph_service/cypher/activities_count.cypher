// How many activities activities_page would list over all pages.
MATCH (a:Activity)-[:HELD_BY]->(o:Organization)
WHERE true {{filters(a, o)}}
RETURN count(a) AS total
