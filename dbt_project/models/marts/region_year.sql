-- Totals by region (province), government level and year, with the change against the year before: the
-- rows an overview chart needs. 'all' in province or level is the total over that dimension (province
-- 'all' and level 'all' is the whole warehouse). A sum covers only the agency-years that state the figure
-- (agencies_reporting_requests says how many did): a change may come from a different set of agencies as
-- much as from a change in requests; the like-for-like change (agencies that state the figure in both years)
-- does not. Partial-year reports are left out of the sums.
with

full_years as (
    select * from {{ ref('agency_year') }}
    where not coalesce(partial_period, false)
),

rows as (
    select
        coalesce(this_year.province, 'unknown') as province,
        coalesce(this_year.level, 'unknown') as level,
        this_year.report_year,
        this_year.agency_id,
        this_year.new_received,
        -- the same agency's figure the year before, for the like-for-like change
        case when this_year.new_received is not null then last_year.new_received end as new_received_last_year,
        this_year.closed_total,
        this_year.granted,
        this_year.reconsideration_total,
        this_year.reconsideration_corrected,
        this_year.litigation_total,
        this_year.litigation_corrected
    from full_years as this_year
    left join full_years as last_year
        on last_year.agency_id = this_year.agency_id and last_year.report_year = this_year.report_year - 1
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
        sum(litigation_corrected) as litigation_corrected,
        count(new_received_last_year) as agencies_comparable,
        sum(new_received) filter (where new_received_last_year is not null) as new_received_comparable,
        sum(new_received_last_year) as new_received_comparable_last_year
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
    cast(closed_total - max(closed_total) over previous_year as bigint) as closed_total_change,
    agencies_comparable,
    round(new_received_comparable / nullif(new_received_comparable_last_year, 0) - 1, 4)
        as new_received_like_for_like_pct
from totals
-- exactly the year before (not merely the previous row: a year may be missing)
window previous_year as (
    partition by province, level order by report_year
    range between 1 preceding and 1 preceding
)
