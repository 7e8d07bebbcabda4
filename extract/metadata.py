"""Document metadata from the normalised text: agency (full official name), statistics year, publication
date, 索引号 and whether the figures stop before the year end.

Agency, in order of trust: the title ("杭州市城乡建设委员会2023年…"), "由X人民政府办公厅综合各…编制"
(a region-wide report is the government's), the signature block at the end, a title quoted in the body
("编制了X2018年…报告"), the 发布单位/责任部门 fields, and last the title carried by the source address.
Short forms (市建委, 省建设厅) are expanded from a full name the document itself uses, else from the
alias table with the document's province/city; a bare region (浙江省, 临平区) means its government.
After those: "本报告由X根据…编制", the subject of the opening sentence ("2022年,X坚持…", when the report's
"我厅/我局" agrees), and the government of a 全区/全县 report. A weaker source may complete what the
title names, never replace it with another body; a title naming a bare region or zone takes only that
region's government, and a report compiled from a region's units (汇总…各有关单位) is not the office
its 来源 names: with the government's name never written, the agency is None.

Places come from the GB/T 2260 gazetteer (extract/gazetteer.py): a name's region must be a real division
(or a zone such as 平潭综合实验区), a district gets its city (洪泽区 → 淮安市洪泽区), a street or township its
district from the text's places. The year: title, statistics period, else the year the prose names most.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from urllib.parse import unquote

import yaml

from extract import gazetteer
from extract.classify import TITLE_LABEL
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


# Zones run by a 管理委员会 rather than a government; their departments carry the zone's name
# (平潭综合实验区财政金融局), but the zone itself is no GB/T 2260 division.
_ZONE = (r"(?:综合实验区|综合试验区|新区|经济技术开发区|高新技术产业开发区|开发区|高新区|工业园区|产业园区?|科技园区?"
         r"|综合保税区|保税区|综保区|经济区|示范区|管理区|林区)")


@cache
def _full_name_re() -> re.Pattern[str]:
    # 2-4 characters and the level (沙河口区, 鄂尔多斯市), or an autonomous prefecture/county (恩施土家族苗族自治州);
    # whether it is a real place is checked against the gazetteer (_real_place), not by this shape
    region = (rf"(?:[{_HAN}]{{2,4}}?{_ZONE}|[{_HAN}]{{2,8}}?自治[州县旗]|[{_HAN}]{{2,4}}?(?:市|区|州|盟|地区)"
              rf"|[{_HAN}]{{1,4}}?县|[{_HAN}]{{2,9}}?旗)")  # 冠县, 沛县 (one character); banners: 西乌珠穆沁旗
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
    county: str | None = None  # the county-level division the text names most (a 县, 区 or county-level 市)
    places: tuple[str, ...] = ()  # division names the text uses, most used first: break ties in the gazetteer


_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# 2-3 characters + 区/县 that are words, not divisions, when they stand alone in prose
_NOT_PLACE_HEAD = "全本该各我城郊辖社园景小矿库山市县区省"


@lru_cache(maxsize=16384)
def _place_suffix(words: str) -> str | None:
    """The division name `words` ends with ("见洪泽区" → 洪泽区), longest first, at least 3 characters."""
    for start in range(0, len(words) - 2):
        piece = words[start:]
        if piece[0] not in _NOT_PLACE_HEAD and gazetteer.places_named(piece):
            return piece
    return None


_CITY_AFTER = re.compile(rf"人民政府|[{_HAN}]{{1,12}}?(?:委员会|局|厅)")
_DISTRICT_AFTER = re.compile("人民政府")


def _positions(text: str, char: str) -> Iterator[int]:
    """Where `char` stands in `text` (str.find: C work per occurrence, not per character)."""
    at = text.find(char)
    while at >= 0:
        yield at
        at = text.find(char, at + 1)


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _two_han_names(text: str, suffix: str, after: re.Pattern[str], not_before: str) -> list[str]:
    """Every "XX" + suffix in `text` (two Han characters; not after a character of `not_before`; followed
    by what `after` matches), as the regex (?<![…])([Han]{2}suffix)(?=after) finds them, matches not
    overlapping. Found from each occurrence of the suffix: a pattern starting with a look-behind and a
    class is tried at every position of the text."""
    names: list[str] = []
    last_end = 0
    for pos in _positions(text, suffix):
        start = pos - 2
        if (start >= last_end and _is_han(text[start]) and _is_han(text[start + 1])
                and (start == 0 or text[start - 1] not in not_before) and after.match(text, pos + 1)):
            names.append(text[start:pos + 1])
            last_end = pos + 1
    return names


def _division_words(text: str) -> list[str]:
    """What re.finditer("[Han]{2,4}(?:区|县|市)") finds in `text`, found from the 区/县/市 characters
    (few) instead of tried at every position: at the leftmost start, the longest run of two to four Han
    characters that a 区, 县 or 市 follows."""
    words: list[str] = []
    last_end = 0
    ends = sorted(at for char in "区县市" for at in _positions(text, char))
    for pos in ends:
        if pos < last_end + 2:
            continue
        start = pos  # the leftmost start from which Han characters run up to this 区/县/市
        while start > max(last_end, pos - 4) and _is_han(text[start - 1]):
            start -= 1
        if pos - start < 2:
            continue
        # greedy: from `start`, the farthest 区/县/市 within four Han characters
        end = pos
        for k in (4, 3):
            at = start + k
            if at > pos and at < len(text) and text[at] in "区县市" and all(map(_is_han, text[pos:at])):
                end = at
                break
        words.append(text[start:end + 1])
        last_end = end + 1
    return words


@cache
def _autonomous_regions() -> dict[str, str]:
    """The autonomous regions of the aliases table by the short name their reports use (新疆, 内蒙古)."""
    return {(name[:3] if name.startswith("内蒙古") else name[:2]): name
            for name in aliases()["provinces"] if name.endswith("自治区")}


def _context(text: str) -> _Context:
    provinces = Counter(re.findall(_provinces_alt(), text))
    if not provinces and "自治区" in text:
        # an autonomous region's own reports say 自治区 and its short name (视察新疆, 新疆政府网), rarely the full one
        regions = _autonomous_regions()
        provinces = Counter(regions[m] for m in re.findall("|".join(regions), text))
    province = provinces.most_common(1)[0][0] if provinces else None
    cities = Counter(name for name in _two_han_names(text, "市", _CITY_AFTER, "全本该城各我省县区")
                     if name not in aliases()["provinces"])
    city = cities.most_common(1)[0][0] if cities else None
    if city is None and province in _MUNICIPALITIES:
        city = province  # 上海市科学技术委员会: the municipality is the city of its departments
    districts = Counter(_two_han_names(text, "区", _DISTRICT_AFTER, "全本该各我"))
    district = districts.most_common(1)[0][0] if districts else None
    counted = Counter(name for words in _division_words(text[:20000]) if (name := _place_suffix(words)))
    if province:
        counted[province] += 1
    places = tuple(name for name, _ in counted.most_common(8))
    county = next((n for n in places if any(p.level == "county" for p in gazetteer.places_named(n))), None)
    return _Context(text, province, city, district, county, places)


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


def _real_place(name: str, ctx: _Context) -> bool:
    """The name starts with a real division (a GB/T 2260 place, or a zone such as 平潭综合实验区): "公布区
    统计局" matches the shape of a full name, but 公布区 is no place."""
    chain, _ = gazetteer.place_prefix(name, context=ctx.places)
    if chain:
        return True
    if re.match(rf"[{_HAN}]{{2,4}}?{_ZONE}", name):
        return True
    head = re.match(rf"[{_HAN}]{{2}}区", name)
    return bool(head and gazetteer.places_named(head.group()))  # 西湖区: real, only not unique


