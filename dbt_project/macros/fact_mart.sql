{#- A published fact mart: the validated rows of `checked` (an int_*_agency_year model) plus what an analyst
    needs beside the figures to judge them — how complete the row is (coverage), whether the document's own
    arithmetic backs its figures (verification_status), the partial-year flag and the extraction issues of
    its document, and the quality verdict of the validation run (int_quality_flags, a model over
    quality.validation_results: nothing outside dbt writes into a mart). -#}
{% macro fact_mart(metric_group, checked, by_applicant=false) %}
{%- set expected = var('coverage_metrics')[metric_group] -%}
{%- set all_keys = metric_keys(metric_group) | map('first') | list -%}
with

facts as (
    select * from {{ checked }}
),

verification as (
    select * from {{ ref('int_fact_verification') }}
    where metric_group = '{{ metric_group }}'
),

documents as (
    select * from {{ ref('int_document_diagnostics') }}
),

quality as (
    select * from {{ ref('int_quality_flags') }}
    where mart = 'fct_{{ metric_group }}'
),

validation as (
    select * from {{ ref('int_validation_runs') }}
    where is_latest
),

assessed as (
    select
        facts.*,
        {{ count_known(all_keys, 'facts') }} as figures_total,
        {{ count_known(expected, 'facts') }} as figures_stated,
        {{ expected | length }} as figures_expected,
        verification.verification_status,
        documents.partial_period,
        documents.extraction_issues,
        quality.failures as quality_failures,
        validation.run_id as validation_run_id
    from facts
    left join verification
        on verification.document_id = facts.document_id
        and verification.applicant = {{ 'facts.applicant' if by_applicant else "'total'" }}
    left join documents on documents.document_id = facts.document_id
    left join quality
        on quality.agency_id = facts.agency_id
        and quality.report_year = facts.report_year
        and {{ 'quality.applicant = facts.applicant' if by_applicant else 'quality.applicant is null' }}
    left join validation on true
)

select
    * exclude (figures_total, validation_run_id, quality_failures),
    round(figures_stated / figures_expected, 4) as coverage,
    {{ quality_status('quality_failures', 'figures_total', 'validation_run_id') }} as quality_status,
    quality_failures
from assessed
{%- endmacro %}


{#- How many of `columns` are known (not null) on a row of `alias`. -#}
{% macro count_known(columns, alias) -%}
    ({% for c in columns %}({{ alias }}.{{ c }} is not null)::integer{% if not loop.last %} + {% endif %}{% endfor %})
{%- endmacro %}


{#- The verdict on a row: failed (a validation expectation fails on it), no_figures (the document states none
    of the row's figures: a gap, not a pass), passed (validated, nothing failed) or unchecked (no validation
    run has looked at this warehouse yet, e.g. a bare `dbt build`). -#}
{% macro quality_status(failures, figures, validation_run) -%}
    case
        when {{ failures }} is not null then 'failed'
        when {{ figures }} = 0 then 'no_figures'
        when {{ validation_run }} is not null then 'passed'
        else 'unchecked'
    end
{%- endmacro %}
