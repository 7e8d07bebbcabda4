{#- Which of a document's facts for one metric and applicant is its figure: 1 for the standard table's over
    the prose's, and among facts of one method the first in the text (then the smaller value). The one
    rule int_facts_chosen (the chosen documents) and int_document_figures (every document) apply. -#}
{% macro fact_preference(facts) %}
    row_number() over (
        partition by {{ facts }}.document_id, {{ facts }}.metric, {{ facts }}.applicant
        order by ({{ facts }}.method = 'table') desc, {{ facts }}.start_offset nulls last, {{ facts }}.value
    )
{%- endmacro %}