def _from_place(words: str, ctx: _Context) -> str | None:
    """A full name found in running text may start with a word before its place ("见洪泽区统计局"): the
    name from its first real place on, or None."""
    for start in range(0, max(1, len(words) - 4)):
        name = words[start:]
        if _real_place(name, ctx) and _full_name_re().fullmatch(name):
            return name
    return None


def expand_short_form(short: str, ctx: _Context) -> str | None:
    short = short.strip()
    candidates = Counter(name for m in _full_name_re().finditer(ctx.text) if (name := _from_place(m.group(), ctx)))
    matches = [(n, name) for name, n in candidates.items() if _abbreviates(short, name)]
    if matches:
        return max(matches)[1]
    template = aliases()["short_forms"].get(short) or _department_template(short)
    if template is None:
        return None
    fill = {"province": ctx.province, "city": ctx.city, "district": _qualified_district(ctx.district, ctx),
            "county": _county_of(ctx)}
    needed = re.findall(r"\{(\w+)\}", template)
    if any(fill.get(k) is None for k in needed):
        return None
    return template.format(**fill)


_LEVEL_SLOT = {"市": "{city}", "省": "{province}", "区": "{district}", "县": "{county}"}


def _department_template(short: str) -> str | None:
    """"市科委" → "{city}科学技术委员会": the level character, then a department abbreviation of the
    aliases table (科委, 建委, 府办 …)."""
    slot = _LEVEL_SLOT.get(short[:1])
    body = aliases()["departments"].get(short[1:])
    if slot is None or body is None:
        return None
    return slot + body


