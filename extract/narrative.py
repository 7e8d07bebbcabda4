"""Facts stated in prose: "全年收到政府信息公开申请615件,办结591件(含2022年结转12件),36件转2024年办理".

Works on the normalised text (Simplified, NFKC: ASCII , ; : ( ) ). Table rows (lines with two or more
"|") are left to the tables step. The text is cut into sentences (。 ! ? and line ends); every rule is
a pattern of keyword + number + unit inside one sentence, so a number is only ever read next to the
words that name it. On top of the patterns:

- request rules (收到/办结/予以公开…) need the sentence to be about applications (申请), and a clause
  about 建议提案, 留言, 信访, 转办件 or 案件 is never a request count;
- appeal outcomes (维持/纠错/撤回/胜诉/败诉…) belong to the appeal last named in the sentence
  (行政复议 or 行政诉讼); "行政复议1件,维持…" without a number means all of them were upheld;
- "未发生…行政复议、行政诉讼", "不存在不予公开和不予处理情况" state zeros;
- approximate figures (1.9万余条, 1000余条), percentages, dates, rules (N个工作日), document numbers
  and figures of another year ("2022年共收到…", "上年收到…") are not facts;
- a received figure that includes the carry-over ("57件(含上年结转件1件)", or 受理 = 办结 + 结转下年
  when no carry-over is stated) is not `new_received`; its applicant split goes with it.
First statement of a metric wins; a later different value is dropped with a warning.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from extract.record import Fact

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

N = r"(?P<n>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)\s*(?P<wan>万)?"
_APPROX_AFTER = re.compile(r"\s*(?:余|多|以上|左右)")


def parse_number(digits: str, wan: bool = False) -> float | int | None:
    """"615" → 615, "三" → 3, "十二" → 12, "一百二十" → 120, ("1.2", 万) → 12000."""
    if digits[0].isdigit():
        value: float = float(digits.replace(",", ""))
    else:
        total, current = 0, 0
        for ch in digits:
            if ch in _CN_DIGITS:
                current = _CN_DIGITS[ch]
            elif ch in _CN_UNITS:
                total += (current or 1) * _CN_UNITS[ch]
                current = 0
            else:
                return None
        value = total + current
    if wan:
        value *= 10_000
    value = round(value, 6)
    return int(value) if value == int(value) else value


@dataclass(frozen=True, slots=True)
class _Rule:
    metric: str
    pattern: re.Pattern[str]
    topic: str | None = None  # "request": the sentence must be about applications
    applicant: str = "total"


def _r(metric: str, pattern: str, topic: str | None = None, applicant: str = "total") -> _Rule:
    return _Rule(metric, re.compile(pattern), topic, applicant)


_REQ_OBJ = r"(?:政府信息公开|信息公开|依申请(?:信息)?公开|公开)?申请(?:信息)?(?:公开)?(?:件|事项)?"
_QTY = r"(?:数量|总数|数|总量)?(?:共计|共|总计|合计|累计)?(?:为|是|达到|达)?\s*"
_YEARISH = r"(?:上一?年度?|去年|(?:19|20)\d\d\s*年度?)"
_NEXT = r"(?:下一?年度?|次年|(?:19|20)\d\d\s*年度?)"

_RULES: tuple[_Rule, ...] = (
    # requests: received / carried over / closed / carried forward
    _r("requests.new_received", rf"(?:收到|受理|新收|接收|接到)(?:了)?[^,;:()\d]{{0,16}}?{_REQ_OBJ}{_QTY}{N}\s*件",
       "request"),
    _r("requests.new_received",
       rf"(?:收到|受理|新收|接到)(?:了)?(?:各类)?\s*{N}\s*件(?:政府信息公开|信息公开|依申请公开)?申请", "request"),
    _r("requests.carried_over", rf"{_YEARISH}(?:的)?结转(?:的)?(?:申请)?(?:件)?(?:共)?\s*{N}\s*件"),
    _r("requests.closed_total",
       rf"(?<![续转他予开意])(?:办结|答复|办理完毕|办理|处理|完成)(?:了)?(?:各类)?(?:依申请(?:信息)?公开|政府信息公开申请|申请)?(?:件)?"
       rf"{_QTY}{N}\s*件", "request"),
    _r("requests.carried_forward",
       rf"{N}\s*件(?:申请)?(?:结转|转|顺延)(?:至|到|入)?{_NEXT}(?:继续)?(?:办理|答复)?", "request"),
    _r("requests.carried_forward",
       rf"(?:结转|转入)(?:至|到)?{_NEXT}(?:继续)?(?:办理|答复)?(?:的)?(?:申请)?(?:共)?\s*{N}\s*件", "request"),
    # requests: outcomes
    _r("requests.granted",
       rf"(?<!不)(?:予以公开|同意公开|全部公开)(?:答复)?(?:数)?(?:的)?(?:共)?\s*{N}\s*件", "request"),
    _r("requests.partially_granted", rf"部分公开(?:答复)?(?:数)?(?:的)?\s*{N}\s*件", "request"),
    _r("requests.denied_total", rf"(?:不予公开|不同意公开)(?:答复)?(?:数)?(?:的)?\s*{N}\s*件", "request"),
    _r("requests.unavailable_total", rf"无法提供(?:的)?\s*{N}\s*件", "request"),
    _r("requests.unavailable_not_held",
       rf"(?:本机关|本机构|本单位|本行政机关)?不掌握(?:相关)?(?:政府)?(?:信息)?(?:的)?\s*{N}\s*件", "request"),
    _r("requests.unavailable_needs_creation", rf"(?:需要|需)?另行制作(?:的)?\s*{N}\s*件", "request"),
    _r("requests.not_processed_total", rf"不予处理(?:的)?\s*{N}\s*件", "request"),
    _r("requests.other_total", rf"其他处理(?:的)?\s*{N}\s*件", "request"),
    _r("requests.not_processed_repeated", rf"重复申请(?:的)?\s*{N}\s*件", "request"),
    _r("requests.not_processed_petition", rf"信访举报投诉类(?:申请)?(?:的)?\s*{N}\s*件", "request"),
    # 2014-2018 statistics form wording and older narratives
    _r("requests.legacy_already_public", rf"属于已主动公开(?:范围)?(?:的)?(?:数)?\s*{N}\s*件", "request"),
    _r("requests.legacy_not_this_agency",
       rf"不属于本(?:行政)?(?:机关|机构|单位)(?:公开)?(?:范围)?(?:的)?(?:数)?\s*{N}\s*件", "request"),
    _r("requests.legacy_not_exist", rf"(?:申请)?信息不存在(?:的)?(?:数)?\s*{N}\s*件", "request"),
    _r("requests.legacy_asked_to_amend", rf"告知作出更改补充(?:的)?(?:数)?\s*{N}\s*件", "request"),
    _r("requests.legacy_redirected", rf"告知通过其他途径办理(?:的)?(?:数)?\s*{N}\s*件", "request"),
    _r("requests.received_by_letter", rf"信函(?:方式)?申请(?:的)?\s*{N}\s*件", "request"),
    _r("requests.received_online", rf"(?:网络|网上|互联网|电子邮件|在线)(?:方式)?申请(?:的)?\s*{N}\s*件", "request"),
    _r("requests.received_in_person", rf"当面(?:方式)?申请(?:的)?\s*{N}\s*件", "request"),
    _r("requests.received_by_fax", rf"传真(?:方式)?申请(?:的)?\s*{N}\s*件", "request"),
    _r("requests.new_received", rf"(?<!其他)自然人(?:提出)?(?:申请)?(?:的)?\s*{N}\s*件", "request", "natural_person"),
    _r("requests.new_received", rf"法人(?:或|和|及)?其他组织(?:提出)?(?:申请)?(?:的)?\s*{N}\s*件", "request",
       "organization"),
    # publications
    _r("publications.normative_docs_issued", rf"(?:制发|印发|出台|制定)(?:了)?(?:的)?\s*{N}\s*件(?:行政)?规范性文件"),
    _r("publications.normative_docs_issued", rf"(?:制发|印发|出台|制定)(?:了)?(?:行政)?规范性文件(?:共)?\s*{N}\s*件"),
    _r("publications.licensing_decisions", rf"行政许可(?:处理)?(?:决定)?(?:数量|数)?(?:为|共)?\s*{N}\s*(?:项|件|个)"),
    _r("publications.other_services_decisions",
       rf"其他对外管理服务事项(?:处理)?(?:决定)?(?:数量|数)?(?:为|共)?\s*{N}\s*(?:项|件|个)"),
    _r("publications.penalty_decisions", rf"行政处罚(?:处理)?(?:决定书?)?(?:数量|数)?(?:为|共)?\s*{N}\s*(?:项|件|个)"),
    _r("publications.coercion_decisions", rf"行政强制(?:处理)?(?:决定书?)?(?:数量|数)?(?:为|共)?\s*{N}\s*(?:项|件|个)"),
    _r("publications.procurement_projects", rf"(?:政府)?集中采购(?:项目)?(?:数量|数)?(?:为|共)?\s*{N}\s*(?:项|个)"),
    _r("publications.procurement_amount_wan_yuan", rf"采购(?:总)?金额(?:为|共|合计)?\s*{N}\s*(?P<yuan>万元|元)"),
    _r("publications.processing_fees_yuan",
       rf"(?:信息)?处理费(?:共计|共|合计|总计)?(?:为)?\s*{N}\s*(?P<yuan>万元|元)"),
)

# posts: verb + (generic words) + 信息 + N条; the channel named before the verb decides the metric
_POSTS = re.compile(
    rf"(?P<verb>主动公开|主动发布|发布|推送|公开)(?:了)?(?P<mid>(?:各类|各种|的|动态|公开|政府|政务)*)(?:信息|信)"
    rf"(?:共|达到|达|累计)?\s*{N}\s*条"
)
_NEW_MEDIA = re.compile(r"微信|微博|新媒体|公众号|头条|抖音|视频号|客户端|APP|app")
_WEBSITE = re.compile(r"网站|门户|专栏|网页|政务网")
_INTERPRETATIONS = re.compile(rf"(?:政策)?解读(?:类)?(?:信息|材料|稿件|文章)?(?:共|累计)?\s*{N}\s*(?:篇|条|个|件|期)")

# appeals
_APPEAL_TOTAL = re.compile(rf"(?P<kw>复议|诉讼)(?P<mid>[^,;:。、()\d]{{0,12}}?)(?:共|总计|合计)?\s*{N}\s*件")
_OUTCOMES = {
    "upheld": r"维持|胜诉",
    "corrected": r"纠错|纠正|败诉|被撤销|确认违法",
    "other": r"其他结果|撤回|撤诉|终止|驳回",
    "pending": r"尚未审结|未审结|审理中|未结",
}
_OUTCOME_ALT = "|".join(_OUTCOMES.values())
_OUTCOME_BEFORE = re.compile(rf"{N}\s*件(?:[^,;:。、()\d]{{0,4}}?)(?P<kw>{_OUTCOME_ALT})")
_OUTCOME_AFTER = re.compile(
    rf"(?P<kw>{_OUTCOME_ALT})(?:原办理结果|具体行政行为)?(?:的)?(?:案件)?\s*{N}(?:\s*件|(?=\s*[,;)、]))"
)
_OUTCOME_NO_NUMBER = re.compile(rf"^\s*(?:均|全部|都)?(?P<kw>{_OUTCOME_ALT})")

# zeros: "未发生…行政复议、行政诉讼", "不存在不予公开和不予处理情况", "未发生收费情况"
_NEGATION = re.compile(
    r"(?:未发生|没有发生|未出现|没有出现|不存在|未收到|没有收到|未产生|没有产生|未收取|没有收取"
    r"|无(?=因|涉及|行政复议|行政诉讼|政府信息公开|相关|此类))"
)
# "全年未收到政府信息公开申请": no new requests (not "未收到…申请引起的行政复议")
_NO_REQUESTS = re.compile(
    r"(?:未收到|没有收到|无)(?:任何)?(?:政府信息公开|信息公开|依申请公开)申请(?![^,;。]*(?:复议|诉讼))"
)
_ZERO_TOPICS = (
    ("行政复议", "appeals.reconsideration_total"),
    ("行政诉讼", "appeals.litigation_total"),
    ("不予公开", "requests.denied_total"),
    ("不予处理", "requests.not_processed_total"),
    ("收费", "publications.processing_fees_yuan"),
    ("信息处理费", "publications.processing_fees_yuan"),
    ("费用", "publications.processing_fees_yuan"),
)

_NOT_REQUEST = re.compile(r"建议|提案|留言|信访|咨询|转办|民呼|诉求|问政|热线|案件|来电|来信|投诉|12345")
_SENTENCE = re.compile(r"[^。!?\n]+")
_TOPIC_YEAR = re.compile(r"(?<![含至转到比较于])((?:19|20)\d{2})\s*年(?:度)?(?!\s*(?:的)?结转|\d|\s*\d+\s*月)")
_OTHER_YEAR_WORDS = re.compile(r"上年|去年|上一年|同比|较")


@dataclass(slots=True)
class _Hit:
    metric: str
    applicant: str
    value: float | int
    start: int
    end: int


_PAGE_FOOTER = re.compile(r"^\s*(?:-\s*\d+\s*-|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_SENTENCE_END = "。!?;:"


@dataclass(slots=True)
class _View:
    """The prose of a text and where each piece of it came from: pieces[i] = (view offset, text offset),
    each piece a verbatim run of the text."""

    text: str
    starts: list[int]
    origins: list[int]

    def to_text(self, pos: int) -> int:
        i = bisect_right(self.starts, pos) - 1
        return self.origins[i] + (pos - self.starts[i])


def _prose_view(text: str) -> _View:
    """The prose of `text` with hard line wraps undone (PDF text layers break sentences anywhere):
    a line of 15+ characters that does not end a sentence runs on into the next line; page footers
    ("- 2 -") between them are dropped; table rows become blank lines. Offsets map back to `text`
    (evidence is cut from the real text)."""
    parts: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    size = 0
    pending_join = False

    def put(piece: str, origin: int) -> None:
        nonlocal size
        parts.append(piece)
        starts.append(size)
        origins.append(origin)
        size += len(piece)

    for m in re.finditer(r"[^\n]*(?:\n|$)", text):
        raw = m.group()
        if not raw:
            break
        line = raw.rstrip("\n")
        if line.count("|") >= 2:
            put("\n", m.start())
            pending_join = False
            continue
        if _PAGE_FOOTER.match(line):
            continue
        if pending_join and parts and parts[-1] == "\n":
            parts.pop()
            starts.pop()
            origins.pop()
            size -= 1
        if line:
            put(line, m.start())
        put("\n", m.start() + len(line))
        stripped = line.rstrip()
        pending_join = len(stripped.strip()) >= 15 and stripped[-1:] not in _SENTENCE_END
    return _View("".join(parts), starts, origins)


def _sentences(view: str) -> Iterator[tuple[int, str, bool]]:
    """(offset, sentence, about_requests): a sentence is about applications when it or an earlier
    sentence of its paragraph mentions 申请 ("…收到申请42件。已全部办理完毕45件,其中予以公开20件…")."""
    for para in re.finditer(r"[^\n]+", view):
        about = False
        for m in _SENTENCE.finditer(para.group()):
            about = about or "申请" in m.group()
            yield para.start() + m.start(), m.group(), about


def _value(m: re.Match[str]) -> float | int | None:
    """The number of a match, or None when it is approximate (1000余条, 1.9万多条)."""
    if _APPROX_AFTER.match(m.string, m.end("wan") if m.group("wan") else m.end("n")):
        return None
    return parse_number(m.group("n"), bool(m.group("wan")))


def _in_unit(metric: str, value: float | int, unit: str | None) -> float | int:
    """Amounts are stored in the metric's unit: 采购金额 in 万元, 信息处理费 in 元."""
    if metric == "publications.procurement_amount_wan_yuan" and unit == "元":
        value = round(value / 10_000, 6)
    elif metric == "publications.processing_fees_yuan" and unit == "万元":
        value = round(value * 10_000, 6)
    return int(value) if value == int(value) else value


