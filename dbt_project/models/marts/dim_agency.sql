-- One row per agency named by any document (after resolution), with its place and level.
with

agencies as (
    select * from {{ ref('int_agencies_located') }}
),

documents as (
    select agency_id, count(*) as documents
    from {{ ref('int_documents_resolved') }}
    where agency_id is not null
    group by agency_id
)

select
    -- the township is kept in int_agencies_located for the level; the mart contract has no such column
    agencies.* exclude (township),
    coalesce(documents.documents, 0) as documents
from agencies
left join documents on documents.agency_id = agencies.agency_id
