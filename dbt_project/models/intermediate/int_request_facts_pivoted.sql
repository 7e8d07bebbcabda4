-- Requests facts of the chosen documents, wide: one row per document × applicant, one column per
-- `requests` key of extract/metrics.yaml (via the metric_keys seed).
{{ pivot_chosen_facts('requests', by_applicant=true) }}
