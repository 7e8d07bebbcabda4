"""Content-addressed raw store: every fetched byte string kept once, under its sha256.

Layout: `<root>/<id[:2]>/<id>` holds the bytes; `<root>/<id[:2]>/<id>.meta.json` holds what the first
fetch said about them (media type, charset). The sidecar matters for a 304: the server then sends no
headers worth keeping, but the extractor still wants the charset the page was first served with.
Writes go to a temporary file in the same folder and are renamed into place, so a reader never sees
a half-written document and two writers of the same bytes cannot corrupt each other.

Durability: a fetch writes its documents inside `batch()`, which syncs the file system once at its end
instead of fsyncing every file: one fsync per document was a quarter of a local-folder fetch, and two fetch
tasks at once spent most of their time waiting on each other's journal commits (10k documents: 18.9 s of
fetch tasks at parallelism 1, 47.6 s at 2). The manifest naming the documents is written after that sync.
A machine crash inside a batch can leave a renamed file shorter than its bytes (ext4 commits the rename
before delayed data); `put` rewrites a stored file whose size is not its content's, so the retried fetch
repairs it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_DOC_ID = re.compile(r"^[0-9a-f]{64}$")


def document_id(data: bytes) -> str:
    """The id of a document: the sha256 of its bytes, lower-case hex."""
    return hashlib.sha256(data).hexdigest()


class RawStore:
    """Bytes by document id. `put` is idempotent; ids are checked so a bad id cannot escape `root`."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._batched = False  # inside batch(): writes are made durable together at its end

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Writes inside the block are synced to disk once, when it ends (see the module's docstring)."""
        if self._batched:  # nested: the outer batch syncs
            yield
            return
        self._batched = True
        try:
            yield
        finally:
            self._batched = False
            os.sync()  # the file system's dirty pages and journal at once; Python has no syncfs

    def path(self, doc_id: str) -> Path:
        if not _DOC_ID.match(doc_id):
            raise ValueError(f"not a document id: {doc_id!r}")
        return self.root / doc_id[:2] / doc_id

    def has(self, doc_id: str) -> bool:
        return self.path(doc_id).is_file()

    def get(self, doc_id: str) -> bytes:
        return self.path(doc_id).read_bytes()

    def put(self, data: bytes) -> str:
        """Store `data` (if not stored yet) and return its document id."""
        doc_id = document_id(data)
        target = self.path(doc_id)
        if _size(target) != len(data):  # not there, or left short by a crash
            atomic_write(target, data, durable=not self._batched)
        return doc_id

    def put_meta(self, doc_id: str, meta: dict[str, Any]) -> None:
        """Remember what the first fetch of these bytes said about them (kept once, like the bytes)."""
        target = self.path(doc_id).with_name(doc_id + ".meta.json")
        if not _size(target):  # not there, or left empty by a crash
            atomic_write(target, json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                         durable=not self._batched)

    def get_meta(self, doc_id: str) -> dict[str, Any]:
        target = self.path(doc_id).with_name(doc_id + ".meta.json")
        try:
            return json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def atomic_write(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `target` whole or not at all: a temporary file beside it, fsynced (unless the caller
    syncs later: `durable=False`), then renamed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
