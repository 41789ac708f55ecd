// fragment compound_property_managers(c)
// Property management of the compound in force (state fallback counts as managed).
COUNT { MATCH (c)<-[x_manages:MANAGES]-(:Organization) WHERE {{in_force(x_manages)}} }
