// fragment compound_branches(c)
// Live compound Party branches leading the compound.
COUNT { MATCH (c)<-[:LEADS]-(x_branch:Organization) WHERE x_branch.kind = 'compound_branch' AND {{live_org(x_branch)}} }
