-- The chosen document of each agency-year: the one row per agency-year every fact mart is built on.
select
    document_id,
    agency_id,
    agency_name,
    report_year
from {{ ref('int_documents_ranked') }}
where is_chosen
