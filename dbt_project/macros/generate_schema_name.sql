{#- Schemas are exactly `staging`, `intermediate`, `marts`, `reference`: the published file is read by
    people and by the validation step, so no `<target>_` prefix. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
