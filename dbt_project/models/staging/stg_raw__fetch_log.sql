select
    cast(run_id as varchar) as run_id,
    cast(source_name as varchar) as source_name,
    cast(url as varchar) as url,
    cast(status as integer) as http_status,
    cast(bytes as bigint) as size_bytes,
    cast(elapsed_ms as double) as elapsed_ms,
    cast(error as varchar) as error,
    cast(fetched_at as timestamp) as fetched_at,
    cast(etag as varchar) as etag,
    cast(last_modified as varchar) as last_modified,
    cast(document_id as varchar) as document_id
from {{ source('raw', 'fetch_log') }}
