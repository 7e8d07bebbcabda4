-- One row per catalogue entry (as of the last run whose catalogue had it): the agencies its documents
-- may report figures for. int_documents_resolved quarantines a document that names another agency.
select
    cast(source_name as varchar) as source_name,
    cast(agency as varchar) as source_agency,
    list_filter(cast(agencies as varchar[]), lambda a: a is not null and trim(a) <> '') as source_agencies,
    coalesce(cast(allow_other_agencies as boolean), false) as allow_other_agencies
from {{ source('raw', 'sources') }}
