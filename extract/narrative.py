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
  when no carry-over is stated) is not `new_received`; its applicant split goes with it; a 处理 total
  equal to another closed figure + forward ("共处理1717件(包含上年结转76件),1646件已答复,71件结转") is
  not `closed_total`;
- a request topic runs from a sentence naming 申请 to the next sentence only, and business that is not
  an information request (审批事项, 12345热线, 信箱, 建议提案, 人次) takes the counts after it;
- posts: one named website → website_posts, the whole (主动公开政府信息, several sites, 全县累计) →
  proactive_items_total, new-media channels listed one by one are summed unless a new-media total is
  stated; a part of the body (县直各单位, 部门和乡镇) is no figure of the body; counts in 万 without four
  decimals ("1.42万条") are rounded, not facts; numbers of more than 12 digits are skipped with a warning;
- a stated reason of 不予公开 / 无法提供 / 不予处理 gives its own key ("因本机关不掌握相关政府信息无法提供1件" →
  unavailable_not_held), the group key only when no single reason is named; "收到和办理N件" is received and
  closed; applicants as 自然人申请件N件, the 2021 form's kinds (商业企业N件), "均为自然人申请" (the received
  figure, for that applicant only); a category line ("其他应主动公开政府信息856条") is no total;
- 2008-2018 vocabulary (同意公开, 否决公开, 免于公开, 非本机关职责范围 …, units 条) and the statistics
  form annexed to such reports, read where its glued digits allow one reading — or one is left once the
  prose's figure for the row and the row above it (a "其中" row is at most its parent) are applied.
First statement of a metric wins; a later different value is dropped with a warning. The arithmetic
(`text_checks`): received + carried = closed + forward, the stated outcomes against closed, a channel
total against its breakdown; facts an identity verifies get confidence "verified", a failed balance
marks its figures "conflict".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain

from extract.record import Check, Fact

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

# A number: "1,234" (grouped), "12" or "1.5", or Chinese numerals. The plain formulation is
# N_PLAIN; N reads the same numbers in the same order of preference, but opens with one character class
# (the first digit or numeral, then the branch that character allows), which lets the regex engine skip
# to the candidate characters of a sentence instead of trying the alternatives at every position. Its
# runs of digits and numerals are possessive: no rule has a digit or numeral after a number, so giving
# one back never leads to a match, and backtracking through every digit of a long run (the glued
# figures of a flattened table) at every start in it was most of what the rules cost on such a text.
# A figure in digits starts where no digit stands before it: a pattern is not tried at every digit of a long
# run (a 45,000-digit run had made the patterns that open with a number quadratic, 6 s for one page).
N_PLAIN = (r"(?P<n>(?<!\d)\d{1,3}(?:,\d{3})+(?!\d)|(?<!\d)\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
           r"\s*(?P<wan>万)?")
_CN_NUMERALS = "零〇一二两三四五六七八九十百千"
N = (rf"(?P<n>(?:(?<!\d)\d|[{_CN_NUMERALS}])"
     rf"(?:(?<=\d)(?:\d{{0,2}}(?:,\d{{3}})+(?!\d)|\d*+(?:\.\d++)?)|(?<!\d)[{_CN_NUMERALS}]*+))"
     r"\s*(?P<wan>万)?")
_APPROX_AFTER = re.compile(r"\s*(?:余|多|以上|左右|上下)")
# A count is never this large; a longer digit run is an ID, a glued table row or junk (and 309 nines would
# overflow a float): skipped with a warning, never an exception.
MAX_VALUE = 10**12
# Both open with a character class so the engine skips to candidates (plain: \d{13,} and
# \d|[一二两三四五六七八九十]件; _HAS_FIGURE is only asked whether it is found).
_HUGE_DIGITS = re.compile(r"\d\d{12,}")
_HAS_FIGURE = re.compile(r"[\d一二两三四五六七八九十](?:(?<=\d)|件)")  # a sentence that can state a count


def parse_number(digits: str, wan: bool = False) -> float | int | None:
    """"615" → 615, "三" → 3, "十二" → 12, "一百二十" → 120, ("1.2", 万) → 12000."""
    if digits[0].isdigit():
        plain = digits.replace(",", "")
        if len(plain.partition(".")[0]) > 13:
            return None
        value: float = float(plain)
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
    if not value < MAX_VALUE:
        return None
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


# "依申请公开政府信息64件", "收到申请政府信息公开26件", and 依申公开 (请 dropped, as written)
_REQ_OBJ = (r"(?:(?:政府信息公开|信息公开|依申请(?:信息)?公开|公开)?申请(?:公开)?(?:政府)?(?:信息)?(?:公开)?|依申公开)"
            r"(?:件|事项|请求|信件)?")
_QTY = r"(?:数量|总数|数|总量)?(?:共计|共|总计|合计|累计)?(?:为|是|达到|达)?\s*"
_YEARISH = r"(?:上一?年度?|去年|(?:19|20)\d\d\s*年度?)"
_NEXT = r"(?:下一?年度?|次年|(?:19|20)\d\d\s*年度?)"
# Requests are counted in 件; pre-2019 reports (and the statistics form's 计量单位) also say 条 or 宗, and some
# bodies 起 (cases: "收到信息公开申请22起") or 份 (documents: "新收政府信息公开申请7份")
U = r"\s*(?:件|条|宗|起|份)(?:\(次\))?"
# how a channel's requests came in: "信函申请12件", "通过信函提交申请的171件", "当面提交13件", "提交申请表的862件"
_SUBMITTED = r"(?:(?:提交|提出|递交)(?:的)?(?:申请)?(?:表)?|申请(?:表)?)(?:的)?"
# "…数" is how the 2008-2018 statistics form names its rows (同意公开答复数17条)
_SHU = r"(?:数|数量)?"

# The reasons of the outcome groups 不予公开 / 无法提供 / 不予处理 (the rows 1-8, 1-3, 1-5 of the form), as the
# prose words them: "因本机关不掌握相关政府信息无法提供1件", "属于国家秘密不予公开2件", "重复申请3件". A count
# after a stated reason is that reason's, even when the group's verb stands between (see _specific_over_group).
_REASONS: tuple[tuple[str, str], ...] = (
    ("requests.denied_state_secret", r"(?:属于|涉及)?国家秘密"),
    ("requests.denied_prohibited_by_law", r"(?:其他)?法律(?:、|及|和)?(?:行政)?法规禁止(?:公开)?"),
    ("requests.denied_three_safeties", r"危及(?:“)?三安全一稳定(?:”)?"),
    ("requests.denied_third_party", r"(?:保护|涉及|损害)第三方合法权益"),
    ("requests.denied_internal_affairs", r"(?:属于|属)?(?:三类|政府)?内部事务(?:信息)?"),
    ("requests.denied_process_info", r"(?:属于|属)?(?:四类)?过程性信息"),
    ("requests.denied_enforcement_file", r"(?:属于|属)?行政执法案卷(?:信息)?"),
    ("requests.denied_query_matter", r"(?:属于|属)?行政查询事项"),
    ("requests.unavailable_not_held", r"(?:本机关|本机构|本单位|本行政机关)?不掌握(?:的)?(?:相关)?(?:政府)?(?:信息)?"),
    ("requests.unavailable_needs_creation", r"(?:没有现成信息)?(?:需要|需)?另行制作(?:的)?(?:信息)?"),
    ("requests.unavailable_unclear", r"(?:补正后)?申请内容(?:仍)?不明确"),
    ("requests.not_processed_petition", r"信访举报投诉类(?:申请)?"),
    ("requests.not_processed_repeated", r"重复申请"),
    ("requests.not_processed_publication", r"要求提供公开出版物"),
    ("requests.not_processed_excessive", r"无正当理由大量反复申请"),
    ("requests.not_processed_confirmation", r"要求(?:行政机关)?确认或重新出具已获取信息"),
)
# each reason's group: a group figure on the same number as a reason figure is the reason's
_GROUP_OF = {m: "requests.denied_total" for m, _ in _REASONS[:8]} | {
    m: "requests.unavailable_total" for m, _ in _REASONS[8:11]} | {
    m: "requests.not_processed_total" for m, _ in _REASONS[11:]}
_GROUP_VERBS = "不予公开|无法提供|不予提供|不予处理|不公开"
# between a reason and its count: a few words, never a list of reasons ("信访、重复申请等": the group's figure)
_REASON_GAP = r"[^,;:。()\d、和及与或等]{0,12}?"

# The applicants as the prose names them: 法人或其他组织 together (the 2019 form) or the 2021 form's kinds
# ("涉及自然人80件、商业企业1件"); 其他 alone is too vague to be other_org.
_APPLICANT_WORDS: tuple[tuple[str, str], ...] = (
    ("natural_person", "(?:(?<!其他)自然人|公民(?:个人)?)"),
    ("organization", "法人(?:或|和|及)?其他组织"),
    ("commercial_enterprise", "商业企业"),
    ("research_institution", "科研机构"),
    ("public_interest_org", "社会公益组织"),
    ("legal_service_org", "法律服务机构"),
)

# The channels requests came in by, as the prose names them, and the words a channel may take after it
# ("网络渠道申请30件"): read by the channel rules and by "均为网上申请" (_ALL_BY)
_CHANNEL_WORDS: tuple[tuple[str, str, str], ...] = (
    ("requests.received_by_letter", "信函|邮寄", "方式"),
    ("requests.received_online", "网络|网上|互联网|电子邮件|在线|网站", "方式|渠道|平台"),
    ("requests.received_in_person", "当面|现场", "方式"),
    ("requests.received_by_fax", "传真", "方式"),
)