def _placed_abbreviation(name: str, ctx: _Context) -> str | None:
    """A department abbreviation after its place ("上海市科委", "洪泽区府办"): the place as written (a district
    with its city) and the department's full name."""
    chain, end = gazetteer.place_prefix(name, context=ctx.places)
    if not chain or end >= len(name):
        return None
    body = aliases()["departments"].get(name[end:])
    if body is None:
        return None
    place = name[:end]
    if len(chain) == 1 and chain[0].level == "county" and chain[0].name.endswith("区"):
        place = gazetteer.qualified_name(chain[0])
    return place + body


def _county_of(ctx: _Context) -> str | None:
    """The county (县) the text is about, for 县府办 and the like."""
    for name in ctx.places:
        if name.endswith("县"):
            return name
    return None


def _qualified_district(district: str | None, ctx: _Context) -> str | None:
    """A district with its city (洪泽区 → 淮安市洪泽区): from the gazetteer when the name is unique or the
    text's other places tell which, else the aliases table, else the text's city."""
    if district is None:
        return None
    place = gazetteer.resolve_place(district, context=ctx.places)
    if place is not None and place.level == "county":
        return gazetteer.qualified_name(place)
    city = aliases()["districts"].get(district) or ctx.city
    return f"{city}{district}" if city and not district.startswith(city) else district


_TOWNSHIP = re.compile(rf"^[{_HAN}]{{2,5}}?(?:街道|镇|乡)(?:办事处|人民政府|党工委)?")
_TOWNSHIP_NAME = re.compile(rf"[{_HAN}]{{2,5}}?(?:街道|镇|乡)")


def qualify(name: str, ctx: _Context) -> str:
    """An official name with the places it omits: a district without its city (洪泽区人民政府 → 淮安市洪泽区
    人民政府), a street or township without its county (浦沿街道办事处 → 杭州市滨江区浦沿街道办事处, when the
    text names the district). Names that already carry their places are kept as written."""
    chain, end = gazetteer.place_prefix(name, context=ctx.places)
    if chain:
        first = chain[0]
        if first.level == "county" and first.name.endswith("区") and name.startswith(first.name):
            return gazetteer.qualified_name(first) + name[len(first.name) :]
        return name
    m = re.match(rf"[{_HAN}]{{2}}区", name)
    if m and gazetteer.places_named(m.group()):  # a district several cities have (西湖区, 鼓楼区)
        qualified = _qualified_district(m.group(), ctx)
        if qualified and qualified != m.group():
            return qualified + name[m.end() :]
    township = _TOWNSHIP.match(name)
    if township:
        place = gazetteer.town_county(_TOWNSHIP_NAME.match(name).group(), context=ctx.places)
        if place is None and ctx.county:
            place = gazetteer.resolve_place(ctx.county, context=ctx.places)
        if place is not None and place.level == "county":
            return gazetteer.qualified_name(place) + name
    return name


