"""Normalisation: script, Traditional → Simplified, NFKC, chrome, repeats, mojibake."""

from pathlib import Path

from extract.normalise import detect_script, nfkc, normalise, to_simplified

SEEDS = Path(__file__).parent.parent / "samples" / "corpus" / "seeds"
REAL = Path(__file__).parent.parent / "samples" / "corpus" / "real"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_round_trip_errors_of_the_seeds_come_back():
    assert to_simplified("全麵推進") == "全面推进"
    assert to_simplified("備案、校審登記等製度") == "备案、校审登记等制度"
    assert to_simplified("杭州市江幹區市民中心") == "杭州市江干区市民中心"
    assert to_simplified("在線谘詢") == "在线咨询"


def test_zh_tw_phrase_variants():
    assert to_simplified("規範性檔案") == "规范性文件"
    assert to_simplified("其他主動公開檔案") == "其他主动公开文件"
    text = normalise(read(REAL / "wuhan_ecoenv_2020_zhtw.txt")).text
    assert "规范性文件(" in text and "档案" not in text


def test_script_detection():
    assert detect_script(read(SEEDS / "000_eef804524ea2797b.txt")) == "traditional"
    assert detect_script(read(SEEDS / "004_a52ca3c4cb060fa9.txt")) == "simplified"
    assert detect_script("政府信息公开") == "simplified"


def test_simplified_text_is_not_run_through_t2s():
    # t2s would change 著 (a valid Simplified character in 著名) — Simplified text must pass untouched
    text = "杭州市著名景区2023年收到申请5件。"
    assert normalise(text).text == text


def test_nfkc_decision():
    assert nfkc("（一）予以公开　１２３件：") == "(一)予以公开 123件:"
    # Chinese-only marks stay; circled numbers do not become bare digits; "…" stays one character
    assert nfkc("一、主动公开。“八八战略”《条例》〔2017〕①…") == "一、主动公开。“八八战略”《条例》〔2017〕(1)…"


def test_page_chrome_is_removed():
    plan = normalise(read(SEEDS / "002_30463eea81f7d3a7.txt")).text
    assert "打印本页" not in plan and "关闭窗口" not in plan and "当前位置" not in plan
    seed1 = normalise(read(SEEDS / "001_a211173aaaac4cee.txt")).text
    assert "||||" not in seed1 and "![]()" not in seed1
    assert seed1.startswith("省建设厅2020年政府信息公开工作年度报告")
    district = normalise(read(SEEDS / "004_a52ca3c4cb060fa9.txt")).text
    assert "返回顶部" not in district


def test_report_printed_twice_counts_once():
    text = normalise(read(SEEDS / "000_eef804524ea2797b.txt")).text
    assert text.count("全年收到政府信息公开申请615件") == 1
    assert text.count("在政务新媒体及时发布各类政务信息1674条") == 1


def test_table_rows_are_kept_intact():
    text = normalise(read(REAL / "shuyang_fagaiju_2023.txt")).text
    assert "规范性文件 | 8 | 0 | 18" in text
    md = normalise(read(REAL / "shuyang_county_2025.md")).text
    assert "| 行政规范性文件 | 6 | 1 | 32 |" in md


def test_two_rows_of_a_text_layer_that_print_the_same_numbers_are_both_kept():
    # a table copied from a text layer, numbers printed before their labels: 一 and （七） print the same row
    # (every request was closed), and dropping the second as "a repeated paragraph" shifted every row after it
    row = "116 15 8 17 16 2 174"
    paragraph = "全年收到政府信息公开申请174件，均已办结。" * 2
    text = normalise(f"三、收到和处理政府信息公开申请情况\n{row}\n一、本年新收政府信息公开申请数量\n6 0 0 0 0 0 6\n"
                     f"二、上年结转政府信息公开申请数量\n{row}\n（七）总计\n{paragraph}\n{paragraph}").text
    assert text.count(row) == 2
    assert text.count("全年收到政府信息公开申请174件") == 2  # the paragraph printed twice still counts once


def test_mojibake_repaired_when_the_bytes_are_all_there():
    garbled = "全年收到政府信息办结".encode().decode("gbk")  # every byte pair is valid GBK here
    result = normalise(f"前言。{garbled}3件。")
    assert result.text == "前言。全年收到政府信息办结3件。"
    assert result.issues == []


def test_mojibake_with_lost_bytes_keeps_what_decodes():
    garbled = "为了测试关于政府信息公开的工作".encode().decode("gbk", errors="replace")
    result = normalise(f"前文。{garbled}。后文")
    assert "为了测试关于政府信息" in result.text
    assert [i.code for i in result.issues] == ["mojibake"]


def test_mojibake_skipped_with_an_issue_when_bytes_are_lost():
    result = normalise(read(SEEDS / "001_a211173aaaac4cee.txt"))
    assert [i.code for i in result.issues] == ["mojibake"]
    assert "ぷ" not in result.text and "麄" not in result.text
    # the sentences around it survive
    assert "组织厅参与了2期新闻发布会" in result.text


def test_ordinary_text_has_no_mojibake_false_alarm():
    for path in [*SEEDS.iterdir(), *REAL.glob("*.txt"), *REAL.glob("*.md")]:
        if path.name == "001_a211173aaaac4cee.txt" or path.name == "SOURCES.md":
            continue
        assert normalise(read(path)).issues == [], path.name


def test_fast_t2s_gives_what_opencc_gives():
    from opencc import OpenCC

    reference = OpenCC("t2s")
    for name in ["000_eef804524ea2797b.txt", "001_a211173aaaac4cee.txt", "003_fa38032d3d611a12.txt"]:
        text = read(SEEDS / name)
        assert to_simplified(text) == reference.convert(text).replace("谘询", "咨询")
    # phrases whose characters convert differently together
    assert to_simplified("乾坤一擲,一目瞭然") == reference.convert("乾坤一擲,一目瞭然")
