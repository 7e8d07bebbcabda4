"""The sources catalogue (YAML): where reports come from and how politely to fetch them.

```yaml
settings:                          # all optional; defaults and bounds in `Settings`
  user_agent: "ogi-warehouse/0.1 (+https://…)"
  years: [2018, 2025]              # report years to keep (inclusive), checked on link titles
  allow_private_addresses: false   # only tests turn this on
  max_listing_links: 50            # report links kept per listing (newest first); more are logged
sources:
  - agency: 杭州市城乡建设委员会     # required: the agency the documents should name
    agencies: [杭州市住房保障和房产管理局]  # optional: other agencies this source may report for
    allow_other_agencies: false     # optional: true for a column of many agencies' reports
    name: hz_zjw                    # optional stable id (file-name safe); default: derived from agency
    listing: ["https://…/col/col123/index.html"]   # listing pages of the annual-report column
    reports: ["https://…/art_1.html"]              # direct report URLs
    paths: ["corpus/…"]                            # local files or folders, relative to this file
    allow_hosts: ["cdn.example.gov.cn"]            # extra hosts for attachments
```

Reading is defensive because a catalogue may come from anyone: at most `MAX_FILE_BYTES`, UTF-8 text
(a binary file is one error line, not a UnicodeDecodeError), YAML without anchors or aliases (an alias
bomb cannot expand), without duplicate keys (a later `allow_private_addresses: true` cannot silently
win), nested at most `_MAX_DEPTH` deep, and only `true` / `false` as booleans (YAML 1.1 would read
`yes`, `on`, `n` as booleans). Values are validated by pydantic with strict types and bounds: `.inf`,
`.nan`, `retries: 1e9`, `max_bytes: 1e30`, a string where a number belongs are refused.

`load_catalogue` checks everything it can without touching the network or the disk beyond the file
itself (a missing `paths:` entry is reported when the source is fetched, so it fails that source only)
and raises `CatalogueError` with one line naming the file, the entry or key and the problem. A file is
parsed once per process for given bytes (cached by sha256): every fetch task of a run asks again.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import ConfigDict, Field, ValidationError, field_validator
from pydantic.dataclasses import dataclass as checked_dataclass

MB = 1024 * 1024
MAX_FILE_BYTES = 1 * MB  # a catalogue of thousands of sources is ~500 KB
_MAX_DEPTH = 8  # settings/sources/entry/list: 4 is all a catalogue needs
_MAX_SOURCES = 5000
_MAX_LIST = 200  # URLs or paths per entry
_NAME = re.compile(r"^[\w.-]{1,120}$")  # \w includes CJK: names are file names in the run folder
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")
_LIST_KEYS = {"agencies", "listing", "reports", "paths", "allow_hosts"}
_SOURCE_KEYS = {"name", "agency", "listing", "reports", "paths", "allow_hosts", "agencies", "allow_other_agencies"}


class CatalogueError(ValueError):
    """A catalogue that cannot be used; the message is one line: file, entry or key, problem."""


def _default_user_agent() -> str:
    try:
        from importlib.metadata import version

        v = version("ogi-warehouse")
    except Exception:  # noqa: BLE001 — running from a checkout that is not installed
        v = "0"
    return f"ogi-warehouse/{v} (+https://github.com/ogi-warehouse/ogi-warehouse)"


def _this_year_range() -> tuple[int, int]:
    return (2008, date.today().year)


def _bounded(low: float, high: float, *, strict_low: bool = True) -> Any:
    return Field(gt=low, le=high) if strict_low else Field(ge=low, le=high)


# Strict: a bool is only true/false, an int never a float or a string, no inf/nan anywhere.
_STRICT = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid")


@checked_dataclass(frozen=True, config=_STRICT)
class Settings:
    """How to fetch. Defaults are polite for government sites, which are often slow and small; every
    number has bounds so a typo cannot make a refresh wait for days or hold gigabytes."""

    user_agent: Annotated[str, Field(min_length=1, max_length=300)] = Field(default_factory=_default_user_agent)
    years: tuple[int, int] = Field(default_factory=_this_year_range)
    allow_private_addresses: bool = False
    connect_timeout_s: Annotated[float, _bounded(0, 300)] = 10.0
    timeout_s: Annotated[float, _bounded(0, 600)] = 30.0  # per socket read / write
    # One attempt — connect, headers and body — ends after this, however the server trickles bytes.
    total_timeout_s: Annotated[float, _bounded(0, 3600)] = 120.0
    # One URL — every attempt and every wait between them — ends after this.
    url_timeout_s: Annotated[float, _bounded(0, 7200)] = 300.0
    max_bytes: Annotated[int, _bounded(0, 1024 * MB)] = 50 * MB  # decoded bytes of one response
    # Each Content-Encoding layer may inflate at most this much (past its first MB).
    max_decompression_ratio: Annotated[float, _bounded(1, 10_000)] = 200.0
    per_host_rate: Annotated[float, _bounded(0, 1000)] = 1.0  # request starts per second per host
    per_host_concurrency: Annotated[int, _bounded(0, 64)] = 2
    retries: Annotated[int, _bounded(0, 10, strict_low=False)] = 3  # after a timeout, connection error, 429, 5xx
    backoff_base_s: Annotated[float, _bounded(0, 600)] = 1.0
    backoff_max_s: Annotated[float, _bounded(0, 3600)] = 30.0
    retry_after_max_s: Annotated[float, _bounded(0, 3600)] = 60.0  # a longer Retry-After: give up
    max_redirects: Annotated[int, _bounded(0, 20, strict_low=False)] = 5
    max_listing_pages: Annotated[int, _bounded(0, 1000)] = 50  # per listing URL, all pagination kinds
    max_listing_links: Annotated[int, _bounded(0, 10_000)] = 50  # report links per listing URL

    @field_validator("years", mode="before")
    @classmethod
    def _years(cls, value: Any) -> tuple[int, int]:
        ok = (isinstance(value, list | tuple) and len(value) == 2
              and all(isinstance(y, int) and not isinstance(y, bool) and 1990 <= y <= 2100 for y in value)
              and value[0] <= value[1])
        if not ok:
            raise ValueError(f"years must be [first, last], e.g. [2018, 2025]; got {_short(value)}")
        return (value[0], value[1])


@checked_dataclass(frozen=True, config=_STRICT)
class _SourceEntry:
    """The shape of one `sources:` entry as written (before paths are resolved)."""

    agency: Annotated[str, Field(min_length=1, max_length=200)]
    name: Annotated[str, Field(max_length=120)] | None = None
    agencies: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=_MAX_LIST)] = \
        Field(default_factory=list)
    allow_other_agencies: bool = False
    listing: Annotated[list[Annotated[str, Field(min_length=1, max_length=2000)]], Field(max_length=_MAX_LIST)] = \
        Field(default_factory=list)
    reports: Annotated[list[Annotated[str, Field(min_length=1, max_length=2000)]], Field(max_length=_MAX_LIST)] = \
        Field(default_factory=list)
    paths: Annotated[list[Annotated[str, Field(min_length=1, max_length=1000)]], Field(max_length=_MAX_LIST)] = \
        Field(default_factory=list)
    allow_hosts: Annotated[list[Annotated[str, Field(min_length=1, max_length=253)]], Field(max_length=_MAX_LIST)] = \
        Field(default_factory=list)
    # Provenance (warehouse/pipeline.py, int_documents_resolved): the agencies besides `agency` this source
    # may report figures for; `allow_other_agencies: true` lets it report for any (an aggregator).
    agencies: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]], Field(max_length=_MAX_LIST)] = \
        Field(default_factory=list)
    allow_other_agencies: bool = False


@dataclass(frozen=True)
class Source:
    """One catalogue entry. `hosts` are the hosts its URLs may be fetched from."""

    name: str
    agency: str
    listing: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    # The agencies whose figures this source may give (provenance, issue 10): `agency` and these.
    agencies: tuple[str, ...] = ()
    allow_other_agencies: bool = False  # a portal-wide column: any agency (the change check still applies)
    agencies: tuple[str, ...] = ()  # every agency the source may report for: `agency` first
    allow_other_agencies: bool = False

    @property
    def hosts(self) -> frozenset[str]:
        own = {(urlsplit(u).hostname or "") for u in (*self.listing, *self.reports)}
        return frozenset(h for h in own | set(self.allow_hosts) if h)


@dataclass(frozen=True)
class Catalogue:
    settings: Settings
    sources: tuple[Source, ...]
    path: Path | None = None
    sha256: str = ""


# --- reading ----------------------------------------------------------------------------------------

_cache: dict[tuple[str, str], Catalogue] = {}
_cache_lock = threading.Lock()


def load_catalogue(path: Path | str) -> Catalogue:
    """Read and check a catalogue file (see the module docstring). Relative `paths:` are resolved
    against the file's folder. The same bytes at the same path are parsed once per process."""
    path = Path(path)
    where = str(path)
    data = _read_bytes(path, where)
    digest = hashlib.sha256(data).hexdigest()
    key = (str(path.resolve()), digest)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    catalogue = _parse(data, path, where, digest)
    with _cache_lock:
        if len(_cache) >= 16:
            _cache.clear()
        _cache[key] = catalogue
    return catalogue


