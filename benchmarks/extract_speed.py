"""Extractor throughput: documents per second per core, overall and per format.

Generates a corpus of synthetic reports (about 20 KB each) from the sample documents' phrasing with
varied agencies and numbers, in four formats: HTML with the standard 2021 tables (Simplified), the same
in Traditional script, plain-text narrative, and markdown with pipe tables. Runs the extractor on every
document in this process and reports documents per CPU-second (one process = one core). Target: at
least 100 documents/s/core for HTML reports.

    python benchmarks/extract_speed.py [--docs 1000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from collections import defaultdict
from pathlib import Path

from opencc import OpenCC

from extract import extract_bytes

ROOT = Path(__file__).resolve().parent.parent
TARGET_BYTES = 20_000

AGENCIES = [
    ("杭州市", "城乡建设委员会"), ("宁波市", "教育局"), ("温州市", "民政局"), ("苏州市", "生态环境局"),
    ("淮安市", "交通运输局"), ("宿迁市", "市场监督管理局"), ("武汉市", "卫生健康委员会"), ("嘉兴市", "财政局"),
    ("绍兴市", "人力资源和社会保障局"), ("南京市", "城市管理局"), ("无锡市", "发展和改革委员会"),
]

PROSE = """一、总体情况
{year}年,{agency}坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻落实《中华人民共和国政府信息公开条例》,坚持以公开为常态、不公开为例外,全面推进决策、执行、管理、服务、结果公开。
(一)主动公开
全年通过门户网站主动公开政府信息{proactive}条,在政务新媒体发布各类政务信息{media}条,制发规范性文件{normative}件,发布政策解读信息{interp}条。
(二)依申请公开
全年共收到政府信息公开申请{received}件,上年结转{carried}件;办结{closed}件,其中予以公开{granted}件,部分公开{partial}件,不予公开{denied}件,无法提供{unavailable}件,{forward}件结转下年度继续办理。因政府信息公开申请引发行政复议{recon}件,其中维持{upheld}件;行政诉讼{lit}件。
(三)政府信息管理
健全信息发布审查机制,对政府信息发布进行严格审核,确保信息及时、准确、全面、合法。做好网站信息严重表述错误、黑链死链、栏目更新频率等方面的监测工作,杜绝严重表述错误、栏目空白、超期更新等问题。
"""


def _filler() -> list[str]:
    """Paragraphs of real prose without statistics (the work plan seed) to bring documents to size."""
    text = (ROOT / "samples/corpus/seeds/002_30463eea81f7d3a7.txt").read_text(encoding="utf-8")
    paras = [p.strip() for p in text.replace(" (", "\n(").split("\n") if len(p.strip()) > 60]
    return [p for p in paras if "|" not in p]


def _numbers(rng: random.Random) -> dict[str, int]:
    received = rng.randint(5, 900)
    carried = rng.randint(0, 40)
    forward = rng.randint(0, min(30, received))
    closed = received + carried - forward
    granted = rng.randint(0, closed // 2)
    partial = rng.randint(0, (closed - granted) // 3)
    denied = rng.randint(0, 5)
    unavailable = max(0, closed - granted - partial - denied)
    recon = rng.randint(0, 20)
    return dict(
        received=received, carried=carried, forward=forward, closed=closed, granted=granted, partial=partial,
        denied=denied, unavailable=unavailable, recon=recon, upheld=rng.randint(0, recon), lit=rng.randint(0, 9),
        proactive=rng.randint(100, 9000), media=rng.randint(50, 3000), normative=rng.randint(0, 30),
        interp=rng.randint(0, 80),
    )


def _row(cells: list[object]) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _tables_html(n: dict[str, int], rng: random.Random) -> str:
    seven = lambda total: [total, 0, 0, 0, 0, 0, total]  # noqa: E731
    t2 = (
        "<p>二、主动公开政府信息情况</p><table>"
        + _row(["第二十条第(一)项", "", "", ""])
        + _row(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
        + _row(["规章", 0, 0, 0])
        + _row(["行政规范性文件", n["normative"], rng.randint(0, 5), rng.randint(10, 90)])
        + _row(["第二十条第(五)项", "", "", ""])
        + _row(["信息内容", "本年处理决定数量", "", ""])
        + _row(["行政许可", rng.randint(0, 90000), "", ""])
        + _row(["第二十条第(六)项", "", "", ""])
        + _row(["信息内容", "本年处理决定数量", "", ""])
        + _row(["行政处罚", rng.randint(0, 9000), "", ""])
        + _row(["行政强制", rng.randint(0, 900), "", ""])
        + "</table>"
    )
    rows = [
        ("一、本年新收政府信息公开申请数量", n["received"]), ("二、上年结转政府信息公开申请数量", n["carried"]),
        ("(一)予以公开", n["granted"]), ("(二)部分公开(区分处理的,只计这一情形,不计其他情形)", n["partial"]),
        ("(三)不予公开 1.属于国家秘密", n["denied"]), ("(四)无法提供 1.本机关不掌握相关政府信息", n["unavailable"]),
        ("(七)总计", n["closed"]), ("四、结转下年度继续办理", n["forward"]),
    ]
    t3 = (
        "<p>三、收到和处理政府信息公开申请情况</p><table>"
        + _row(["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况", *[""] * 6])
        + _row(["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"])
        + "".join(_row([label, *seven(v)]) for label, v in rows)
        + "</table>"
    )
    t4 = (
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>"
        + _row(["行政复议"] * 5 + ["行政诉讼"] * 10)
        + _row(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5)
        + _row([""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
        + _row([n["upheld"], 0, n["recon"] - n["upheld"], 0, n["recon"], n["lit"], 0, 0, 0, n["lit"], 0, 0, 0, 0, 0])
        + "</table>"
    )
    return t2 + t3 + t4


def _pad(parts: list[str], filler: list[str], rng: random.Random, size: int) -> list[str]:
    while sum(len(p.encode()) for p in parts) < size:
        parts.append(rng.choice(filler))
    return parts


def generate(count: int, seed: int = 1) -> list[tuple[str, bytes, str]]:
    """[(format, bytes, filename)] in round-robin order of the four formats."""
    rng = random.Random(seed)
    filler = _filler()
    s2t = OpenCC("s2t")
    trad_filler = [s2t.convert(p) for p in filler[:12]]
    trad_prose = s2t.convert(PROSE)
    md_template = (ROOT / "samples/corpus/real/shuyang_county_2025.md").read_text(encoding="utf-8")
    docs: list[tuple[str, bytes, str]] = []
    for i in range(count):
        fmt = ("html", "html_traditional", "text", "markdown")[i % 4]
        city, office = rng.choice(AGENCIES)
        agency = city + office
        year = rng.randint(2019, 2025)
        n = _numbers(rng)
        if fmt in ("html", "html_traditional"):
            trad = fmt == "html_traditional"
            title = f"{agency}{year}年政府信息公开工作年度报告"
            prose = (trad_prose if trad else PROSE).format(year=year, agency=agency, **n)
            body = [f"<h1>{s2t.convert(title) if trad else title}</h1>"]
            body += [f"<p>{p}</p>" for p in prose.split("\n") if p]
            body.append(_tables_html(n, rng))
            body = _pad(body, [f"<p>{p}</p>" for p in (trad_filler if trad else filler)], rng, TARGET_BYTES - 400)
            html = "<html><head><meta charset='utf-8'><title>年度报告</title></head><body>" + "".join(body)
            docs.append((fmt, (html + "</body></html>").encode(), f"doc{i}.html"))
        elif fmt == "text":
            parts = [f"{agency}{year}年政府信息公开工作年度报告", PROSE.format(year=year, agency=agency, **n)]
            docs.append((fmt, "\n".join(_pad(parts, filler, rng, TARGET_BYTES)).encode(), f"doc{i}.txt"))
        else:
            md = md_template.replace("705", str(n["received"])).replace("2025", str(year)).replace("沐阳县", city)
            parts = [md]
            docs.append((fmt, "\n\n".join(_pad(parts, filler, rng, TARGET_BYTES)).encode(), f"doc{i}.md"))
    return docs


def run(docs: list[tuple[str, bytes, str]]) -> dict[str, tuple[int, float, int]]:
    """{format: (documents, cpu seconds, facts)}"""
    stats: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0])
    for fmt, data, name in docs:
        t0 = time.process_time()
        e = extract_bytes(data, name, filename=name)
        dt = time.process_time() - t0
        s = stats[fmt]
        s[0] += 1
        s[1] += dt
        s[2] += len(e.facts)
        if any(i.code == "internal_error" for i in e.issues):
            raise SystemExit(f"internal_error on a generated {fmt} document: {e.issues}")
    return {k: (int(v[0]), v[1], int(v[2])) for k, v in stats.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="print the top functions by cumulative time")
    args = parser.parse_args()
    docs = generate(args.docs)
    size = sum(len(d) for _, d, _ in docs) / len(docs)
    print(f"{len(docs)} documents, {size / 1000:.1f} KB on average")
    extract_bytes(docs[0][1], "warm-up", filename=docs[0][2])  # dictionaries and regexes load once
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    stats = run(docs)
    if profiler:
        profiler.disable()
    total_docs = sum(v[0] for v in stats.values())
    total_cpu = sum(v[1] for v in stats.values())
    print(f"{'format':18} {'docs':>6} {'docs/s/core':>12} {'ms/doc':>8} {'facts/doc':>10}")
    for fmt, (n, cpu, facts) in sorted(stats.items()):
        print(f"{fmt:18} {n:6d} {n / cpu:12.1f} {1000 * cpu / n:8.2f} {facts / n:10.1f}")
    print(f"{'overall':18} {total_docs:6d} {total_docs / total_cpu:12.1f} {1000 * total_cpu / total_docs:8.2f}")
    html_rate = stats["html"][0] / stats["html"][1]
    print(f"target >= 100 docs/s/core for HTML reports: {'met' if html_rate >= 100 else 'NOT met'} ({html_rate:.1f})")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
