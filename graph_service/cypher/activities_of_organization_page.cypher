// A page of the activities held by the organisation $organization, newest first (filters over a, o).
MATCH (o:Organization {id: $organization})<-[:HELD_BY]-(a:Activity)
WHERE true {{filters(a, o)}}
RETURN a
ORDER BY a.held_on DESC, a.id
SKIP $offset LIMIT $limit
