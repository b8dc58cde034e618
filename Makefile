# The two commands of the README. Each one sets up .venv on a fresh machine first.
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: quickstart test lint typecheck bench clean sdks

$(STAMP): pyproject.toml sdk/python/pyproject.toml
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -e '.[dev]'
	@# The native provider's Python SDK, beside the dynamic face (docs/sdks.md).
	$(VPY) -m pip install --quiet -e sdk/python
	touch $(STAMP)

# No Pulumi CLI? scripts/quickstart.py tries Pulumi's installer, else runs the engine harness.
# AUTOCALLS_QUICKSTART_NO_INSTALL=1 skips the installer.
quickstart: $(STAMP)
	$(VPY) scripts/quickstart.py

# The examples are separate programs, each a module named __main__: one mypy run each.
test: $(STAMP)
	$(VPY) -m ruff check provider tests examples scripts benchmarks dev
	$(VPY) -m ruff format --check provider tests examples scripts benchmarks dev
	$(VPY) -m mypy
	for program in examples/*/__main__.py; do $(VPY) -m mypy --strict $$program || exit 1; done
	MYPYPATH=dev $(VPY) -m mypy --strict --follow-imports=silent scripts/*.py dev/cli_engine
	MYPYPATH=dev:benchmarks/reference $(VPY) -m mypy --strict --follow-imports=silent \
		benchmarks/*.py benchmarks/*/*.py
	@# The real-engine lane needs a Pulumi CLI: found, or built once per machine (minutes), here
	@# rather than inside a test's time limit. Without one the lane is skipped, saying why.
	-$(VPY) scripts/pulumi_cli.py
	-$(VPY) scripts/gen_sdks.py --tool
	$(VPY) -m pytest -q

# The native provider's SDKs (sdk/nodejs, sdk/python, sdk/go) and sdk/schema.json, regenerated
# from the schema with Pulumi's code generators (tools/sdkgen, built once per machine).
sdks: $(STAMP)
	$(VPY) scripts/gen_sdks.py

bench: $(STAMP)
	$(VPY) benchmarks/run.py --trunks 100

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
