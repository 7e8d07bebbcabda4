-- The choice of one document per agency-year among the documents that feed the fact marts. Rule, in order:
--   1. the current content of a page over an earlier content of the same URL (a corrected republication),
--   2. a report with the standard tables (template 2021 / 2019) over a narrative one,
--   3. an annual report over a work summary,
--   4. the newer publication date (unknown dates last),
--   5. more facts (a complete report over an excerpt of it),
--   6. the later fetch,
--   7. the smaller document_id (only to make the choice deterministic).
-- Documents that feed no fact mart (work plans, unknown agency or year) get no rank.
with

documents as (
    select * from {{ ref('int_documents_resolved') }}
),

superseded as (
    -- An earlier content of a URL that has since served other bytes.
    select older.document_id
    from documents as older
    inner join documents as newer
        on older.source = newer.source and newer.fetched_at > older.fetched_at
),

ranked as (
    select
        *,
        row_number() over (
            partition by feeds_facts, agency_name, report_year
            order by
                (document_id in (select document_id from superseded)) asc,
                has_standard_tables desc,
                (kind = 'annual_report') desc,
                published desc nulls last,
                facts desc,
                fetched_at desc nulls last,
                document_id
        ) as candidate_rank
    from documents
)

select
    * exclude (candidate_rank),
    feeds_facts and candidate_rank = 1 as is_chosen,
    case when feeds_facts then candidate_rank end as choice_rank
from ranked
