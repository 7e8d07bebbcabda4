"""`ogi`: refresh the warehouse, extract documents, evaluate the extractor, query, status, tables, describe,
export, report."""

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
    from fetching.catalogue import CatalogueError, load_catalogue
    from warehouse.health import WarehouseUnavailable
    from warehouse.lock import RefreshBusy
    from warehouse.orchestrate import run_refresh
    from warehouse.status import print_summary

    sources = Path(args.sources)
    if not sources.is_file():
        raise UserError(f"sources catalogue not found: {sources}")
    try:
        load_catalogue(sources)  # fail fast, in one line, on a bad catalogue
    except CatalogueError as exc:
        raise UserError(str(exc)) from exc
    layout = Layout.at(args.warehouse)
    if args.remote:
        return _refresh_remote(args, sources, layout)
    print(f"refreshing {layout.warehouse} from {sources} (through Airflow: DAG ogi_refresh)", flush=True)
    try:
        ok = run_refresh(sources, layout, rebuild=args.rebuild).published
    except (RefreshBusy, WarehouseUnavailable) as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:  # e.g. a full disk before the DAG started: one line, not a traceback
        from warehouse.health import one_line

        raise UserError(one_line("discover", exc)) from exc
    print_summary(layout)
    return 0 if ok else 1


def _refresh_remote(args: argparse.Namespace, sources: Path, layout: Layout) -> int:
    """Trigger the DAG on a running deployment and follow it; the paths are the workers' paths."""
    from warehouse.remote import RemoteError, run_remote

    conf = {"sources": str(sources.resolve()), "warehouse": str(layout.warehouse), "storage": args.storage or "",
            "lock_owner": ""}
    try:
        run = run_remote(args.remote, conf)
    except RemoteError as exc:
        raise UserError(str(exc)) from exc
    if not run.succeeded:
        print(f"refresh failed on {args.remote}: run {run.run_id} ended {run.state}; failed tasks: "
              f"{', '.join(run.failed_tasks) or 'none recorded'}", file=sys.stderr)
        return 1
    print(f"refresh published: run {run.run_id} on {args.remote}", flush=True)
    if layout.warehouse.exists():  # a deployment on this machine: the usual summary
        from warehouse.status import print_summary

        print_summary(layout)
    return 0


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

    from warehouse import readonly
    from warehouse.render import render

    _connect_read_only(Layout.at(args.warehouse)).close()  # one-line error when there is no warehouse
    con = readonly.connect_query(Layout.at(args.warehouse).warehouse, allow_files=args.allow_files)
    try:
        result = con.execute(args.sql)
        columns = [d[0] for d in result.description or []]
        rows = result.fetchall() if columns else []
    except duckdb.Error as exc:
        from warehouse.export import error_line

        raise UserError(f"query failed: {error_line(exc)}") from exc  # keeps DuckDB's "Did you mean …?"
    finally:
        con.close()
    sys.stdout.write(render(columns, rows, args.format))
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from fetching.catalogue import CatalogueError, Settings, load_catalogue
    from fetching.discover import catalogue_entry, discover_url

    settings = Settings()
    if args.settings:
        try:
            settings = load_catalogue(args.settings).settings
        except CatalogueError as exc:
            raise UserError(str(exc)) from exc
    if not args.url.startswith(("http://", "https://")):
        raise UserError(f"not an http(s) URL: {args.url}")
    found = discover_url(args.url, settings)
    if found.column is None:
        raise UserError(f"no annual-report column found from {args.url} ({found.pages_read} pages read, "
                        f"{len(found.candidates)} candidate links without reports)")
    sys.stdout.write(catalogue_entry(found))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from warehouse.status import print_status

    return print_status(Layout.at(args.warehouse))


