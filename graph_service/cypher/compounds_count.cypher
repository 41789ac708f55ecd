// How many compounds compounds_page would list over all pages.
MATCH (c:Area)
WHERE c.level = 'compound' {{filters(c)}}
RETURN count(c) AS total
