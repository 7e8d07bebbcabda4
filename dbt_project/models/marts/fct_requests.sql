-- Requests (依申请公开), one row per chosen agency-year × applicant (the 'total' row always): the validated rows
-- of int_requests_agency_year with their coverage, verification and quality verdict.
{{ fact_mart('requests', ref('int_requests_agency_year'), by_applicant=true) }}
