-- One row per agency × report year: who (agency, place), from which document, the headline figures of the
-- three fact marts (requests of all applicants together), rates, and how far the row can be trusted
-- (coverage, verification, quality, partial year, extraction issues). The table to start from.
with

chosen as (
    select * from {{ ref('int_chosen_documents') }}
),

agencies as (
    select * from {{ ref('dim_agency') }}
),

documents as (
    select * from {{ ref('dim_document') }}
),

diagnostics as (
    select * from {{ ref('int_document_diagnostics') }}
),

requests as (
    select * from {{ ref('fct_requests') }} where applicant = 'total'
),

appeals as (
    select * from {{ ref('fct_appeals') }}
),

publications as (
    select * from {{ ref('fct_publications') }}
),

verification as (
    select * from {{ ref('int_fact_verification') }} where metric_group = 'all'
),

-- the worst verdict over every row of the agency-year in the three marts (any applicant)
verdicts as (
    select agency_id, report_year, quality_status, quality_failures from {{ ref('fct_requests') }}
    union all
    select agency_id, report_year, quality_status, quality_failures from appeals
    union all
    select agency_id, report_year, quality_status, quality_failures from publications
    union all
    select agency_id, report_year, 'failed', failures
    from {{ ref('int_quality_flags') }}
    where mart = 'agency_year'
),

quality as (
    select
        agency_id,
        report_year,
        bool_or(quality_status = 'failed') as any_failed,
        bool_or(quality_status = 'passed') as any_passed,
        bool_or(quality_status = 'unchecked') as any_unchecked,
        string_agg(distinct quality_failures, ',' order by quality_failures) as quality_failures
    from verdicts
    group by agency_id, report_year
),

joined as (
    select
        chosen.agency_id,
        chosen.agency_name,
        agencies.province,
        agencies.city,
        agencies.county,
        agencies.level,
        agencies.division_code,
        agencies.parent_division_code,
        agencies.parent_division_name,
        chosen.report_year,
        chosen.document_id,
        documents.kind,
        documents.template,
        documents.published,
        documents.source,
        documents.source_name,
        diagnostics.partial_period,
        requests.new_received,
        requests.carried_over,
        requests.closed_total,
        requests.carried_forward,
        requests.granted,
        requests.partially_granted,
        requests.denied_total,
        requests.unavailable_total,
        requests.unavailable_not_held,
        requests.not_processed_total,
        requests.other_total,
        requests.balance_ok,
        appeals.reconsideration_total,
        appeals.reconsideration_upheld,
        appeals.reconsideration_corrected,
        appeals.reconsideration_other,
        appeals.reconsideration_pending,
        appeals.litigation_total,
        appeals.litigation_upheld,
        appeals.litigation_corrected,
        appeals.litigation_other,
        appeals.litigation_pending,
        publications.proactive_items_total,
        publications.regulations_issued,
        publications.normative_docs_issued,
        publications.licensing_decisions,
        publications.penalty_decisions,
        publications.coercion_decisions,
        publications.fees_amount_wan_yuan,
        publications.policy_interpretations,
        requests.figures_stated + appeals.figures_stated + publications.figures_stated as figures_stated,
        requests.figures_expected + appeals.figures_expected + publications.figures_expected as figures_expected,
        verification.facts_stated,
        verification.facts_verified,
        verification.facts_conflict,
        verification.verification_status,
        quality.any_failed,
        quality.any_passed,
        quality.any_unchecked,
        quality.quality_failures,
        diagnostics.checks_held,
        diagnostics.checks_failed,
        diagnostics.warning_issues,
        diagnostics.error_issues,
        diagnostics.extraction_issues
    from chosen
    inner join documents on documents.document_id = chosen.document_id
    left join agencies on agencies.agency_id = chosen.agency_id
    left join diagnostics on diagnostics.document_id = chosen.document_id
    left join requests on requests.document_id = chosen.document_id
    left join appeals on appeals.document_id = chosen.document_id
    left join publications on publications.document_id = chosen.document_id
    left join verification on verification.document_id = chosen.document_id
    left join quality on quality.agency_id = chosen.agency_id and quality.report_year = chosen.report_year
)

select
    agency_id,
    agency_name,
    province,
    city,
    county,
    level,
    division_code,
    parent_division_code,
    parent_division_name,
    report_year,
    document_id,
    kind,
    template,
    published,
    source,
    source_name,
    partial_period,
    new_received,
    carried_over,
    closed_total,
    carried_forward,
    granted,
    partially_granted,
    denied_total,
    unavailable_total,
    unavailable_not_held,
    not_processed_total,
    other_total,
    balance_ok,
    round(granted / nullif(closed_total, 0), 4) as granted_share,
    round((granted + partially_granted) / nullif(closed_total, 0), 4) as granted_or_partial_share,
    round(unavailable_not_held / nullif(closed_total, 0), 4) as not_held_share,
    reconsideration_total,
    reconsideration_upheld,
    reconsideration_corrected,
    reconsideration_other,
    reconsideration_pending,
    -- corrected among the concluded cases (total − pending; pending unknown counts as none pending)
    round(reconsideration_corrected / nullif(reconsideration_total - coalesce(reconsideration_pending, 0), 0), 4)
        as reconsideration_corrected_rate,
    litigation_total,
    litigation_upheld,
    litigation_corrected,
    litigation_other,
    litigation_pending,
    round(litigation_corrected / nullif(litigation_total - coalesce(litigation_pending, 0), 0), 4)
        as litigation_corrected_rate,
    proactive_items_total,
    regulations_issued,
    normative_docs_issued,
    licensing_decisions,
    penalty_decisions,
    coercion_decisions,
    fees_amount_wan_yuan,
    policy_interpretations,
    figures_stated,
    figures_expected,
    round(figures_stated / figures_expected, 4) as coverage,
    coalesce(facts_stated, 0) as facts_stated,
    coalesce(facts_verified, 0) as facts_verified,
    coalesce(facts_conflict, 0) as facts_conflict,
    verification_status,
    checks_held,
    checks_failed,
    warning_issues,
    error_issues,
    extraction_issues,
    case
        when any_failed then 'failed'
        when coalesce(facts_stated, 0) = 0 then 'no_figures'
        when any_passed then 'passed'
        else 'unchecked'
    end as quality_status,
    quality_failures
from joined