_RULES: tuple[_Rule, ...] = (
    # requests: received / carried over / closed / carried forward
    _r("requests.new_received",
       rf"(?:收到|受理|新收|接收|接到)(?:了)?[^,;:()\d]{{0,16}}?{_REQ_OBJ}{_QTY}{N}{U}", "request"),
    # "受理公民、法人和其他组织向市政府及市政府办公室提出的政府信息公开申请5件": who asked whom, before the object
    _r("requests.new_received",
       rf"(?:收到|受理|接到)(?:了)?[^,;:()\d。]{{0,40}}?提出的{_REQ_OBJ}{_QTY}{N}{U}", "request"),
    _r("requests.new_received",
       rf"(?:收到|受理|新收|接到)(?:了)?(?:各类)?\s*{N}{U}(?:政府信息公开|信息公开|依申请公开)?(?:申请|请求)",
       "request"),
    # "共受理…申请15件,其中新收到14件": the new ones named by 新 alone, the object left to the sentence
    _r("requests.new_received",
       rf"(?:新收到|新受理|新接收)(?:了)?(?:的)?(?:政府信息公开|信息公开|依申请公开)?(?:申请)?(?:共)?\s*{N}{U}",
       "request"),
    _r("requests.carried_over",
       rf"{_YEARISH}(?:的)?(?:结转|转结)(?:的)?(?:政府信息公开|信息公开|依申请公开)?(?:申请|信件)?(?:件)?(?:数量|数)?(?:共)?"
       rf"\s*{N}{U}"),
    # "结转上年度政府信息公开申请10件": the carry-over named verb first
    _r("requests.carried_over",
       rf"(?:结转|转结)(?:自)?(?:上一?年度?|去年)(?:办理)?(?:的)?(?:政府信息公开|信息公开|依申请公开)?(?:申请)?(?:共)?\s*{N}{U}"),
    _r("requests.closed_total",
       rf"(?<![续转他予开意])(?<!下年度)(?<!下一年度)(?<!下年)(?<!次年)(?:办结|答复|办理完毕|办理|处理|完成)(?:了)?(?:各类)?"
       rf"(?:(?:政府信息)?依申请(?:信息)?(?:公开)?(?:申请)?|(?:政府)?信息公开申请|申请)?(?:件)?{_QTY}{N}{U}",
       "request"),
    # "在已经答复的5件申请中": the answered ones counted after the verb
    _r("requests.closed_total", rf"(?:已经|已)(?:依法)?(?:答复|办结)(?:的)?(?:申请)?\s*{N}{U}(?:申请)?", "request"),
    # "1646件已全部依法答复": the number before the verb
    _r("requests.closed_total",
       rf"{N}{U}(?:申请)?(?:已|均已|已经|已全部|已依法)[^,;:()\d]{{0,10}}?(?:答复|办结|办理完毕|处理完毕)", "request"),
    _r("requests.carried_forward",
       rf"{N}{U}(?:申请)?(?:结转|转|顺延)(?:至|到|入)?{_NEXT}(?:继续)?(?:办理|答复)?", "request"),
    # "71件结转" at the end of a clause: carried to next year without saying so
    _r("requests.carried_forward", rf"{N}{U}(?:申请)?(?:结转|顺延)(?:办理)?(?=\s*(?:[,;。)]|$))", "request"),
    _r("requests.carried_forward",
       rf"(?:结转|转入|转)(?:至|到)?{_NEXT}(?:继续)?(?:办理)?(?:答复)?(?:的)?(?:申请)?(?:有|共|为)?\s*{N}{U}"),
    # requests: outcomes (current and 2008-2018 wording: 同意公开 / 同意部分公开 / 不同意公开 / 否决公开 / 免于公开)
    _r("requests.granted",
       rf"(?<!不)(?:(?<!部分)予以公开|(?<!部分)同意公开|全部公开|(?<![不分它他于决意予动])公开答复"
       rf"|属于(?:可)?公开范围"  # "其中:属于公开范围5件,属于部分公开范围4件"
       # "答复22起。其中公开1起,不属于政府信息4起": the bare verb opening an item of the outcomes
       rf"|(?:(?<=其中)|(?<=[,;、:]))公开(?=\s*[\d一二两三四五六七八九十]))(?:答复)?{_SHU}(?:的)?(?:有|共)?"
       rf"\s*{N}{U}", "request"),
    # "区分处理后公开11件": the form's 部分公开(区分处理的…)
    _r("requests.partially_granted",
       rf"(?:部分(?:予以)?公开|区分处理(?:后)?(?:予以)?公开)(?:范围)?(?:答复)?{_SHU}(?:的)?(?:有)?\s*{N}{U}",
       "request"),
    _r("requests.denied_total",
       rf"(?:不予公开|不同意公开|否决公开|免于公开|免予公开)(?:答复)?{_SHU}(?:的)?(?:有)?\s*{N}{U}", "request"),
    _r("requests.unavailable_total",
       rf"无法提供(?:的)?(?:相关)?(?:政府)?(?:信息)?(?:的)?(?:答复)?\s*{N}{U}", "request"),
    _r("requests.not_processed_total", rf"不予处理(?:的)?\s*{N}{U}", "request"),
    _r("requests.other_total", rf"其他处理(?:的)?\s*{N}{U}", "request"),
    *(
        _r(metric, rf"{reason}{_REASON_GAP}(?:{_GROUP_VERBS})?(?:的)?(?:申请)?(?:共)?\s*{N}{U}", "request")
        for metric, reason in _REASONS
    ),
    # the count before its reason: "不予公开2件,其中1件因涉及第三方合法权益,1件属于政府内部事务信息"
    *(
        _r(metric, rf"(?<=[,;:、其中]){N}{U}(?:是|系)?(?:因|由于|因为)?{reason}(?=\s*(?:[,;。)]|$))", "request")
        for metric, reason in _REASONS
    ),
    # 2008-2018 statistics form wording and older narratives
    _r("requests.legacy_already_public", rf"属于已主动公开(?:范围)?(?:的)?(?:答复)?{_SHU}\s*{N}{U}", "request"),
    _r("requests.legacy_not_this_agency",
       rf"(?:不属于本(?:行政)?(?:机关|机构|单位)(?:公开)?(?:范围)?|非本(?:行政)?(?:机关|机构|单位)(?:职责|职能)?(?:范围)?)"
       rf"(?:的)?{_SHU}\s*{N}{U}", "request"),
    _r("requests.legacy_not_exist", rf"(?:(?:申请)?信息不存在|(?:(?<=其中)|(?<=[,;、:]))不存在)(?:的)?{_SHU}\s*{N}{U}",
       "request"),
    _r("requests.legacy_asked_to_amend", rf"告知作出更改补充(?:的)?{_SHU}\s*{N}{U}", "request"),
    _r("requests.legacy_redirected", rf"告知(?:通过)?其他途径(?:办理)?(?:的)?{_SHU}\s*{N}{U}", "request"),
    *(
        _r(metric, rf"(?:{words})(?:{ways})?{_SUBMITTED}{_SHU}\s*{N}{U}", "request")
        for metric, words, ways in _CHANNEL_WORDS
    ),
    # "自然人申请12件", "自然人申请件12件", "自然人提出的申请数为12件"
    # "自然人申请12件", "自然人申请件12件", "法人或其他组织提出的申请数为3件", "商业企业1件"
    *(
        _r("requests.new_received", rf"{words}(?:提出)?(?:的)?(?:申请)?(?:件|数)?(?:的)?(?:为|共)?\s*{N}{U}",
           "request", applicant)
        for applicant, words in _APPLICANT_WORDS
    ),
    # publications
    # "全年政府信息主动公开52条": the information named before the verb
    _r("publications.proactive_items_total",
       rf"(?<![类他它应])(?:政府|政务)信息主动公开(?:数量|总数|数)?(?:共|共计|为|达)?\s*{N}\s*条"),
    _r("publications.normative_docs_issued", rf"(?:制发|印发|出台|制定)(?:了)?(?:的)?\s*{N}\s*件(?:行政)?规范性文件"),
    _r("publications.normative_docs_issued", rf"(?:制发|印发|出台|制定)(?:了)?(?:行政)?规范性文件(?:共)?\s*{N}\s*件"),
    # "经清理,已宣布废止规范性文件5件,拟适时修改3件": repealed (what is only planned, 拟废止, is not)
    _r("publications.normative_docs_repealed",
       rf"(?<![拟将待])(?:宣布)?废止(?:了)?(?:的)?(?:行政)?规范性文件(?:共)?\s*{N}\s*件"),
    _r("publications.normative_docs_repealed",
       rf"(?<![拟将待])(?:宣布)?废止(?:了)?(?:的)?\s*{N}\s*件(?:行政)?规范性文件"),
    # "主动公开规章4件、行政规范性文件1071件", "發布省政府規章3件": the 2019 form's 本年新公开数量 (_PUBLISHED_YEARS)
    _r("publications.regulations_published",
       rf"(?:主动公开|发布|公布)(?:了)?(?:省政府|市政府|区政府|县政府|政府)?规章(?:共)?\s*{N}\s*件"),
    _r("publications.normative_docs_published",
       rf"(?:主动公开|发布|公布)(?:了)?(?:[^,;。\d]{{0,8}}?规章\s*\d+\s*件、)?(?:省政府|市政府|政府)?(?:行政)?规范性文件"
       rf"(?:共)?\s*{N}\s*件"),
    # "清理并集中发布现行有效行政规范性文件393件": the documents in force, not those issued this year
    _r("publications.normative_docs_in_force",
       rf"现行有效(?:的)?(?:行政)?规范性文件(?:共|共计|数量为|为)?\s*{N}\s*件"),
    _r("publications.licensing_decisions",
       rf"行政许可(?:(?:19|20)\d\d年)?(?:处理)?(?:决定)?(?:数量|数)?(?:为|共)?\s*{N}\s*(?:项|件|个)"),
    # "行政事业性收费0元": table 二's fee row written as prose
    _r("publications.fees_amount_wan_yuan",
       rf"行政事业性收费(?:(?:19|20)\d\d年)?(?:收费)?(?:金额)?(?:为|共)?\s*{N}\s*(?P<yuan>万元|元)"),
    # "本年出台行政规范性文件:制发件数2件,废止件数1件,现行有效件数22件": table 二's columns written as prose
    # ("行政规范性文件发布数量0条、废止数量0条及现行有效数量0条": the same in other words)
    _r("publications.normative_docs_issued",
       rf"规范性文件[::]?\s*(?:本年)?(?:制发|发布|印发)(?:件数|数量)(?:为)?\s*{N}\s*[件条]"),
    _r("publications.normative_docs_repealed",
       rf"规范性文件[::]?[^。;:\d]{{0,6}}?\d+[件条][,,、]\s*(?:本年)?废止(?:件数|数量)(?:为)?\s*{N}\s*[件条]"),
    _r("publications.normative_docs_in_force",
       rf"规范性文件[::]?[^。;:\d]{{0,6}}?\d+[件条][,,、][^。;:\d]{{0,8}}?\d+[件条](?:[,,、]|及|和)\s*"
       rf"现行有效(?:件数|数量)(?:为)?\s*{N}\s*[件条]"),
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
# "主动全面公开规划信息、行政许可、重大民生信息等政府信息19322条": the categories listed before 等 are the figure's
_POSTS = re.compile(
    rf"(?P<verb>主动(?:全面)?公开|主动发布|发布|推送|公开|公布|上传)(?:(?:和|及|、|并)(?:转发|转载))?(?:了)?"
    rf"(?P<list>[^,;。\d]{{2,120}}?等(?:领域|方面|类)?)?"
    rf"(?P<mid>(?:我[区县市局镇委厅办]|本(?:级|单位|机关)|各级|单位|各类|各种|的|动态|公开|政府|政务|网站"
    rf"|(?:当年|本年度?)?(?:生成|制作|产生|形成)的"  # "共主动公开当年生成的各类政府信息47条"
    # a field of work before the government's information ("主动公开公安政府信息179条"), not a category
    rf"|(?!领域|重点|其他|其它|相关|有关|涉及)[\u4e00-\u9fff]{{2}}(?=政府信息))*)(?:信息|信)"
    rf"(?:数量|总数|条数|数)?(?:共计|合计|总计|共有|共|达到|达|累计|为|是|计)*\s*{N}\s*(?:条|篇|件)"
)
# the count before what was published: "共主动公开158份信息稿件" (the same groups as _POSTS; no list)
# ("今年我局公开356条政务信息": plain 公开 only before the government's information by name)
_POSTS_COUNT_FIRST = re.compile(
    rf"(?P<verb>主动(?:全面)?公开|主动发布|公开(?=(?:了)?\s*\d+\s*(?:条|份|篇)(?:政府|政务)信息))(?:了)?"
    rf"(?P<list>(?!))?(?P<mid>(?:各类|各种)?)\s*{N}\s*(?:条|份|篇)(?P<noun>(?:政府|政务)?)信息(?:稿件)?")
# a channel with its count and no verb: "政务微信321条,政务微博260条,抖音号79条"
_MEDIA_ITEM = re.compile(
    rf"(?:政务)?(?P<ch>微信(?:公众号|公众平台)?|微博|抖音(?:号)?|(?:今日)?头条(?:号)?|快手(?:号)?|视频号|客户端|APP|app)"
    rf"(?:账号)?(?:平台)?(?:\((?:含)?(?:转发|转载|原创)[^()\d]{{0,6}}\))?(?:发布|推送)?(?:各类)?(?:政务)?(?:信息|文章|推文)?"
    rf"(?:共|累计)?\s*{N}\s*(?:条|篇)"
)
# the government's portal, where everything published goes ("通过区政府门户网站主动公开信息74条": the whole), as
# against "在互联网上…主动公开信息数为1795条" (one office's count on the web)
_PORTAL = re.compile(r"门户网站|政府网站|政府网")
_OWN_SITE = re.compile(r"部门网站|本(?:单位|机关|部门)网站|(?:委|局|厅|办)(?:门户)?网站")
# a new-media channel with a count a few words on ("政务微信、微博主动公开政府信696条"): the sentence lists channels
_MEDIA_COUNT = re.compile(r"(?:微信|微博|抖音|头条|快手|视频号|公众号|新媒体)[^,;。\d]{0,20}?\d+\s*(?:条|篇)")
# the count after the verb, the channel named earlier in the sentence: "开通官方微信公众号,2023年度共发送784条信息"
_MEDIA_SENT = re.compile(
    rf"(?:发送|发布|推送|编发|推出|转载|转发)(?:、(?:发布|转载|转发))?(?:了)?(?:各类)?"
    # "微信公众号推送各类报道、信息231条": the kinds of item before 信息
    rf"(?:(?:报道|稿件|文章|动态|新闻)、)?(?:信息|文章|推文|短视频|视频|微博)?"
    rf"(?:共)?\s*{N}\s*(?:条|篇)")
# a channel's running total since it opened ("截至目前累计发送1063条信息"): another period than the year's
_SINCE_OPENING = re.compile(r"累计|截至|截止|开通以来|以来")
# a running total since the Regulations or the site began, not the year's: "本单位到目前累计主动公开政府信息100条",
# "截止20101231日,全乡累计主动公开政府信息65条", "截止2014年12月25日,我局在…门户网站累计主动公开政府信息805条"
# ("全年累计" is the year's)
_RUNNING_TOTAL = re.compile(
    r"(?:到目前|截至目前|截止目前|至今|历年|(?:截至|截止)[^。;]{0,40}?(?<!全年)(?<!本年)|到(?:19|20)\d\d年(?:底|末))累计")
_NEW_MEDIA = re.compile(r"微信|微博|新媒体|公众号|头条|抖音|视频号|客户端|APP|app|快手")
# one of them is in every _MEDIA_ITEM match: substring tests first (patterns opening with options are
# tried at every position)
_MEDIA_WORDS = ("微信", "微博", "抖音", "头条", "快手", "视频号", "客户端", "APP", "app")
_POST_VERBS = ("公开", "发布", "推送", "公布", "上传")  # one of them is in every _POSTS match
_GENERIC_MEDIA = re.compile(r"新媒体")
_MEDIA_ROUGHLY = re.compile(
    r"(?:微信|微博|抖音|头条|快手|视频号|客户端|公众号)[^,;。\d]{0,12}?\d+\s*(?:余|多)\s*(?:条|篇)")
# "截至11月份", "截至10月底": a figure counted up to a month before December is not the year's
_PART_OF_YEAR = re.compile(r"截[至止](?:目前|\d{4}年)?(?:[1-9]|1[01]|[一二三四五六七八九十]|十一)月(?:份|底|末)?")
# "通过省政府门户网站、《广东省人民政府公报》及官方微博微信等主动公开政府信息345条": a site or the gazette listed
# with the new media is every channel, the report's whole figure
_MIXED_CHANNELS = re.compile(r"(?:门户网站|网站|政府网|公报|官网)(?:[^,;。]{0,30}?(?:、|及|和|与)|等|为主渠道)")
_SITE = r"(?:门户网站|官方网站|网站|门户|专栏|网页|政务网|政府网|官网|互联网)"
_WEBSITE = re.compile(_SITE)
# "在门户网站和官网上…": several sites together are the whole, not one channel
_SITE_ITEM = re.compile(rf"(?P<site>门户网站|官方网站|网站)(?:发布|公开|推送)(?:了)?(?:共)?\s*{N}\s*(?:条|篇)")
# the body's disclosure column or platform, where what it publishes on its own initiative goes
_DISCLOSURE_CHANNEL = re.compile(r"(?:政府|政务)信息公开(?:栏目|专栏|平台)")
_COLUMN = re.compile(r"专栏|栏目")
_REAL_SITE = re.compile(r"门户网站|官方网站|网站|政务网|政府网|官网")
# "主动公开政府信息88条、规范性文件2条、…": a count followed by more kinds of information, a list
# (not a list of channels: "政府网站公开政府信息数112条、“幸福同田”微信公众号公开政府信息数85条")
_LIST_GOES_ON = re.compile(
    r"、(?![^,;。\d]*?(?:微信|微博|网|公众号|新媒体|客户端|抖音|头条|公开|发布|推送))[^,;。\d]{1,20}?\d+\s*[条篇件]")
_SEVERAL_SITES = re.compile(rf"{_SITE}[^,;。]{{0,8}}?[和及与、][^,;。]{{0,8}}?{_SITE}")
# the figure of part of the reporting body (its departments, towns, units), not the body's own
_SUB_SCOPE = re.compile(r"各(?:单位|部门|乡镇|镇|街道|处室|县|区)|[县市区]直|部门和|镇\(街道\)|乡镇|下属")
_WHOLE_SCOPE = re.compile(r"全(?:县|区|市|省|州|旗|镇|乡|街道|年|局)|累计|各级")
# the words before a posts verb that make its figure a category of the information (a line of the list
# "机构职能类信息25条, …, 其他应主动公开政府信息856条"): 应 (what must be published: a kind, not an act),
# 其他/其它 (the list's remainder)
_CATEGORY_BEFORE = re.compile(r"(?:其他|其它|应|类)$")
_BREAKDOWN_AFTER = re.compile(r"\s*[(（。,;]?\s*其中")
# "通过其他方式公开政府信息54条": the channels not named, one part of the whole
_OTHER_CHANNELS = re.compile(r"其[他它](?:方式|渠道|途径|形式|平台|载体)$")
_INTERPRETATIONS = re.compile(
    rf"(?:政策)?解读(?:类)?(?:信息|材料|稿件|文章|政策文件|文件|栏目)?(?:共|累计)?(?:发布|推出|刊发)?(?:共)?\s*{N}\s*(?:篇|条|个|件|期|份)"
)

# appeals
_APPEAL_UNIT = r"(?:件|起|宗)"
_APPEAL_TOTAL = re.compile(
    rf"(?P<kw>复议|诉讼)(?P<mid>[^,;:。、()\d]{{0,12}}?)(?:共|总计|合计)?\s*{N}\s*{_APPEAL_UNIT}")
_OUTCOMES = {
    "upheld": r"维持|胜诉",
    "corrected": r"纠错|纠正|败诉|被撤销|撤销|确认违法",
    "other": r"其他结果|撤回|撤诉|终止|驳回",
    "pending": r"尚未审结|未审结|审理中|未结",
}
_OUTCOME_ALT = "|".join(_OUTCOMES.values())
# "有1件涉及政府信息公开工作的行政复议": the count before the appeal, linked to information disclosure
_APPEAL_BEFORE = re.compile(
    rf"(?<!没有)(?<!无)(?<!未有){N}\s*{_APPEAL_UNIT}(?P<mid>[^,;:。、()\d]{{0,16}}?(?:信息公开|申请)[^,;:。、()\d]{{0,8}}?)(?P<kw>行政复议|行政诉讼)"
)
# "1件被复议机关撤销…", "2件正在复议机关审理中": the body that decided may stand between
_OUTCOME_BEFORE = re.compile(rf"{N}\s*{_APPEAL_UNIT}(?:[^,;:。、()\d]{{0,8}}?)(?P<kw>{_OUTCOME_ALT})")
_OUTCOME_AFTER = re.compile(
    rf"(?P<kw>{_OUTCOME_ALT})(?:原办理结果|具体行政行为)?(?:的)?(?:案件)?\s*{N}(?:\s*{_APPEAL_UNIT}|(?=\s*[,;)、]))"
)
# "行政诉讼有1件,目前正在法院审理中": the outcome of all of them, without a number
_OUTCOME_NO_NUMBER = re.compile(
    rf"^\s*(?:均|全部|都|目前|现|仍)?(?:正在|仍在|在)?(?:法院|复议机关|人民法院)?(?:结果)?(?:均为|为|是)?(?P<kw>{_OUTCOME_ALT})")
# the two kinds of litigation table 四 splits, in prose: "其中未经复议直接起诉2件,均尚未审结。复议后起诉1件,结果维持"
_LITIGATION_KIND = re.compile(
    rf"(?P<kind>未经复议直接(?:起诉|提起(?:行政)?诉讼)|直接(?:向法院)?起诉|(?:经)?复议后(?:起诉|提起(?:行政)?诉讼))"
    rf"(?:的)?(?:案件)?(?:共|为)?\s*{N}\s*{_APPEAL_UNIT}")

# zeros: "未发生…行政复议、行政诉讼", "不存在不予公开和不予处理情况", "未发生收费情况"
_NEGATION = re.compile(
    r"(?:未发生|没有发生|未出现|没有出现|不存在|未收到|没有收到|未接到|没有接到|未产生|没有产生|未收取|没有收取"
    r"|没有一件|无一件|未有一件"
    r"|(?:没有|未)被(?=申请|提起|起诉)"  # "没有被申请行政复议、提起行政诉讼的情况"
    r"|(?:没有|未)(?=因(?:政府)?信息公开|因依申请)"  # "没有因政府信息公开针对区公安局申请行政复议或行政诉讼的事项"
    r"|无(?=因|涉及|行政复议|行政诉讼|政府信息公开|信息公开|依申请公开|相关|此类|收取|收费|不予|信息处理费|上一?年|结转|转入"
    r"|被申请|被提起))"
)
# the other kind of appeal listed after one ("行政诉讼、行政复议败诉"): an outcome after the list is both kinds
_LISTED_APPEALS = re.compile(r"^(?:[、和及或与](?:行政)?(?:复议|诉讼))+")
# "全年未收到政府信息公开申请": no new requests (not "未收到…申请引起的行政复议")
_NO_REQUESTS = re.compile(
    r"(?:(?:(?:未收到|没有收到|未收到过|没有收到过|无)(?:任何|有关|相关)?(?:政府信息公开|政府信息|信息公开|依申请公开)"
    # "没有接到群众主动要求公开政府信息的申请": the requests described between the verb and 申请
    r"|(?:未|没有)(?:收到|接到|受理)(?:过)?[^,;。\d]{0,20}?(?:公开|信息))(?:的)?申请"
    # "2011年度我办未收到依申请公开的事项"
    r"|(?:未收到|没有收到)(?:任何|有关|相关|本级)?依申请公开(?:的)?(?:事项|件)"
    # "未收到公民、法人和其他组织申请公开政府信息要求"
    r"|(?:未|没有)(?:收到|接到)[^,;。\d]{0,20}?申请公开(?:政府)?信息(?:的)?(?:要求|请求))"
    r"(?![^,;。]*(?:复议|诉讼))"
)
_NO_REQUESTS_GIVEN = re.compile(
    r"(?:无|没有|未有)依申请公开(?:政府)?信息(?:(?:的)?(?:和[^,;。]{0,20})?(?:的)?情况|(?=\s*(?:[,;。]|$)))")
_BOTH_APPEALS_NONE = re.compile(
    r"行政复议(?:案件)?(?:和|、|及|与|或)(?:提起)?行政诉讼(?:案件)?(?:的)?(?:数量|数|情况)?(?:均)?(?:为|共|是)?\s*0\s*[件起个宗]")
_ZERO_TOPICS = (
    ("行政复议", "appeals.reconsideration_total"),
    ("行政诉讼", "appeals.litigation_total"),
    ("提起诉讼", "appeals.litigation_total"),  # "未…收到被申请行政复议、提起诉讼的情况"
    ("复议、诉讼", "appeals.litigation_total"),  # "全年无政府信息公开行政复议、诉讼和申诉情况"
    ("不予公开", "requests.denied_total"),
    ("不予处理", "requests.not_processed_total"),
    ("收费", "publications.processing_fees_yuan"),
    ("信息处理费", "publications.processing_fees_yuan"),
    ("处理费", "publications.processing_fees_yuan"),
    ("费用", "publications.processing_fees_yuan"),
    ("上年结转", "requests.carried_over"),
    ("上一年结转", "requests.carried_over"),
    ("上年度结转", "requests.carried_over"),
    ("结转下一年", "requests.carried_forward"),
    ("结转下年", "requests.carried_forward"),
    ("结转至下", "requests.carried_forward"),
    ("转入下", "requests.carried_forward"),
    ("答复处理情况", "requests.closed_total"),
    ("答复情况", "requests.closed_total"),
    ("办结情况", "requests.closed_total"),
)
# 信息处理费 exists since the 2019 Regulations (fee measures of 2020); before, 收费/费用 meant search,
# copying and postage costs, another quantity
_FEES_FROM = 2019

_NOT_REQUEST = re.compile(r"建议|提案|留言|信访|咨询|转办|民呼|诉求|问政|热线|案件|来电|来信|投诉|12345|复议|诉讼")
# Business that is not an information request: a count that follows one of these in its sentence (and
# no 申请 after it) belongs to it ("共受理审批事项117件,办结171件"; "行政审批…共受理申请121510件").
_FOREIGN = re.compile(
    r"审批|许可事项|服务事项|便民服务|信箱|热线|12345|信访|建议|提案|人次|减免|纳税|登记事项|证照"
)
_SENTENCE = re.compile(r"[^。!?\n]+")
_TOPIC_YEAR = re.compile(r"(?<![含至转到比较于])((?:19|20)\d{2})\s*年(?:度)?(?!\s*(?:的)?结转|\d|\s*\d+\s*月)")
_OTHER_YEAR_WORDS = re.compile(r"上年|去年|上一年|同比|较")
# a sentence that names its own time (today's year, the whole year) or a year, not going on with the one before
_OWN_YEAR_OPENING = re.compile(
    r"\s*(?:今年|本年|全年|年内|当年|(?:19|20)\d{2}\s*年|截[至止]|[一二三四五六七八九十]+、|\()")


@dataclass(slots=True)
class _Hit:
    metric: str
    applicant: str
    value: float | int
    start: int
    end: int
    column: bool = False  # a website count of a column (专栏, 栏目) rather than a whole site


_PAGE_FOOTER = re.compile(r"^\s*(?:-\s*\d+\s*-|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_SENTENCE_END = "。!?;:"
# a label in quotes right before its figure: “予以公开”17件, “其他处理”12件
_QUOTED_LABEL = re.compile(r"[“\"]([^”\"\d,。;]{1,10})[”\"](?=\s*\d)")


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
    # the view's pieces and where each comes from in `text`; their offsets in the view are summed at the end
    parts: list[str] = []
    origins: list[int] = []
    pending_join = False
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # a text ending with a line break has no line after it
    origin = 0
    for line in lines:
        start, origin = origin, origin + len(line) + 1
        if line.count("|") >= 2:
            parts.append("\n")
            origins.append(start)
            pending_join = False
            continue
        if len(line) <= 24 and _PAGE_FOOTER.match(line):
            continue
        if pending_join and parts and parts[-1] == "\n":
            parts.pop()
            origins.pop()
        pos = 0
        for m in _QUOTED_LABEL.finditer(line):  # "其中“予以公开”17件": the label read without its quotes
            parts += [line[pos : m.start()], m.group(1)]
            origins += [start + pos, start + m.start(1)]
            pos = m.end()
        if pos < len(line):
            parts.append(line[pos:])
            origins.append(start + pos)
        parts.append("\n")
        origins.append(start + len(line))
        stripped = line.rstrip()
        pending_join = len(stripped.strip()) >= 15 and stripped[-1:] not in _SENTENCE_END
    starts = list(accumulate(map(len, parts), initial=0))[:-1]
    return _View("".join(parts), starts, origins)


_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")


def _sentences(view: str) -> Iterator[tuple[int, str, bool]]:
    """(offset, sentence, about_requests): a sentence is about applications when it mentions 申请 (or 依申:
    "依申公开" drops its 请), or when the sentence before it was and it opens no new section ("…收到申请42件。
    已全部办理完毕45件,其中予以公开20件…"). The topic does not run on further: crawled pages put a whole report on one
    line, and "审批事项…办结171件" three sentences after a 申请 is not about applications."""
    offset = 0
    for para in view.split("\n"):
        start, offset = offset, offset + len(para) + 1
        about = False
        for m in _SENTENCE.finditer(para) if para else ():
            sentence = m.group()
            about = ("申请" in sentence or "依申" in sentence
                     or (about and not _HEADING.match(sentence) and not _names_foreign(sentence)))
            yield start + m.start(), sentence, about


def _names_foreign(sentence: str) -> bool:
    """The sentence names business that is not information requests; "信访举报投诉类不予处理" names a reason
    of an outcome of requests, which is no such business."""
    if _FOREIGN.search(sentence) is None:  # most sentences: one scan, no Python loop
        return False
    return any(not _AS_REASON.match(sentence, m.end()) for m in _FOREIGN.finditer(sentence))


def _value(m: re.Match[str]) -> float | int | None:
    """The number of a match, or None when it is approximate (1000余条, 1.9万多条), or a count rounded to
    万 ("1.42万条", "3万件": a count is exact in 万 only with four decimals; 万元 is a unit, not rounding)."""
    if _APPROX_AFTER.match(m.string, m.end("wan") if m.group("wan") else m.end("n")):
        return None
    if m.group("wan") and not m.string.startswith("元", m.end("wan")):
        decimals = m.group("n").partition(".")[2]
        if len(decimals) < 4:
            return None
    return parse_number(m.group("n"), bool(m.group("wan")))


def _in_unit(metric: str, value: float | int, unit: str | None) -> float | int:
    """Amounts are stored in the metric's unit: 采购金额 and 行政事业性收费 in 万元, 信息处理费 in 元."""
    if metric in ("publications.procurement_amount_wan_yuan", "publications.fees_amount_wan_yuan") and unit == "元":
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


# Words a rule cannot match without: a sentence lacking all of them skips the rule (a substring test is
# far cheaper than running the pattern; most sentences name one or two metrics).
_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("requests.new_received", "total"): ("收到", "受理", "新收", "接收", "接到"),
    ("requests.new_received", "natural_person"): ("自然人", "公民"),
    ("requests.new_received", "organization"): ("其他组织",),
    ("requests.new_received", "commercial_enterprise"): ("商业企业",),
    ("requests.new_received", "research_institution"): ("科研机构",),
    ("requests.new_received", "public_interest_org"): ("公益组织",),
    ("requests.new_received", "legal_service_org"): ("法律服务",),
    ("requests.carried_over", "total"): ("结转", "转结"),
    ("requests.closed_total", "total"): ("办结", "答复", "办理", "处理", "完成"),
    ("requests.carried_forward", "total"): ("转", "顺延"),
    ("requests.granted", "total"): ("公开",),
    ("requests.partially_granted", "total"): ("部分公开", "部分予以公开", "区分处理"),
    ("requests.denied_total", "total"): ("公开",),
    ("requests.unavailable_total", "total"): ("无法提供",),
    ("requests.denied_state_secret", "total"): ("国家秘密",),
    ("requests.denied_prohibited_by_law", "total"): ("禁止",),
    ("requests.denied_three_safeties", "total"): ("三安全",),
    ("requests.denied_third_party", "total"): ("第三方",),
    ("requests.denied_internal_affairs", "total"): ("内部事务",),
    ("requests.denied_process_info", "total"): ("过程性",),
    ("requests.denied_enforcement_file", "total"): ("执法案卷",),
    ("requests.denied_query_matter", "total"): ("查询事项",),
    ("requests.unavailable_not_held", "total"): ("不掌握",),
    ("requests.unavailable_needs_creation", "total"): ("另行制作",),
    ("requests.unavailable_unclear", "total"): ("不明确",),
    ("requests.not_processed_total", "total"): ("不予处理",),
    ("requests.other_total", "total"): ("其他处理",),
    ("requests.not_processed_repeated", "total"): ("重复申请",),
    ("requests.not_processed_petition", "total"): ("信访举报投诉",),
    ("requests.not_processed_publication", "total"): ("出版物",),
    ("requests.not_processed_excessive", "total"): ("大量反复",),
    ("requests.not_processed_confirmation", "total"): ("重新出具",),
    ("requests.legacy_already_public", "total"): ("已主动公开",),
    ("requests.legacy_not_this_agency", "total"): ("本",),
    ("requests.legacy_not_exist", "total"): ("不存在",),
    ("requests.legacy_asked_to_amend", "total"): ("更改补充",),
    ("requests.legacy_redirected", "total"): ("其他途径",),
    ("requests.received_by_letter", "total"): ("信函", "邮寄"),
    ("requests.received_online", "total"): ("网", "电子邮件", "在线"),
    ("requests.received_in_person", "total"): ("当面", "现场"),
    ("requests.received_by_fax", "total"): ("传真",),
    ("publications.normative_docs_issued", "total"): ("规范性文件",),
    ("publications.regulations_published", "total"): ("规章",),
    ("publications.normative_docs_published", "total"): ("规范性文件",),
    ("publications.normative_docs_in_force", "total"): ("现行有效",),
    ("publications.normative_docs_repealed", "total"): ("废止",),
    ("publications.licensing_decisions", "total"): ("行政许可",),
    ("publications.other_services_decisions", "total"): ("对外管理服务",),
    ("publications.penalty_decisions", "total"): ("行政处罚",),
    ("publications.coercion_decisions", "total"): ("行政强制",),
    ("publications.procurement_projects", "total"): ("集中采购",),
    ("publications.procurement_amount_wan_yuan", "total"): ("采购",),
    ("publications.processing_fees_yuan", "total"): ("处理费",),
    ("publications.fees_amount_wan_yuan", "total"): ("行政事业性收费",),
}


# each rule with its words; the words of all rules, tested once per sentence (one substring test per word,
# not one per rule and word)
_RULE_NEEDS: tuple[tuple[_Rule, frozenset[str] | None], ...] = tuple(
    (rule, frozenset(words) if (words := _NEEDS.get((rule.metric, rule.applicant))) else None) for rule in _RULES
)
_ALL_NEEDS: tuple[str, ...] = tuple(sorted({w for _, words in _RULE_NEEDS if words for w in words}))


# rule positions by the words they need: a sentence runs only the rules one of its words calls for, in
# the rules' order (rules without words run always)
_RULES_BY_WORD: dict[str, frozenset[int]] = {
    word: frozenset(i for i, (_, words) in enumerate(_RULE_NEEDS) if words and word in words) for word in _ALL_NEEDS
}
_RULES_ALWAYS = frozenset(i for i, (_, words) in enumerate(_RULE_NEEDS) if not words)
# the words by their first character: a sentence is searched only for the words whose first character it
# holds (one regex scan for those characters, then a few substring tests, instead of a test per word)
_NEEDS_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(w for w in _ALL_NEEDS if w[0] == first) for first in sorted({w[0] for w in _ALL_NEEDS})
}
_NEED_FIRST = re.compile(f"[{''.join(_NEEDS_BY_FIRST)}]")


