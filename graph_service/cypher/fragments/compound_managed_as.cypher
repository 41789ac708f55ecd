// fragment compound_managed_as(c)
// Property management in force in the mode $mode (市场化, 政府购买服务, 国有物业兜底).
EXISTS { MATCH (c)<-[x_manages:MANAGES]-(:Organization) WHERE x_manages.mode = $mode AND {{in_force(x_manages)}} }
