// How many activities activities_of_organization_page would list over all pages.
MATCH (o:Organization {id: $organization})<-[:HELD_BY]-(a:Activity)
WHERE true {{filters(a, o)}}
RETURN count(a) AS total
