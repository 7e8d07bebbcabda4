"""A run's hand-offs in the store (warehouse/storage.py): what one task gives the next is a URI, not a path.

- fetch manifests: `runs/<run>/fetch/<source>.json`
- extraction batches: `runs/<run>/extract/<batch>.<ext>`, written locally by the extract task, then put
- raw bytes: `store/<ab>/<document id>`, content-addressed as fetching/store.py lays them out locally

With the default base (the warehouse's folder) every URI names the very file the step wrote, so a one-machine
deployment copies nothing. With `OGI_STORAGE=s3://…` the fetch task uploads, and a task on any other worker
downloads what it needs into its own working copy of the run folder. An input that is not in the store
raises `MissingInput`, which fails the task (no step ever carries on with an empty default).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from warehouse.layout import Layout
from warehouse.storage import POINTER_SUFFIX, MissingInput, Storage, file_uri


def storage_for(layout: Layout) -> Storage:
    return Storage.for_warehouse(layout.warehouse)


def _shares_disk(storage: Storage, layout: Layout) -> bool:
    """Whether the store is this warehouse's own folder (no copies needed)."""
    return storage.is_local and storage.local_path(storage.base).resolve() == layout.root.resolve()


def remote_store(layout: Layout) -> Storage | None:
    """The store when it is not this warehouse's own folder (then the run's lock and record live there, since
    the run's tasks may run on machines that share no disk); None when it is that folder."""
    storage = storage_for(layout)
    return None if _shares_disk(storage, layout) else storage


def _key(layout: Layout, path: Path) -> str:
    return path.resolve().relative_to(layout.root.resolve()).as_posix()


def to_uri(value: str) -> str:
    """XCom values from before URIs were handed over (plain paths) read as file URIs."""
    return value if "://" in value else file_uri(Path(value))


def _file(uri: str) -> Path:
    path = Path(uri.removeprefix("file://"))
    if not path.is_file():
        raise MissingInput(f"missing input: {uri}")
    return path


# --- manifests ----------------------------------------------------------------------------------------------

def put_json(layout: Layout, path: Path, value: Any) -> str:
    """Write a JSON hand-off at `path`'s place in the store (its key relative to the warehouse folder)."""
    storage = storage_for(layout)
    return storage.write_json(storage.uri(_key(layout, path)), value)


def read_json(uris: Iterable[str]) -> list[Any]:
    """The JSON hand-offs at these URIs (or plain paths); MissingInput when one is not there."""
    return [json.loads(_file(uri).read_text("utf-8")) if uri.startswith("file://") else _bucket(uri).read_json(uri)
            for uri in map(to_uri, uris)]


def _bucket(uri: str) -> Storage:
    scheme, rest = uri.split("://", 1)
    return Storage.at(f"{scheme}://{rest.split('/', 1)[0]}")


# --- files: extraction batches ----------------------------------------------------------------------------

def put_file(layout: Layout, local: Path) -> str:
    """Hand over a file a task wrote under the warehouse folder; returns its URI."""
    storage = storage_for(layout)
    uri = storage.uri(_key(layout, local))
    if not _shares_disk(storage, layout):
        storage.put_file(local, uri)
    return uri


def local_files(layout: Layout, uris: Iterable[str]) -> list[Path]:
    """Local paths of handed-over files, downloaded into this worker's run folder when the store is remote.
    MissingInput when one is in neither place."""
    storage = storage_for(layout)
    paths = []
    for uri in map(to_uri, uris):
        if uri.startswith("file://"):
            paths.append(_file(uri))
            continue
        key = uri[len(storage.base) + 1:] if uri.startswith(storage.base + "/") else None
        if key is None:
            raise ValueError(f"{uri} is not under the storage base {storage.base}")
        paths.append(storage.get_file(uri, layout.root / key))
    return paths


# --- raw bytes ----------------------------------------------------------------------------------------------

def _blob_key(doc_id: str) -> str:
    return f"store/{doc_id[:2]}/{doc_id}"


def put_blobs(layout: Layout, raw_root: Path, doc_ids: Iterable[str]) -> int:
    """Upload fetched documents' bytes the store does not have yet; returns how many were uploaded."""
    storage = storage_for(layout)
    if _shares_disk(storage, layout):
        return 0
    count = 0
    for doc_id in dict.fromkeys(doc_ids):
        uri = storage.uri(_blob_key(doc_id))
        if not storage.exists(uri):
            storage.put_file(raw_root / doc_id[:2] / doc_id, uri)
            count += 1
    return count


def get_blobs(layout: Layout, raw_root: Path, doc_ids: Iterable[str]) -> int:
    """Make the documents' bytes present locally (downloaded from the store when missing); MissingInput
    when the store does not have one either."""
    storage = storage_for(layout)
    count = 0
    for doc_id in dict.fromkeys(doc_ids):
        local = raw_root / doc_id[:2] / doc_id
        if local.is_file():
            continue
        if _shares_disk(storage, layout):
            raise MissingInput(f"missing input: raw bytes of document {doc_id} ({local})")
        storage.get_file(storage.uri(_blob_key(doc_id)), local)
        count += 1
    return count


# --- the published warehouse ----------------------------------------------------------------------------------

def _marker(layout: Layout) -> Path:
    return layout.root / f".{layout.warehouse.name}.published-object"


def publish_to_store(layout: Layout, run_id: str) -> str | None:
    """After the local swap: publish the same file on a remote store (new object, then the pointer readers
    follow). None when the store is this folder (the local rename was the publish)."""
    storage = storage_for(layout)
    if _shares_disk(storage, layout):
        return None
    uri = storage.publish(layout.warehouse, layout.warehouse.name, run_id)
    _marker(layout).write_text(uri)
    return uri


def fetch_published(layout: Layout) -> bool:
    """Make the local copy of the published warehouse the one the store's pointer names (a fresh worker has
    none; another worker may have published since). False when nothing is published yet."""
    storage = storage_for(layout)
    if _shares_disk(storage, layout):
        return layout.warehouse.exists()
    try:
        uri = storage.published_uri(layout.warehouse.name)
    except MissingInput:
        return False
    marker = _marker(layout)
    if layout.warehouse.exists() and marker.exists() and marker.read_text() == uri:
        return True
    storage.get_file(uri, layout.warehouse)
    marker.write_text(uri)
    return True


def published_version(layout: Layout) -> str | None:
    """The run whose build a remote store's pointer names (None: nothing published yet, or the store is this
    folder, where the published file's own meta.runs says it)."""
    storage = storage_for(layout)
    if _shares_disk(storage, layout):
        return None
    try:
        return storage.read_json(storage.uri(layout.warehouse.name + POINTER_SUFFIX)).get("version")
    except MissingInput:
        return None
