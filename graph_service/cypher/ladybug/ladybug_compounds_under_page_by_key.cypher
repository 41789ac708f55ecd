// compounds_under_page with the filters that hold a subquery applied only to the compounds the others kept, each
// looked up by primary key (see ladybug_compounds_page_by_key).
MATCH (:Area {id: $under})<-[:PART_OF*1..4]-(c:Area)
WHERE c.level = 'compound' {{plain_filters(c)}}
WITH c.id AS key
MATCH (c:Area {id: key})
WHERE true {{subquery_filters(c)}}
RETURN c
{{compound_page_order(c)}}
