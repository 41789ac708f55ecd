// How many areas areas_page would list over all pages.
MATCH (a:Area)
WHERE true {{filters(a)}}
RETURN count(a) AS total
