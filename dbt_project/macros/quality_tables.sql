{#- The tables the validation step writes (warehouse/validate.py owns them and creates them the same way):
    created empty by every dbt run, so that the models reading them build on a warehouse no validation has
    run on yet (a bare `dbt build`, `make docs`), where every row is then 'unchecked'. -#}
{% macro create_quality_tables() %}
create schema if not exists quality;
create table if not exists quality.validation_results (
    run_id varchar not null,
    suite varchar not null,
    expectation varchar not null,
    agency_id varchar,
    report_year integer,
    success boolean not null,
    observed varchar
);
alter table quality.validation_results add column if not exists mart varchar;
alter table quality.validation_results add column if not exists applicant varchar;
alter table quality.validation_results add column if not exists message varchar;
alter table quality.validation_results add column if not exists validated_at timestamp;
{% endmacro %}
