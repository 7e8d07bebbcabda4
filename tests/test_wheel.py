"""The package a deployment installs carries dbt_project/, and the code finds it there — not in a checkout
(issue 9: a built wheel once left it out, `build` failed and the fingerprint ignored model changes)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "target", "logs", "dbt_packages", "*.egg-info")
    for folder in ("extract", "fetching", "warehouse", "expectations", "dbt_project"):
        shutil.copytree(REPO / folder, src / folder, ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    uv = Path(sys.executable).with_name("uv")
    subprocess.run([str(uv), "build", "--wheel", "--out-dir", str(out), str(src)], check=True, capture_output=True)
    return next(out.glob("ogi_warehouse-*.whl"))


def test_the_wheel_carries_the_dbt_project(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"dbt_project/dbt_project.yml", "dbt_project/profiles.yml"} <= names
    models = {n for n in names if n.startswith("dbt_project/models/") and n.endswith(".sql")}
    assert len(models) == len(list((REPO / "dbt_project" / "models").rglob("*.sql")))
    assert any(n.startswith("dbt_project/seeds/") and n.endswith(".csv") for n in names)
    assert not any("/target/" in n or "/logs/" in n for n in names)
    assert {"fetching/fetch.py", "fetching/listings/jcms.py", "extract/metrics.yaml"} <= names


def test_installed_code_finds_the_project_inside_the_package(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # The checkout's editable install must not answer: drop its finders, put the unpacked wheel first.
    probe = ("import sys; sys.meta_path = [f for f in sys.meta_path if 'editable' not in repr(f).lower()]; "
             "sys.path = [sys.argv[1]] + [p for p in sys.path if 'editable' not in p.lower()]; "
             "import warehouse; from warehouse.resources import dbt_project_dir; "
             "from warehouse.pipeline import build_fingerprint; "
             "print(warehouse.__file__); print(dbt_project_dir()); print(build_fingerprint())")
    out = subprocess.run([sys.executable, "-c", probe, str(site)], cwd=tmp_path, capture_output=True, text=True,
                         check=True).stdout.split()
    assert Path(out[0]).parent.parent == site
    assert Path(out[1]) == site / "dbt_project"
    from warehouse.pipeline import build_fingerprint

    assert out[2] == build_fingerprint()  # the same models, wherever they are read from
