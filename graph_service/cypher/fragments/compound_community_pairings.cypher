// fragment compound_community_pairings(c)
// Pairings (结对共建) in force with the live committee leading the compound's community, found through the
// areas (so it exists even when the compound's branch is missing or hangs nowhere).
COUNT {
  MATCH (c)-[:PART_OF]->(:Area)<-[:LEADS]-(x_committee:Organization)<-[x_pairing:PAIRED_WITH]-(:Organization)
  WHERE x_committee.kind = 'community_committee' AND {{live_org(x_committee)}} AND {{in_force(x_pairing)}}
}
