# Two commands set everything up on a fresh machine and do the job:
#   make check   create .venv, install guide, find or install a browser, check every flow
#   make test    the same set-up, then lint, types and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# JavaScript tools the tests drive (ajv: the schema as editors read it; axe-core: accessibility)
NODE_TOOLS := tests/js/node_modules/.installed-stamp

.PHONY: setup browser check test docs bench lint i18n clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

browser: setup
	$(BIN)/guide doctor --install
	$(BIN)/guide doctor
	@# a virtual display for the headed `guide live` test; optional elsewhere
	@command -v xvfb-run >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get install -y -qq xvfb xauth >/dev/null 2>&1; } \
	  || echo "xvfb-run not available: the headed live test will be skipped"

# CHECK_ARGS: more `guide check` options, e.g. make check CHECK_ARGS="-j 2 --shard 1/3"
# RESULTS: the folder for the JUnit file, the HTML report, results.json and drifts' artifacts
RESULTS ?= guide-results
check: browser
	$(BIN)/guide lint
	$(BIN)/guide check --junit $(RESULTS)/junit.xml --report $(RESULTS) --out $(RESULTS) $(CHECK_ARGS)

# ruff (lint and format) and mypy (types), as `make test` runs them
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

$(NODE_TOOLS): tests/js/package.json
	cd tests/js && npm install --no-audit --no-fund --silent
	touch $(NODE_TOOLS)

test: browser lint $(NODE_TOOLS)
	$(BIN)/python -m pytest

# Screenshots are rewritten only when their pixels change, guides only when their text does:
# running it twice leaves git clean. The HTML links the PNGs (no second copy in git).
docs: browser
	$(BIN)/guide shots flows --out docs/screenshots
	$(BIN)/guide export flows --format md --out docs --images screenshots --index
	$(BIN)/guide export flows --format html --out docs --images screenshots --link-images --index
	$(BIN)/guide export flows --format pdf --out docs --images screenshots

bench: browser
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_cache.py

# Refresh the message catalogues from the code (then translate what is new in the .po files)
i18n: setup
	$(BIN)/pybabel extract -k say -k N_ --no-location --omit-header --sort-output -o guide/locale/guide.pot guide
	$(BIN)/pybabel update -i guide/locale/guide.pot -d guide/locale -D guide --no-fuzzy-matching \
	  --ignore-obsolete --ignore-pot-creation-date

clean:
	rm -rf $(VENV) guide-results test-results *.egg-info
