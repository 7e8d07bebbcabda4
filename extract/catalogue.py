"""The sources catalogue (YAML): where reports come from and how politely to fetch them.

```yaml
settings:                          # all optional; defaults in `Settings`
  user_agent: "ogi-warehouse/0.1 (+https://…)"
  years: [2018, 2025]              # report years to keep (inclusive), checked on link titles
  allow_private_addresses: false   # only tests turn this on
sources:
  - agency: 杭州市城乡建设委员会     # required: the agency the documents should name
    name: hz_zjw                    # optional stable id (file-name safe); default: derived from agency
    listing: ["https://…/col/col123/index.html"]   # listing pages of the annual-report column
    reports: ["https://…/art_1.html"]              # direct report URLs
    paths: ["corpus/…"]                            # local files or folders, relative to this file
    allow_hosts: ["cdn.example.gov.cn"]            # extra hosts for attachments
```

`load_catalogue` checks everything it can without touching the network or the disk beyond the file
itself (a missing `paths:` entry is reported when the source is fetched, so it fails that source only)
and raises `CatalogueError` with one line naming the file, the entry and the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

MB = 1024 * 1024
_NAME = re.compile(r"^[\w.-]+$")  # \w includes CJK: names are file names in the run folder
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


class CatalogueError(ValueError):
    """A catalogue that cannot be used; the message is one line: file, entry, problem."""


def _default_user_agent() -> str:
    try:
        from importlib.metadata import version

        v = version("ogi-warehouse")
    except Exception:  # noqa: BLE001 — running from a checkout that is not installed
        v = "0"
    return f"ogi-warehouse/{v} (+https://github.com/ogi-warehouse/ogi-warehouse)"


@dataclass(frozen=True)
class Settings:
    """How to fetch. Defaults are polite for government sites, which are often slow and small."""

    user_agent: str = field(default_factory=_default_user_agent)
    years: tuple[int, int] = (2008, date.today().year)
    allow_private_addresses: bool = False
    connect_timeout_s: float = 10.0
    timeout_s: float = 30.0  # per read (and write / pool wait)
    total_timeout_s: float = 300.0  # a whole response, so a server that trickles bytes is cut off
    max_bytes: int = 50 * MB
    per_host_rate: float = 1.0  # request starts per second per host
    per_host_concurrency: int = 2
    retries: int = 3  # extra attempts after a timeout, connection error or 5xx
    backoff_base_s: float = 1.0
    backoff_max_s: float = 30.0
    max_redirects: int = 5
    max_listing_pages: int = 50  # per listing URL, following 下一页 links


@dataclass(frozen=True)
class Source:
    """One catalogue entry. `hosts` are the hosts its URLs may be fetched from."""

    name: str
    agency: str
    listing: tuple[str, ...] = ()
    reports: tuple[str, ...] = ()
    paths: tuple[Path, ...] = ()
    allow_hosts: tuple[str, ...] = ()

    @property
    def hosts(self) -> frozenset[str]:
        own = {(urlsplit(u).hostname or "") for u in (*self.listing, *self.reports)}
        return frozenset(h for h in own | set(self.allow_hosts) if h)


@dataclass
class Catalogue:
    settings: Settings
    sources: list[Source]
    path: Path | None = None


def load_catalogue(path: Path | str) -> Catalogue:
    """Read and check a catalogue file. Relative `paths:` are resolved against the file's folder."""
    path = Path(path)
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CatalogueError(f"{where}: invalid YAML{at}: {problem}") from None
    if not isinstance(data, dict):
        raise CatalogueError(f"{where}: expected a mapping with `settings` and `sources`")
    _no_unknown(data, {"settings", "sources"}, where)
    settings = _settings(data.get("settings") or {}, f"{where}: settings")
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise CatalogueError(f"{where}: `sources` must be a non-empty list")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(raw_sources):
        source = _source(entry, f"{where}: sources[{i}]", path.resolve().parent)
        if source.name in seen:
            raise CatalogueError(f"{where}: sources[{i}] ({source.agency}): name {source.name!r} already "
                                 f"used by sources[{seen[source.name]}]; give each a distinct `name:`")
        seen[source.name] = i
        sources.append(source)
    return Catalogue(settings=settings, sources=sources, path=path.resolve())


