// compounds_count with the filters that hold a subquery applied only to the compounds the others kept, each looked
// up by primary key (see ladybug_compounds_page_by_key).
MATCH (c:Area)
WHERE c.level = 'compound' {{plain_filters(c)}}
WITH c.id AS key
MATCH (c:Area {id: key})
WHERE true {{subquery_filters(c)}}
RETURN count(c) AS total