def _called_rules(sentence: str) -> set[int]:
    """The positions of the rules `sentence` holds a needed word of (and of the rules without words)."""
    called = set(_RULES_ALWAYS)
    for first in set(_NEED_FIRST.findall(sentence)):
        for word in _NEEDS_BY_FIRST[first]:
            if word in sentence:
                called |= _RULES_BY_WORD[word]
    return called


def _called_rules_plain(sentence: str) -> set[int]:
    """_called_rules by a substring test per word: the formulation it is tested against."""
    called = set(_RULES_ALWAYS)
    for word in _ALL_NEEDS:
        if word in sentence:
            called |= _RULES_BY_WORD[word]
    return called


# Documents sorted by how they are to be published (公开属性): "其中主动公开信息数99条,依申请公开信息数311条,不予
# 公开22条" counts documents, not requests and their outcomes — a request is never answered 主动公开
_COUNT = r"\s*(?:数|数量)?(?:为|共)?\s*\d+\s*(?:件|条|份|个)"
_DISCLOSURE_ATTRIBUTES = re.compile(
    rf"(?<!已)主动公开(?:的)?(?:政府)?(?:信息|文件|公文)?{_COUNT}[,、]\s*依申请公开(?:的)?(?:政府)?(?:信息|文件|公文)?{_COUNT}"
    rf"(?:[,、]\s*(?:不予公开|不公开)(?:的)?(?:政府)?(?:信息|文件|公文)?{_COUNT})?"
)


