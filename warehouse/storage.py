"""The store every task hands its output through: one base URI, `OGI_STORAGE`.

Tasks of one DAG run may run on different machines (Celery workers, Kubernetes pods) that share no disk, and
any task may be retried or cleared alone on a fresh one. So nothing a task hands another is a local path: it
is a URI under one base — `file:///…/warehouse_data` on one machine (the default: the warehouse's own
folder), `s3://bucket/prefix` in a cluster — read and written through fsspec, the layer Airflow's
`ObjectStoragePath` is built on (so Airflow's connections and this module address the same objects).

- Every write is atomic: a local file is written beside its name and renamed; an S3 object appears whole
  with its single PUT. A reader never sees half an object.
- A missing input is `MissingInput` (a FileNotFoundError), which fails the task: never an empty default.
- The published warehouse is swapped atomically: locally one `os.replace` onto `ogi.duckdb`; on S3 a new,
  never-overwritten object `published/ogi.<version>.duckdb` and then a small pointer object
  `ogi.duckdb.current.json` naming it. Readers follow the pointer (`published_uri`); an older object stays
  readable to those who opened it, until pruned.

S3 settings come from the usual AWS variables (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`)
and `AWS_ENDPOINT_URL` for an S3-compatible server (MinIO, Ceph, moto).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import fsspec

from fetching.store import atomic_write

POINTER_SUFFIX = ".current.json"


class MissingInput(FileNotFoundError):
    """An input a task needs is not in the store: the task fails (it is never replaced by an empty value)."""


def default_base(warehouse: Path) -> str:
    """`OGI_STORAGE`, else the folder of the warehouse file (one machine: everything stays beside it)."""
    return os.environ.get("OGI_STORAGE") or file_uri(warehouse.resolve().parent)


def file_uri(path: Path) -> str:
    """file://<absolute path>, not percent-encoded: fsspec's local file system strips the scheme and takes the
    rest as the path, so a folder with a space or Chinese name must stay as it is."""
    return "file://" + path.resolve().as_posix()


def s3_options() -> dict[str, Any]:
    """fsspec options for s3fs from the environment (the endpoint of an S3-compatible server, if any)."""
    # Other processes write the same prefixes: a listing cached by this one would hide their objects.
    options: dict[str, Any] = {"use_listings_cache": False}
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        options["client_kwargs"] = {"endpoint_url": endpoint}
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        options.setdefault("client_kwargs", {})["region_name"] = region
    return options


@dataclass(frozen=True)
class Storage:
    base: str  # "file:///abs/folder" or "s3://bucket/prefix", no trailing slash

    @classmethod
    def at(cls, base: str | os.PathLike[str]) -> Storage:
        text = str(base)
        if "://" not in text:  # a plain path is a local folder
            text = file_uri(Path(text))
        return cls(text.rstrip("/"))

    @classmethod
    def for_warehouse(cls, warehouse: Path) -> Storage:
        return cls.at(default_base(warehouse))

    @property
    def protocol(self) -> str:
        return self.base.split("://", 1)[0]

    @property
    def is_local(self) -> bool:
        return self.protocol == "file"

    @functools.cached_property
    def fs(self) -> fsspec.AbstractFileSystem:
        return fsspec.filesystem(self.protocol, **(s3_options() if self.protocol == "s3" else {}))

    # --- naming -------------------------------------------------------------------------------------------

    def uri(self, *parts: str) -> str:
        """The URI of `parts` under the base (each part a relative key, '/' allowed)."""
        keys = [p.strip("/") for p in parts if p and p.strip("/")]
        if any(".." in k.split("/") for k in keys):
            raise ValueError(f"a storage key may not climb out of the base: {parts!r}")
        return "/".join([self.base, *keys])

    def local_path(self, uri: str) -> Path:
        """The file behind a file:// URI (for tools that need a path, e.g. DuckDB writing a database)."""
        if not uri.startswith("file://"):
            raise ValueError(f"not a local URI: {uri}")
        return Path(self.fs._strip_protocol(uri))

    def _check(self, uri: str) -> None:
        if not (uri == self.base or uri.startswith(self.base + "/")):
            raise ValueError(f"{uri} is not under the storage base {self.base}")

    # --- bytes, JSON, files -------------------------------------------------------------------------------

    def write_bytes(self, uri: str, data: bytes) -> str:
        self._check(uri)
        if self.is_local:
            atomic_write(self.local_path(uri), data)
        else:
            self.fs.pipe_file(uri, data)  # one PUT: the object appears whole or not at all
        return uri

    def read_bytes(self, uri: str) -> bytes:
        self._check(uri)
        try:
            return self.fs.cat_file(uri)
        except FileNotFoundError as exc:
            raise MissingInput(f"missing input: {uri}") from exc

    def write_json(self, uri: str, value: Any) -> str:
        # No indent: with one, json.dumps runs its pure-Python encoder, a fifth of a no-change fetch task's time
        # on a manifest of 1,250 documents; these hand-offs are read by tasks (`ogi status` shows run records)
        data = json.dumps(value, ensure_ascii=False, default=str).encode("utf-8")
        return self.write_bytes(uri, data)

    def read_json(self, uri: str) -> Any:
        return json.loads(self.read_bytes(uri).decode("utf-8"))

    def exists(self, uri: str) -> bool:
        self._check(uri)
        return bool(self.fs.exists(uri))

    def delete(self, uri: str) -> None:
        self._check(uri)
        try:
            self.fs.rm(uri, recursive=True)
        except FileNotFoundError:
            pass

    def list(self, prefix_uri: str) -> list[str]:
        """URIs of the objects directly under a prefix (none when it does not exist)."""
        self._check(prefix_uri)
        try:
            names = self.fs.ls(prefix_uri, detail=False)
        except FileNotFoundError:
            return []
        return sorted(self._as_uri(n) for n in names)

    def _as_uri(self, name: str) -> str:
        return name if "://" in name else f"{self.protocol}://{name}"

    def put_file(self, local: Path, uri: str) -> str:
        """Upload a local file (atomically: a local copy is renamed into place)."""
        self._check(uri)
        if self.is_local:
            target = self.local_path(uri)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            shutil.copyfile(local, tmp)
            _fsync(tmp)
            os.replace(tmp, target)
        else:
            self.fs.put_file(str(local), uri)
        return uri

    def get_file(self, uri: str, local: Path) -> Path:
        """Download an object to a local file; MissingInput when it is not there."""
        self._check(uri)
        local.parent.mkdir(parents=True, exist_ok=True)
        tmp = local.with_name(f".{local.name}.{os.getpid()}.part")
        try:
            self.fs.get_file(uri, str(tmp))
        except FileNotFoundError as exc:
            tmp.unlink(missing_ok=True)
            raise MissingInput(f"missing input: {uri}") from exc
        os.replace(tmp, local)
        return local

    # --- the published warehouse --------------------------------------------------------------------------

    def publish(self, database: Path, name: str, version: str) -> str:
        """Make `database` the published `name` in one atomic step; returns the URI readers now open.

        Locally `database` must sit on the same file system as the base (it is renamed, not copied). On S3 the
        file is uploaded as a new object `published/<stem>.<version><suffix>` and then the pointer is written."""
        if self.is_local:
            target = self.local_path(self.uri(name))
            os.replace(database, target)
            _fsync_dir(target.parent)
            return self.uri(name)
        stem, dot, suffix = name.rpartition(".")
        # A UTC time first: the keys sort in publish order (for pruning), and no two publishes share one.
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        key = f"published/{stem or name}.{stamp}.{_safe(version)}" + (f".{suffix}" if dot else "")
        uri = self.put_file(database, self.uri(key))
        self.write_json(self.uri(name + POINTER_SUFFIX),
                        {"object": uri, "version": version, "published_at": datetime.now(UTC).isoformat()})
        return uri

    def published_uri(self, name: str) -> str:
        """The URI of the published `name`: the file itself locally, the object the pointer names on S3."""
        if self.is_local:
            uri = self.uri(name)
            if not self.exists(uri):
                raise MissingInput(f"nothing published yet: {uri}")
            return uri
        return self.read_json(self.uri(name + POINTER_SUFFIX))["object"]

    def prune_published(self, name: str, keep: int) -> list[str]:
        """Delete all but the newest `keep` published objects (S3; never the current one)."""
        if self.is_local:
            return []
        stem = name.rpartition(".")[0] or name
        current = self.published_uri(name)
        objects = [u for u in self.list(self.uri("published")) if u.rsplit("/", 1)[-1].startswith(stem + ".")]
        newest_first = sorted(objects, reverse=True)  # keys start with the publish time
        removed = [u for u in newest_first[keep:] if u != current]
        for uri in removed:
            self.delete(uri)
        return removed


def _safe(version: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in version)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
