# Two commands for a newcomer: `make run` (refresh on the bundled corpus) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench eval clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet "uv>=0.4"
	$(UV) pip install --python $(PY) --quiet -e ".[dev]"
	@touch $(STAMP)

run: setup
	$(VENV)/bin/ogi refresh --sources samples/sources.yaml

test: setup
	$(VENV)/bin/pytest

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) benchmarks/extract_speed.py
	$(PY) benchmarks/incremental_refresh.py

eval: setup
	$(VENV)/bin/ogi eval samples/corpus samples/gold

clean:
	rm -rf $(VENV) warehouse_data