def _other_year(sentence: str, pos: int, year: int | None) -> bool:
    """The figure at `pos` is about another year: the nearest topic year before it differs from the
    report year, or 上年/去年 stands right before the keyword."""
    if year is not None:
        last = None
        for y in _TOPIC_YEAR.finditer(sentence, 0, pos):
            last = int(y.group(1))
        if last is not None and last != year:
            return True
    return bool(_OTHER_YEAR_WORDS.search(sentence[max(0, pos - 4) : pos]))


def _clause_start(sentence: str, pos: int) -> int:
    return max(sentence.rfind(ch, 0, pos) for ch in ",;:") + 1


def _rule_hits(sentence: str, base: int, year: int | None, about_requests: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    for rule in _RULES:
        if rule.topic == "request" and not about_requests:
            continue
        for m in rule.pattern.finditer(sentence):
            value = _value(m)
            if value is None:
                continue
            value = _in_unit(rule.metric, value, m.groupdict().get("yuan"))
            clause = sentence[_clause_start(sentence, m.start()) : m.end()]
            if rule.topic == "request" and _NOT_REQUEST.search(clause):
                continue
            if rule.metric == "requests.carried_over":
                if not _adjacent_year_ok(m.group(), year, -1):
                    continue
            elif rule.metric == "requests.carried_forward":
                if not _adjacent_year_ok(m.group(), year, +1):
                    continue
            elif _other_year(sentence, m.start(), year):
                continue
            hits.append(_Hit(rule.metric, rule.applicant, value, base + m.start(), base + m.end()))
    return hits


def _adjacent_year_ok(matched: str, year: int | None, offset: int) -> bool:
    y = re.search(r"((?:19|20)\d{2})\s*年", matched)
    return y is None or year is None or int(y.group(1)) == year + offset


def _post_hits(sentence: str, base: int, year: int | None) -> list[_Hit]:
    hits: list[_Hit] = []
    media: list[_Hit] = []
    for m in _POSTS.finditer(sentence):
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year):
            continue
        channel = sentence[_clause_start(sentence, m.start()) : m.start()]
        verb, mid = m.group("verb"), m.group("mid")
        if _NEW_MEDIA.search(channel) and verb != "公开":
            media.append(_Hit("publications.new_media_posts", "total", value, base + m.start(), base + m.end()))
        elif verb == "主动公开" or (verb == "发布" and "公开" in mid):
            hits.append(_Hit("publications.proactive_items_total", "total", value, base + m.start(), base + m.end()))
        elif _WEBSITE.search(channel) and "发布" in verb:
            hits.append(_Hit("publications.website_posts", "total", value, base + m.start(), base + m.end()))
    if len(media) > 1:  # channels listed one by one: the metric is their sum
        total = sum(h.value for h in media)
        media = [_Hit("publications.new_media_posts", "total", total, media[0].start, media[-1].end)]
    hits.extend(media)
    for m in _INTERPRETATIONS.finditer(sentence):
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year):
            continue
        start = m.start()
        if not m.group().startswith("政策") and sentence[max(0, start - 2) : start] == "政策":
            start -= 2
        if start > 0 and sentence[start - 1] in "和及与":
            continue  # "公文和政策解读信息9条": a count of several things together
        hits.append(_Hit("publications.policy_interpretations", "total", value, base + start, base + m.end()))
    return hits


