// How many names contain $text, per label (the matches of search_names).
{{count_area_names}}
UNION ALL
{{count_organization_names}}
UNION ALL
{{count_project_names}}
