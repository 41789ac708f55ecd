// fragment compound_branches(c)
// Live compound Party branches leading the compound.
COUNT { MATCH (c)<-[:LEADS]-(x_branch:Organization) WHERE {{live_branch(x_branch)}} }
