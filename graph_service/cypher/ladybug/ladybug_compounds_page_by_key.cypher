// compounds_page with the filters that hold a subquery (a coverage gap, a building without a group) applied only
// to the compounds the other filters kept, each looked up by primary key. LadybugDB plans a COUNT or EXISTS
// subquery as a join over its whole table, so a gap asked of a district's compounds paid for every building of the
// province (280 ms at scale 10, whether the district held 2 compounds or 729). Thousands of compounds kept pay a
// lookup each, so the store times both forms for each filter and its values and keeps the faster
// (LadybugStore.read).
MATCH (c:Area)
WHERE c.level = 'compound' {{plain_filters(c)}}
WITH c.id AS key
MATCH (c:Area {id: key})
WHERE true {{subquery_filters(c)}}
RETURN c
{{compound_page_order(c)}}
