# The two commands of the README: `make brief` builds the sample briefs, `make test` runs
# every check. Both set up what they need: a venv in .venv and the Debian packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= public
FLAGSHIP := inputs/deepseek-2025.yaml

.PHONY: brief test check lint typecheck golden bench sysdeps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

sysdeps:
	@scripts/system-deps.sh

brief: $(STAMP) sysdeps
	$(BIN)/briefs build $(FLAGSHIP) --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check briefs tests benchmarks
	$(BIN)/ruff format --check briefs

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) sysdeps lint typecheck
	$(BIN)/pytest -q

golden: $(STAMP) sysdeps
	$(BIN)/python -m tests.golden --update

bench: $(STAMP) sysdeps
	$(BIN)/python benchmarks/build_speed.py

clean:
	rm -rf $(OUT) dist build .pytest_cache .mypy_cache .ruff_cache