def cmd_tables(args: argparse.Namespace) -> int:
    from warehouse.export import list_tables
    from warehouse.render import render

    con = _connect_read_only(Layout.at(args.warehouse))
    try:
        columns, rows = list_tables(con)
    finally:
        con.close()
    if args.format == "table":  # comments are long: the first words (the Chinese label) in a terminal
        rows = [(*r[:3], (r[3] or "")[:60]) for r in rows]
    sys.stdout.write(render(columns, rows, args.format))
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    from warehouse.export import ExportError, describe_table
    from warehouse.render import render

    con = _connect_read_only(Layout.at(args.warehouse))
    try:
        relation, comment, columns, rows = describe_table(con, args.table)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    finally:
        con.close()
    if args.format == "table":
        print(f"{relation}: {comment or '(no description)'}\n")
    sys.stdout.write(render(columns, rows, args.format))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.export import ExportError, export

    layout = Layout.at(args.warehouse)
    _connect_read_only(layout).close()  # one-line error when there is no warehouse
    try:
        out, count = export(layout.warehouse, args.what, args.format, Path(args.out) if args.out else None)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    print(f"wrote {count} rows to {out}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from warehouse.report import build_site

    layout = Layout.at(args.warehouse)
    _connect_read_only(layout).close()
    default = layout.report
    # The link publish switches points into the run's folder: rebuild there, so the link stays right.
    out = Path(args.out) if args.out else (default.resolve() if default.is_symlink() else default)
    index = build_site(layout.warehouse, out)
    print(f"report: {index}  (open it in a browser; it needs no network)")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="ogi", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    def warehouse_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--warehouse", help="published DuckDB file (default: $OGI_WAREHOUSE or "
                                           "warehouse_data/ogi.duckdb)")

    p = sub.add_parser("refresh", help="fetch, extract, build, validate and publish (through Airflow)")
    p.add_argument("--sources", default=str(REPO_ROOT / "samples" / "sources.yaml"), help="sources catalogue (YAML)")
    p.add_argument("--rebuild", action="store_true",
                   help="build a fresh warehouse from the sources and the raw store, keeping the old file aside")
    p.add_argument("--remote", metavar="URL",
                   help="trigger and follow the DAG on a running Airflow deployment (its API server's URL) instead "
                        "of running it here; auth: OGI_AIRFLOW_USER/OGI_AIRFLOW_PASSWORD or OGI_AIRFLOW_TOKEN")
    p.add_argument("--storage", metavar="URI", help="with --remote: the run's OGI_STORAGE (e.g. s3://bucket/prefix)")
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
    p.add_argument("--allow-files", metavar="DIR", nargs="?", const=".", default=None,
                   help="let the SQL read and write files under DIR (default: the current folder); "
                        "without it the query can touch nothing but the warehouse")
    warehouse_option(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("discover", help="find an agency's annual-report column; print a catalogue entry")
    p.add_argument("url", metavar="URL", help="a portal or an agency's 政府信息公开 page")
    p.add_argument("--settings", metavar="CATALOGUE", help="take fetch settings (user agent, years, "
                                                            "timeouts) from this catalogue")
    p.set_defaults(func=cmd_discover)

    p = sub.add_parser("status", help="last run, counts and quality of the published warehouse")
    warehouse_option(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("tables", help="the warehouse's tables and views with their descriptions")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_option(p)
    p.set_defaults(func=cmd_tables)

    p = sub.add_parser("describe", help="the columns of a table, with their descriptions")
    p.add_argument("table", metavar="TABLE", help="e.g. agency_year or marts.fct_requests")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    warehouse_option(p)
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("export", help="write a table or a query's result to a file (csv with BOM, parquet, xlsx, "
                                      "json)")
    p.add_argument("what", metavar="TABLE_OR_SQL", help="a table name (agency_year) or a SELECT query")
    p.add_argument("--format", choices=["csv", "parquet", "xlsx", "json"], default="csv")
    p.add_argument("--out", metavar="FILE", help="output file (default: <table>.<format> here; required for SQL)")
    warehouse_option(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", help="write the charts and quality report (static HTML, works offline)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: report/ beside the warehouse)")
    warehouse_option(p)
    p.set_defaults(func=cmd_report)
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
    except BrokenPipeError:
        # The reader went away (`ogi query … | head`): stop quietly, as Unix tools do on SIGPIPE (128 + 13);
        # stdout is pointed at /dev/null so the interpreter's final flush cannot fail again.
        import os

        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass  # stdout is no file (a test's capture): nothing will flush into a closed pipe
        return 141
    except Exception as exc:  # noqa: BLE001 — one line for the user; details with OGI_DEBUG=1
        import os

        if os.environ.get("OGI_DEBUG"):
            raise
        print(f"ogi: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
