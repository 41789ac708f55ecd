// How many people people_in_organization_page would list over all pages.
MATCH (:Organization {id: $organization})<-[:MEMBER_OF]-(p:Person)
WITH DISTINCT p
WHERE true {{filters(p)}}
RETURN count(p) AS total
