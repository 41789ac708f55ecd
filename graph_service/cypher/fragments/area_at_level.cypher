// fragment area_at_level(a)
a.level = $level
