-- Appeals facts (行政复议/行政诉讼) of the chosen documents, wide: one row per document, one column per
-- `appeals` key. The group has no applicant breakdown: only applicant 'total' facts count.
{{ pivot_chosen_facts('appeals') }}
