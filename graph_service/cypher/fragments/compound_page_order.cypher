// fragment compound_page_order(c)
// A page of compounds c in order, by name (natural order: its sort key, then the name) or households, ties by id.
// Each sort key in parentheses: LadybugDB's parser refuses `END, CASE` otherwise.
ORDER BY (CASE WHEN $order_field = 'households' THEN coalesce(c.households, 0) * $sign ELSE 0 END),
         (CASE WHEN $reverse = true THEN '' ELSE c.name_key END),
         (CASE WHEN $reverse = true THEN c.name_key ELSE '' END) DESC,
         (CASE WHEN $reverse = true THEN '' ELSE c.name END),
         (CASE WHEN $reverse = true THEN c.name ELSE '' END) DESC,
         c.id
SKIP $offset LIMIT $limit
