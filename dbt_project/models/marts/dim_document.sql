-- One row per document read (every distinct content), its agency-year and whether it is the one chosen:
-- the ranked documents without the choice rule's own inputs.
select * exclude (has_standard_tables, feeds_facts)
from {{ ref('int_documents_ranked') }}
