-- One row per arithmetic identity the extractor tested on a document ("requests.balance@total"): the name
-- split into its group, identity and applicant column, and the figures it was tested on.
select
    cast(document_id as varchar) as document_id,
    cast(name as varchar) as check_name,
    split_part(split_part(name, '@', 1), '.', 1) as metric_group,
    nullif(split_part(name, '@', 2), '') as applicant,
    cast(ok as boolean) as is_ok,
    cast(figures as json) as figures
from {{ source('raw', 'checks') }}
