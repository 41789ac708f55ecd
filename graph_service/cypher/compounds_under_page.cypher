// A page of the compounds under the area $under (a district, street or community), as compounds_page.
MATCH (:Area {id: $under})<-[:PART_OF*1..4]-(c:Area)
WHERE c.level = 'compound' {{filters(c)}}
RETURN c
{{compound_page_order(c)}}