def _township_body(name: str) -> str:
    """A township or street named bare (同田乡, 浦沿街道) means its government (乡/镇人民政府, 街道办事处)."""
    if name.endswith(("镇", "乡")):
        return name + "人民政府"
    if name.endswith("街道"):
        return name + "办事处"
    return name


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
    if name in aliases()["central_bodies"]:
        return name
    if name in aliases()["central_short_forms"]:
        return aliases()["central_short_forms"][name]
    for prefix in aliases()["vertical_prefixes"]:
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            branch = resolve(name[len(prefix):], ctx)  # 国家税务总局 + 广州市白云区税务局
            return prefix + branch if branch and not branch.endswith("人民政府") else None
    if (name in aliases()["short_forms"] or _department_template(name)
            or (name[0] in "市省区县" and re.search(f"{_SUFFIX}$", name))):
        return expand_short_form(name, ctx)
    if re.fullmatch(rf"(?:{_provinces_alt()})", name):
        return name + "人民政府"
    if name.startswith("自治区") and re.search(f"{_SUFFIX}$", name) and (ctx.province or "").endswith("自治区"):
        return ctx.province + name[3:]  # 自治区人民政府办公厅, in a report of 新疆
    placed = _placed_abbreviation(name, ctx)
    if placed:
        return placed
    m = re.match(rf"[{_HAN}]{{2,4}}?(?:自治[县州旗]|州)", name)
    if m and (full_place := gazetteer.autonomous_full_name(m.group())):
        name = full_place + name[m.end():]  # 耿马自治县 → 耿马傣族佤族自治县
    bare_region = rf"(?:[{_HAN}]{{2,4}}[市区旗]|[{_HAN}]{{1,4}}县|[{_HAN}]{{2,8}}自治[州县旗])"
    if re.fullmatch(rf"(?:{_provinces_alt()})?{bare_region}", name):
        if not _real_place(name, ctx) and name not in aliases()["districts"]:
            return None  # the shape of a place, but none the gazetteer knows (公布区, 综合区)
        if _is_zone(name) and not gazetteer.places_named(name):
            return None  # a zone (贵安新区, 成都高新区) is run by a 管理委员会, not a 人民政府: its body is unnamed
        if name.endswith("区"):
            qualified = _qualified_district(name, ctx)
            return f"{qualified}人民政府"
        return name + "人民政府"
    full = _full_name_re().fullmatch(name)
    if full:
        return qualify(name, ctx) if _real_place(name, ctx) else None
    chain, end = gazetteer.place_prefix(name, context=ctx.places)
    if chain and chain[-1].level == "county" and _TOWNSHIP.fullmatch(name[end:]):
        return _township_body(name)  # 亳州市谯城区芦庙镇: a township with its places written out
    if chain and end == len(name) and len(chain) > 1:
        return name + "人民政府"  # 西安市长安区: a region written with its city, and nothing else, is its government
    if _TOWNSHIP.fullmatch(name):
        qualified = qualify(name, ctx)
        return _township_body(qualified) if qualified != name else None
    # "X局" without region: a full name in the document that ends with it
    if re.search(f"{_SUFFIX}$", name):
        for m in _full_name_re().finditer(ctx.text):
            found = _from_place(m.group(), ctx)
            if found and found.endswith(name):
                return _placed_abbreviation(found, ctx) or qualify(found, ctx)  # 安阳县住建局 → …住房和城乡建设局
    return None


_YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def _title_subject(title: str | None) -> str | None:
    """What the title names before its year ("平潭综合实验区" in "平潭综合实验区2021年度…报告"), or None."""
    if not title:
        return None
    title = TITLE_LABEL.sub("", title)
    m = _YEAR_IN_TITLE.search(title)
    if not m:
        return None
    subject = _TAIL_WORDS.sub("", _LEAD_WORDS.sub("", re.sub(r"\s+", "", title[: m.start()])))
    return subject if len(subject) >= 2 and re.fullmatch(f"[{_HAN}]+", subject) else None


def _consistent(found: str, subject: str | None) -> bool:
    """A name from a weaker source may complete what the title names (区统计局 → XX区统计局), never
    replace it with another body (the portal's 平潭县人民政府 for a report of 平潭综合实验区)."""
    if subject is None:
        return True
    if _is_bare_region(subject):
        # the title names a whole region (平潭综合实验区2023年度…报告): the report is the region's, so only
        # its government can be the agency, never an office or department of it (来源:…管委会办公室)
        return re.fullmatch(rf"[{_HAN}]*{re.escape(subject)}(?:人民政府|管理委员会)", found) is not None
    return subject in found or (len(subject) >= 3 and found.endswith(subject[1:])) or _shortens(subject, found)


def _shortens(short: str, full: str) -> bool:
    """"自治区北部湾办" of "广西壮族自治区北部湾经济区规划建设管理办公室": after its level word, the short name's
    characters stand in the full one in order, its last in the full name's suffix."""
    body = re.sub(r"^(?:自治区|省|市|区|县|州|盟|旗)", "", short)
    it = iter(full)
    return len(body) >= 3 and all(ch in it for ch in body) and body[-1] in full[-3:]


