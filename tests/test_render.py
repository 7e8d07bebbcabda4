import csv
import io
import json

from warehouse.render import BOM, _width, render, write_csv

COLUMNS = ["agency_name", "report_year", "new_received", "balance_ok"]
ROWS = [("杭州市城乡建设委员会", 2023, 615, True), ("淮安市人民政府", 2024, 3119.0, None)]


def test_csv_has_header_then_one_line_per_row():
    text = render(COLUMNS, ROWS, "csv")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [COLUMNS, ["杭州市城乡建设委员会", "2023", "615", "True"], ["淮安市人民政府", "2024", "3119", ""]]


def test_json_is_one_list_of_objects():
    records = json.loads(render(COLUMNS, ROWS, "json"))
    assert records == [
        {"agency_name": "杭州市城乡建设委员会", "report_year": 2023, "new_received": 615, "balance_ok": True},
        {"agency_name": "淮安市人民政府", "report_year": 2024, "new_received": 3119.0, "balance_ok": None}]
    assert json.loads(render(COLUMNS, [], "json")) == []


def test_csv_for_people_starts_with_a_bom_so_excel_reads_the_chinese(tmp_path):
    path = tmp_path / "x.csv"
    write_csv(path, COLUMNS, ROWS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "杭州市城乡建设委员会".encode() in raw
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[0] == COLUMNS
    assert not render(COLUMNS, ROWS, "csv").startswith(BOM)  # stdout stays plain for scripts


def test_table_aligns_wide_characters():
    lines = render(COLUMNS, ROWS, "table").splitlines()
    # Each CJK character is two terminal columns wide: the year column starts at the same screen column.
    def screen_column(line: str, token: str) -> int:
        return _width(line[: line.index(token)])

    assert screen_column(lines[2], "2023") == screen_column(lines[3], "2024") == _width("杭州市城乡建设委员会  ")
    assert lines[-1] == "(2 rows)"
