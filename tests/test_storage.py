"""The hand-off store (warehouse/storage.py) behaves the same on a local folder and on S3 (a moto server on
127.0.0.1 started here): atomic writes, a missing input fails loudly, the published warehouse is swapped
atomically (rename locally; new object + pointer on S3) and opens read-only (warehouse/published.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from s3server import s3_environment

from warehouse.published import connect_published
from warehouse.storage import MissingInput, Storage


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    with s3_environment(tmp_path_factory.mktemp("moto") / "moto.log") as url:
        yield url


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path) -> Storage:
    if request.param == "local":
        return Storage.at(tmp_path / "store")
    request.getfixturevalue("s3_endpoint")
    return Storage.at(f"s3://ogi/{request.node.name.replace('[', '-').rstrip(']')}")


def _database(path: Path, value: int) -> Path:
    con = duckdb.connect(str(path))
    con.execute(f"CREATE SCHEMA marts; CREATE TABLE marts.t AS SELECT {value} AS x")
    con.close()
    return path


def test_round_trip_of_bytes_json_and_files(storage, tmp_path):
    uri = storage.uri("runs", "r1", "fetch", "a source.json")
    storage.write_json(uri, {"documents": ["中文", "\u2028"]})
    assert storage.read_json(uri) == {"documents": ["中文", "\u2028"]}
    assert storage.exists(uri)
    assert storage.list(storage.uri("runs/r1/fetch")) == [uri]
    local = tmp_path / "x.bin"
    local.write_bytes(b"\x00\x01" * 1000)
    storage.put_file(local, storage.uri("store/ab/abcd"))
    assert storage.get_file(storage.uri("store/ab/abcd"), tmp_path / "back.bin").read_bytes() == local.read_bytes()
    storage.delete(uri)
    assert not storage.exists(uri)


def test_a_missing_input_fails_instead_of_being_empty(storage, tmp_path):
    with pytest.raises(MissingInput, match="missing input: .*nothing.json"):
        storage.read_json(storage.uri("runs/r1/nothing.json"))
    with pytest.raises(MissingInput):
        storage.get_file(storage.uri("store/none"), tmp_path / "none")
    assert not (tmp_path / "none").exists()
    assert storage.list(storage.uri("runs/none")) == []


def test_keys_stay_under_the_base(storage):
    with pytest.raises(ValueError):
        storage.uri("runs", "../../etc/passwd")
    with pytest.raises(ValueError):
        storage.read_bytes("file:///etc/passwd")


def test_local_writes_leave_no_partial_file(tmp_path):
    storage = Storage.at(tmp_path)
    uri = storage.uri("a.json")
    storage.write_bytes(uri, b"old")
    storage.write_bytes(uri, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    assert storage.read_bytes(uri) == b"new"


def test_publish_swaps_and_readers_follow(storage, tmp_path):
    with pytest.raises(MissingInput):
        storage.published_uri("ogi.duckdb")
    building = tmp_path / "store" / ".ogi.duckdb.r1.building" if storage.is_local else tmp_path / "b1.duckdb"
    building.parent.mkdir(parents=True, exist_ok=True)
    first = storage.publish(_database(building, 1), "ogi.duckdb", "run:1")
    con = connect_published(storage, cache=tmp_path / "cache")
    assert con.execute("SELECT x FROM marts.t").fetchall() == [(1,)]
    second_file = building.with_name(building.name + "2")
    second = storage.publish(_database(second_file, 2), "ogi.duckdb", "run:2")
    # a reader that opened the first publish keeps reading it whole
    assert con.execute("SELECT x FROM marts.t").fetchall() == [(1,)]
    con.close()
    with connect_published(storage, cache=tmp_path / "cache") as fresh:
        assert fresh.execute("SELECT x FROM marts.t").fetchall() == [(2,)]
    if not storage.is_local:
        assert first != second and storage.published_uri("ogi.duckdb") == second
        assert storage.exists(first)  # never overwritten: still whole for whoever has it open
        storage.publish(_database(tmp_path / "b3.duckdb", 3), "ogi.duckdb", "run:3")
        assert storage.prune_published("ogi.duckdb", keep=1) == [second, first]
        assert storage.exists(storage.published_uri("ogi.duckdb"))
