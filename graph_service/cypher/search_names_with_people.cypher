// Names containing $text across areas, organisations, projects and people (names are personal data: only for
// roles that may read them): at most $limit per label, each branch with the same columns so that UNION ALL
// accepts them; the caller loads the nodes it shows.
{{search_area_names}}
UNION ALL
{{search_organization_names}}
UNION ALL
{{search_project_names}}
UNION ALL
{{search_person_names}}
