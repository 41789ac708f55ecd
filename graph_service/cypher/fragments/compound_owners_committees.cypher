// fragment compound_owners_committees(c)
// Live owners' committees located in the compound.
COUNT { MATCH (c)<-[:LOCATED_IN]-(x_oc:Organization) WHERE x_oc.kind = 'owners_committee' AND {{live_org(x_oc)}} }