def _outcome_of(kw: str) -> str:
    for name, alt in _OUTCOMES.items():
        if re.fullmatch(alt, kw):
            return name
    return "other"


def _appeal_metric(topic: str, outcome: str | None, kw: str = "") -> str:
    group = "appeals.reconsideration" if topic == "复议" else "appeals.litigation"
    if outcome == "other" and kw == "驳回" and topic == "诉讼":
        outcome = "upheld"  # 驳回诉讼请求: the agency won
    return f"{group}_{outcome}" if outcome else f"{group}_total"


def _appeal_hits(sentence: str, base: int, year: int | None) -> list[_Hit]:
    if "复议" not in sentence and "诉讼" not in sentence:
        return []
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []

    def topic_at(pos: int) -> str | None:
        a, b = sentence.rfind("复议", 0, pos + 2), sentence.rfind("诉讼", 0, pos + 2)
        if a < 0 and b < 0:
            return None
        return "复议" if a > b else "诉讼"

    for m in _APPEAL_TOTAL.finditer(sentence):
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year):
            continue
        mid = m.group("mid")
        if re.search(r"已结|审结|办结", mid):
            continue
        kw = re.search(_OUTCOME_ALT, mid)
        metric = _appeal_metric(m.group("kw"), _outcome_of(kw.group()) if kw else None, kw.group() if kw else "")
        hits.append(_Hit(metric, "total", value, base + m.start(), base + m.end()))
        taken.append((m.start("n"), m.end("n")))
        if kw is None:
            # "行政复议1件,维持具体行政行为": no number, so all of them
            rest = sentence[m.end() :].lstrip(",;")
            nn = _OUTCOME_NO_NUMBER.match(rest)
            if nn and not re.match(r"[^,;。]*\d", rest):
                end = m.end() + (len(sentence[m.end() :]) - len(rest)) + nn.end()
                metric = _appeal_metric(m.group("kw"), _outcome_of(nn.group("kw")), nn.group("kw"))
                hits.append(_Hit(metric, "total", value, base + m.start(), base + end))
    for pattern in (_OUTCOME_BEFORE, _OUTCOME_AFTER):
        for m in pattern.finditer(sentence):
            if any(a <= m.start("n") < b for a, b in taken):
                continue
            topic = topic_at(m.start())
            if topic is None:
                continue
            value = _value(m)
            if value is None:
                continue
            kw = m.group("kw")
            metric = _appeal_metric(topic, _outcome_of(kw), kw)
            hits.append(_Hit(metric, "total", value, base + m.start(), base + m.end()))
            taken.append((m.start("n"), m.end("n")))
    return hits


