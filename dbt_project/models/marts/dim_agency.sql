-- One row per agency named by any document (after resolution), with its place and level, and the GB/T
-- 2260 division it belongs to (code, level, parent) where the places seed can place it.
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
    agencies.agency_id,
    agencies.agency_name,
    agencies.province,
    agencies.city,
    agencies.county,
    agencies.level,
    agencies.is_government,
    coalesce(documents.documents, 0) as documents,
    -- the township is kept in int_agencies_located for the level; the mart contract has no such column
    agencies.division_code,
    agencies.division_name,
    agencies.division_level,
    agencies.parent_division_code,
    agencies.parent_division_name
from agencies
left join documents on documents.agency_id = agencies.agency_id
