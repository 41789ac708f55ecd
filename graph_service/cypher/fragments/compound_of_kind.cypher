// fragment compound_of_kind(c)
c.compound_kind = $kind