def _zero_hits(sentence: str, base: int) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _NEGATION.finditer(sentence):
        end = _clause_end(sentence, m.end())
        span = sentence[m.end() : end]
        for word, metric in _ZERO_TOPICS:
            at = span.find(word)
            if at < 0:
                continue
            after = span[at + len(word) : at + len(word) + 6]
            if re.match(rf"\s*(?:案件)?(?:被)?(?:{_OUTCOME_ALT})", after):
                continue  # "未发生行政诉讼败诉": a zero outcome, not a zero total
            if metric == "requests.denied_total" or metric == "requests.not_processed_total":
                if "申请" not in sentence and "情况" not in span:
                    continue
            hits.append(_Hit(metric, "total", 0, base + m.start(), base + end))
    for m in _NO_REQUESTS.finditer(sentence):
        hits.append(_Hit("requests.new_received", "total", 0, base + m.start(), base + m.end()))
    # the same metric twice from one negation (收费 and 信息处理费) counts once
    seen: set[str] = set()
    return [h for h in hits if not (h.metric in seen or seen.add(h.metric))]


def _clause_end(sentence: str, pos: int) -> int:
    ends = [i for i in (sentence.find(ch, pos) for ch in ",;:") if i >= 0]
    return min(ends) if ends else len(sentence)


