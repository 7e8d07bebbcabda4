{#- The metric columns of a group come from the `metric_keys` seed (generated from extract/metrics.yaml),
    so a key added there becomes a mart column without touching SQL. The seed is read when the model
    runs; at parse time the list is empty, which only affects the (unused) parse-time SQL. -#}
{% macro metric_keys(metric_group) %}
    {%- set seed = ref('metric_keys') -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set result = run_query(
        "select metric_key, is_amount from " ~ seed
        ~ " where metric_group = '" ~ metric_group ~ "' order by position") -%}
    {%- if result.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error("no metric keys for group '" ~ metric_group ~ "' in " ~ seed) }}
    {%- endif -%}
    {{ return(result.rows | map('list') | list) }}
{% endmacro %}


{#- One column per metric key of `metric_group`: the value of the fact with that key, typed as the mart
    column (amounts DOUBLE, counts BIGINT). Expects `metric_key` and `value` columns in scope. -#}
{% macro pivot_metrics(metric_group) %}
    {%- for key, amount in metric_keys(metric_group) %}
    cast(max(case when metric_key = '{{ key }}' then value end) as {{ 'double' if amount else 'bigint' }}) as {{ key }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{% endmacro %}


{#- The facts of `metric_group` in the chosen documents, wide: one row per document (× applicant when the
    group has an applicant breakdown; otherwise only applicant 'total' facts count), one column per key. -#}
{% macro pivot_chosen_facts(metric_group, by_applicant=false) %}
select
    document_id,
    {%- if by_applicant %}
    applicant,
    {%- endif %}
    {{ pivot_metrics(metric_group) }}
from {{ ref('int_facts_chosen') }}
where metric_group = '{{ metric_group }}'{% if not by_applicant %} and applicant = 'total'{% endif %}
group by document_id{% if by_applicant %}, applicant{% endif %}
{%- endmacro %}

{#- The metric columns of a group, comma-separated (for selecting them through a join); a total listed in
    var('derived_totals') falls back to the sum of its parts when the document states only the parts. -#}
{% macro metric_column_list(metric_group, relation_alias) %}
    {%- set derived = var('derived_totals', {}).get(metric_group, {}) -%}
    {%- for key, amount in metric_keys(metric_group) %}
    {%- if key in derived %}
    coalesce({{ relation_alias }}.{{ key }},
             {% for part in derived[key] %}{{ relation_alias }}.{{ part }}{% if not loop.last %} + {% endif %}{% endfor %}) as {{ key }}
    {%- else %}
    {{ relation_alias }}.{{ key }}
    {%- endif %}{% if not loop.last %},{% endif %}
    {%- endfor %}
{% endmacro %}