# the years reported on the 2019 form, whose table 二 counts documents published (本年新公开数量)
_PUBLISHED_YEARS = (2019, 2020)
# The 2019 form counts matters (上一年项目数量) apart from decisions (处理决定数量); prose about a list of powers or
# services ("通过总门户集中公开权责清单和公共服务事项清单,其中行政许可710项") counts the matters
_LISTED_MATTERS = re.compile(r"清单|(?<!管理服务)事项(?!处理决定)")
# "主动公开政府信息323条,其中规划信息1条,行政许可28项…": a category of the information published, not decisions
_PUBLISHED_BREAKDOWN = re.compile(
    rf"(?:公开|发布|公布)[^,;。]{{0,12}}?(?:信息|文件)[^,;。]{{0,6}}?{N}\s*条[^。]{{0,4}}?其中")


def _rule_hits(sentence: str, base: int, year: int | None, about_requests: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    attributes = [m.span() for m in _DISCLOSURE_ATTRIBUTES.finditer(sentence)] if "依申请公开" in sentence else []
    for index in sorted(_called_rules(sentence)):
        rule = _RULE_NEEDS[index][0]
        if rule.topic == "request" and not about_requests:
            continue
        for m in rule.pattern.finditer(sentence):
            value = _value(m)
            if value is None:
                continue
            if rule.topic == "request" and any(a <= m.start() < b for a, b in attributes):
                continue
            if rule.metric.endswith("_published") and year not in _PUBLISHED_YEARS:
                continue  # the 2021 form has no column for documents published: 公开规章N件 is no figure of it
            if (rule.metric.endswith("_decisions") and "决定" not in m.group()
                    and (_LISTED_MATTERS.search(sentence, 0, m.start())
                         or _PUBLISHED_BREAKDOWN.search(sentence, 0, m.start()))):
                continue  # "权责清单…其中行政许可710项": matters on a list, or items published, not decisions taken
            value = _in_unit(rule.metric, value, m.groupdict().get("yuan"))
            clause = sentence[_clause_start(sentence, m.start()) : m.end()]
            if rule.topic == "request" and (_not_request(clause) or _foreign_before(sentence, m.end())):
                continue
            if (_joined_to_label(sentence, m.start())
                    and not _received_and_closed(sentence, m.start(), rule.metric)):
                continue  # "予以公开及部分公开208件": one figure for several categories
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


# "全年共收到和办理依申请公开12件", "受理并办结申请5件": one figure that is both received and closed
_RECEIVED_AND = re.compile(r"(?:收到|受理|接收|接到|新收)(?:并|和|及|与)$")


def _received_and_closed(sentence: str, pos: int, metric: str) -> bool:
    """The closing verb at `pos` shares its figure with a receiving verb right before it."""
    return metric == "requests.closed_total" and _RECEIVED_AND.search(sentence, max(0, pos - 4), pos) is not None


# "共收到政府信息公开申请9件,均为自然人申请": every request came from one kind of applicant
_ALL_FROM = re.compile(
    r"(?:均为|全部为|全部是|都是|均是|均系|全为|全系|均由|全部由)(?P<who>"
    + "|".join(words for _, words in _APPLICANT_WORDS) + r")(?:提出|申请|提交)?"
)


def _all_from_one_applicant(sentence: str, base: int, hits: list[_Hit]) -> list[_Hit]:
    """"均为自然人申请" after the sentence's received figure: that figure is the applicant's too. Only what
    is said: the other applicant's 0 is not stated."""
    received = [h for h in hits if h.metric == "requests.new_received" and h.applicant == "total"]
    out: list[_Hit] = []
    for m in _ALL_FROM.finditer(sentence):
        before = [h for h in received if h.end <= base + m.start()]
        if not before:
            continue
        who = next(a for a, words in _APPLICANT_WORDS if re.fullmatch(words, m.group("who")))
        h = before[-1]
        out.append(_Hit("requests.new_received", who, h.value, h.start, base + m.end()))
    return out


# "共收到依申请公开1件,为网上申请": every request came in by one channel
_ALL_BY = re.compile(
    r"\s*[,;]?\s*(?:均|全部|都)?(?:为|是|系|通过)(?P<how>" + "|".join(w for _, w, _ in _CHANNEL_WORDS)
    + r")(?:方式|渠道|平台)?(?:(?:提交|提出|递交)(?:的)?(?:申请)?|(?:的)?申请)")


# "收到政府信息公开申请1件,为本机关不掌握的政府信息": every request had one outcome, for one reason
_ALL_FOR = re.compile(r"\s*[,;]?\s*(?:均|全部|都)?(?:为|是|系|属于|属)(?P<why>"
                      + "|".join(f"(?P<r{i}>{reason})" for i, (_, reason) in enumerate(_REASONS)) + ")")


def _all_of_one_kind(sentence: str, base: int, hits: list[_Hit]) -> list[_Hit]:
    """"为网上申请" right after the sentence's received figure: that figure is the channel's too; "为本机关不
    掌握的政府信息": that figure is the reason's."""
    out: list[_Hit] = []
    for h in hits:
        if h.metric != "requests.new_received" or h.applicant != "total":
            continue
        if m := _ALL_BY.match(sentence, h.end - base):
            metric = next(metric for metric, words, _ in _CHANNEL_WORDS if re.fullmatch(words, m.group("how")))
            out.append(_Hit(metric, "total", h.value, h.start, base + m.end()))
        elif (m := _ALL_FOR.match(sentence, h.end - base)) and m.group("why"):
            index = next(i for i in range(len(_REASONS)) if m.group(f"r{i}"))
            out.append(_Hit(_REASONS[index][0], "total", h.value, h.start, base + m.end()))
    return out


_OUTCOME_METRICS = frozenset({
    "requests.granted", "requests.partially_granted", "requests.denied_total", "requests.unavailable_total",
    "requests.not_processed_total", "requests.other_total", *_GROUP_OF})


def _specific_over_group(hits: list[_Hit]) -> list[_Hit]:
    """"因本机关不掌握相关政府信息无法提供1件": the reason's rule and the group's (无法提供1件) read the same
    number; the stated reason is the more precise fact, so the group figure on that number goes."""
    reason_ends = {(_GROUP_OF[h.metric], h.end) for h in hits if h.metric in _GROUP_OF}
    # "因无法提供相关信息答复2件": an outcome's figure, which the closed rule reads too (…答复2件)
    outcome_ends = {h.end for h in hits if h.metric in _OUTCOME_METRICS}
    if not reason_ends and not outcome_ends:
        return hits
    return [h for h in hits if (h.metric, h.end) not in reason_ends
            and not (h.metric == "requests.closed_total" and h.end in outcome_ends)]


# "属信访、重复申请等不予处理80件": 信访 there is a reason of an outcome of requests, not other business
_AS_REASON = re.compile(r"[^,;。\d]{0,8}?(?:不予处理|不予公开|重复申请|类申请|等原因|举报投诉类)")


def _not_request(clause: str) -> bool:
    return any(not _AS_REASON.match(clause, m.end()) for m in _NOT_REQUEST.finditer(clause))


def _joined_to_label(sentence: str, pos: int) -> bool:
    """The words at `pos` follow another label and a conjunction ("予以公开及部分公开208件"), so the figure is
    shared; 涉及 ("involving") is a verb, not a conjunction."""
    if pos < 2 or sentence[pos - 1] not in "及和与或、" or not _is_label_char(sentence[pos - 2]):
        return False
    return sentence[pos - 2 : pos] != "涉及"


def _is_label_char(ch: str) -> bool:
    """A character of a label (a hanzi other than a unit), as opposed to the end of a figure ("20件、")."""
    return "\u4e00" <= ch <= "\u9fff" and ch not in "件条宗个项"


def _foreign_before(sentence: str, pos: int) -> bool:
    """The business named last before `pos` is not information requests: a foreign word comes after
    the last 信息公开 / 依申请 mention of the sentence. A bare 申请 does not switch back (行政审批…共受理
    申请121510件 is still 审批)."""
    head = sentence[:pos]
    foreign = [m.end() for m in _FOREIGN.finditer(head) if not _AS_REASON.match(head, m.end())]
    if not foreign:
        return False
    ogi = [m.end() for m in re.finditer(r"信息公开|依申请|公开申请", head)]
    return not ogi or foreign[-1] > ogi[-1]


def _adjacent_year_ok(matched: str, year: int | None, offset: int) -> bool:
    y = re.search(r"((?:19|20)\d{2})\s*年", matched)
    return y is None or year is None or int(y.group(1)) == year + offset


def _channel(sentence: str, pos: int) -> str:
    """The words naming where a figure was published: its clause up to `pos`, plus the clause before when
    that is only a place ("在互联网上,2012年县政府公开办主动公开信息数为1795条")."""
    start = _clause_start(sentence, pos)
    channel = sentence[start:pos]
    if start > 1:
        before = sentence[_clause_start(sentence, start - 1) : start - 1]
        if re.fullmatch(r"\s*(?:在|通过)[^\d]{1,20}(?:上|中)\s*", before):
            channel = before + channel
    return channel


def _running_total(sentence: str, start: int, end: int) -> bool:
    """The figure at start..end is a running total: its own clause says 累计 after 到目前 / 截至… ("历年累计52条,
    其中2010年新增…14条": the 14 is the year's)."""
    clause = _clause_start(sentence, start)
    # the Regulations took effect in May 2008: a total "到2008年底累计" is that first year's
    return any(m.end() > clause and not m.group().startswith("到2008")
               for m in _RUNNING_TOTAL.finditer(sentence, 0, end))


def _post_hits(sentence: str, base: int, year: int | None, following: str = "") -> list[_Hit]:
    """Posts figures of one sentence; `following` is the text right after it (a breakdown may open the next
    sentence: "全年共发布信息59条。其中,…")."""
    hits: list[_Hit] = []
    media: list[_Hit] = []
    if not any(unit in sentence for unit in "条篇份件"):  # every posts figure is counted in one of them
        return _interpretation_hits(sentence, base, year) if "解读" in sentence else []
    lists_channels = any(word in sentence for word in _MEDIA_WORDS) and (
        _MEDIA_ITEM.search(sentence) is not None or _MEDIA_COUNT.search(sentence) is not None)
    found = chain(_POSTS.finditer(sentence), _POSTS_COUNT_FIRST.finditer(sentence)) \
        if any(verb in sentence for verb in _POST_VERBS) else ()
    for m in found:
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year):
            continue
        if sentence.endswith("依申请", 0, m.start()):
            continue  # "回应依申请公开信息2条": requests answered, not information published
        channel = _channel(sentence, m.start())
        if _CATEGORY_BEFORE.search(channel) or _OTHER_CHANNELS.search(channel):
            continue  # "其他应主动公开政府信息856条": one category of a total, not the total
        if _PART_OF_YEAR.search(sentence, 0, m.start()) or _running_total(sentence, m.start(), m.end()):
            continue  # "截至11月份,…发布…等信息45条": a count up to a month before the year's end
        if _LIST_GOES_ON.match(sentence, m.end()):
            continue  # "主动公开政府信息88条、规范性文件2条、…": the first of a list of kinds, no total
        if _in_breakdown(sentence, m.start()):
            continue  # "发布信息426条(其中:…,信息公开目录主动公开信息8条)": a part of the figure before
        verb, mid = m.group("verb"), m.group("mid") + (m.groupdict().get("noun") or "")
        if verb == "公布":
            verb = "公开"  # "共公布政府信息2599条": 公布 is 公开 (made public), counted the same way
        elif verb.startswith("主动"):
            verb = "主动公开"  # 主动发布, 主动全面公开: published on the body's own initiative, as 主动公开
        elif verb == "上传":
            verb = "发布"  # "通过厅网站上传…各类信息合计1292条": put on a site, as 发布
        hit = _Hit("", "total", value, base + m.start(), base + m.end())
        websites = _WEBSITE.search(channel)
        one_site = websites is not None and not _SEVERAL_SITES.search(channel)
        if _SUB_SCOPE.search(channel) and not _WHOLE_SCOPE.search(channel):
            continue
        mixed = (_MIXED_CHANNELS.search(channel) is not None
                 and (verb in ("主动公开", "公开") or _NEW_MEDIA.search(channel) is not None))
        # "政务网站、微信、微博共发布各类信息2483条": every channel together is no new-media figure; it is the
        # whole only when published on the body's initiative (主动公开 / 公开)
        if _NEW_MEDIA.search(channel) and not mixed:
            # "通过政务新媒体公开政府信息2808条": the new media as a whole; one account's 公开 may be a repost,
            # what it 公布 (made known) it published
            if m.group("verb") != "公开" or _GENERIC_MEDIA.search(channel):
                hit.metric = "publications.new_media_posts"
                media.append(hit)
            continue
        # "通过门户网站主动公开政府信息4511条" is the report's count of 主动公开政府信息 (the site is where it all
        # goes); "局门户网站主动公开信息2978条,政务微信321条…" is one channel among those it lists
        whole = not lists_channels and (
            (verb == "主动公开" and ("政府" in mid or "各类" in mid or m.group("list") is not None
                                   or _PORTAL.search(channel) is not None))
            # "通过部门网站当年发布政府信息393件": the government information a body put out, all of it
            or (verb == "发布" and "政府" in mid and _OWN_SITE.search(channel) is not None)
            # "政务信息公开栏目发布信息共652条", "在政府信息公开平台发布政府信息236条": where the body's 主动公开 goes,
            # unless it is one line of a breakdown ("其中:…政府信息公开专栏发布954条")
            or (verb == "发布" and _DISCLOSURE_CHANNEL.search(channel) is not None
                and "其中" not in sentence[: m.start()]))
        if one_site and not whole and not mixed:
            hit.metric = "publications.website_posts"
            hit.column = _COLUMN.search(channel) is not None and _REAL_SITE.search(channel) is None
        elif (verb == "主动公开"
              or (verb == "发布" and ("公开" in mid or (not websites and _WHOLE_SCOPE.search(channel)
                                                       and _BREAKDOWN_AFTER.match(sentence[m.end():] or following))))
              or (verb == "公开" and (not websites or mixed))
              or (verb == "发布" and (mixed or whole))):
            # "全年共发布信息59条(其中,领导信息1条…)": the year's whole broken down, through no channel named
            # ("全年共发布信息166条" alone closes a paragraph on one field of work); "全年厅门户网站、微信、微博
            # 发布政府信息共有3343条": every channel together, the whole (metrics.yaml: all channels)
            if (verb == "公开" and not _WHOLE_SCOPE.search(channel + mid) and "政府" not in mid and "政务" not in mid
                    and not _DISCLOSURE_CHANNEL.search(channel)):
                continue  # "公开信息N条" of something unnamed
            hit.metric = "publications.proactive_items_total"
        else:
            continue
        hits.append(hit)
    # "其中:县政府网站发布3335条,政府信息公开专栏发布954条": a site's count with no noun after the verb
    for m in _SITE_ITEM.finditer(sentence) if "网站" in sentence else ():
        value = _value(m)
        own = sentence[_clause_start(sentence, m.start()) : m.start("site") + len(m.group("site"))]
        if (value is None or _NEW_MEDIA.search(own) or _other_year(sentence, m.start(), year)
                or any(h.start <= base + m.start("n") < h.end for h in hits)
                or _running_total(sentence, m.start(), m.end())):
            continue
        hits.append(_Hit("publications.website_posts", "total", value, base + m.start(), base + m.end()))
    if media or _NEW_MEDIA.search(sentence):
        hits.extend(_media_total(sentence, base, media, year))
    if "解读" in sentence:
        hits.extend(_interpretation_hits(sentence, base, year))
    return hits


