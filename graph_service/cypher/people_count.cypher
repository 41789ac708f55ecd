// How many people people_page would list over all pages.
MATCH (p:Person)
WHERE true {{filters(p)}}
RETURN count(p) AS total
