-- Publications facts (主动公开) of the chosen documents, wide: one row per document, one column per
-- `publications` key. The group has no applicant breakdown: only applicant 'total' facts count.
{{ pivot_chosen_facts('publications') }}
