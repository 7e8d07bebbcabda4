select
    cast(document_id as varchar) as document_id,
    cast(severity as varchar) as severity,
    cast(code as varchar) as issue_code,
    cast(message as varchar) as message
from {{ source('raw', 'extraction_issues') }}
