// fragment compound_community_registered_members(c)
// In-service Party members (在职党员) whose check-in (双报到) with the live committee leading the compound's
// community is in force. Retired members belong to their community's organisation already; their check-ins do
// not count here.
COUNT {
  MATCH (c)-[:PART_OF]->(:Area)<-[:LEADS]-(x_committee:Organization)<-[x_registration:REGISTERED_WITH]-(x_member:Person)
  WHERE x_committee.kind = 'community_committee' AND {{live_org(x_committee)}} AND {{in_force(x_registration)}}
    AND x_member.employment = 'in_service' AND {{person_here(x_member)}}
}
