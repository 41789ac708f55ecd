// fragment compound_sunk_staff(c)
// Community staff currently sunk to the compound (and not gone).
COUNT { MATCH (c)<-[x_sunk:SUNK_TO]-(x_staff:Person) WHERE {{in_force(x_sunk)}} AND {{person_here(x_staff)}} }
