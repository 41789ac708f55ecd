// fragment compound_sunk_staff(c)
// Community staff currently sunk to the compound.
COUNT { MATCH (c)<-[x_sunk:SUNK_TO]-(:Person) WHERE {{in_force(x_sunk)}} }
