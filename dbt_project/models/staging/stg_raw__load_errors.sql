-- Documents whose extraction record could not be loaded (unreadable, or refused by the raw tables), with
-- the reason: quarantined by int_documents_resolved. One row per document (raw.py keeps the last).
select
    cast(document_id as varchar) as document_id,
    any_value(cast(reason as varchar)) as load_error
from {{ source('raw', 'load_errors') }}
group by 1
