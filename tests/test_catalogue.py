"""The sources catalogue: the bundled one loads; bad ones fail in one line naming file, entry, problem."""

from pathlib import Path

import pytest
from sample_warehouse import SAMPLE_DOCUMENTS

from fetching.catalogue import MB, CatalogueError, Settings, load_catalogue

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_sample_catalogue_loads_with_resolved_paths():
    catalogue = load_catalogue(REPO / "samples" / "sources.yaml")
    # every document of the bundled corpus is catalogued, once
    corpus = sorted(p for p in (REPO / "samples" / "corpus").rglob("*") if p.is_file() and p.suffix in
                    (".txt", ".md", ".pdf", ".html") and p.name not in ("SOURCES.md", "README.md"))
    assert sorted(p for s in catalogue.sources for p in s.paths) == corpus and len(corpus) == SAMPLE_DOCUMENTS
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
    ("settings: {retries: -1}\nsources: [{agency: a, paths: [x]}]\n",
     "retries: Input should be greater than or equal to 0 (got -1)"),
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


# --- hostile catalogues (issue 10, findings 4 and 7) ------------------------------------------------

OK_SOURCE = "sources: [{agency: a, paths: [x]}]\n"


@pytest.mark.parametrize(("text", "message"), [
    # duplicate keys: the later value must not silently win
    ("settings:\n  allow_private_addresses: false\n  allow_private_addresses: true\n" + OK_SOURCE,
     "invalid YAML at line 3: duplicate key allow_private_addresses"),
    ("sources: [{agency: a, agency: b, paths: [x]}]\n", "duplicate key agency"),
    # YAML 1.1 booleans are strings here, and a string is not a bool
    ("settings: {allow_private_addresses: yes}\n" + OK_SOURCE,
     "settings: allow_private_addresses: must be true or false"),
    ("settings: {allow_private_addresses: on}\n" + OK_SOURCE, "must be true or false (got on)"),
    ("settings: {allow_private_addresses: 1}\n" + OK_SOURCE, "must be true or false"),
    # numbers: finite, typed, bounded
    ("settings: {timeout_s: .inf}\n" + OK_SOURCE, "settings: timeout_s: Input should be a finite number"),
    ("settings: {per_host_rate: .nan}\n" + OK_SOURCE, "settings: per_host_rate: Input should be a finite number"),
    ("settings: {retries: 1e9}\n" + OK_SOURCE, "settings: retries: Input should be a valid integer (got 1e9)"),
    ("settings: {retries: 1.0e+9}\n" + OK_SOURCE, "settings: retries: Input should be a valid integer"),
    ("settings: {retries: 1000000000}\n" + OK_SOURCE, "settings: retries: Input should be less than or equal to 10"),
    ("settings: {max_bytes: 1.0e+30}\n" + OK_SOURCE, "settings: max_bytes: Input should be a valid integer"),
    ("settings: {max_bytes: 1000000000000000000000000000000}\n" + OK_SOURCE,
     "settings: max_bytes: Input should be less than or equal to 1073741824"),
    ("settings: {max_listing_links: 0}\n" + OK_SOURCE, "settings: max_listing_links: Input should be greater than 0"),
    ("settings: {timeout_s: '3'}\n" + OK_SOURCE, "settings: timeout_s: Input should be a valid number"),
    ("settings: {years: [2018, .inf]}\n" + OK_SOURCE, "settings: years: years must be [first, last]"),
    # anchors and aliases: refused before anything is expanded
    ("settings: &s {retries: 1}\n" + OK_SOURCE, "invalid YAML at line 1: anchors (&s) are not allowed"),
    ("x: &a [1]\n", "anchors (&a) are not allowed"),
    ("sources: [{agency: a, paths: [x]}]\nsettings: {<<: *a}\n", "invalid YAML at line 2"),
    ("sources: " + "[" * 50 + "]" * 50 + "\n", "nested more than 8 levels deep"),
    ("sources: [{agency: a, paths: [x], name: !!python/object:os.system x}]\n", "invalid YAML at line 1"),
    ("sources: [{agency: " + "a" * 300 + ", paths: [x]}]\n", "agency: String should have at most 200 characters"),
    ("sources: [{agency: a, listing: [3]}]\n", "sources[0] (a): listing.0: Input should be a valid string (got 3)"),
])
def test_hostile_catalogues_fail_in_one_line(tmp_path, text, message):
    test_bad_catalogues_fail_in_one_line(tmp_path, text, message)


