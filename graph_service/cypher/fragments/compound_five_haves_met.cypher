// fragment compound_five_haves_met(c)
// 1 when a live branch leading the compound and a live owners' committee located in it both hang a plaque and
// meet all five haves (五有), else 0.
CASE WHEN EXISTS {
            MATCH (c)<-[:LEADS]-(x_branch:Organization)
            WHERE {{live_branch(x_branch)}} AND {{meets_five_haves(x_branch)}} }
      AND EXISTS {
            MATCH (c)<-[:LOCATED_IN]-(x_oc:Organization)
            WHERE {{live_owners_committee(x_oc)}} AND {{meets_five_haves(x_oc)}} }
     THEN 1 ELSE 0 END
