// fragment area_not_abolished(a)
a.abolished IS NULL
