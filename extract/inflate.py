"""Content-Encoding decoding that holds its bounds while it decodes.

httpx decodes each chunk of a response fully before the caller sees it: `Content-Encoding: gzip, gzip`
of 3.5 KB on the wire becomes one 2 GiB chunk before any size cap is checked. `Inflater` decodes the
raw bytes itself, layer by layer (the last encoding applied is undone first), asking zlib for at most
`CHUNK` bytes at a time, so memory stays at a few chunks per layer, and it stops as soon as
- the decoded total passes `max_bytes`, or
- one layer has put out more than `max_ratio` times what went into it (past its first `_RATIO_FREE`
  bytes, so a small, very compressible page is never refused).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

CHUNK = 64 * 1024
_SLICE = 4 * 1024
_RATIO_FREE = 1024 * 1024
SUPPORTED = frozenset({"gzip", "x-gzip", "deflate", "identity"})


class TooLarge(Exception):
    """Decoded output over the byte cap or one layer over the ratio cap; the message says which."""


class Undecodable(Exception):
    """An encoding we do not decode, or bytes that are not what the encoding says."""


def encodings(header: str | None) -> list[str]:
    """The Content-Encoding layers in the order they were applied, `identity` left out."""
    layers = [part.strip().lower() for part in (header or "").split(",") if part.strip()]
    return [layer for layer in layers if layer != "identity"]


@dataclass
class _Layer:
    name: str
    taken: int = 0
    given: int = 0
    raw_deflate: bool = False  # "deflate" sent without the zlib header, as some servers do
    started: bool = False
    d: zlib._Decompress = field(init=False)  # type: ignore[name-defined]

    def __post_init__(self) -> None:
        self.d = self._new()

    def _new(self) -> zlib._Decompress:  # type: ignore[name-defined]
        if self.name in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if self.raw_deflate else zlib.MAX_WBITS)


class Inflater:
    """Feed raw body bytes, get decoded pieces of at most `CHUNK` bytes; `finish()` at the end."""

    def __init__(self, content_encoding: str | None, *, max_bytes: int, max_ratio: float) -> None:
        names = encodings(content_encoding)
        unknown = [name for name in names if name not in SUPPORTED]
        if unknown:
            raise Undecodable(f"Content-Encoding {unknown[0]} is not supported")
        if len(names) > 4:
            raise Undecodable(f"{len(names)} Content-Encoding layers")
        self.layers = [_Layer(name) for name in reversed(names)]
        self.max_bytes = max_bytes
        self.max_ratio = max_ratio
        self.total = 0

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._feed_from(0, data)

    def finish(self) -> Iterator[bytes]:
        """Flush every layer; raise `Undecodable` when a compressed stream stopped half-way."""
        for index, layer in enumerate(self.layers):
            if layer.started and not layer.d.eof:
                raise Undecodable(f"the {layer.name} stream ends before its end marker")
            tail = layer.d.flush()
            if tail:
                yield from self._feed_from(index + 1, tail)

    def _feed_from(self, index: int, data: bytes) -> Iterator[bytes]:
        for piece in self._through(index, data):
            self.total += len(piece)
            if self.total > self.max_bytes:
                raise TooLarge(f"more than {self.max_bytes} bytes")
            yield piece

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self.layers):
            if data:
                yield data
            return
        for piece in self._inflate(self.layers[index], data):
            yield from self._through(index + 1, piece)

    def _inflate(self, layer: _Layer, data: bytes) -> Iterator[bytes]:
        # Small input slices: the ratio check then sees the input grow with the output, so a bomb is
        # stopped after ~max_ratio × _SLICE bytes, not max_ratio × a whole network chunk.
        for start in range(0, max(len(data), 1), _SLICE):
            yield from self._inflate_slice(layer, data[start:start + _SLICE])

    def _inflate_slice(self, layer: _Layer, data: bytes) -> Iterator[bytes]:
        layer.taken += len(data)
        pending = data
        while pending or not layer.d.eof:
            try:
                out = layer.d.decompress(pending, CHUNK)
            except zlib.error as exc:
                if layer.name == "deflate" and not layer.started and not layer.raw_deflate:
                    layer.raw_deflate = True  # retry the same bytes as headerless deflate
                    layer.d = layer._new()
                    continue
                raise Undecodable(f"bad {layer.name} data: {exc}") from None
            if pending:
                layer.started = True
            pending = layer.d.unconsumed_tail
            if layer.d.eof and layer.d.unused_data:  # another gzip member follows
                if layer.name not in ("gzip", "x-gzip"):
                    pending = b""
                else:
                    pending = layer.d.unused_data
                    layer.d = layer._new()
            if out:
                layer.given += len(out)
                if layer.given > _RATIO_FREE and layer.given > self.max_ratio * max(1, layer.taken):
                    raise TooLarge(f"{layer.name} layer inflates more than {self.max_ratio:g} times")
                yield out
            elif not pending:
                break