def _is_zone(name: str) -> bool:
    return re.fullmatch(rf"[{_HAN}]{{2,4}}?{_ZONE}", name) is not None


def _is_bare_region(name: str) -> bool:
    """A place or zone and nothing else (平潭综合实验区, 洪泽区, 浙江省), as opposed to a body (区统计局)."""
    if _is_zone(name):
        return True
    if re.fullmatch(rf"(?:{_provinces_alt()})", name):
        return True
    if gazetteer.places_named(name):
        return True
    chain, end = gazetteer.place_prefix(name)
    return bool(chain) and end == len(name)  # 江苏省淮安市洪泽区


def _agency_from_title(title: str, ctx: _Context) -> str | None:
    title = TITLE_LABEL.sub("", title)
    m = _YEAR_IN_TITLE.search(title)
    if not m:
        return None
    # "黔东南州人民政府(州政府办公室)2024年…报告": the body named first, its office in brackets beside it
    before = re.sub(r"\([^()]{1,20}\)", "", title[: m.start()])
    found = resolve(before, ctx) if before.strip() else None
    if found:
        return found
    if (at := before.find("关于")) > 1 and (found := resolve(before[:at], ctx)):
        return found  # "建平县人民政府办公室关于印发建平县2022年…要点的通知": the body that issues it
    # "2012年泾县人民政府信息公开年度报告": 政府信息公开 after 人民 splits off the body's own 政府
    after = re.split(r"度|政务公开|(?<!人民)政府信息公开|信息公开|工作|年度", title[m.end() :], maxsplit=1)[0]
    return resolve(after, ctx) if after.strip() else None


# "汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成": a region-wide report put together from its units
_COMPILED_FROM_UNITS = re.compile(r"(?:汇总|综合|汇集)[^。\n]{0,30}?各(?:有关|相关)?(?:单位|部门|乡镇)")
# "根据《条例》要求及北京市西城区各委、办、局,各街道办事处的政府信息公开年度报告编制而成": a region's report made of its
# units' reports is its government's
_COMPILED_FROM_REPORTS = re.compile(
    rf"([{_HAN}]{{2,12}}?(?:区|县|市|旗))各(?:委、办、局|委办局|部门|单位|有关单位)[^。]{{0,40}}?(?:年度)?报告编制")
_COMPILED_BY_OFFICE = re.compile(rf"由([{_HAN}]{{2,12}}?)(?:人民)?政府办公[厅室](?:负责)?编制")
_COMPILED_BY = re.compile(rf"由([{_HAN}]{{2,12}}?)(?:人民)?政府办公[厅室](?:综合|汇总)")
# "本报告由山东省机关事务管理局根据《条例》…编制": the body that compiled its own report
_REPORT_BY = re.compile(
    rf"本(?:年度)?报告(?:是)?由([{_HAN}]{{4,30}}?)(?:根据|依据|按照|结合|负责|编制|综合(?!办公)|汇总)")
# "本报告是根据《条例》要求,由北京市信访办编制的2009年度…报告": the compiler named after the grounds
_REPORT_BY_LATER = re.compile(
    rf"本(?:年度)?报告[^。]{{0,60}}?,由([{_HAN}]{{4,30}}?)(?:\((?:以下简称|下称|简称)[^()]{{1,16}}\))?(?:编制|汇总|综合(?!办公))")
_FIELD = re.compile(r"(?:发布单位|发布机构|责任部门|发文机关|信息来源|来源)\s*[::]?\s*\|?\s*([^\s|]{2,20})")
# "现将耿马自治县2021政府信息公开工作年度报告进行公开": the 年 may be lost before the report's name
_BODY_TITLE = re.compile(
    rf"(?:编制了?|现将|公布|现发布|现公开)《?([{_HAN}]{{2,30}}?)\s*"
    # "现将深圳市市场监督管理局龙华监管局(以下简称龙华局)2023年信息公开年度报告进行公布"
    rf"(?:\((?:以下简称|下称|简称)[^()]{{1,12}}\)\s*)?(?:19|20)\d{{2}}\s*(?:年|(?=政府信息公开|政务公开))"
    # "佛冈县住房和城乡建设局特向社会公布2024年度本机关信息公开工作报告"
    rf"|(?<![{_HAN}])([{_HAN}]{{4,30}}?)(?:特|现)?向社会(?:公布|公开|发布)\s*(?:19|20)\d{{2}}\s*年")
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
    subject = _title_subject(title)
    for found in _agency_candidates(text, ctx, source):
        if found and _consistent(found, subject):
            return found
    return None


