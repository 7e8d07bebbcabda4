-- Totals by region (province), government level and year, with the change against the year before: the
-- rows an overview chart needs. 'all' in province or level is the total over that dimension (province
-- 'all' and level 'all' is the whole warehouse). A sum covers only the agency-years that state the figure
-- (agencies_reporting_requests says how many did): a change may come from a different set of agencies as
-- much as from a change in requests. Partial-year reports are left out of the sums.
with

rows as (
    select
        coalesce(province, 'unknown') as province,
        coalesce(level, 'unknown') as level,
        report_year,
        agency_id,
        new_received,
        closed_total,
        granted,
        reconsideration_total,
        reconsideration_corrected,
        litigation_total,
        litigation_corrected
    from {{ ref('agency_year') }}
    where not coalesce(partial_period, false)
),

totals as (
    select
        coalesce(province, 'all') as province,
        coalesce(level, 'all') as level,
        report_year,
        count(distinct agency_id) as agencies,
        count(new_received) as agencies_reporting_requests,
        sum(new_received) as new_received,
        sum(closed_total) as closed_total,
        sum(granted) as granted,
        sum(reconsideration_total) as reconsideration_total,
        sum(reconsideration_corrected) as reconsideration_corrected,
        sum(litigation_total) as litigation_total,
        sum(litigation_corrected) as litigation_corrected
    from rows
    group by grouping sets ((province, level, report_year), (province, report_year), (level, report_year),
                            (report_year))
)

select
    province,
    level,
    report_year,
    agencies,
    agencies_reporting_requests,
    cast(new_received as bigint) as new_received,
    cast(closed_total as bigint) as closed_total,
    cast(granted as bigint) as granted,
    cast(reconsideration_total as bigint) as reconsideration_total,
    cast(reconsideration_corrected as bigint) as reconsideration_corrected,
    cast(litigation_total as bigint) as litigation_total,
    cast(litigation_corrected as bigint) as litigation_corrected,
    cast(max(new_received) over previous_year as bigint) as new_received_previous_year,
    cast(new_received - max(new_received) over previous_year as bigint) as new_received_change,
    round(new_received / nullif(max(new_received) over previous_year, 0) - 1, 4) as new_received_change_pct,
    cast(closed_total - max(closed_total) over previous_year as bigint) as closed_total_change
from totals
-- exactly the year before (not merely the previous row: a year may be missing)
window previous_year as (
    partition by province, level order by report_year
    range between 1 preceding and 1 preceding
)
