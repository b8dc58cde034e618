# The two commands of the README. Each one sets up .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: quickstart test lint typecheck bench clean

$(STAMP): pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

quickstart: $(STAMP)
	$(VPY) -m pulumi_autocalls.quickstart

test: $(STAMP)
	$(VPY) -m ruff check provider tests examples benchmarks
	$(VPY) -m ruff format --check provider tests examples benchmarks
	$(VPY) -m mypy
	$(VPY) -m pytest -q

bench: $(STAMP)
	$(VPY) benchmarks/run.py --trunks 100

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