def test_alias_bomb_fails_fast_with_a_short_message(tmp_path):
    import time

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
              for i in range(1, 9)]
    path = write(tmp_path, "\n".join(lines) + "\n" + OK_SOURCE)
    started = time.perf_counter()
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(path)
    assert time.perf_counter() - started < 1
    assert "anchors (&a0) are not allowed" in str(raised.value) and len(str(raised.value)) < 400


def test_binary_non_utf8_and_oversized_files(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_bytes(b"\x7fELF\x02\x01\x01\0\0\0" + bytes(range(256)))
    with pytest.raises(CatalogueError, match=r"sources.yaml: a binary file, not a YAML catalogue$"):
        load_catalogue(path)
    path.write_bytes("sources: [{agency: 淮安, paths: [x]}]".encode("gbk"))
    with pytest.raises(CatalogueError, match=r"not UTF-8 text \(invalid byte at offset 19\)$"):
        load_catalogue(path)
    path.write_text("# padding\n" * 200_000 + OK_SOURCE, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"too large \(2000035 bytes; a catalogue may have at most 1048576"):
        load_catalogue(path)


def test_catalogue_is_parsed_once_per_content(tmp_path, monkeypatch):
    from fetching import catalogue as module

    path = write(tmp_path, "settings: {retries: 1}\n" + OK_SOURCE)
    calls = []
    real = module.parse_yaml
    monkeypatch.setattr(module, "parse_yaml", lambda *a: calls.append(1) or real(*a))
    first, second = load_catalogue(path), load_catalogue(path)
    assert first is second and len(calls) == 1 and len(first.sha256) == 64
    write(tmp_path, "settings: {retries: 2}\n" + OK_SOURCE)  # new bytes: parsed again
    assert load_catalogue(path).settings.retries == 2 and len(calls) == 2


def test_large_catalogue_parses_quickly(tmp_path):
    import time

    entries = "".join(f"  - {{agency: 机关{i}, name: s{i}, listing: ['https://www{i}.example.gov.cn/col/col1/index.html']}}\n"
                      for i in range(4000))
    path = write(tmp_path, "sources:\n" + entries)
    assert path.stat().st_size < MB
    started = time.perf_counter()
    assert len(load_catalogue(path).sources) == 4000
    assert time.perf_counter() - started < 5


def test_settings_are_checked_when_built_in_code():
    from dataclasses import replace

    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Settings(retries=10**9)
    assert replace(Settings(), retries=0).retries == 0
    assert Settings().max_listing_links == 50 and Settings().total_timeout_s <= Settings().url_timeout_s


def test_real_columns_catalogue_loads_and_is_network_only():
    catalogue = load_catalogue(REPO / "samples" / "catalogues" / "real_columns.yaml")
    assert len(catalogue.sources) >= 5
    assert all(s.listing and not s.paths for s in catalogue.sources)  # not runnable offline, by design
    text = (REPO / "samples" / "catalogues" / "real_columns.yaml").read_text(encoding="utf-8")
    assert text.count("# seen: ") == len(catalogue.sources)  # each says where its URL was seen


def test_provenance_keys_of_an_entry(tmp_path):
    path = write(tmp_path, "sources:\n  - {agency: 杭州市人民政府, agencies: [杭州市人民政府办公厅], paths: [x]}\n"
                           "  - {agency: 浙江省人民政府, allow_other_agencies: true, listing: 'https://www.zj.gov.cn/col/col1/'}\n")
    first, second = load_catalogue(path).sources
    assert first.agencies == ("杭州市人民政府", "杭州市人民政府办公厅") and not first.allow_other_agencies
    assert second.agencies == ("浙江省人民政府",) and second.allow_other_agencies
    assert second.listing == ("https://www.zj.gov.cn/col/col1/",)
    message = r"sources\[0\] \(a\): allow_other_agencies: must be true or false \(got yes\)"
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(write(tmp_path, "sources: [{agency: a, paths: [x], allow_other_agencies: yes}]\n"))