# documents by how they are disclosed, listed together ("依申请公开341条、不予公开41条")
_KINDS_OF_INFORMATION = re.compile(
    r"(?:主动公开|依申请公开)(?:政府信息|信息)?(?:数)?\s*\d+\s*[条份][、,和及]\s*(?:依申请公开|不予公开)")
_SUB_UNIT_SEGMENT = re.compile(
    r"(?:^|(?<=[;。]))\s*(?:(?:19|20)\d{2}\s*年(?:度)?[,]?)?(?:各?部门|[县市区]直(?:各)?(?:部门|单位)|各乡镇|乡镇(?:\(街道\))?|各单位|下属单位)"
    r"[^;。]*")


def _sub_unit_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of a sentence's parts that open with a region's departments or towns: their own figures."""
    if "部门" not in sentence and "乡镇" not in sentence and "单位" not in sentence:
        return []
    return [m.span() for m in _SUB_UNIT_SEGMENT.finditer(sentence)]


def _in_breakdown(sentence: str, pos: int) -> bool:
    """Whether `pos` lies inside brackets that break down the figure before them ("(其中:…", "(包括…")."""
    opening = sentence.rfind("(", 0, pos)
    return (opening >= 0 and ")" not in sentence[opening:pos]
            and sentence.startswith(("其中", "包括", "含"), opening + 1))


def _one_site_each(hits: list[_Hit]) -> list[_Hit]:
    """"通过市政府网站公开信息2100条,通过县政府门户网站发布政府信息5469条": counts of several sites in one
    sentence, none of them the body's website count for sure; a sentence naming one site's count is taken. A
    column's count beside a site's ("县政府网站发布3335条,政府信息公开专栏发布954条") is a part of the site."""
    sites = [h for h in hits if h.metric == "publications.website_posts"]
    whole_sites = {h.value for h in sites if not h.column}
    if len(whole_sites) >= 2:
        return [h for h in hits if h.metric != "publications.website_posts"]
    if whole_sites:
        return [h for h in hits if not (h.metric == "publications.website_posts" and h.column)]
    return hits if len({h.value for h in sites}) < 2 else [h for h in hits if h.metric != "publications.website_posts"]


def _interpretation_hits(sentence: str, base: int, year: int | None) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _INTERPRETATIONS.finditer(sentence):
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year):
            continue
        start = m.start()
        if not m.group().startswith("政策") and sentence[max(0, start - 2) : start] == "政策":
            start -= 2
        if start > 0 and (sentence[start - 1] in "和及与" or re.search(r"[和及与]相关$", sentence[:start])):
            continue  # "公文和政策解读信息9条", "…会议纪要及相关解读信息共90条": several things counted together
        hits.append(_Hit("publications.policy_interpretations", "total", value, base + start, base + m.end()))
    return hits


def _media_total(sentence: str, base: int, media: list[_Hit], year: int | None = None) -> list[_Hit]:
    """New-media posts: a stated total over all new media ("政务新媒体发布信息841条") is the figure, and
    the channels listed after it are its breakdown; without one, the channels listed one by one
    ("政务微信321条,政务微博260条,抖音号79条") are summed, as metrics.yaml defines the metric. A channel's
    count may follow it in the next clause ("开通官方微信公众号,2023年度共发送784条信息"), but not its running
    total since it opened ("截至目前累计发送1063条信息")."""
    generic = [h for h in media if _GENERIC_MEDIA.search(_channel(sentence, h.start - base))]
    if generic:
        return generic[:1]
    if _MEDIA_ROUGHLY.search(sentence):
        return []  # "警务微博3348条…;编发警务微信500余条": one channel's count is rounded, so is their sum
    items = list(media)
    taken = {h.start for h in media}
    for m in _MEDIA_ITEM.finditer(sentence):
        value = _value(m)
        if value is None or any(base + m.start() <= t < base + m.end() for t in taken):
            continue
        if sentence.startswith("《", m.end()):
            continue  # "微信公众号发布104篇《…天天报》系列文章": one series, not all the account put out
        if any(h.start <= base + m.start("n") < h.end for h in media):
            continue
        items.append(_Hit("publications.new_media_posts", "total", value, base + m.start(), base + m.end()))
    for m in _MEDIA_SENT.finditer(sentence):
        value = _value(m)
        if value is None or any(h.start <= base + m.start("n") < h.end for h in items):
            continue
        clause = _clause_start(sentence, m.start())
        named = sentence[_clause_start(sentence, clause - 1) if clause > 0 else 0 : m.start()]
        own = sentence[clause : m.start()]
        if (_GENERIC_MEDIA.search(own) and not _MIXED_CHANNELS.search(own)
                and re.match(r"\s*(?:[,;。)]|$)", sentence[m.end():]) and not _other_year(sentence, m.start(), year)):
            # "其中:…,政务新媒体发布6326条": the new media as a whole, its own clause
            return [_Hit("publications.new_media_posts", "total", value, base + m.start(), base + m.end())]
        if sentence.startswith("《", m.end()):
            continue  # "微信公众号发布104篇《…天天报》系列文章": one series, not all the account put out
        if (not any(word in named for word in _MEDIA_WORDS) or _MIXED_CHANNELS.search(named)
                # "园区微信公众号发布信息278条,政府网站发布信息90条": the clause names its own channel, a site
                or (_WEBSITE.search(own) and not any(word in own for word in _MEDIA_WORDS))
                or _SINCE_OPENING.search(sentence, clause, m.start())
                or _other_year(sentence, m.start(), year)):
            continue
        items.append(_Hit("publications.new_media_posts", "total", value, base + m.start(), base + m.end()))
    if len(items) <= 1:
        return items
    items.sort(key=lambda h: h.start)
    return [_Hit("publications.new_media_posts", "total", sum(h.value for h in items), items[0].start, items[-1].end)]


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


def _outcome_of_all(sentence: str, pos: int) -> tuple[str, int] | None:
    """An outcome stated without a number right after an appeal count ending at `pos` ("行政复议1件,维持具体行政
    行为", "2件,均尚未审结"): its keyword and where it ends, or None; a number later in the clause is its own."""
    rest = sentence[pos:].lstrip(",;")
    nn = _OUTCOME_NO_NUMBER.match(rest)
    if nn is None or re.match(r"[^,;。]*\d", rest):
        return None
    return nn.group("kw"), pos + (len(sentence) - pos - len(rest)) + nn.end()


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

    for m in _LITIGATION_KIND.finditer(sentence) if "起诉" in sentence or "提起" in sentence else ():
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year):
            continue
        prefix = ("appeals.litigation_direct_" if "直接" in m.group("kind")
                  else "appeals.litigation_after_reconsideration_")
        hits.append(_Hit(prefix + "total", "total", value, base + m.start(), base + m.end()))
        taken.append((m.start("n"), m.end("n")))
        if outcome := _outcome_of_all(sentence, m.end()):  # "均尚未审结", "结果维持": all of them
            kw, end = outcome
            hits.append(_Hit(prefix + _outcome_of(kw), "total", value, base + m.start(), base + end))
    for m in _APPEAL_TOTAL.finditer(sentence):
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year) or any(a <= m.start("n") < b for a, b in taken):
            continue
        mid = m.group("mid")
        if re.search(r"已结|审结|办结", mid):
            continue
        kw = re.search(_OUTCOME_ALT, mid)
        metric = _appeal_metric(m.group("kw"), _outcome_of(kw.group()) if kw else None, kw.group() if kw else "")
        hits.append(_Hit(metric, "total", value, base + m.start(), base + m.end()))
        taken.append((m.start("n"), m.end("n")))
        if kw is None and (outcome := _outcome_of_all(sentence, m.end())):
            # "行政复议1件,维持具体行政行为": no number, so all of them
            metric = _appeal_metric(m.group("kw"), _outcome_of(outcome[0]), outcome[0])
            hits.append(_Hit(metric, "total", value, base + m.start(), base + outcome[1]))
    for m in _APPEAL_BEFORE.finditer(sentence):
        value = _value(m)
        if value is None or _other_year(sentence, m.start(), year) or re.search(_OUTCOME_ALT, m.group("mid")):
            continue
        if any(a <= m.start("n") < b for a, b in taken):
            continue
        metric = _appeal_metric(m.group("kw")[-2:], None)
        hits.append(_Hit(metric, "total", value, base + m.start(), base + m.end()))
        taken.append((m.start("n"), m.end("n")))
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


