# DataAccess proxy. `make run` (embedded SQLite, nothing to install), `make demo`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: venv proto lint test test-fast run demo bench bench-backfill image clean

venv: $(VENV)/.stamp
$(VENV)/.stamp: pyproject.toml clients/python/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]' -e clients/python
	touch $@

proto: venv
	PYTHON=$(PY) dev/proto.sh

lint: venv
	$(VENV)/bin/ruff check proxy clients/python tests dev $(wildcard bench examples)
	$(VENV)/bin/mypy --strict proxy clients/python/src

test: venv lint
	$(PY) -m pytest tests -p no:cacheprovider -q

test-fast: venv
	$(PY) -m pytest tests/unit -p no:cacheprovider

run: venv
	$(PY) -m proxy serve

demo: venv
	$(PY) -m examples.seed.demo

bench: venv
	$(PY) -m bench.get_put

bench-backfill: venv
	$(PY) -m bench.backfill

# The container image via buildah (no Docker daemon; root), then a run of it answering gRPC health.
image:
	dev/image.sh

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