def _agency_candidates(text: str, ctx: _Context, source: str) -> Iterator[str | None]:
    """Names from the sources after the title, most trusted first (computed lazily)."""
    m = _COMPILED_BY.search(text[:3000])
    if m:  # a region-wide report compiled by the government office is the government's
        yield resolve(m.group(1), ctx)
    if (m := _COMPILED_FROM_REPORTS.search(text[:3000])) and (place := _place_suffix(m.group(1))):
        yield resolve(place, ctx)
    if (m := _COMPILED_BY_OFFICE.search(text[:3000])) and (place := _place_suffix(m.group(1))):
        # "由伊宁县人民政府办公室编制…县政府加快电子政务建设": the office wrote its government's report, which
        # speaks of what 县政府 did and never of 我办
        acts = len(re.findall(rf"(?<![{_HAN}]){place[-1]}政府(?!办公|门户|网站|信息|工作报告)", text[:5000]))
        if acts >= 2 and not re.search(r"[我本]办", text[:5000]):
            yield resolve(place, ctx)
    m = _REPORT_BY.search(text[:3000]) or _REPORT_BY_LATER.search(text[:3000])
    if m and not re.search("办公[厅室]$", compiler := _INTERNAL_OFFICE.sub("", m.group(1))):
        yield resolve(compiler, ctx)
    yield _signature(text, ctx)
    for m in _BODY_TITLE.finditer(text[:3000]):
        yield resolve(m.group(1) or m.group(2), ctx)
    compiled = _COMPILED_FROM_UNITS.search(text[:3000]) is not None
    for m in _FIELD.finditer(text[:2000]):
        found = resolve(m.group(1), ctx)
        if compiled and found and re.search("办公[厅室]$", found):
            continue  # a report compiled from every unit of a region: the office in 来源 posted it, not wrote it
        yield found
    yield _contact(text, ctx)
    yield _opening_subject(text, ctx)
    yield _region_wide(text, ctx)
    yield _only_self_named(text, ctx)
    yield _agency_from_source(source)


# The office inside a body that compiles its report or answers questions on it: the body is the agency
# ("两城镇人民政府党政办公室" → 两城镇人民政府; "平度市公安局政务公开领导小组办公室" → 平度市公安局)
_INTERNAL_OFFICE = re.compile(
    r"(?:(?<=[局委厅署院府])(?:党政(?:综合)?办公室|(?:政务公开|政府信息公开|信息公开)(?:工作)?(?:领导小组)?办公室)"
    r"|(?<=[局委厅署院])办公室"
    # a ministry's or bureau's department and section: "商务部信息化司综合处", "民政局社会事务科"
    rf"|(?<=[部局委厅署])[{_HAN}]{{1,8}}?(?:司|处|科)(?:[{_HAN}]{{1,6}}?(?:处|科|室))?)$")
# "如对本报告有任何疑问,请与平度市公安局(地址:…)联系"
_CONTACT = re.compile(rf"请(?:与|联系|联络)\s*[::]?\s*([{_HAN}]{{3,40}}?)\s*(?:\(|（|联系|联络|,|地址|电话)")


def _contact(text: str, ctx: _Context) -> str | None:
    """The body a report's readers are asked to contact, when it is how the report calls itself (我局 for a
    局): a government office answering for its government names only the office, so it is never taken."""
    m = _CONTACT.search(text[:3000])
    if m is None:
        return None
    name = _INTERNAL_OFFICE.sub("", m.group(1))
    if re.search("办公[厅室]$", name):
        return None
    found = resolve(name, ctx)
    if found is None:
        return None
    if (self_word := _self_word(text)) is None:  # a report that never says 我局: its contact department is its own
        return found if not found.endswith(("人民政府", "办公室", "办公厅", "办事处")) else None
    return found if _calls_itself(found, self_word) else None


