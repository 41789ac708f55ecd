// How many organisations organizations_page would list over all pages.
MATCH (o:Organization)
WHERE true {{filters(o)}}
RETURN count(o) AS total
