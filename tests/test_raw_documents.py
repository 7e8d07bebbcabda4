"""raw.documents keeps how a document was reached: a report page, its attachment, or a catalogue file."""

import duckdb

from warehouse import raw


def test_an_attachment_keeps_its_page():
    con = duckdb.connect()
    raw.create(con)
    page = {"document_id": "p" * 64, "source": "https://a.gov.cn/art/2024/1/2/art_1_1.html", "role": "report",
            "referrer": "https://a.gov.cn/col/col1/index.html"}
    pdf = {"document_id": "f" * 64, "source": "https://a.gov.cn/attach/report.pdf", "role": "attachment",
           "referrer": page["source"], "parent_document_id": page["document_id"]}
    extraction = {"document": {"kind": "annual_report", "agency": "某市人民政府", "year": 2023}, "facts": []}
    for fetched in (page, pdf):
        raw.replace_document(con, fetched, extraction, extractor_version="t", extracted_at="2024-01-02T00:00:00")
    rows = con.execute("SELECT role, referrer, parent_document_id FROM raw.documents ORDER BY role DESC").fetchall()
    assert rows == [("report", "https://a.gov.cn/col/col1/index.html", None),
                    ("attachment", page["source"], page["document_id"])]


def test_an_older_warehouse_gains_the_columns():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw; CREATE TABLE raw.documents (document_id VARCHAR PRIMARY KEY, source VARCHAR)")
    raw.create(con)
    columns = {r[0] for r in con.execute("DESCRIBE raw.documents").fetchall()}
    assert {"role", "referrer", "parent_document_id"} <= columns
