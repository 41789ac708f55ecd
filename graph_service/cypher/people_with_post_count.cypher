// How many people people_with_post_page would list over all pages.
MATCH (p:Person)-[:MEMBER_OF]->(:Organization)
WITH DISTINCT p
WHERE true {{filters(p)}}
RETURN count(p) AS total
