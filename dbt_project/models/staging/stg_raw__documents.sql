-- One row per document: the raw columns renamed for what they are (the extractor's reading vs the
-- catalogue's expectation) and typed.
select
    cast(document_id as varchar) as document_id,
    cast(source as varchar) as source,
    cast(source_name as varchar) as source_name,
    cast(expected_agency as varchar) as expected_agency,
    cast(fetched_at as timestamp) as fetched_at,
    cast(size as bigint) as size_bytes,
    cast(media_type as varchar) as media_type,
    cast(encoding as varchar) as encoding,
    cast(kind as varchar) as kind,
    cast(agency as varchar) as extracted_agency,
    cast(year as integer) as extracted_year,
    cast(year_hint as integer) as year_hint,
    cast(published as date) as published,
    cast(index_no as varchar) as index_no,
    cast(template as varchar) as template,
    cast(script as varchar) as script,
    cast(partial_period as boolean) as partial_period,
    cast(extractor_version as varchar) as extractor_version,
    cast(extracted_at as timestamp) as extracted_at,
    cast(role as varchar) as fetch_role,
    cast(referrer as varchar) as referrer,
    cast(parent_document_id as varchar) as parent_document_id
from {{ source('raw', 'documents') }}
