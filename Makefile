# The two commands of the README: `make brief` builds the sample briefs, `make test` runs
# every check. Both set up what they need: a venv in .venv and the Debian packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= public
FLAGSHIP := inputs/deepseek-2025.yaml
NODE_STAMP := node_modules/.installed

.PHONY: install brief test check lint typecheck actionlint golden bench sysdeps testdeps pictures fuzz publish clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m compileall -q briefs
	touch $(STAMP)

sysdeps:
	@scripts/system-deps.sh

# The venv with briefs installed, and the system packages it needs.
install: $(STAMP) sysdeps

# The conformance tests' tools: Chromium, Java and Node.js from Debian (when missing), then
# the Nu Html Checker and axe-core pinned in package-lock.json (no install scripts: vnu-jar's
# would download a Java; the machine's is used).
testdeps:
	@scripts/system-deps.sh --test

$(NODE_STAMP): package.json package-lock.json | testdeps
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

brief: $(STAMP) sysdeps
	$(BIN)/briefs build $(FLAGSHIP) --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check briefs tests benchmarks
	$(BIN)/ruff format --check briefs

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) sysdeps testdeps $(NODE_STAMP) lint typecheck actionlint
	$(BIN)/pytest -q

# Every workflow, with actionlint's WebAssembly build (pinned in package-lock.json).
actionlint: $(NODE_STAMP)
	node scripts/actionlint.mjs

golden: $(STAMP) sysdeps
	$(BIN)/python -m tests.golden --update

# Page 1 of every edition of inputs/ and of the test corpus as the reference PNG in tests/pictures/.
pictures: $(STAMP) sysdeps
	$(BIN)/python -m tests.conformance.pictures --update

# A long fuzzing run (make test runs a short one).
fuzz: $(STAMP) sysdeps
	HYPOTHESIS_PROFILE=long $(BIN)/pytest -q tests/test_fuzz.py -p no:cacheprovider

# The static site of every brief in inputs/, as CI deploys it.
publish: $(STAMP) sysdeps
	$(BIN)/briefs publish inputs --out $(OUT) $(if $(BASE_URL),--base-url $(BASE_URL))

# Bytecode is compiled first: where PYTHONDONTWRITEBYTECODE is set, an editable install
# would otherwise compile the package on every run (an installed wheel never does).
bench: $(STAMP) sysdeps
	$(BIN)/python -m compileall -q briefs
	$(BIN)/python benchmarks/build_speed.py
	$(BIN)/python benchmarks/publish_speed.py
	$(BIN)/python benchmarks/charts.py
	$(BIN)/python benchmarks/pdf_floor.py
	$(BIN)/python benchmarks/pdf_tags.py
	$(BIN)/python benchmarks/layout_report.py
	$(BIN)/python benchmarks/lint_speed.py
	$(BIN)/python benchmarks/pdf_cpu.py
	$(BIN)/python benchmarks/pdf_fonts.py
	$(BIN)/python benchmarks/publish_memory.py
	$(BIN)/python benchmarks/toc_pass.py
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/html_vs_pandoc.py
	$(BIN)/python benchmarks/noop_publish.py
	$(BIN)/python benchmarks/publish_jobs.py --pin

clean:
	rm -rf $(OUT) dist build .pytest_cache .mypy_cache .ruff_cache
