-- A table, not a view like the other intermediates: its dbt tests, the validation step and the marts each
-- read it, and as a view every one of them recomputed it (≈ 1–1.5 s a read at 10k documents).
{{ config(materialized='table') }}
-- Requests (依申请公开) before validation: one row per chosen agency-year × applicant, the 'total' row always,
-- plus one row per applicant the chosen document breaks the figures down by. The validation step checks
-- these rows; marts.fct_requests is them plus the verdict.
with

chosen as (
    select * from {{ ref('int_chosen_documents') }}
),

pivoted as (
    select * from {{ ref('int_request_facts_pivoted') }}
),

applicants as (
    select document_id, 'total' as applicant from chosen
    union
    select document_id, applicant from pivoted
)

select
    chosen.agency_id,
    chosen.agency_name,
    chosen.report_year,
    applicants.applicant,
    chosen.document_id,
    {{ metric_column_list('requests', 'pivoted') }},
    -- received + carried over = closed + carried forward; null when any term is missing
    pivoted.new_received + pivoted.carried_over = pivoted.closed_total + pivoted.carried_forward as balance_ok
from chosen
inner join applicants on applicants.document_id = chosen.document_id
left join pivoted
    on pivoted.document_id = applicants.document_id
    and pivoted.applicant = applicants.applicant
