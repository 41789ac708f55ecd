// Community workers, and riders serving as part-time grid workers, in committees of communities under the area.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..3]-(cm:Area)
WHERE cm.level = 'community'
MATCH (cm)<-[:LEADS]-(cc:Organization)<-[m:MEMBER_OF]-(p:Person)
WHERE cc.kind = 'community_committee' AND {{live_org(cc)}} AND {{in_force(m)}} AND m.post IN ['community_worker', 'grid_worker']
RETURN count(DISTINCT CASE WHEN m.post = 'community_worker' THEN p.id END) AS community_workers,
       count(DISTINCT CASE WHEN m.post = 'grid_worker' AND m.full_time = false AND p.employment = 'new_employment'
                                AND p.is_party_member = true THEN p.id END) AS rider_grid_workers