def _read_bytes(path: Path, where: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CatalogueError(f"{where}: too large ({size} bytes; a catalogue may have at most "
                                 f"{MAX_FILE_BYTES} bytes): split it")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CatalogueError(f"{where}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise CatalogueError(f"{where}: too large (more than {MAX_FILE_BYTES} bytes): split it")
    return data


def _parse(data: bytes, path: Path, where: str, digest: str) -> Catalogue:
    tree = parse_yaml(data, where)
    if not isinstance(tree, dict):
        raise CatalogueError(f"{where}: expected a mapping with `settings` and `sources`")
    _no_unknown(tree, {"settings", "sources"}, where)
    settings = _settings(tree.get("settings") or {}, f"{where}: settings")
    raw_sources = tree.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise CatalogueError(f"{where}: `sources` must be a non-empty list")
    if len(raw_sources) > _MAX_SOURCES:
        raise CatalogueError(f"{where}: {len(raw_sources)} sources; at most {_MAX_SOURCES} per catalogue")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw_sources):
        source = _source(entry, f"{where}: sources[{i}]", path.resolve().parent)
        if source.name in seen:
            raise CatalogueError(f"{where}: sources[{i}] ({source.agency}): name {source.name!r} already "
                                 f"used by sources[{seen[source.name]}]; give each a distinct `name:`")
        seen[source.name] = i
        sources.append(source)
    return Catalogue(settings=settings, sources=tuple(sources), path=path.resolve(), sha256=digest)


# --- YAML, safely -----------------------------------------------------------------------------------

_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: a 1 MB file in ~0.1 s
_BOOL_TAG = "tag:yaml.org,2002:bool"


class _StrictLoader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """SafeLoader with YAML 1.2 booleans (true/false only) and no duplicate mapping keys."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value",
                                                        key_node.start_mark)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {_short(key)}",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                    list("tTfF"))
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)


def parse_yaml(data: bytes, where: str) -> Any:
    """YAML text → Python values, refusing what a catalogue never needs and an attacker would use."""
    if b"\0" in data:
        raise CatalogueError(f"{where}: a binary file, not a YAML catalogue")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(f"{where}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    try:
        depth = 0
        # Events first: anchors and aliases are refused before anything is composed or expanded.
        for event in yaml.parse(text, Loader=_StrictLoader):
            if isinstance(event, yaml.AliasEvent):
                raise _yaml_problem(event, f"aliases (*{_short(event.anchor)}) are not allowed")
            if getattr(event, "anchor", None):
                raise _yaml_problem(event, f"anchors (&{_short(event.anchor)}) are not allowed")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    raise _yaml_problem(event, f"nested more than {_MAX_DEPTH} levels deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 — a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["?"])[0]
        raise CatalogueError(f"{where}: invalid YAML{at}: {_short(problem, 200)}") from None


def _yaml_problem(event: yaml.Event, problem: str) -> yaml.YAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=event.start_mark)


# --- checking ---------------------------------------------------------------------------------------

def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _no_unknown(entry: dict[Any, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(_short(k, 40) for k in set(map(str, entry)) - allowed)
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(unknown[:5])} "
                             f"(allowed: {', '.join(sorted(allowed))})")


def _first_error(exc: ValidationError, where: str) -> CatalogueError:
    """One line naming the key: "…: settings: retries: Input should be less than or equal to 10 (got 1e9)"."""
    error = exc.errors(include_url=False)[0]
    key = ".".join(str(part) for part in error["loc"]) or "value"
    message = error["msg"].removeprefix("Value error, ")
    got = "" if error["type"] == "value_error" else f" (got {_short(error.get('input'))})"
    if error["type"] == "bool_type":
        message = "must be true or false"
    return CatalogueError(f"{where}: {key}: {message}{got}")


def _settings(raw: Any, where: str) -> Settings:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    _no_unknown(raw, {f.name for f in fields(Settings)}, where)
    values = dict(raw)
    if isinstance(values.get("user_agent"), str):
        values["user_agent"] = values["user_agent"].strip()
    try:
        return Settings(**values)
    except ValidationError as exc:
        raise _first_error(exc, where) from None


def _source(entry: Any, where: str, base: Path) -> Source:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping with at least `agency`")
    agency = entry.get("agency")
    if isinstance(agency, str) and agency.strip():
        where = f"{where} ({_short(agency.strip())})"
    _no_unknown(entry, _SOURCE_KEYS, where)
    if not isinstance(agency, str) or not agency.strip():
        raise CatalogueError(f"{where}: missing `agency`")
    values = {k: ([v] if isinstance(v, str) and k in _LIST_KEYS else v)  # `listing: URL` means a list of one
              for k, v in entry.items() if v is not None}
    try:
        checked = _SourceEntry(**values)
    except ValidationError as exc:
        raise _first_error(exc, where) from None
    agency = checked.agency.strip()
    name = checked.name if checked.name is not None else _slug(agency)
    if not _NAME.match(name):
        raise CatalogueError(f"{where}: name must be letters, digits, '_', '.' or '-'; got {_short(name)}")
    listing = tuple(_url(u.strip(), f"{where}: listing") for u in checked.listing)
    reports = tuple(_url(u.strip(), f"{where}: reports") for u in checked.reports)
    paths = tuple((base / p.strip()).resolve() for p in checked.paths)
    allow_hosts = tuple(_host(h, where) for h in checked.allow_hosts)
    if not (listing or reports or paths):
        raise CatalogueError(f"{where}: needs at least one of `listing`, `reports`, `paths`")
    return Source(name=name, agency=agency, listing=listing, reports=reports, paths=paths,
                  allow_hosts=allow_hosts, allow_other_agencies=checked.allow_other_agencies,
                  agencies=tuple(dict.fromkeys([agency, *(a.strip() for a in checked.agencies)])))


def _slug(agency: str) -> str:
    return re.sub(r"[^\w.-]+", "_", agency).strip("_")[:120] or "source"


def _url(url: str, where: str) -> str:
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 — raises ValueError on a malformed port
    except ValueError:
        ok = False
    if not ok or any(c.isspace() for c in url):
        raise CatalogueError(f"{where}: not an http(s) URL: {_short(url)}")
    return url


def _host(host: str, where: str) -> str:
    host = host.strip().lower().rstrip(".")
    if not _HOST.match(host):
        raise CatalogueError(f"{where}: allow_hosts entries are host names without scheme or path; "
                             f"got {_short(host)}")
    return host