def _zero_hits(sentence: str, base: int, year: int | None = None) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _NEGATION.finditer(sentence):
        end = _clause_end(sentence, m.end())
        span = sentence[m.end() : end]
        for word, metric in _ZERO_TOPICS:
            at = span.find(word)
            if at < 0:
                continue
            after = _LISTED_APPEALS.sub("", span[at + len(word) : at + len(word) + 16], count=1)[:6]
            if re.match(rf"\s*(?:案件)?(?:被)?(?:{_OUTCOME_ALT})", after):
                continue  # "未发生行政诉讼败诉", "没有…行政诉讼、行政复议败诉": a zero outcome, not a zero total
            if metric in ("requests.denied_total", "requests.not_processed_total", "requests.closed_total"):
                if "申请" not in sentence and "情况" not in span:
                    continue
            if metric == "publications.processing_fees_yuan" and "处理费" not in word:
                if year is not None and year < _FEES_FROM:
                    continue
            hits.append(_Hit(metric, "total", 0, base + m.start(), base + end))
    # "全年未收到政府信息公开申请"; "我乡无依申请公开政府信息和不予公开政府信息的情况": no information given on
    # request, so no requests (the negation must govern 依申请公开 itself: "未发生因依申请公开引起的行政复议" is about
    # appeals)
    # "因政府信息公开被申请行政复议、行政诉讼数量为0件": one zero for both kinds
    for m in _BOTH_APPEALS_NONE.finditer(sentence):
        hits += [_Hit(metric, "total", 0, base + m.start(), base + m.end())
                 for metric in ("appeals.reconsideration_total", "appeals.litigation_total")]
    for pattern in (_NO_REQUESTS, _NO_REQUESTS_GIVEN):
        hits += [_Hit("requests.new_received", "total", 0, base + m.start(), base + m.end())
                 for m in pattern.finditer(sentence)]
    # the same metric twice from one negation (收费 and 信息处理费) counts once
    seen: set[str] = set()
    return [h for h in hits if not (h.metric in seen or seen.add(h.metric))]


