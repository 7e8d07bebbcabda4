"""Document metadata from the normalised text: agency (full official name), statistics year, publication
date, 索引号 and whether the figures stop before the year end.

Agency, in order of trust: the title ("杭州市城乡建设委员会2023年…"), "由X人民政府办公厅综合各…编制"
(a region-wide report is the government's), the signature block at the end, a title quoted in the body
("编制了X2018年…报告"), the 发布单位/责任部门 fields, and last the title carried by the source address.
Short forms (市建委, 省建设厅) are expanded from a full name the document itself uses, else from the
alias table with the document's province/city; a bare region (浙江省, 临平区) means its government.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from urllib.parse import unquote

import yaml

from extract.normalise import detect_script, nfkc, to_simplified

_HAN = r"\u4e00-\u9fff"


@dataclass(slots=True)
class Metadata:
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    index_no: str | None = None
    partial_period: bool = False


@cache
def aliases() -> dict:
    return yaml.safe_load(files("extract").joinpath("aliases.yaml").read_text(encoding="utf-8"))


@cache
def _provinces_alt() -> str:
    names = aliases()["provinces"]
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_SUFFIX = (
    r"(?:人民政府办公厅|人民政府办公室|人民政府|管理委员会|委员会|街道办事处|办事处|办公厅|办公室|"
    r"局|厅|中心|研究院|院|署|公署)"
)
_REGION_TAIL = "省市县区州盟旗镇乡"


@cache
def _full_name_re() -> re.Pattern[str]:
    region = rf"[{_HAN}]{{2}}(?:市|县|区|州|旗)"
    return re.compile(
        rf"(?:(?:{_provinces_alt()})(?:{region})*|(?:{region})+)[{_HAN}]{{0,12}}?{_SUFFIX}(?![{_HAN}]{{0,2}}(?:局|厅|委员会))"
    )


def _fix_spelling(name: str) -> str:
    for wrong, right in aliases()["misspellings"].items():
        name = name.replace(wrong, right)
    return name


@dataclass(slots=True)
class _Context:
    text: str
    province: str | None
    city: str | None
    district: str | None


def _context(text: str) -> _Context:
    provinces = Counter(re.findall(_provinces_alt(), text))
    province = provinces.most_common(1)[0][0] if provinces else None
    city_re = rf"(?<![全本该城各我省县区])([{_HAN}]{{2}}市)(?=人民政府|[{_HAN}]{{1,12}}?(?:委员会|局|厅))"
    cities = Counter(m.group(1) for m in re.finditer(city_re, text) if m.group(1) not in aliases()["provinces"])
    city = cities.most_common(1)[0][0] if cities else None
    districts = Counter(re.findall(rf"(?<![全本该各我])([{_HAN}]{{2}}区)(?=人民政府)", text))
    district = districts.most_common(1)[0][0] if districts else None
    return _Context(text, province, city, district)


def _abbreviates(short: str, full: str) -> bool:
    """Whether `short` (市建委) is an abbreviation of `full` (杭州市城乡建设委员会): same level (市/省/区/县),
    the short form's characters in order in the full name, the last one in its suffix."""
    level, body = short[0], short[1:]
    region = re.match(rf"(?:{_provinces_alt()})|[{_HAN}]{{2}}(?:市|县|区)", full)
    if not region or not region.group().endswith(level if level != "省" else ("省", "市", "区")):
        return False
    rest = full[region.end() :]
    if level == "省" and re.match(rf"[{_HAN}]{{2}}(?:市|县|区)", rest):
        return False
    it = iter(rest)
    if not all(ch in it for ch in body):
        return False
    return body[-1] in rest[-3:]


def expand_short_form(short: str, ctx: _Context) -> str | None:
    short = short.strip()
    candidates = Counter(m.group() for m in _full_name_re().finditer(ctx.text))
    matches = [(n, name) for name, n in candidates.items() if _abbreviates(short, name)]
    if matches:
        return max(matches)[1]
    template = aliases()["short_forms"].get(short)
    if template is None:
        return None
    fill = {"province": ctx.province, "city": ctx.city, "district": _qualified_district(ctx.district, ctx)}
    needed = re.findall(r"\{(\w+)\}", template)
    if any(fill.get(k) is None for k in needed):
        return None
    return template.format(**fill)


def _qualified_district(district: str | None, ctx: _Context) -> str | None:
    if district is None:
        return None
    city = aliases()["districts"].get(district) or ctx.city
    return f"{city}{district}" if city and not district.startswith(city) else district


_LEAD_WORDS = re.compile(r"^(?:关于印发|关于|印发|编制了?|现将|公布|发布|由)")
_TAIL_WORDS = re.compile(r"(?:政务公开|政府信息公开|信息公开|政务|关于|的)+$")


def resolve(raw: str, ctx: _Context) -> str | None:
    """A name as written → the full official name, or None when it is not an agency."""
    name = re.sub(r"\s+", "", raw)
    name = _LEAD_WORDS.sub("", name)
    name = _TAIL_WORDS.sub("", name)
    name = _fix_spelling(name)
    if len(name) < 2:
        return None
    if name in aliases()["short_forms"] or (name[0] in "市省区县" and re.search(f"{_SUFFIX}$", name)):
        return expand_short_form(name, ctx)
    if re.fullmatch(rf"(?:{_provinces_alt()})", name):
        return name + "人民政府"
    if re.fullmatch(rf"(?:{_provinces_alt()})?[{_HAN}]{{2,3}}[市县区旗]", name):
        if name.endswith("区"):
            qualified = _qualified_district(name, ctx)
            return f"{qualified}人民政府"
        return name + "人民政府"
    full = _full_name_re().fullmatch(name)
    if full:
        return name
    # "X局" without region: a full name in the document that ends with it
    if re.search(f"{_SUFFIX}$", name):
        for m in _full_name_re().finditer(ctx.text):
            if m.group().endswith(name):
                return m.group()
    return None


_YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def _agency_from_title(title: str, ctx: _Context) -> str | None:
    m = _YEAR_IN_TITLE.search(title)
    if not m:
        return None
    before = title[: m.start()]
    found = resolve(before, ctx) if before.strip() else None
    if found:
        return found
    after = re.split(r"度|政务公开|政府信息公开|信息公开|工作|年度", title[m.end() :], maxsplit=1)[0]
    return resolve(after, ctx) if after.strip() else None


_COMPILED_BY = re.compile(rf"由([{_HAN}]{{2,12}}?)(?:人民)?政府办公[厅室](?:综合|汇总)")
_FIELD = re.compile(r"(?:发布单位|发布机构|责任部门|发文机关|信息来源|来源)\s*[::]?\s*\|?\s*([^\s|]{2,20})")
_BODY_TITLE = re.compile(rf"(?:编制了?|现将|公布)([{_HAN}]{{2,30}}?)\s*(?:19|20)\d{{2}}\s*年")
_DATE_LINE = re.compile(r"^\s*\(?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*\)?\s*$")


def _signature(text: str, ctx: _Context) -> str | None:
    lines = [ln.strip() for ln in text[-600:].split("\n") if ln.strip()]
    for i in range(len(lines) - 1, max(-1, len(lines) - 5), -1):
        line = lines[i]
        m = re.fullmatch(rf"([{_HAN}]{{4,30}}?)\s*(?:\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)?", line)
        if m and (i + 1 < len(lines) and _DATE_LINE.match(lines[i + 1]) or m.group(0) != m.group(1)):
            name = re.sub("办公室$", "", m.group(1)) if not m.group(1).endswith("人民政府办公室") else m.group(1)
            found = resolve(name, ctx)
            if found:
                return found
    return None


def _agency_from_source(source: str) -> str | None:
    if "%" not in source:
        return None
    decoded = unquote(source)
    segments = [s for s in re.split(r"[/?#=&]", decoded) if re.search(f"[{_HAN}]", s)]
    for seg in reversed(segments):
        seg = nfkc(to_simplified(seg) if detect_script(seg) == "traditional" else seg)
        ctx = _context(seg)
        found = _agency_from_title(seg, ctx)
        if found:
            return found
    return None


def find_agency(text: str, title: str | None, source: str = "") -> str | None:
    ctx = _context(text)
    if title:
        found = _agency_from_title(title, ctx)
        if found:
            return found
    m = _COMPILED_BY.search(text[:3000])
    if m:  # a region-wide report compiled by the government office is the government's
        found = resolve(m.group(1), ctx)
        if found:
            return found
    found = _signature(text, ctx)
    if found:
        return found
    for m in _BODY_TITLE.finditer(text[:3000]):
        found = resolve(m.group(1), ctx)
        if found:
            return found
    for m in _FIELD.finditer(text[:2000]):
        found = resolve(m.group(1), ctx)
        if found:
            return found
    return _agency_from_source(source)


_STATS_PERIOD = re.compile(r"统计(?:期限|时限|区间|时间)[^。\n]{0,12}?((?:19|20)\d{2})\s*年")
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:政府信息公开|政务公开)")


def find_year(text: str, title: str | None) -> int | None:
    if title:
        m = _YEAR_IN_TITLE.search(title)
        if m:
            return int(m.group(1))
    for pattern in (_STATS_PERIOD, _BODY_YEAR):
        m = pattern.search(text[:5000])
        if m:
            return int(m.group(1))
    return None


_PUBLISHED = re.compile(
    r"(?:公开日期|发布日期|发布时间|公开时间|发文日期)\s*[::]?\s*\|?\s*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _iso(y: str, m: str, d: str) -> str | None:
    yi, mi, di = int(y), int(m), int(d)
    if not (1990 <= yi <= 2100 and 1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def find_published(text: str) -> str | None:
    m = _PUBLISHED.search(text[:3000])
    if m:
        return _iso(*m.groups())
    # the date under the signature, or in brackets under the title
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for line in lines[-3:] + lines[:6]:
        if _DATE_LINE.match(line):
            d = _CN_DATE.search(line)
            if d:
                return _iso(*d.groups())
    return None


_INDEX_NO = re.compile(r"索引号\s*[::]?\s*\|?\s*([0-9A-Za-z]+(?:[-/][0-9A-Za-z]+)+)")


def find_index_no(text: str) -> str | None:
    m = _INDEX_NO.search(text[:3000])
    return m.group(1) if m else None


_PARTIAL = re.compile(r"(?:截至|截止(?:到|至)?)\s*(?:\d{4}\s*年)?\s*(\d{1,2})\s*月(?:底|末|份|\s*\d{1,2}\s*日)?")
_STATS_WORDS = re.compile(r"申请|复议|诉讼|受理|答复|办结")


def is_partial_period(text: str) -> bool:
    """True when the request statistics are stated up to a month before December (截至11月底)."""
    for m in _PARTIAL.finditer(text):
        if int(m.group(1)) >= 12:
            continue
        start = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        end_candidates = [i for i in (text.find("。", m.end()), text.find("\n", m.end())) if i >= 0]
        end = min(end_candidates) if end_candidates else len(text)
        if _STATS_WORDS.search(text[start:end]):
            return True
    return False


def extract_metadata(text: str, *, title: str | None, source: str = "") -> Metadata:
    return Metadata(
        agency=find_agency(text, title, source),
        year=find_year(text, title),
        published=find_published(text),
        index_no=find_index_no(text),
        partial_period=is_partial_period(text),
    )
