// A page of the compounds under the area $under (a district, street or community), as compounds_page.
MATCH (:Area {id: $under})<-[:PART_OF*1..4]-(c:Area)
WHERE c.level = 'compound' {{filters(c)}}
RETURN c
ORDER BY (CASE WHEN $order_field = 'households' THEN coalesce(c.households, 0) * $sign ELSE 0 END),
         (CASE WHEN $reverse = true THEN '' ELSE c.name_key END),
         (CASE WHEN $reverse = true THEN c.name_key ELSE '' END) DESC,
         (CASE WHEN $reverse = true THEN '' ELSE c.name END),
         (CASE WHEN $reverse = true THEN c.name ELSE '' END) DESC,
         c.id
SKIP $offset LIMIT $limit