def _clause_end(sentence: str, pos: int) -> int:
    ends = [i for i in (sentence.find(ch, pos) for ch in ",;:") if i >= 0]
    return min(ends) if ends else len(sentence)


_INCLUDES_CARRIED = re.compile(r"\s*\(?\s*(?:其中)?(?:包含|包括|含)(?:了)?\s*(?:上年|上一年|去年|(?:19|20)\d\d\s*年)")
# 受理 / 处理 may count the year's intake or everything handled (intake + carry-over); 收到 / 新收 / 新受理 are
# the intake only


# --- the 2008-2018 statistics form (政府信息公开情况统计表) as crawled text ------------------------------
# Annexed to pre-2019 reports; a crawler glues its cells: "1.当面申请数条18182.传真申请数条003.…" is
# 当面申请数 | 条 | 18 (year) | 18 (历年累计) and then the next row's number "2.". A row is read only when
# its digits allow one reading: numbers have no leading zeros and the cumulative figure is at least the
# year's ("003." → 0|0, "223." → 2|2, "33" → 3|3); "1818" (1|818 or 18|18) is left to the prose.
# the header's words may be spaced out ("指 标 名 称 单位 2014年度 历年累计") and the form called 统计数据
_FORM_HEADER = re.compile(
    r"(?:统计表|统计数据)[\s\S]{0,80}?指\s*标\s*名\s*称|指\s*标\s*名\s*称[\s\S]{0,30}?(?:计量)?单\s*位")
_FORM_ROWS = {
    "主动公开信息数": "publications.proactive_items_total",
    "主动公开文件数": "publications.proactive_items_total",
    "网站公开": "publications.website_posts",
    "政府网站公开数": "publications.website_posts",
    "受理依申请公开信息总数": "requests.new_received",
    "依申请公开信息总数": "requests.new_received",
    "受理政府信息公开申请总数": "requests.new_received",
    "政府信息公开申请总数": "requests.new_received",
    "依申请公开总数": "requests.new_received",
    "当面申请数": "requests.received_in_person",
    "传真申请数": "requests.received_by_fax",
    "电子邮件申请数": "requests.received_online",
    "网上申请数": "requests.received_online",
    "网络申请数": "requests.received_online",
    "信函申请数": "requests.received_by_letter",
    "对申请的答复数": "requests.closed_total",
    "对申请的答复总数": "requests.closed_total",
    "答复总数": "requests.closed_total",
    "同意公开答复数": "requests.granted",
    "同意部分公开答复数": "requests.partially_granted",
    "不同意公开答复数": "requests.denied_total",
    "否决公开答复数": "requests.denied_total",
    "否决公开答复总数": "requests.denied_total",
    "不予公开答复数": "requests.denied_total",
    "属于已主动公开范围数": "requests.legacy_already_public",
    "不属于本行政机关公开数": "requests.legacy_not_this_agency",
    "申请信息不存在数": "requests.legacy_not_exist",
    "告知作出更改补充数": "requests.legacy_asked_to_amend",
    "告知通过其他途径办理数": "requests.legacy_redirected",
    "行政复议数": "appeals.reconsideration_total",
    "行政诉讼数": "appeals.litigation_total",
}
_FORM_ROW = re.compile(
    r"(?<![不非否、])(?:\d{1,2}\s*[.、]\s*)?(?P<label>"
    + "|".join(sorted(map(re.escape, _FORM_ROWS), key=len, reverse=True))
    + r")\s*(?:条|件|项|个)\s*(?P<digits>\d[\d ]*?)\s*(?=(?P<next>\d\s*[.、])?\s*[\u4e00-\u9fff(]|$)"
)


def _splits(digits: str, columns: int) -> list[tuple[int, ...]]:
    """The readings of a glued digit run as `columns` numbers without leading zeros, each column at
    least the one before (a cumulative figure is never below the year's)."""
    if " " in digits.strip():
        parts = digits.split()
        ok = len(parts) == columns and all(p == "0" or not p.startswith("0") for p in parts)
        return [tuple(int(p) for p in parts)] if ok else []
    if columns == 1:
        return [(int(digits),)] if digits == "0" or not digits.startswith("0") else []
    out = []
    for cut in range(1, len(digits)):
        a, b = digits[:cut], digits[cut:]
        if all(x == "0" or not x.startswith("0") for x in (a, b)) and int(b) >= int(a):
            out.append((int(a), int(b)))
    return out


# The form's "其中" rows are parts of the row above them: each of their columns is at most the parent's
# (网站公开 ≤ 主动公开信息数, 当面申请 ≤ 依申请公开总数, 同意公开 ≤ 答复总数).
_FORM_PARENT = {
    "publications.website_posts": "publications.proactive_items_total",
    "requests.received_in_person": "requests.new_received",
    "requests.received_by_fax": "requests.new_received",
    "requests.received_online": "requests.new_received",
    "requests.received_by_letter": "requests.new_received",
    "requests.granted": "requests.closed_total",
    "requests.partially_granted": "requests.closed_total",
    "requests.denied_total": "requests.closed_total",
    "requests.legacy_already_public": "requests.closed_total",
    "requests.legacy_not_this_agency": "requests.closed_total",
    "requests.legacy_not_exist": "requests.closed_total",
    "requests.legacy_asked_to_amend": "requests.closed_total",
    "requests.legacy_redirected": "requests.closed_total",
}


@dataclass(frozen=True, slots=True)
class _FormRow:
    metric: str
    readings: tuple[tuple[int, ...], ...]
    start: int  # the label
    end: int  # the digits


def _form_rows(view: str) -> list[_FormRow]:
    """The statistics form's rows in order, each with every reading of its digits."""
    # both of _FORM_HEADER's alternatives hold 指标名称: a substring test clears most texts without the scan
    header = _FORM_HEADER.search(view) if "指" in view and "称" in view else None
    if header is None:
        return []
    columns = 2 if re.search(r"累计", view[header.start() : header.end() + 40]) else 1
    rows: list[_FormRow] = []
    for m in _FORM_ROW.finditer(view, header.start()):
        digits = m.group("digits")  # the next row's number ("2.") is left out by the pattern
        readings = _splits(digits.strip(), columns) if digits.strip() else []
        rows.append(_FormRow(_FORM_ROWS[m.group("label")], tuple(readings), m.start("label"), m.end("digits")))
    return rows


def _fits(reading: tuple[int, ...], parent: tuple[int, ...]) -> bool:
    return len(reading) == len(parent) and all(a <= b for a, b in zip(reading, parent, strict=True))


def _resolve(
    row: _FormRow, stated: dict[str, float | int], fixed: dict[str, tuple[int, ...]]
) -> tuple[int, ...] | None:
    """The one reading of a row left when the evidence outside its digits is applied: the prose's figure for
    the row's metric ("2017年全区主动公开政府信息2122条" against "212210037": 2122|10037), and the row above
    it in the form, which bounds each column ("政府网站公开数 212210037" under 主动公开 2122|10037 can only
    be 2122|10037). None when no reading or several remain."""
    readings = list(row.readings)
    if len(readings) > 1 and row.metric in stated:
        readings = [r for r in readings if r[0] == stated[row.metric]] or readings
    parent = fixed.get(_FORM_PARENT.get(row.metric, ""))
    if len(readings) > 1 and parent is not None:
        readings = [r for r in readings if _fits(r, parent)]
    return readings[0] if len(readings) == 1 else None


def _form_hits(view: str, prose: Sequence[_Hit] = ()) -> tuple[list[_Hit], dict[str, list[tuple[int, ...]]]]:
    """The form rows read with certainty, and for the others the metric's possible readings. A row whose
    digits allow several readings is read when the prose's figure or its parent row leaves one."""
    stated = {h.metric: h.value for h in reversed(prose) if h.applicant == "total"}
    fixed: dict[str, tuple[int, ...]] = {}
    sums: dict[str, _Hit] = {}
    open_rows: dict[str, list[tuple[int, ...]]] = {}
    for row in _form_rows(view):
        metric = row.metric
        reading = _resolve(row, stated, fixed)
        if reading is None:
            if len(row.readings) > 1 and metric not in sums and metric not in open_rows:
                open_rows[metric] = list(row.readings)
            continue
        fixed.setdefault(metric, reading)
        value = reading[0]
        prior = sums.get(metric)
        if prior is not None:  # 电子邮件 and 网上: one metric, their sum
            sums[metric] = _Hit(metric, "total", prior.value + value, prior.start, row.end)
        else:
            sums[metric] = _Hit(metric, "total", value, row.start, row.end)
    return list(sums.values()), open_rows