# "2022年,四川省文化和旅游厅坚持以…为指导": the body is the subject of the report year's opening sentence
_OPENING = re.compile(
    rf"(?:19|20)\d{{2}}\s*年(?:度|以来)?\s*[,，]\s*([{_HAN}]{{4,30}}?)"
    r"(?:坚持|认真|深入|持续|积极|全面|始终|紧紧|紧扣|扎实|进一步|不断|严格|高度重视|切实|围绕|聚焦|按照|以习近平)"
)
_SELF = re.compile(r"[我本](厅|局|委|办|院|署|部|中心|区|县|市|镇|乡|街道|旗)")


def _self_word(text: str) -> str | None:
    """How the report calls itself most often (局 of 我局, 县 of 我县), or None when it never does."""
    selves = Counter(m.group(1) for m in _SELF.finditer(text[:5000]))
    return selves.most_common(1)[0][0] if selves else None


def _opening_subject(text: str, ctx: _Context) -> str | None:
    """The agency named as the subject of an opening sentence "YYYY年,<agency>坚持…", when the report's
    way of naming itself ("我厅", "本局") agrees with it."""
    self_word = _self_word(text)
    for m in _OPENING.finditer(text[:3000]):
        found = resolve(m.group(1), ctx)
        if found is None:
            continue
        if self_word and not _calls_itself(found, self_word):
            continue
        return found
    return None


def _only_self_named(text: str, ctx: _Context) -> str | None:
    """A report without title or byline that calls itself 我局 and names one 局 by its full name, and no other
    (西乌珠穆沁旗人力资源和社会保障局 in "通过“西乌珠穆沁旗人力资源和社会保障局”微信公众号公开信息379条"): that body."""
    self_word = _self_word(text)
    if self_word is None:
        return None
    if self_word in ("区", "县", "市", "旗"):
        # "我县…" and one county government named ("兴海县人民政府(http:…)", "北碚区人民政府门户网站"): its report
        governments = {place for m in re.finditer(rf"([{_HAN}]{{1,8}}?{self_word})人民政府", text[:5000])
                       if (place := _place_suffix(m.group(1)))}
        return resolve(governments.pop(), ctx) if len(governments) == 1 else None
    if self_word in ("镇", "乡", "街道"):
        return None  # a government's report names its own departments
    named = {found for m in _full_name_re().finditer(text[:3000])
             if (found := _from_place(m.group(), ctx)) and _calls_itself(found, self_word)
             and not _ITS_REQUIREMENTS.match(text, m.end())}
    return resolve(named.pop(), ctx) if len(named) == 1 else None


# "根据《条例》以及哈尔滨市政务公开领导小组办公室的有关要求": a body whose requirements the report follows is
# above it, not the body reporting
_ITS_REQUIREMENTS = re.compile(r"的?(?:有关|相关|统一)?(?:要求|规定|部署|安排|通知|精神|指示)")


_SELF_SUFFIXES = {"委": ("委员会", "委"), "办": ("办公室", "办公厅", "办"), "街道": ("街道办事处",),
                  "旗": ("旗人民政府",), "区": ("区人民政府",), "县": ("县人民政府",), "市": ("市人民政府",),
                  "镇": ("镇人民政府",), "乡": ("乡人民政府",)}


def _calls_itself(name: str, self_word: str) -> bool:
    """Whether a body named `name` would call itself 我/本 + `self_word` (委员会 → 我委, 县人民政府 → 我县)."""
    return name.endswith(_SELF_SUFFIXES.get(self_word, (self_word,)))


_WHOLE_REGION = re.compile(r"全(区|县|市|旗)(?![委直属])")
_EVERY_LEVEL = re.compile(rf"([{_HAN}]{{2,4}}?[省市区县旗])各级(?:人民)?(?:政府|行政机关)(?!部门)")


def _region_wide(text: str, ctx: _Context) -> str | None:
    """A report about a whole district or county ("全区共收到申请…", "全县累计公开…") whose title does not
    name it is the report of that district's or county's government: the one government of that level
    the text names most ("XX区人民政府门户网站")."""
    levels = Counter(m.group(1) for m in _WHOLE_REGION.finditer(text[:5000]))
    if not levels or levels.most_common(1)[0][1] < 2:
        # "海南省各级政府重视政府信息公开工作…": a report on every level of the region's government
        m = _EVERY_LEVEL.search(text[:2000])
        return resolve(m.group(1), ctx) if m and _place_suffix(m.group(1)) else None
    level = levels.most_common(1)[0][0]
    named = Counter(
        name for m in re.finditer(rf"([{_HAN}]{{2,4}}{level})人民政府", text) if (name := _place_suffix(m.group(1)))
    )
    for name, _ in named.most_common(1):
        return resolve(name, ctx)
    return None


