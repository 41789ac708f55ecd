// fragment compound_owners_committees(c)
// Live owners' committees located in the compound.
COUNT { MATCH (c)<-[:LOCATED_IN]-(x_oc:Organization) WHERE {{live_owners_committee(x_oc)}} }