def _against_form(hits: list[_Hit], open_rows: dict[str, list[tuple[int, ...]]], warnings: list[str]) -> list[_Hit]:
    """A prose figure whose form row cannot be read alone must be one of that row's readings: "在互联网上,
    县政府公开办主动公开信息数为62条" against 网站公开 "4181509" (418|1509, 41|81509 …, never 62) is the
    office's own count, not the website's."""
    out: list[_Hit] = []
    for h in hits:
        readings = open_rows.get(h.metric)
        if readings is not None and h.applicant == "total" and not any(r[0] == h.value for r in readings):
            warnings.append(f"{h.metric}={h.value} in the prose is no reading of its statistics-form row: dropped")
            continue
        out.append(h)
    return out


def _first_totals(hits: list[_Hit]) -> dict[str, _Hit]:
    first: dict[str, _Hit] = {}
    for h in hits:
        if h.applicant == "total":
            first.setdefault(h.metric, h)
    return first


def _gross_received(text: str, hits: list[_Hit]) -> bool:
    """Whether the stated received figure already includes the carry-over: it says so ("57件(含上年结转
    件1件)"), or the arithmetic says so — received = closed + forward while a carry-over is stated
    (received + carried would then exceed what was handled), or, with no carry-over stated, the verb is
    受理/处理 (which some reports use for everything handled: 受理749 = 办理718 + 结转31)."""
    first = _first_totals(hits)
    received = first.get("requests.new_received")
    if received is None:
        return False
    if _INCLUDES_CARRIED.match(text, received.end):
        return True
    closed, forward = first.get("requests.closed_total"), first.get("requests.carried_forward")
    carried = first.get("requests.carried_over")
    if carried is not None and carried.value > 0 and any(
            h.metric == "requests.new_received" and h.applicant == "total" and h.value + carried.value == received.value
            for h in hits):
        return True  # "共受理15件,其中新收到申请14件,上年结转1件": the new and the carried make up the first figure
    if closed is None or forward is None or received.value != closed.value + forward.value:
        return False
    # with no carry-over stated, 受理 N = 办结 + 结转 is as likely the year's intake with none carried as a gross
    # figure; a table settles it (extractor.merge drops a text figure equal to the table's new + carried)
    return carried is not None and carried.value > 0


def _gross_closed(hits: list[_Hit]) -> list[_Hit]:
    """"共处理1717件(包含上年结转76件),1646件已答复,71件结转": the first 处理 figure is everything handled
    (closed + forward), not closed. Of two closed figures, the one equal to the other + forward goes."""
    forward = _first_totals(hits).get("requests.carried_forward")
    closed = [h for h in hits if h.metric == "requests.closed_total" and h.applicant == "total"]
    if forward is None or len(closed) < 2:
        return hits
    values = {h.value for h in closed}
    gross = {id(h) for h in closed if h.value - forward.value in values and forward.value > 0}
    return [h for h in hits if id(h) not in gross]


def text_facts(text: str, *, year: int | None = None, warnings: list[str] | None = None) -> list[Fact]:
    """Facts stated in the prose of `text` (method "text"). `year` is the report year: figures the text
    attributes to another year are skipped. Notes on dropped statements are appended to `warnings`."""
    prose = _prose_view(text)
    view = prose.text
    hits: list[_Hit] = []
    before_end, before_year = -2, None  # the sentence before: where it ended, the other year it opened with
    for base, sentence, about_requests in _sentences(view):
        # "2019年,我镇通过…网站公开信息94条。通过微信公众平台公布信息25条。" in a report on 2020: a sentence with
        # no year of its own goes on with the other year the sentence before it in the paragraph opened with
        goes_on = before_year is not None and base == before_end + 1 and _OWN_YEAR_OPENING.match(sentence) is None
        opening = _TOPIC_YEAR.match(sentence)
        before_end = base + len(sentence)
        before_year = int(opening.group(1)) if opening and year is not None and int(opening.group(1)) != year \
            else (before_year if goes_on else None)
        if not _HAS_FIGURE.search(sentence) and not _NEGATION.search(sentence):
            continue
        sentence_hits = _specific_over_group(_rule_hits(sentence, base, year, about_requests))
        if _KINDS_OF_INFORMATION.search(sentence):
            # "依申请公开341条、不予公开41条": information by how it is disclosed, in 条, not requests
            sentence_hits = [h for h in sentence_hits
                             if not (h.metric in _OUTCOME_METRICS and view[h.end - 1 : h.end] == "条")]
        if units := _sub_unit_spans(sentence):
            # "…;部门新收依申请公开数量为4件,办理结果为…": the departments' figures, not the body's
            sentence_hits = [h for h in sentence_hits if not any(a <= h.start - base < b for a, b in units)]
        if any(h.metric == "requests.new_received" for h in sentence_hits):
            sentence_hits.extend(_all_from_one_applicant(sentence, base, sentence_hits)
                                 + _all_of_one_kind(sentence, base, sentence_hits))
        hits.extend(sentence_hits)
        if not goes_on:
            hits.extend(_one_site_each(
                _post_hits(sentence, base, year, view[base + len(sentence) : base + len(sentence) + 6])))
        hits.extend(_appeal_hits(sentence, base, year))
        hits.extend(_zero_hits(sentence, base, year))
    warnings = warnings if warnings is not None else []
    form_hits, open_rows = _form_hits(view, hits)
    hits = _against_form(hits, open_rows, warnings) + form_hits
    huge = _HUGE_DIGITS.search(view)
    if huge:
        warnings.append(f"numbers of more than 12 digits skipped (not counts): {huge.group()[:20]}…")
    hits.sort(key=lambda h: h.start)
    hits = _gross_closed(hits)
    if _gross_received(view, hits):
        # "共受理…121件(其中本年度新收申请数112件,上年结转申请数9件)": the gross figure goes, the intake stays
        # (and the applicants' split of the gross figure: "共受理749件,其中自然人申请741件" goes with it)
        gross = _first_totals(hits)["requests.new_received"].value
        hits = [h for h in hits if h.metric != "requests.new_received" or (h.applicant == "total" and h.value != gross)]
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
    return with_confidence(facts, text_checks(facts, text))


# --- arithmetic ---------------------------------------------------------------------------------------
# Checks on prose figures are named "text:<identity>@total", like extract/checks.py names the identities it
# tests on text facts, with the figures keyed the same way (the metric without its group): the balance
# check is the one of forms.yaml, so both modules give it the same name and a merge keeps one. The others
# exist only for prose. A strict identity is one every report satisfies (received + carried = closed +
# forward): when it fails, its figures are in conflict. A sum over a list the prose may give only in
# part (outcomes, a channel breakdown) verifies when it holds and says nothing against them when not.
_BALANCE = ("requests.new_received", "requests.carried_over", "requests.closed_total", "requests.carried_forward")
_REQUEST_OUTCOMES = (
    "requests.granted", "requests.partially_granted", "requests.denied_total", "requests.unavailable_total",
    "requests.not_processed_total", "requests.other_total", "requests.legacy_already_public",
    "requests.legacy_not_this_agency", "requests.legacy_not_exist", "requests.legacy_asked_to_amend",
    "requests.legacy_redirected",
)
_POST_TOTALS = ("publications.proactive_items_total", "publications.website_posts", "publications.new_media_posts")
_STRICT = ("text:requests.balance@total",)
_COUNT_ITEM = re.compile(r"(?<![\d.])(\d+)\s*条")
_SENTENCE_STOP = re.compile(r"[。!?\n]")


def _short(metric: str) -> str:
    return metric.split(".", 1)[1]


def text_checks(facts: Sequence[Fact], text: str = "") -> list[Check]:
    """The identities the prose figures (method "text") of one document can be tested on. `text` (the
    normalised text the facts' offsets point into) is needed only for channel breakdowns, whose parts
    are not facts. The balance (received + carried = closed + forward) is reported held or failed; the
    partial sums (stated outcomes = closed, outcomes + forward = received + carried, a channel total =
    its breakdown) only when they hold. Pure: same facts and text, same checks."""
    by_metric = {f.metric: f.value for f in facts if f.method == "text" and f.applicant == "total"}
    checks: list[Check] = []

    def add(name: str, metrics: Sequence[str], ok: bool) -> None:
        # a partial sum that does not add up says nothing (the prose may list some outcomes only): only
        # the strict balance is reported when it fails
        if ok or f"text:{name}@total" in _STRICT:
            checks.append(Check(f"text:{name}@total", ok, {_short(m): by_metric[m] for m in metrics}))

    if all(k in by_metric for k in _BALANCE):
        n, c, d, fwd = (by_metric[k] for k in _BALANCE)
        add("requests.balance", _BALANCE, _close(n + c, d + fwd))
    outcomes = [k for k in _REQUEST_OUTCOMES if k in by_metric]
    stated = sum(by_metric[k] for k in outcomes)
    if "requests.closed_total" in by_metric and len(outcomes) >= 2:
        add("requests.outcomes_stated", (*outcomes, "requests.closed_total"),
            _close(stated, by_metric["requests.closed_total"]))
    elif outcomes and all(k in by_metric for k in _BALANCE if k != "requests.closed_total"):
        # closed not stated: received + carried = the outcomes + forward ("收到7件,上年结转1件;予以公开3件,
        # 无法提供4件,结转1件")
        handled = by_metric["requests.new_received"] + by_metric["requests.carried_over"]
        keys = (*outcomes, "requests.new_received", "requests.carried_over", "requests.carried_forward")
        add("requests.balance_by_outcomes", keys, _close(handled, stated + by_metric["requests.carried_forward"]))
    if text:
        checks.extend(_breakdown_checks([f for f in facts if f.method == "text"], text))
    return checks


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def _breakdown_checks(facts: list[Fact], text: str) -> list[Check]:
    """A posts figure followed, in its sentence and the next, by counts that add up to it: "全县累计公开
    政府信息21597条。县政府网公开7055条,…部门和镇(街道)共公开14542条" or "官网发布信息N条,其中…a条、b条…"."""
    checks: list[Check] = []
    for f in facts:
        if f.metric not in _POST_TOTALS or f.applicant != "total" or f.value <= 0:
            continue
        stop = _SENTENCE_STOP.search(text, f.end)
        if stop is not None and text[stop.start()] != "\n":
            after = _SENTENCE_STOP.search(text, stop.end())
            end = after.start() if after else len(text)
        else:
            end = stop.start() if stop else len(text)
        parts = [int(m.group(1)) for m in _COUNT_ITEM.finditer(text, f.end, end)]
        if len(parts) >= 2 and _close(sum(parts), f.value):
            figures = {_short(f.metric): f.value, **{f"part{i + 1}": v for i, v in enumerate(parts)}}
            checks.append(Check(f"text:{f.metric}.breakdown@total", True, figures))
    return checks


def with_confidence(facts: Sequence[Fact], checks: Sequence[Check]) -> list[Fact]:
    """The text facts' confidence from these checks: an unverified fact named by a check that holds
    becomes verified, by a strict one that fails (and none that holds) conflict. Table facts and facts
    already judged by another module are left as they are."""
    held: set[str] = set()
    broken: set[str] = set()
    for c in checks:
        if c.ok:
            held |= set(c.figures)
        elif c.name in _STRICT:
            broken |= set(c.figures)
    if not held and not broken:
        return list(facts)
    out: list[Fact] = []
    for f in facts:
        if f.method != "text" or f.applicant != "total" or f.confidence != "unverified":
            out.append(f)
        elif (key := _short(f.metric)) in held:
            out.append(f.with_confidence("verified"))
        elif key in broken:
            out.append(f.with_confidence("conflict"))
        else:
            out.append(f)
    return out


def _is_zero_statement(hit: _Hit) -> bool:
    return hit.value == 0


def uses_statistics_2014_wording(text: str) -> bool:
    """The 2014-2018 statistics form's row names ("…数") used as prose labels."""
    words = ("属于已主动公开范围数", "不属于本行政机关公开数", "申请信息不存在数", "告知作出更改补充数",
             "告知通过其他途径办理数", "同意公开答复数", "不同意公开答复数", "同意部分公开答复数")
    return sum(w in text for w in words) >= 2
