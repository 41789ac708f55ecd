// fragment link_started_after(s, r, t)
r.start_date > $started_after
