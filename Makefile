# Two commands for a newcomer: `make run` (refresh on the bundled corpus) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed

.PHONY: setup system-deps run test lint bench bench-scale wheel eval docs report clean

setup: $(STAMP)

# --compile-bytecode: uv writes no .pyc by default, and with PYTHONDONTWRITEBYTECODE set (as on these machines
# and in most container images) every Airflow task, dbt and GX process then compiled its imports afresh.
$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet "uv>=0.4"
	$(UV) pip install --python $(PY) --quiet --compile-bytecode -e ".[dev]"
	@touch $(STAMP)

run: setup
	$(VENV)/bin/ogi refresh --sources samples/sources.yaml

# The report's browser test draws the charts in headless Chromium, which needs a CJK font for the Chinese
# labels; the Celery test (tests/test_celery_executor.py) starts Redis as its broker. Installed with apt when
# missing (CI runs on a fresh Debian machine as root); skipped when present. PostgreSQL 15, which the Celery
# test also starts, is already on these machines (/usr/lib/postgresql/15/bin).
SYSTEM_PACKAGES := chromium fonts-wqy-zenhei redis-server

system-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 && \
	   { dpkg -s fonts-wqy-zenhei >/dev/null 2>&1 || fc-list 2>/dev/null | grep -qi "WenQuanYi Zen Hei"; }; then \
	  echo "system-deps: chromium, fonts-wqy-zenhei and redis-server present"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $(SYSTEM_PACKAGES) >/dev/null && echo "system-deps: installed $(SYSTEM_PACKAGES)"; \
	else \
	  echo "system-deps: $(SYSTEM_PACKAGES) missing and not installable here (needs root and apt-get);" \
	       "the tests that need them (the report's browser test, the Celery test) will be skipped"; \
	fi

test: setup system-deps
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check .

# The refresh at 1k and 10k generated documents: in this process, through dag.test, and on a standing
# LocalExecutor with parallelism 1 and 2 in two rounds (README "Measured at scale"). 25–35 min on 2 cores.
bench-scale: setup
	$(PY) benchmarks/scale.py --docs 1000 10000

# The wheel a deployment installs (dbt_project/ inside); the Dockerfile builds the same one.
wheel: setup
	$(UV) build --wheel --out-dir dist

bench: setup
	$(PY) benchmarks/extract_speed.py
	$(PY) benchmarks/incremental_refresh.py
	$(PY) benchmarks/variant_accuracy.py

eval: setup
	$(VENV)/bin/ogi eval samples/corpus samples/gold

docs: setup
	$(PY) -m warehouse.dbt_docs

report: setup
	$(VENV)/bin/ogi report

clean:
	rm -rf $(VENV) warehouse_data