def _no_unknown(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(map(str, entry)) - allowed)
    if unknown:
        raise CatalogueError(f"{where}: unknown key(s) {', '.join(unknown)} "
                             f"(allowed: {', '.join(sorted(allowed))})")


def _settings(raw: Any, where: str) -> Settings:
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a mapping")
    known = {f.name: f for f in fields(Settings)}
    _no_unknown(raw, set(known), where)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        default = getattr(Settings(), key)
        if key == "years":
            values[key] = _years(value, where)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise CatalogueError(f"{where}: {key} must be true or false, not {value!r}")
            values[key] = value
        elif isinstance(default, int | float):
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                if not (key == "retries" and value == 0):
                    raise CatalogueError(f"{where}: {key} must be a positive number, not {value!r}")
            values[key] = type(default)(value)
        elif isinstance(default, str):
            if not isinstance(value, str) or not value.strip():
                raise CatalogueError(f"{where}: {key} must be a non-empty string")
            values[key] = value.strip()
    return Settings(**values)


def _years(value: Any, where: str) -> tuple[int, int]:
    ok = (isinstance(value, list) and len(value) == 2
          and all(isinstance(y, int) and not isinstance(y, bool) and 1990 <= y <= 2100 for y in value))
    if not ok or value[0] > value[1]:
        raise CatalogueError(f"{where}: years must be [first, last], e.g. [2018, 2025]; got {value!r}")
    return (value[0], value[1])


def _source(entry: Any, where: str, base: Path) -> Source:
    if not isinstance(entry, dict):
        raise CatalogueError(f"{where}: expected a mapping with at least `agency`")
    agency = entry.get("agency")
    if isinstance(agency, str) and agency.strip():
        where = f"{where} ({agency.strip()})"
    _no_unknown(entry, {"name", "agency", "listing", "reports", "paths", "allow_hosts"}, where)
    if not isinstance(agency, str) or not agency.strip():
        raise CatalogueError(f"{where}: missing `agency`")
    agency = agency.strip()
    name = entry.get("name", _slug(agency))
    if not isinstance(name, str) or not _NAME.match(name):
        raise CatalogueError(f"{where}: name must be letters, digits, '_', '.' or '-'; got {name!r}")
    listing = tuple(_url(u, f"{where}: listing") for u in _strings(entry, "listing", where))
    reports = tuple(_url(u, f"{where}: reports") for u in _strings(entry, "reports", where))
    paths = tuple((base / p).resolve() for p in _strings(entry, "paths", where))
    allow_hosts = tuple(_host(h, where) for h in _strings(entry, "allow_hosts", where))
    if not (listing or reports or paths):
        raise CatalogueError(f"{where}: needs at least one of `listing`, `reports`, `paths`")
    return Source(name=name, agency=agency, listing=listing, reports=reports, paths=paths,
                  allow_hosts=allow_hosts)


def _slug(agency: str) -> str:
    return re.sub(r"[^\w.-]+", "_", agency).strip("_")


def _strings(entry: dict[str, Any], key: str, where: str) -> list[str]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CatalogueError(f"{where}: `{key}` must be a list of non-empty strings")
    return [v.strip() for v in value]


def _url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CatalogueError(f"{where}: not an http(s) URL: {url!r}")
    return url


def _host(host: str, where: str) -> str:
    host = host.lower().rstrip(".")
    if not _HOST.match(host):
        raise CatalogueError(f"{where}: allow_hosts entries are host names without scheme or path; "
                             f"got {host!r}")
    return host
