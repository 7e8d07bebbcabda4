"""The sources catalogue: the bundled one loads; bad ones fail in one line naming file, entry, problem."""

from pathlib import Path

import pytest

from extract.catalogue import MB, CatalogueError, Settings, load_catalogue

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_sample_catalogue_loads_with_resolved_paths():
    catalogue = load_catalogue(REPO / "samples" / "sources.yaml")
    assert len(catalogue.sources) == 15
    assert catalogue.settings.years == (2008, 2026)
    assert catalogue.settings.user_agent.startswith("ogi-warehouse/0.1")
    assert catalogue.settings.allow_private_addresses is False
    huaian = next(s for s in catalogue.sources if s.name == "huaian_city_2024")
    assert huaian.agency == "淮安市人民政府"
    assert huaian.paths == (REPO / "samples" / "corpus" / "real" / "huaian_city_2024.pdf",)
    assert all(p.is_absolute() and p.exists() for s in catalogue.sources for p in s.paths)
    assert all(not s.listing and not s.reports for s in catalogue.sources)  # `make run` needs no network


def test_defaults_urls_hosts_and_derived_name(tmp_path):
    path = write(tmp_path, """
settings:
  years: [2018, 2025]
  max_bytes: 1048576
sources:
  - agency: 杭州市城乡建设委员会
    listing: ["https://cjw.hangzhou.gov.cn/col/col1229063423/index.html"]
    reports: ["http://www.hangzhou.gov.cn/art/2025/1/21/art_1.html"]
    allow_hosts: ["CDN.Example.gov.cn"]
""")
    catalogue = load_catalogue(path)
    source = catalogue.sources[0]
    assert source.name == "杭州市城乡建设委员会"
    assert source.hosts == {"cjw.hangzhou.gov.cn", "www.hangzhou.gov.cn", "cdn.example.gov.cn"}
    settings = catalogue.settings
    assert settings.years == (2018, 2025) and settings.max_bytes == MB
    assert Settings().max_bytes == 50 * MB and settings.retries == Settings().retries == 3


@pytest.mark.parametrize(("text", "message"), [
    ("sources: [\n  - agency: x\n    paths: [a\n", "invalid YAML at line"),
    ("- 1\n- 2\n", "expected a mapping with `settings` and `sources`"),
    ("source: []\n", "unknown key(s) source"),
    ("settings: {}\nsources: []\n", "`sources` must be a non-empty list"),
    ("settings: {timeout: 3}\nsources: [{agency: a, paths: [x]}]\n", "settings: unknown key(s) timeout"),
    ("settings: {years: [2025, 2018]}\nsources: [{agency: a, paths: [x]}]\n", "years must be [first, last]"),
    ("settings: {retries: -1}\nsources: [{agency: a, paths: [x]}]\n", "retries must be a positive number"),
    ("settings: {allow_private_addresses: 'yes'}\nsources: [{agency: a, paths: [x]}]\n", "must be true or false"),
    ("sources: [{listing: ['https://a.gov.cn/']}]\n", "sources[0]: missing `agency`"),
    ("sources: [{agency: 淮安市人民政府}]\n", "sources[0] (淮安市人民政府): needs at least one of"),
    ("sources: [{agency: a, listing: ['ftp://a.gov.cn/x']}]\n", "sources[0] (a): listing: not an http(s) URL"),
    ("sources: [{agency: a, reports: ['www.a.gov.cn/x.html']}]\n", "reports: not an http(s) URL"),
    ("sources: [{agency: a, paths: [x], url: 'https://a.gov.cn'}]\n", "sources[0] (a): unknown key(s) url"),
    ("sources: [{agency: a, paths: x, allow_hosts: ['https://cdn.a.gov.cn']}]\n", "allow_hosts entries are host"),
    ("sources: [{agency: a, name: 'a/b', paths: [x]}]\n", "name must be letters"),
    ("sources: [{agency: a, paths: [x]}, {agency: a, paths: [y]}]\n", "sources[1] (a): name 'a' already used"),
])
def test_bad_catalogues_fail_in_one_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(path)
    text = str(raised.value)
    assert "\n" not in text
    assert text.startswith(str(path))
    assert message in text


def test_missing_file_is_a_catalogue_error(tmp_path):
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "nope.yaml")
