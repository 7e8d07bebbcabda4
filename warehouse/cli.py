"""`ogi`: refresh the warehouse, extract documents, evaluate the extractor, query, status."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from warehouse.layout import REPO_ROOT, Layout


class UserError(Exception):
    """A problem the user can fix; printed as one line, no traceback."""


def _connect_read_only(layout: Layout):
    from warehouse import readonly

    if not layout.warehouse.exists():
        raise UserError(f"no warehouse at {layout.warehouse}: run `ogi refresh` (or `make run`) first")
    return readonly.connect(layout.warehouse)


def cmd_refresh(args: argparse.Namespace) -> int:
    from extract.catalogue import CatalogueError, load_catalogue
    from warehouse.orchestrate import run_refresh
    from warehouse.publish import RefreshBusy
    from warehouse.status import print_summary

    sources = Path(args.sources)
    if not sources.is_file():
        raise UserError(f"sources catalogue not found: {sources}")
    try:
        load_catalogue(sources)  # fail fast, in one line, on a bad catalogue
    except CatalogueError as exc:
        raise UserError(str(exc)) from exc
    layout = Layout.at(args.warehouse)
    print(f"refreshing {layout.warehouse} from {sources} (through Airflow: DAG ogi_refresh)", flush=True)
    try:
        ok = run_refresh(sources, layout)
    except RefreshBusy as exc:
        raise UserError(str(exc)) from exc
    print_summary(layout)
    return 0 if ok else 1


def cmd_extract(args: argparse.Namespace) -> int:
    from extract import extract_path

    files: list[Path] = []
    for name in args.paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"no such file or folder: {name}")
    for path in files:
        print(json.dumps(extract_path(path).to_json(), ensure_ascii=False), flush=True)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from extract.evaluate import evaluate, format_report

    for folder in (args.corpus, args.gold):
        if not Path(folder).is_dir():
            raise UserError(f"not a folder: {folder}")
    report = evaluate(Path(args.corpus), Path(args.gold))
    print(format_report(report))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.render import render

    con = _connect_read_only(Layout.at(args.warehouse))
    try:
        result = con.execute(args.sql)
        columns = [d[0] for d in result.description or []]
        rows = result.fetchall() if columns else []
    except duckdb.Error as exc:
        raise UserError(f"query failed: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    sys.stdout.write(render(columns, rows, args.format))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from warehouse.status import print_status

    print_status(Layout.at(args.warehouse))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ogi", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    def warehouse_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--warehouse", help="published DuckDB file (default: $OGI_WAREHOUSE or "
                                           "warehouse_data/ogi.duckdb)")

    p = sub.add_parser("refresh", help="fetch, extract, build, validate and publish (through Airflow)")
    p.add_argument("--sources", default=str(REPO_ROOT / "samples" / "sources.yaml"), help="sources catalogue (YAML)")
    warehouse_option(p)
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("extract", help="extract documents; one JSON object per file on stdout")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["jsonl"], default="jsonl")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval", help="precision and recall of the extractor against gold files")
    p.add_argument("corpus", metavar="CORPUS_DIR")
    p.add_argument("gold", metavar="GOLD_DIR")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("query", help="run SQL on the published warehouse (read-only)")
    p.add_argument("sql", metavar="SQL")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_option(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("status", help="last run, counts and quality of the published warehouse")
    warehouse_option(p)
    p.set_defaults(func=cmd_status)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"ogi: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("ogi: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 — one line for the user; details with OGI_DEBUG=1
        import os

        if os.environ.get("OGI_DEBUG"):
            raise
        print(f"ogi: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
