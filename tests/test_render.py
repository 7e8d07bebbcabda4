import csv
import io
import json

from warehouse.render import _width, render

COLUMNS = ["agency_name", "report_year", "new_received", "balance_ok"]
ROWS = [("杭州市城乡建设委员会", 2023, 615, True), ("淮安市人民政府", 2024, 3119.0, None)]


def test_csv_has_header_then_one_line_per_row():
    text = render(COLUMNS, ROWS, "csv")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [COLUMNS, ["杭州市城乡建设委员会", "2023", "615", "True"], ["淮安市人民政府", "2024", "3119", ""]]


def test_json_has_header_line_then_one_line_per_row():
    lines = render(COLUMNS, ROWS, "json").splitlines()
    assert json.loads(lines[0]) == COLUMNS
    assert json.loads(lines[1]) == ["杭州市城乡建设委员会", 2023, 615, True]
    assert json.loads(lines[2]) == ["淮安市人民政府", 2024, 3119.0, None]
    assert len(lines) == 3


def test_table_aligns_wide_characters():
    lines = render(COLUMNS, ROWS, "table").splitlines()
    # Each CJK character is two terminal columns wide: the year column starts at the same screen column.
    def screen_column(line: str, token: str) -> int:
        return _width(line[: line.index(token)])

    assert screen_column(lines[2], "2023") == screen_column(lines[3], "2024") == _width("杭州市城乡建设委员会  ")
    assert lines[-1] == "(2 rows)"
