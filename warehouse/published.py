"""Open the published warehouse read-only, wherever the store is (`OGI_STORAGE`).

- Local store: the file itself, read-only.
- S3 store: the object the pointer names (warehouse/storage.py). DuckDB attaches it straight from S3 through
  its httpfs extension when that extension can be loaded (the DuckDB CLI or a BI tool installs it from
  DuckDB's extension repository); otherwise the object is downloaded once into a local cache, named by its
  version — a published object is never overwritten, so the cached copy is that publish, whole.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from warehouse.storage import Storage

WAREHOUSE_NAME = "ogi.duckdb"


def _httpfs(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        con.execute("LOAD httpfs")
    except duckdb.Error:
        return False
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or ""
    host = endpoint.split("://", 1)[-1]
    con.execute("CREATE OR REPLACE SECRET ogi_s3 (TYPE s3, PROVIDER credential_chain"
                + (f", ENDPOINT '{host}', URL_STYLE 'path', USE_SSL {str(endpoint.startswith('https')).lower()}"
                   if host else "") + ")")
    return True


def connect_published(storage: Storage, cache: Path | None = None,
                      name: str = WAREHOUSE_NAME) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published warehouse; its schemas (marts, raw, …) are the default
    catalog's, as with a local file."""
    uri = storage.published_uri(name)
    if storage.is_local:
        return duckdb.connect(str(storage.local_path(uri)), read_only=True)
    con = duckdb.connect()
    if _httpfs(con):
        con.execute(f"ATTACH '{uri}' AS ogi (READ_ONLY)")
        con.execute("USE ogi")
        return con
    con.close()
    cache = cache or Path(os.environ.get("OGI_CACHE", Path.home() / ".cache" / "ogi"))
    local = cache / uri.rsplit("/", 1)[-1]
    if not local.exists():
        storage.get_file(uri, local)
    return duckdb.connect(str(local), read_only=True)