def _gross_received(text: str, hits: list[_Hit]) -> bool:
    """Whether the stated received figure already includes the carry-over."""
    first = {}
    for h in hits:
        if h.applicant == "total":
            first.setdefault(h.metric, h)
    received = first.get("requests.new_received")
    if received is None:
        return False
    if re.match(r"\s*\(?\s*(?:其中)?含(?:上年|上一年|(?:19|20)\d\d年)", text[received.end : received.end + 12]):
        return True
    closed, forward = first.get("requests.closed_total"), first.get("requests.carried_forward")
    carried = first.get("requests.carried_over")
    if closed is None or forward is None:
        return False
    if received.value == closed.value + forward.value and (carried is None or carried.value > 0):
        return True
    return False


def text_facts(text: str, *, year: int | None = None, warnings: list[str] | None = None) -> list[Fact]:
    """Facts stated in the prose of `text` (method "text"). `year` is the report year: figures the text
    attributes to another year are skipped. Notes on dropped statements are appended to `warnings`."""
    prose = _prose_view(text)
    view = prose.text
    hits: list[_Hit] = []
    for base, sentence, about_requests in _sentences(view):
        if not re.search(r"\d|[一二两三四五六七八九十]件", sentence) and not _NEGATION.search(sentence):
            continue
        hits.extend(_rule_hits(sentence, base, year, about_requests))
        hits.extend(_post_hits(sentence, base, year))
        hits.extend(_appeal_hits(sentence, base, year))
        hits.extend(_zero_hits(sentence, base))
    warnings = warnings if warnings is not None else []
    if _gross_received(view, hits):
        hits = [h for h in hits if h.metric != "requests.new_received"]
        warnings.append("the received figure includes requests carried over: new_received not stated")
    hits.sort(key=lambda h: h.start)
    facts: list[Fact] = []
    chosen: dict[tuple[str, str], _Hit] = {}
    others: dict[tuple[str, str], list[float | int]] = {}
    for h in hits:
        key = (h.metric, h.applicant)
        prior = chosen.get(key)
        if prior is None:
            chosen[key] = h
            continue
        if prior.value == h.value:
            continue
        if prior.value == 0 and h.value != 0 and _is_zero_statement(prior):
            chosen[key] = h  # a stated count beats a general "未发生" sentence
            continue
        others.setdefault(key, []).append(h.value)
    for (metric, applicant), values in others.items():
        shown = ", ".join(map(str, values[:5])) + (f" and {len(values) - 5} more" if len(values) > 5 else "")
        warnings.append(
            f"text states {metric}@{applicant} with other values ({shown}); kept the first, "
            f"{chosen[(metric, applicant)].value}"
        )
    for h in sorted(chosen.values(), key=lambda h: h.start):
        start, end = prose.to_text(h.start), prose.to_text(h.end - 1) + 1
        facts.append(Fact(h.metric, h.value, h.applicant, "text", text[start:end], start, end))
    return facts


def _is_zero_statement(hit: _Hit) -> bool:
    return hit.value == 0


def uses_statistics_2014_wording(text: str) -> bool:
    """The 2014-2018 statistics form's row names ("…数") used as prose labels."""
    words = ("属于已主动公开范围数", "不属于本行政机关公开数", "申请信息不存在数", "告知作出更改补充数",
             "告知通过其他途径办理数", "同意公开答复数", "不同意公开答复数", "同意部分公开答复数")
    return sum(w in text for w in words) >= 2