_STATS_PERIOD = re.compile(r"统计(?:期限|时限|区间|时间)[^。\n]{0,12}?((?:19|20)\d{2})\s*年")
# "内容涵盖汉中市统计局2011年1月1日至12月31日期间的…工作情况": a whole calendar year named as the period
_WHOLE_YEAR = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|～)\s*(?:(?:19|20)\d{2}\s*年\s*)?12\s*月\s*31\s*日")
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:政府信息公开|政务公开)")


# a year the prose speaks of ("2010年,我局…", "截至2010年底"), not a date (2011年1月5日)
_PROSE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?:度)?(?!\s*\d{1,2}\s*月)")


_YEAR_REPORT_NAMED = re.compile(
    r"((?:19|20)\d{2})\s*年度?(?:政府信息公开|政务公开|信息公开)?(?:工作)?(?:年报|年度报告)")


def find_year(text: str, title: str | None) -> int | None:
    if title:
        m = _YEAR_IN_TITLE.search(TITLE_LABEL.sub("", title))
        if m:
            return int(m.group(1))
    for pattern in (_STATS_PERIOD, _WHOLE_YEAR, _BODY_YEAR):
        m = pattern.search(text[:5000])
        if m:
            return int(m.group(1))
    # "2009年年报根据《条例》编制": the report named by its year where the text opens
    if m := _YEAR_REPORT_NAMED.search(text[:300]):
        return int(m.group(1))
    # "2024年,天津市住建委坚持以…为指导": the year of the opening sentence about the body
    if m := _OPENING.search(text[:3000]):
        return int(m.group(0)[:4])
    return _dominant_year(text[:5000])


def _dominant_year(text: str) -> int | None:
    """A report with neither title nor statistics period speaks of its year throughout ("2010年,我局继续…
    我局2010年共主动公开…截至2010年底"): the year named at least three times and twice as often as any other."""
    counts = Counter(int(m.group(1)) for m in _PROSE_YEAR.finditer(text)).most_common(2)
    if not counts or counts[0][1] < (2 if len(counts) == 1 else 3):
        return None  # three times, or twice when it is the only year named
    if len(counts) > 1 and counts[0][1] < 2 * counts[1][1]:
        return None
    return counts[0][0]


_PUBLISHED = re.compile(
    r"(?:公开日期|发布日期|发布时间|公开时间|发文日期|成文日期|PubDate)\s*[::]?\s*\|?\s*"
    r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)
# a portal's article header "来源:X 时间:2024-03-08 15:34" / "日期:2024-03-08": a bare 时间/日期 field is the
# publication date only as its own field (line start or after a space) with a full date, never inside prose
# (统计时间, 办理时间)
_PAGE_DATE = re.compile(
    r"(?:^|(?<=\s))(?:时间|日期)\s*[::]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})",
    re.MULTILINE,
)
_CN_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HEADER_DATE = re.compile(r"(?<![\d-])((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?![\d-])")
_PROSE_MARKS = re.compile(r"[。,;]|至|到|期限|截至|更新|修改")  # a range, a period, an update: no publication


def _iso(y: str, m: str, d: str) -> str | None:
    yi, mi, di = int(y), int(m), int(d)
    if not (1990 <= yi <= 2100 and 1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def find_published(text: str) -> str | None:
    m = _PUBLISHED.search(text[:3000]) or _PAGE_DATE.search(text[:3000])
    if m:
        return _iso(*m.groups())
    # the date under the signature, or in brackets under the title
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for line in lines[-3:] + lines[:16]:  # a notice's signature comes before the document it issues
        if _DATE_LINE.match(line):
            d = _CN_DATE.search(line)
            if d:
                return _iso(*d.groups())
    # a page's date line near the top: "2018-03-28", "2017-03-28 10:18 来源: 贵州日报",
    # "…门户网站 www.x.gov.cn 2023-01-28"
    for line in lines[:8]:
        if len(line) <= 60 and not _PROSE_MARKS.search(line) and (
                d := _HEADER_DATE.search(line) or _CN_DATE.match(line)):
            return _iso(*d.groups())  # also "2022年01月18日来源:1", a date that opens the page's field line
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
