// How many compounds compounds_under_page would list over all pages.
MATCH (:Area {id: $under})<-[:PART_OF*1..4]-(c:Area)
WHERE c.level = 'compound' {{filters(c)}}
RETURN count(c) AS total
