// A page of the people holding (or having held) a post in the organisation $organization, by id (filters: fragments over p).
MATCH (:Organization {id: $organization})<-[:MEMBER_OF]-(p:Person)
WITH DISTINCT p
WHERE true {{filters(p)}}
RETURN p
ORDER BY p.id
SKIP $offset LIMIT $limit
